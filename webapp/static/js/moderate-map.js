// Small maps in the review queue: the proposed pin (red) and the duplicate candidates (blue).
// Data comes from data-* attributes; no inline script (the CSP allows only our own files).
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  document.querySelectorAll(".mini-map").forEach(function (element) {
    var lat = parseFloat(element.dataset.lat);
    var lon = parseFloat(element.dataset.lon);
    if (!isFinite(lat) || !isFinite(lon)) { return; }
    var map = L.map(element, { zoomControl: true, scrollWheelZoom: false, maxZoom: 19 });
    map.attributionControl.setPrefix(false);
    if (element.dataset.tileUrl) {
      // The basemap's licence asks for its attribution (TILE_ATTRIBUTION, from the app's configuration).
      L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution || "" }).addTo(map);
    }
    var bounds = L.latLngBounds([[lat, lon]]);
    var candidates = [];
    try { candidates = JSON.parse(element.dataset.candidates || "[]"); } catch (error) { candidates = []; }
    candidates.forEach(function (camera) {
      L.circleMarker([camera.lat, camera.lon], { radius: 6, color: "#1f5fbf", weight: 2, fillOpacity: 0.6 })
        .bindTooltip("#" + camera.id + " · " + camera.distance_m + " m")
        .addTo(map);
      bounds.extend([camera.lat, camera.lon]);
    });
    L.circleMarker([lat, lon], { radius: 8, color: "#b4232a", weight: 3, fillOpacity: 0.8 }).addTo(map);
    // 100 m around the pin: the radius candidates are searched in.
    L.circle([lat, lon], { radius: 100, color: "#b4232a", weight: 1, fill: false, dashArray: "4" }).addTo(map);
    map.fitBounds(bounds.pad(0.5), { maxZoom: 18 });
  });
})();
