/* A camera page's small map: the camera tiles as the main map draws them (camera-layer.js: this camera, its
   direction cones, the verified cameras around it), the camera itself ringed, at street level. Settings come
   from the page (#camera-map-settings, webapp/cameras/routes.py); no inline script (the CSP). */
(function () {
  "use strict";
  var element = document.getElementById("camera-map");
  var source = document.getElementById("camera-map-settings");
  if (!element || !source || typeof L === "undefined" || !window.sightlineCameraLayer) { return; }
  var settings = JSON.parse(source.textContent);
  var camera = settings.camera;
  var map = L.map(element, { maxZoom: 19, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution || "" }).addTo(map);
  }
  window.sightlineCameraLayer.create(settings, { attribution: settings.attribution }).addTo(map);
  L.circleMarker([camera.lat, camera.lon], {
    radius: 13, color: "#1d232b", weight: 3, fill: false, interactive: false, className: "this-camera"
  }).addTo(map);
  // Street level (where the tiles draw single cameras), wide enough to show the neighbours listed below.
  var bounds = L.latLngBounds([[camera.lat, camera.lon]]);
  settings.neighbours.forEach(function (other) { bounds.extend([other.lat, other.lon]); });
  map.fitBounds(bounds.pad(0.2), { maxZoom: 18 });
  if (map.getZoom() <= settings.densityMaxZoom) { map.setView([camera.lat, camera.lon], settings.densityMaxZoom + 1); }
  element.dataset.ready = "true";
  window.sightlineCameraMap = map;
})();
