/* "Share / embed" on the map: a button (a Leaflet control) opens the dialog of map/_share_dialog.html with the
   link to the current view, the <iframe> snippet of /embed for it and a PNG of it (/map.png), each with a copy
   button or a download link. Texts come from the page (the dialog's markup and settings.text). Loaded by the
   map page; map.js calls addShare(map, settings). */
import { format, viewOf } from "./map-address.js";

/* The query string of /embed for a view of the map's address ({zoom, lat, lon, layer}). */
export function embedQuery(view) {
  return "z=" + view.zoom + "&lat=" + view.lat.toFixed(5) + "&lon=" + view.lon.toFixed(5) + "&layer=" + view.layer;
}

function imageQuery(map, settings) {
  var bounds = map.getBounds();
  var box = [
    Math.max(bounds.getWest(), -180), Math.max(bounds.getSouth(), -85), Math.min(bounds.getEast(), 180),
    Math.min(bounds.getNorth(), 85)
  ].map(function (value) { return value.toFixed(5); }).join(",");
  // Close up the map shows each camera; so does the image.
  var layer = map.getZoom() > settings.densityMaxZoom ? "cameras" : "density";
  return "bbox=" + box + "&layer=" + layer;
}

function snippet(dialog, map) {
  var frame = document.createElement("iframe");
  // The page's own origin, as the visitor reached it (behind the proxy too).
  frame.setAttribute("src", window.location.origin + dialog.dataset.embedUrl + "?" + embedQuery(viewOf(map)));
  frame.setAttribute("title", dialog.dataset.frameTitle);
  frame.setAttribute("width", "100%");
  frame.setAttribute("height", "480");
  frame.setAttribute("style", "border:0");
  frame.setAttribute("loading", "lazy");
  return frame.outerHTML;
}

function copy(field, status, dialog) {
  field.select();
  var done = function () { status.textContent = dialog.dataset.copied; };
  var failed = function () { status.textContent = dialog.dataset.copyFailed; };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(field.value).then(done, failed);
  } else {
    failed();
  }
}

export function addShare(map, settings) {
  var dialog = document.getElementById("share-dialog");
  if (!dialog) { return; }
  var link = document.getElementById("share-link");
  var code = document.getElementById("share-snippet");
  var image = document.getElementById("share-png");
  var status = dialog.querySelector(".share-status");
  var opener;

  function open() {
    link.value = window.location.origin + window.location.pathname + window.location.search +
      format(viewOf(map));
    code.value = snippet(dialog, map);
    image.href = dialog.dataset.imageUrl + "?" + imageQuery(map, settings);
    status.textContent = "";
    dialog.showModal();
    link.focus();
    link.select();
  }
  dialog.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      copy(document.getElementById(button.getAttribute("data-copy")), status, dialog);
    });
  });
  // Focus goes back to the button that opened the dialog, however it closed (Escape, Close).
  dialog.addEventListener("close", function () { if (opener) { opener.focus(); } });

  var control = L.control({ position: "topleft" });
  control.onAdd = function () {
    opener = L.DomUtil.create("button", "sightline-share-button");
    opener.type = "button";
    opener.textContent = settings.text.share;
    opener.setAttribute("aria-haspopup", "dialog");
    opener.addEventListener("click", open);
    L.DomEvent.disableClickPropagation(opener);
    return opener;
  };
  control.addTo(map);
}
