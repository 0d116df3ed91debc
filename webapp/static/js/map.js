/* Sightline's public density map: vector tiles from /tiles, legend, count of cameras in view, clicks to
   camera pages, a search box over the offline gazetteer, a choropleth layer (choropleth.js), an "in this
   view" panel, route exposure (Leaflet.draw or an upload), and the view in the address (map-address.js). The
   Folium page's module script imports startDensityMap and hands it the Leaflet map Folium made and the
   settings (webapp/map/density_map.py). Talks to no host but the app (and Leaflet to the basemap). */
import { cameraLayer, swatch, vendorsInView } from "./camera-layer.js";
import { addChoropleth } from "./choropleth.js";
import { pageLocale } from "./locale.js";
import { keepArea, showKept } from "./follow-area.js";
import { cited, keep, startEmbedded } from "./map-address.js";
import { addShare } from "./map-share.js";
function element(tag, className, text) {
  var node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined) { node.textContent = text; }
  return node;
}

function addTiles(map, settings) {
  // Drawn by camera-layer.js, which the camera pages use too.
  var layer = cameraLayer(settings, { attribution: settings.attribution });
  layer.addTo(map);
  map.on("click", function (event) { openCameraAt(map, settings, event); });
  map.on("zoomend", function () {
    map.getContainer().classList.toggle("sightline-cameras-shown", map.getZoom() > settings.densityMaxZoom);
  });
  return layer;
}

// Framed in another site's page (/embed), a page of ours opens in a new tab: the frame may show no other.
function openPage(settings, url) {
  if (settings.embed) { window.open(url, "_blank", "noopener"); } else { window.location.assign(url); }
}

// The camera nearest a click (within the reach of its cone), asked from GET /api/v1/cameras?bbox=...
var CLICK_REACH_PIXELS = 30;

function openCameraAt(map, settings, event) {
  if (map.sightlineDrawing) { return; }  // the click places a point of a route being drawn
  if (map.getZoom() <= settings.densityMaxZoom) {
    map.setView(event.latlng, Math.min(map.getZoom() + 3, settings.densityMaxZoom + 1));
    return;
  }
  var point = event.containerPoint;
  var corner1 = map.containerPointToLatLng(point.subtract([CLICK_REACH_PIXELS, CLICK_REACH_PIXELS]));
  var corner2 = map.containerPointToLatLng(point.add([CLICK_REACH_PIXELS, CLICK_REACH_PIXELS]));
  var bbox = [
    Math.min(corner1.lng, corner2.lng), Math.min(corner1.lat, corner2.lat),
    Math.max(corner1.lng, corner2.lng), Math.max(corner1.lat, corner2.lat)
  ].map(function (value) { return value.toFixed(6); }).join(",");
  fetch(settings.camerasUrl + "?bbox=" + bbox, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (collection) {
      if (!collection || !collection.features.length) { return; }
      var nearest = null, best = Infinity;
      collection.features.forEach(function (feature) {
        var position = feature.geometry.coordinates;
        var distance = map.latLngToContainerPoint([position[1], position[0]]).distanceTo(point);
        if (distance < best) { best = distance; nearest = feature; }
      });
      if (nearest && best <= CLICK_REACH_PIXELS) {
        openPage(settings, settings.cameraUrl.replace("{id}", String(nearest.id)));
      }
    })
    .catch(function () { /* a failed look-up leaves the map as it is */ });
}

// ---- Legends and panels fold away behind a button; on a phone they start folded. ----
var NARROW_SCREEN = "(max-width: 40rem)";

function collapsible(box, title, settings) {
  var content = element("div", "sightline-collapsible-content");
  while (box.firstChild) { content.appendChild(box.firstChild); }
  var toggle = element("button", "sightline-toggle", title);
  toggle.type = "button";
  function show(open) {
    content.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    toggle.title = open ? settings.text.collapse : settings.text.expand;
  }
  toggle.addEventListener("click", function () { show(content.hidden); });
  show(!window.matchMedia(NARROW_SCREEN).matches);
  box.appendChild(toggle);
  box.appendChild(content);
  box.classList.add("sightline-collapsible");
  // A panel over the map: its clicks and scrolls are the panel's, not the map's.
  L.DomEvent.disableClickPropagation(box);
  L.DomEvent.disableScrollPropagation(box);
  return content;
}

