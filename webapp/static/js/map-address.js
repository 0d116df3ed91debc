/* The map's view in the address: #zoom/lat/lon/layer (for example #12/41.87810/-87.62980/counties), so that a
   view can be cited and a pasted link opens it. Each view a visitor settles on is a step of the browser's
   history (the back button walks them); small adjustments replace the current step instead of adding one,
   so history is not flooded. map.js calls keep(map, settings, showLayer); read, format and isSmallShift
   are pure (tests/js/map-address.test.mjs). */
var LAYERS = ["density", "states", "counties"];
// A settled view becomes a new step of history this long after the last move (a drag, a wheel burst or
// a fly-to end as one step).
var SETTLE_MS = 500;
// A move smaller than this share of the map's width or height only corrects the current step.
var SMALL_MOVE = 0.25;

/* The view a fragment names ({zoom, lat, lon, layer}), or null when it names none. */
export function read(hash) {
  var parts = String(hash || "").replace(/^#/, "").split("/");
  if (parts.length < 3) { return null; }
  var zoom = parseInt(parts[0], 10), lat = parseFloat(parts[1]), lon = parseFloat(parts[2]);
  if (!isFinite(zoom) || !isFinite(lat) || !isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
    return null;
  }
  return { zoom: zoom, lat: lat, lon: lon, layer: LAYERS.indexOf(parts[3]) >= 0 ? parts[3] : "density" };
}

export function format(view) {
  return "#" + view.zoom + "/" + view.lat.toFixed(5) + "/" + view.lon.toFixed(5) + "/" + view.layer;
}

export function viewOf(map) {
  var centre = map.getCenter();
  return { zoom: map.getZoom(), lat: centre.lat, lon: centre.lng, layer: map.sightlineLayer || "density" };
}

/* Whether going from view `from` to view `to` only corrects the current step: the same zoom and layer, and a
   shift (a and b: the two centres in screen pixels) under SMALL_MOVE of the map's size in each direction. */
export function isSmallShift(from, to, a, b, size) {
  if (from.zoom !== to.zoom || from.layer !== to.layer) { return false; }
  return Math.abs(a.x - b.x) < size.x * SMALL_MOVE && Math.abs(a.y - b.y) < size.y * SMALL_MOVE;
}

function isSmallMove(map, from, to) {
  return isSmallShift(from, to, map.latLngToContainerPoint([from.lat, from.lon]),
    map.latLngToContainerPoint([to.lat, to.lon]), map.getSize());
}

/* The view a page opens on: the address's, if it names one (a pasted link), else null. */
export function cited() { return read(window.location.hash); }

export function keep(map, settings, showLayer) {
  var current = viewOf(map);  // the view of the current history step
  var written = format(current);  // the address this page wrote last
  var timer = null;
  var restoring = false;

  function commit(forceNew) {
    window.clearTimeout(timer);
    timer = null;
    if (restoring) { return; }
    // The address changed since this page wrote it (a view pasted in, back or forward) and its event has not
    // reached us yet: that view wins; writing ours would overwrite it before its hashchange arrives.
    if (window.location.hash !== written && read(window.location.hash)) { restore(); return; }
    var view = viewOf(map);
    var hash = format(view);
    if (hash === window.location.hash) { current = view; return; }
    var url = window.location.pathname + window.location.search + hash;
    if (forceNew || !isSmallMove(map, current, view)) {
      window.history.pushState(null, "", url);
    } else {
      window.history.replaceState(null, "", url);
    }
    current = view;
    written = hash;
    document.dispatchEvent(new CustomEvent("sightline:view", { detail: { hash: hash } }));
  }

  function restore() {
    var view = read(window.location.hash) || settings.homeView;
    if (!view) { return; }
    window.clearTimeout(timer);
    restoring = true;
    try {
      map.setView([view.lat, view.lon], view.zoom, { animate: false });
      if ((view.layer || "density") !== (map.sightlineLayer || "density")) { showLayer(view.layer || "density"); }
    } finally {
      restoring = false;
    }
    current = viewOf(map);
    written = window.location.hash;
    document.dispatchEvent(new CustomEvent("sightline:view", { detail: { hash: window.location.hash } }));
  }

  // The first view of the page replaces its own step: back still leaves the page at once.
  window.history.replaceState(null, "", window.location.pathname + window.location.search + written);
  map.on("moveend", function () {
    if (restoring) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { commit(false); }, SETTLE_MS);
  });
  map.on("sightline:layer", function () { commit(true); });
  // Back and forward (popstate), and a link of another view pasted into this page's address (hashchange).
  window.addEventListener("popstate", restore);
  window.addEventListener("hashchange", function () {
    if (format(viewOf(map)) !== window.location.hash) { restore(); }
  });
}

/* /embed: the view and layer the page was given (a box or a centre), and its "Open in Sightline" link
   kept on the main map's address of the view shown. No history: the frame's address is nobody's. */
export function startEmbedded(map, embed) {
  var view = embed.view;
  if (view && view.bbox) {
    map.fitBounds([[view.bbox[1], view.bbox[0]], [view.bbox[3], view.bbox[2]]], { animate: false });
  } else if (view) {
    map.setView([view.lat, view.lon], view.zoom, { animate: false });
  }
  map.sightlineLayer = embed.layer;
  var link = document.getElementById("open-in-sightline");
  function follow() { if (link) { link.href = embed.mainMapUrl + format(viewOf(map)); } }
  map.on("moveend", follow);
  follow();
}
