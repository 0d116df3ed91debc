/* A camera page's small map: the camera tiles as the main map draws them (camera-layer.js: this camera, its
   direction cones, the verified cameras around it), the camera itself ringed, at street level. Settings come
   from the page (#camera-map-settings, webapp/cameras/routes.py); no inline script (the CSP). */
import { cameraLayer } from "./camera-layer.js";

function drawCameraMap(element, settings) {
  const camera = settings.camera;
  const map = L.map(element, { maxZoom: 19, scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, { maxZoom: 19, attribution: element.dataset.tileAttribution || "" }).addTo(map);
  }
  cameraLayer(settings, { attribution: settings.attribution }).addTo(map);
  L.circleMarker([camera.lat, camera.lon], {
    radius: 13, color: "#1d232b", weight: 3, fill: false, interactive: false, className: "this-camera"
  }).addTo(map);
  // Street level (where the tiles draw single cameras), wide enough to show the neighbours listed below.
  const bounds = L.latLngBounds([[camera.lat, camera.lon]]);
  settings.neighbours.forEach(function (other) { bounds.extend([other.lat, other.lon]); });
  map.fitBounds(bounds.pad(0.2), { maxZoom: 18 });
  if (map.getZoom() <= settings.densityMaxZoom) { map.setView([camera.lat, camera.lon], settings.densityMaxZoom + 1); }
  element.dataset.ready = "true";
}

const element = document.getElementById("camera-map");
const source = document.getElementById("camera-map-settings");
if (element && source && typeof L !== "undefined") { drawCameraMap(element, JSON.parse(source.textContent)); }
