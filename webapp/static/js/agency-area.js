/* The receivers page: draw an area on a small map; the polygon is sent as a GeoJSON file through the page's
   own upload form, so a drawn area and an uploaded one are read by the same code on the server. */
(function () {
  "use strict";
  var element = document.getElementById("area-map");
  var form = document.getElementById("area-form");
  var input = document.getElementById("area-file");
  var button = document.getElementById("draw-area");
  if (!element || !form || !input || !button || !window.L || !L.Draw) { return; }

  var map = L.map(element, { minZoom: 2, maxZoom: 18, scrollWheelZoom: false });
  map.setView([39.5, -98.35], 3);
  window.sightlineAreaMap = map;
  var drawer = new L.Draw.Polygon(map, { showArea: false, shapeOptions: { color: "#1f3a93", weight: 3 } });

  button.addEventListener("click", function () {
    document.getElementById("draw-help").hidden = false;
    drawer.enable();
  });

  map.on(L.Draw.Event.CREATED, function (event) {
    var geometry = event.layer.toGeoJSON().geometry;
    var file = new File([JSON.stringify({ type: "Feature", properties: {}, geometry: geometry })],
      "drawn-area.geojson", { type: "application/geo+json" });
    var files = new DataTransfer();
    files.items.add(file);
    input.files = files.files;
    form.submit();
  });
  element.dataset.ready = "true";
})();