function addLegend(map, settings) {
  var legend = L.control({ position: "bottomright" });
  var vendorRows;
  legend.onAdd = function () {
    var box = element("div", "sightline-legend");
    var density = element("div", "sightline-legend-density");
    density.appendChild(element("strong", "", settings.text.densityTitle));
    settings.densityScale.forEach(function (step, index) {
      var next = settings.densityScale[index + 1];
      var row = element("div", "sightline-legend-row");
      var swatch = element("span", "sightline-swatch");
      swatch.style.background = step.colour;
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(next ? step.min + "–" + (next.min - 1) : step.min + "+"));
      density.appendChild(row);
    });
    density.appendChild(element("p", "sightline-legend-hint", settings.text.zoomIn));
    var vendors = element("div", "sightline-legend-vendors");
    vendors.appendChild(element("strong", "", settings.text.vendorsInView));
    vendorRows = element("div", "sightline-legend-vendor-rows");
    vendors.appendChild(vendorRows);
    box.appendChild(density);
    box.appendChild(vendors);
    collapsible(box, settings.text.legend, settings);
    return box;
  };
  legend.addTo(map);
  // Only the vendors of the cameras drawn in view, each with its marker and its name.
  function listVendorsInView() {
    var shown = vendorsInView(map.sightlineTiles, map);
    var known = settings.vendors.map(function (vendor) { return vendor.slug; });
    var other = shown.some(function (slug) { return known.indexOf(slug) < 0; });
    vendorRows.textContent = "";
    settings.vendors.forEach(function (vendor) {
      if (shown.indexOf(vendor.slug) < 0 && !(vendor.slug === "unknown" && other)) { return; }
      var row = element("div", "sightline-legend-row");
      row.dataset.vendor = vendor.slug;
      row.appendChild(swatch(vendor));
      row.appendChild(document.createTextNode(vendor.name));
      vendorRows.appendChild(row);
    });
    if (!vendorRows.firstChild) { vendorRows.appendChild(element("p", "sightline-legend-hint", settings.text.noCameraInView)); }
  }
  function showLegendForZoom() {
    var detailed = map.getZoom() > settings.densityMaxZoom;
    legend.getContainer().classList.toggle("sightline-legend-detailed", detailed);
    if (detailed) { listVendorsInView(); }
  }
  map.on("zoomend moveend", showLegendForZoom);
  // Tiles arrive one by one after a move: list again once they have (at most every 150 ms).
  var timer = null;
  map.sightlineTiles.on("tileload load", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(showLegendForZoom, 150);
  });
  showLegendForZoom();
}

function addCount(map, settings) {
  var control = L.control({ position: "topright" });
  var label;
  control.onAdd = function () {
    label = element("div", "sightline-count");
    label.setAttribute("role", "status");
    label.setAttribute("aria-live", "polite");
    return label;
  };
  control.addTo(map);
  var timer = null;
  var latest = 0;
  function clamp(value, low, high) { return Math.max(low, Math.min(high, value)); }
  function refresh() {
    var bounds = map.getBounds();
    var west = clamp(bounds.getWest(), -180, 180), east = clamp(bounds.getEast(), -180, 180);
    var south = clamp(bounds.getSouth(), -90, 90), north = clamp(bounds.getNorth(), -90, 90);
    if (!(west < east && south < north)) { return; }
    var bbox = [west, south, east, north].map(function (value) { return value.toFixed(5); }).join(",");
    var request = ++latest;
    fetch(settings.countUrl + "?bbox=" + bbox, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || request !== latest) { return; }
        var template = answer.exact ? settings.text.inView : settings.text.aboutInView;
        label.textContent = template.replace("{count}", answer.cameras.toLocaleString(pageLocale()));
        label.dataset.count = String(answer.cameras);
      })
      .catch(function () { /* the count is a nicety; the map works without it */ });
  }
  map.on("moveend", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 200);
  });
  refresh();
}

