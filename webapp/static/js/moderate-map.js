// Small maps in the review queue: the proposed pin (red) and the duplicate candidates (blue). On the review
// page (data-position-form) the pin is draggable (or moved with the arrow keys, pin-keys.js) and corrects the
// position the camera will be verified at.
// Data comes from data-* attributes; no inline script (the CSP allows only our own files).
import { addPinKeys } from "./pin-keys.js";

function drawMiniMap(element) {
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
  var candidates;
  try { candidates = JSON.parse(element.dataset.candidates || "[]"); } catch { candidates = []; }
  candidates.forEach(function (camera) {
    L.circleMarker([camera.lat, camera.lon], { radius: 6, color: "#1f5fbf", weight: 2, fillOpacity: 0.6 })
      .bindTooltip("#" + camera.id + " · " + camera.distance_m + " m")
      .addTo(map);
    bounds.extend([camera.lat, camera.lon]);
  });
  var form = element.dataset.positionForm && document.getElementById(element.dataset.positionForm);
  if (form) {
    // On the review page the pin can be dragged: it writes the corrected position into the verify form.
    var latInput = form.querySelector("input[name=lat]");
    var lonInput = form.querySelector("input[name=lon]");
    // The pin starts where the form does (a group's form starts from the middle of its reports' pins).
    var formLat = parseFloat(latInput.value), formLon = parseFloat(lonInput.value);
    if (isFinite(formLat) && isFinite(formLon)) { lat = formLat; lon = formLon; bounds.extend([lat, lon]); }
    var pin = L.marker([lat, lon], {
      draggable: true,
      keyboard: true,
      title: element.dataset.pinTitle || "",
      icon: L.divIcon({ className: "pin-icon", iconSize: [18, 18] })
    }).addTo(map);
    var writePosition = function () {
      var position = pin.getLatLng();
      latInput.value = position.lat.toFixed(6);
      lonInput.value = position.lng.toFixed(6);
      element.dataset.moved = "true";
    };
    pin.on("dragend", writePosition);
    // Without a mouse: Tab to the pin, move it with the arrow keys (or type the coordinates).
    addPinKeys(map, pin, writePosition);
    [latInput, lonInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var newLat = parseFloat(latInput.value), newLon = parseFloat(lonInput.value);
        if (isFinite(newLat) && isFinite(newLon)) { pin.setLatLng([newLat, newLon]); }
      });
    });
  } else {
    L.circleMarker([lat, lon], { radius: 8, color: "#b4232a", weight: 3, fillOpacity: 0.8 }).addTo(map);
  }
  // 100 m around the pin: the radius candidates are searched in.
  L.circle([lat, lon], { radius: 100, color: "#b4232a", weight: 1, fill: false, dashArray: "4" }).addTo(map);
  map.fitBounds(bounds.pad(0.5), { maxZoom: 18 });
}

if (typeof L !== "undefined") { document.querySelectorAll(".mini-map").forEach(drawMiniMap); }
