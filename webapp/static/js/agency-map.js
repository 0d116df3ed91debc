/* The small map of an agency's cameras, or of the cameras that feed a receiver: it reads the page's settings
   (JSON blob #agency-settings) and draws what the map address answers: every camera as a point while there
   are few, else counts per grid cell as circles sized by their count. Leaflet is served by the app. */

function drawAgencyMap(element, settings) {
  const strings = settings.strings;
  const map = L.map(element, { minZoom: 2, maxZoom: 18, scrollWheelZoom: false, preferCanvas: true });
  if (settings.basemapUrl) {
    L.tileLayer(settings.basemapUrl, { attribution: settings.basemapAttribution, maxZoom: 19 }).addTo(map);
  }
  map.setView([39.5, -98.35], 3);

  function draw(answer) {
    const layer = L.featureGroup();
    if (answer.kind === "points") {
      answer.points.forEach(function (point) {
        L.circleMarker([point[1], point[0]], { radius: 5, weight: 1, color: "#1d4f91", fillOpacity: 0.7 })
          .bindTooltip(strings.camera + " " + point[2] + " · " + point[3]).addTo(layer);
      });
    } else {
      const largest = answer.cells.reduce(function (most, cell) { return Math.max(most, cell[2]); }, 1);
      answer.cells.forEach(function (cell) {
        L.circleMarker([cell[1], cell[0]], {
          radius: 4 + 16 * Math.sqrt(cell[2] / largest), weight: 1, color: "#7a1f1f", fillOpacity: 0.5
        }).bindTooltip(strings.cellCameras.replace("N", cell[2].toLocaleString())).addTo(layer);
      });
    }
    layer.addTo(map);
    if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 14 }); }
    element.dataset.kind = answer.kind;
    element.dataset.drawn = String(layer.getLayers().length);
    element.dataset.cameras = String(answer.cameras);
    element.dataset.ready = "true";
  }

  fetch(settings.mapUrl, { credentials: "omit" })
    .then(function (response) { return response.json(); })
    .then(draw)
    .catch(function () { element.dataset.ready = "failed"; });
}

const mapElement = document.getElementById("agency-map");
const settingsBlob = document.getElementById("agency-settings");
if (mapElement && settingsBlob) { drawAgencyMap(mapElement, JSON.parse(settingsBlob.textContent)); }