function addSearch(map, settings) {
  var control = L.control({ position: "topleft" });
  var places = null;
  var loading = null;
  function loadPlaces() {
    if (!loading) {
      loading = fetch(settings.gazetteerUrl, { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (document) { places = document.places; return places; });
    }
    return loading;
  }
  function matches(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted || !places) { return []; }
    var starts = [], contains = [];
    for (var i = 0; i < places.length && starts.length < 8; i++) {
      var name = places[i][0].toLowerCase();
      if (name.indexOf(wanted) === 0) { starts.push(places[i]); }
      else if (contains.length < 8 && name.indexOf(wanted) > 0) { contains.push(places[i]); }
    }
    return starts.concat(contains).slice(0, 8);
  }
  var coverageLink = null;
  function go(place) {
    map.fitBounds([[place[3], place[2]], [place[5], place[4]]], { maxZoom: 12 });
    // A state or county has a coverage page of its own: offer it beside the zoom.
    var hasPage = place[1] === "state" || place[1] === "county";
    coverageLink.hidden = !hasPage;
    if (hasPage) {
      coverageLink.href = settings.coveragePlaceUrl + "?name=" + encodeURIComponent(place[0]);
      coverageLink.textContent = settings.text.coverageOf.replace("{place}", place[0]);
    }
  }
  control.onAdd = function () {
    var form = element("form", "sightline-search");
    form.setAttribute("role", "search");
    var input = element("input", "sightline-search-input");
    input.type = "search";
    input.name = "place";
    input.autocomplete = "off";
    input.placeholder = settings.text.searchPlaceholder;
    input.setAttribute("aria-label", settings.text.searchLabel);
    var list = element("ul", "sightline-search-results");
    var credit = element("p", "sightline-search-credit", settings.text.placesCredit);
    coverageLink = element("a", "sightline-search-coverage");
    coverageLink.hidden = true;
    form.appendChild(input);
    form.appendChild(list);
    form.appendChild(coverageLink);
    form.appendChild(credit);
    function show() {
      list.textContent = "";
      var found = matches(input.value);
      if (input.value.trim() && places && !found.length) {
        list.appendChild(element("li", "sightline-search-empty", settings.text.noMatch));
      }
      found.forEach(function (place) {
        var item = element("li");
        var button = element("button", "sightline-search-result", place[0]);
        button.type = "button";
        button.addEventListener("click", function () {
          input.value = place[0];
          list.textContent = "";
          go(place);
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }
    input.addEventListener("focus", function () { loadPlaces().then(show); });
    input.addEventListener("input", function () { loadPlaces().then(show); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      loadPlaces().then(function () {
        var found = matches(input.value);
        if (found.length) { list.textContent = ""; go(found[0]); } else { show(); }
      });
    });
    L.DomEvent.disableClickPropagation(form);
    L.DomEvent.disableScrollPropagation(form);
    // Leaflet 1.9 decides from the clicked element's ancestors; a result button is gone by then (the list
    // is redrawn), so the click would reach the map and zoom it. Stop it here.
    L.DomEvent.on(form, "click", L.DomEvent.stopPropagation);
    return form;
  };
  control.addTo(map);
}

// ---- Layer toggle: the density of cameras, or a choropleth of states or counties. ----
function addLayerToggle(map, settings) {
  var control = L.control({ position: "topright" });
  var choropleth = null;
  function show(layer) {
    map.sightlineLayer = layer;
    if (choropleth) { map.removeLayer(choropleth.layer); map.removeControl(choropleth.legend); choropleth = null; }
    if (layer === "density") {
      if (!map.hasLayer(map.sightlineTiles)) { map.sightlineTiles.addTo(map); }
    } else {
      map.removeLayer(map.sightlineTiles);
      addChoropleth(map, {
        tileUrl: settings.areaTileUrl, legendUrl: settings.legendUrl,
        kind: layer === "states" ? "state" : "county", metric: "per_10k_residents",
        metricTitle: settings.text.perResidents, noFigureLabel: settings.text.noFigure,
        onArea: function (properties) { openPage(settings, settings.areaPageUrl.replace("GEOID", properties.geoid)); }
      }).then(function (added) {
        if (map.sightlineLayer !== layer) { map.removeLayer(added.layer); map.removeControl(added.legend); return; }
        choropleth = added;
        map.getContainer().dataset.choropleth = layer;
      });
    }
    map.getContainer().classList.toggle("sightline-choropleth-shown", layer !== "density");
    var radio = map.getContainer().querySelector("input[name=layer][value=" + layer + "]");
    if (radio) { radio.checked = true; }
    map.fire("sightline:layer", { layer: layer });
  }
  control.onAdd = function () {
    var box = element("form", "sightline-layers");
    box.setAttribute("aria-label", settings.text.layers);
    [["density", settings.text.layerDensity], ["states", settings.text.layerStates],
     ["counties", settings.text.layerCounties]].forEach(function (choice) {
      var label = element("label", "sightline-layer-choice");
      var input = element("input");
      input.type = "radio";
      input.name = "layer";
      input.value = choice[0];
      input.checked = choice[0] === (map.sightlineLayer || "density");
      input.addEventListener("change", function () { if (input.checked) { show(choice[0]); } });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + choice[1]));
      box.appendChild(label);
    });
    collapsible(box, settings.text.layers, settings);
    return box;
  };
  if (!settings.embed) { control.addTo(map); }  // an embedded map keeps the layer it was given
  if (map.sightlineLayer && map.sightlineLayer !== "density") { show(map.sightlineLayer); }
  return show;
}

// ---- "In this view": the verified cameras in the view, top vendors and operators. ----
function addViewPanel(map, settings) {
  var control = L.control({ position: "bottomleft" });
  var box;
  control.onAdd = function () {
    var panel = element("div", "sightline-view-panel");
    box = collapsible(panel, settings.text.panelTitle, settings);
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    return panel;
  };
  control.addTo(map);
  var timer = null, latest = 0;
  function list(title, entries) {
    var part = element("p", "sightline-view-list");
    part.appendChild(element("strong", "", title + ": "));
    part.appendChild(document.createTextNode(entries.map(function (entry) {
      return entry.name + " " + entry.cameras.toLocaleString(pageLocale());
    }).join(", ") || "–"));
    return part;
  }
  function downloads(bbox) {
    var part = element("p", "sightline-view-downloads", settings.text.panelDownload + " ");
    [["csv", "CSV"], ["geojson", "GeoJSON"], ["kml", "KML"], ["parquet", "GeoParquet"], ["fgb", "FlatGeobuf"]]
      .forEach(function (format, index) {
        if (index) { part.appendChild(document.createTextNode(" · ")); }
        var link = element("a", "", format[1]);
        link.href = settings.selectionUrl + "." + format[0] + "?bbox=" + bbox;
        part.appendChild(link);
      });
    return part;
  }
  function refresh() {
    var bounds = map.getBounds();
    var west = Math.max(bounds.getWest(), -180), east = Math.min(bounds.getEast(), 180);
    var south = Math.max(bounds.getSouth(), -90), north = Math.min(bounds.getNorth(), 90);
    if (!(west < east && south < north)) { return; }
    var bbox = [west, south, east, north].map(function (value) { return value.toFixed(5); }).join(",");
    var request = ++latest;
    // The names of "other" and "unknown" in the page's language (the API's URLs carry no `lang` of their own).
    fetch(settings.viewUrl + "?top=3&bbox=" + bbox + "&lang=" + encodeURIComponent(document.documentElement.lang), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (!answer || request !== latest) { return; }
        box.textContent = "";
        var template = answer.exact ? settings.text.panelCameras : settings.text.panelAbout;
        var count = element("p", "sightline-view-count", template.replace("{count}", answer.cameras.toLocaleString(pageLocale())));
        count.dataset.count = String(answer.cameras);
        box.appendChild(count);
        box.appendChild(list(settings.text.panelVendors, answer.vendors));
        box.appendChild(list(settings.text.panelOperators, answer.operators));
        box.appendChild(element("p", "sightline-legend-hint", settings.text.panelNote));
        if (answer.exact && answer.cameras > 0 && answer.cameras <= settings.selectionMax) {
          box.appendChild(downloads(bbox));
        }
      })
      .catch(function () { /* the panel is a nicety; the map works without it */ });
  }
  map.on("moveend", function () { window.clearTimeout(timer); timer = window.setTimeout(refresh, 250); });
  refresh();
}

// ---- Route exposure: draw a route (Leaflet.draw) or upload a GPX/KML/GeoJSON file. ----
function addRouteTool(map, settings) {
  var drawn = new L.FeatureGroup().addTo(map);
  var found = L.layerGroup().addTo(map);
  var control = L.control({ position: "topleft" });
  var result, kept, bufferInput;
  var lastBody = null, lastType = null;  // the route asked about, asked again when the distance changes
  var drawer = new L.Draw.Polyline(map, { shapeOptions: { color: "#1f3a93", weight: 4 } });

  function showAnswer(answer) {
    found.clearLayers();
    // The route as the server read it (an uploaded file has no line of its own on the map yet).
    if (answer.route && !drawn.getLayers().length) {
      var line = L.geoJSON(answer.route, { style: { color: "#1f3a93", weight: 4 }, className: "sightline-route-line" });
      drawn.addLayer(line);
      map.fitBounds(line.getBounds(), { maxZoom: 15, padding: [20, 20] });
      result.dataset.routeLines = String(line.getLayers().length);
    }
    answer.features.features.forEach(function (feature) {
      var position = feature.geometry.coordinates;
      var facing = feature.properties.facing;
      L.circleMarker([position[1], position[0]], {
        radius: 8, weight: 3, color: facing === true ? "#b22222" : (facing === false ? "#555555" : "#e69f00"),
        fillOpacity: 0.2, className: "sightline-route-camera"
      }).addTo(found);
    });
    result.textContent = settings.text.routeResult
      .replace("{cameras}", answer.cameras).replace("{buffer}", answer.buffer_m)
      .replace("{km}", answer.length_km.toFixed(1)).replace("{facing}", answer.facing)
      .replace("{unknown}", answer.direction_unknown).replace("{reads}", answer.reads_per_km.toFixed(2));
    result.dataset.cameras = String(answer.cameras);
    result.dataset.highlighted = String(found.getLayers().length);
    result.dataset.facing = String(answer.facing);
    offerKeeping(answer.keep_corridor);
  }
  // The route is answered and forgotten (docs/privacy.md): only a press of this button keeps its corridor,
  // to follow it (Atom) and download its cameras in every format.
  function offerKeeping(keepUrl) {
    kept.textContent = "";
    var button = element("button", "sightline-route-keep", settings.text.routeKeep);
    button.type = "button";
    var links = element("span", "sightline-route-kept");
    button.addEventListener("click", function () {
      button.disabled = true;
      var url = keepUrl + "&lang=" + encodeURIComponent(document.documentElement.lang);
      keepArea(url, lastBody, lastType ? { "Content-Type": lastType } : {}).then(function (answer) {
        showKept(links, answer, settings.text.routeFeed, settings.text.routeDownloads);
      }).catch(function (error) {
        links.textContent = settings.text.routeKeepFailed + " " + error.message;
        button.disabled = false;
      });
    });
    kept.appendChild(button);
    kept.appendChild(links);
  }
  function showError(response) {
    return response.json().then(function (body) { result.textContent = body.message || String(response.status); });
  }
  function ask(body, contentType) {
    lastBody = body;
    lastType = contentType;
    var headers = contentType ? { "Content-Type": contentType } : {};
    result.textContent = "…";
    // The answer's messages in the page's language (the API's URLs carry no `lang` of their own).
    var query = "?buffer_m=" + encodeURIComponent(bufferInput.value) + "&lang=" + encodeURIComponent(document.documentElement.lang);
    fetch(settings.routeUrl + query, {
      method: "POST", body: body, headers: headers, credentials: "same-origin"
    }).then(function (response) {
      if (!response.ok) { return showError(response); }
      return response.json().then(showAnswer);
    }).catch(function () { result.textContent = "…"; });
  }
  map.on(L.Draw.Event.CREATED, function (event) {
    drawn.clearLayers();
    drawn.addLayer(event.layer);
    ask(JSON.stringify(event.layer.toGeoJSON().geometry), "application/geo+json");
  });
  control.onAdd = function () {
    var box = element("div", "sightline-route");
    var draw = element("button", "sightline-route-draw", settings.text.routeDraw);
    draw.type = "button";
    // Click the map at each turn; "Finish" (or a click on the last point) ends the route.
    var finish = element("button", "sightline-route-finish", settings.text.routeFinish);
    finish.type = "button";
    finish.hidden = true;
    draw.addEventListener("click", function () { drawer.enable(); finish.hidden = false; });
    finish.addEventListener("click", function () { drawer.completeShape(); });
    map.on(L.Draw.Event.DRAWSTART, function () { map.sightlineDrawing = true; });
    map.on(L.Draw.Event.DRAWSTOP, function () {
      finish.hidden = true;
      // Leaflet fires the click of the last point after this event: keep ignoring it until then.
      window.setTimeout(function () { map.sightlineDrawing = false; }, 0);
    });
    var file = element("input", "sightline-route-file");
    file.type = "file";
    file.accept = ".gpx,.kml,.geojson,.json";
    file.setAttribute("aria-label", settings.text.routeUpload);
    file.addEventListener("change", function () {
      if (!file.files.length) { return; }
      var form = new FormData();
      form.append("file", file.files[0]);
      drawn.clearLayers();
      ask(form, null);
    });
    var label = element("label", "sightline-route-buffer", settings.text.routeBuffer + " ");
    bufferInput = element("input");
    bufferInput.type = "number";
    bufferInput.min = "10";
    bufferInput.max = "500";
    bufferInput.value = "75";
    bufferInput.addEventListener("change", function () {
      if (lastBody !== null && bufferInput.checkValidity()) { ask(lastBody, lastType); }
    });
    label.appendChild(bufferInput);
    var clear = element("button", "sightline-route-clear", settings.text.routeClear);
    clear.type = "button";
    clear.addEventListener("click", function () {
      drawn.clearLayers(); found.clearLayers(); result.textContent = ""; kept.textContent = ""; lastBody = null;
    });
    result = element("p", "sightline-route-result");
    result.setAttribute("role", "status");
    kept = element("p", "sightline-route-keeping");
    kept.setAttribute("aria-live", "polite");
    box.appendChild(draw);
    box.appendChild(finish);
    box.appendChild(element("span", "sightline-route-or", " " + settings.text.routeUpload + " "));
    box.appendChild(file);
    box.appendChild(label);
    box.appendChild(clear);
    box.appendChild(result);
    box.appendChild(kept);
    // What the figure means, and what the rings say.
    box.appendChild(element("p", "sightline-route-explain", settings.text.routeExplain));
    collapsible(box, settings.text.routeTitle, settings);
    return box;
  };
  control.addTo(map);
}

/* Sets up the Folium page's Leaflet map: tiles, legend, count, and on the main map (not /embed) search,
   layers, the view panel, routes, the address and sharing. */
export function startDensityMap(map, settings) {
  var view = settings.embed ? null : cited();
  if (view) {
    map.setView([view.lat, view.lon], view.zoom);
    map.sightlineLayer = view.layer;
  }
  if (settings.embed) { startEmbedded(map, settings.embed); }
  map.sightlineTiles = addTiles(map, settings);
  addLegend(map, settings);
  addCount(map, settings);
  if (settings.embed) {
    addLayerToggle(map, settings);
    return;
  }
  addSearch(map, settings);
  var showLayer = addLayerToggle(map, settings);
  addViewPanel(map, settings);
  addRouteTool(map, settings);
  keep(map, settings, showLayer);
  addShare(map, settings);
}
