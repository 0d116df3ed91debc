/* The receivers page: draw an area on a small map; the polygon is sent as a GeoJSON file through the page's
   own upload form, so a drawn area and an uploaded one are read by the same code on the server. The answer's
   button to keep the area and follow it is follow-area.js. */

import "./follow-area.js";

drawAreaMap();

function drawAreaMap() {
  const element = document.getElementById("area-map");
  const form = document.getElementById("area-form");
  const input = document.getElementById("area-file");
  const button = document.getElementById("draw-area");
  if (!element || !form || !input || !button || !window.L || !L.Draw) { return; }

  const map = L.map(element, { minZoom: 2, maxZoom: 18, scrollWheelZoom: false });
  map.setView([39.5, -98.35], 3);
  const drawer = new L.Draw.Polygon(map, { showArea: false, shapeOptions: { color: "#1f3a93", weight: 3 } });

  button.addEventListener("click", function () {
    document.getElementById("draw-help").hidden = false;
    drawer.enable();
  });

  map.on(L.Draw.Event.CREATED, function (event) {
    const geometry = event.layer.toGeoJSON().geometry;
    const file = new File([JSON.stringify({ type: "Feature", properties: {}, geometry: geometry })],
      "drawn-area.geojson", { type: "application/geo+json" });
    const files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    form.submit();
  });
  element.dataset.ready = "true";
}
