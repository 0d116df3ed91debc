/* The /coverage pages: the choropleth map (position in the address: #zoom/lat/lon; kind, metric and the
   table's order in the query string), sortable tables and the timeline chart (Chart.js, served by the app). */
import { addChoropleth } from "./choropleth.js";
import { monthLabel, pageLocale } from "./locale.js";
import { read as readView } from "./map-address.js";

function writeAddress(map, settings) {
  var centre = map.getCenter();
  var query = new URLSearchParams(window.location.search);
  query.set("kind", settings.kind);
  query.set("metric", settings.metric);
  var hash = "#" + map.getZoom() + "/" + centre.lat.toFixed(4) + "/" + centre.lng.toFixed(4);
  window.history.replaceState(null, "", window.location.pathname + "?" + query.toString() + hash);
}

function setUpMap(settings) {
  var element = document.getElementById("coverage-map");
  if (!element) { return; }
  var map = L.map(element, { minZoom: 2, maxZoom: 12, scrollWheelZoom: false });
  if (settings.basemapUrl) {
    L.tileLayer(settings.basemapUrl, { attribution: settings.basemapAttribution, maxZoom: 19 }).addTo(map);
  }
  var view = readView(window.location.hash);  // the position only: the kind is in the query string
  if (view) {
    map.setView([view.lat, view.lon], view.zoom);
  } else if (settings.focus && settings.focus.bbox) {
    var box = settings.focus.bbox;
    map.fitBounds([[box[1], box[0]], [box[3], box[2]]]);
  } else {
    map.setView([39.5, -98.35], 3);
  }
  var current = null;
  function draw() {
    if (current) { map.removeLayer(current.layer); map.removeControl(current.legend); current = null; }
    addChoropleth(map, {
      tileUrl: settings.tileUrl, legendUrl: settings.legendUrl, kind: settings.kind, metric: settings.metric,
      metricTitle: settings.metrics[settings.metric], noFigureLabel: settings.text.noFigure, focus: settings.focus,
      onArea: function (properties) { window.location.assign(settings.areaUrl.replace("GEOID", properties.geoid)); }
    }).then(function (added) { current = added; element.dataset.ready = "true"; });
    writeAddress(map, settings);
  }
  document.querySelectorAll("[data-control]").forEach(function (select) {
    select.addEventListener("change", function () {
      settings[select.getAttribute("data-control")] = select.value;
      draw();
    });
  });
  map.on("moveend", function () { writeAddress(map, settings); });
  draw();
}

// The table's order is in the query string too (?sort=cameras&order=desc), so a cited link shows it.
function sortable(table) {
  var buttons = table.querySelectorAll("thead th button");
  function sortBy(button, column, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    buttons.forEach(function (other) { delete other.dataset.order; other.parentNode.removeAttribute("aria-sort"); });
    button.dataset.order = descending ? "desc" : "asc";
    button.parentNode.setAttribute("aria-sort", descending ? "descending" : "ascending");
    rows.sort(function (a, b) {
      var x = a.cells[column].getAttribute("data-sort"), y = b.cells[column].getAttribute("data-sort");
      var nx = parseFloat(x), ny = parseFloat(y);
      var order = (isFinite(nx) && isFinite(ny)) ? nx - ny : String(x).localeCompare(String(y));
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  var query = new URLSearchParams(window.location.search);
  buttons.forEach(function (button, column) {
    button.addEventListener("click", function () {
      var descending = button.dataset.order !== "desc";
      sortBy(button, column, descending);
      var address = new URLSearchParams(window.location.search);
      address.set("sort", button.dataset.sortName);
      address.set("order", descending ? "desc" : "asc");
      window.history.replaceState(null, "", window.location.pathname + "?" + address.toString() + window.location.hash);
    });
    if (button.dataset.sortName && button.dataset.sortName === query.get("sort")) {
      sortBy(button, column, query.get("order") !== "asc");
    }
  });
}

function timelineChart(settings, area) {
  var canvas = document.getElementById("timeline-chart");
  if (!canvas || !window.Chart) { return; }
  fetch(settings.timelineUrl + "?area=" + encodeURIComponent(area), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (timeline) {
      var locale = pageLocale();
      var months = timeline.months.map(function (row) { return monthLabel(row.month, locale); });
      var note = document.querySelector("[data-role=timeline-note]");
      if (note) {
        note.textContent = settings.text.timelineNote
          .replace("{unknown}", timeline.date_unknown.toLocaleString(pageLocale()))
          .replace("{now}", timeline.on_map_now.toLocaleString(pageLocale()));
      }
      new window.Chart(canvas, {
        data: {
          labels: months,
          datasets: [
            { type: "line", label: settings.text.onMap, data: timeline.months.map(function (r) { return r.cumulative; }),
              borderColor: "#a63603", backgroundColor: "#a63603", yAxisID: "total", pointRadius: 0, tension: 0.1 },
            { type: "bar", label: settings.text.verified, data: timeline.months.map(function (r) { return r.verified + r.osm_started; }),
              backgroundColor: "#3182bd", yAxisID: "monthly" },
            { type: "bar", label: settings.text.removed, data: timeline.months.map(function (r) { return -r.removed; }),
              backgroundColor: "#636363", yAxisID: "monthly" }
          ]
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          interaction: { mode: "index", intersect: false },
          plugins: { legend: { labels: { boxWidth: 12, font: { size: 12 } } } },
          scales: {
            x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6, font: { size: 11 } } },
            total: { position: "left", beginAtZero: true, ticks: { font: { size: 11 } } },
            monthly: { position: "right", grid: { drawOnChartArea: false }, ticks: { font: { size: 11 } } }
          }
        }
      });
      canvas.dataset.ready = "true";
    });
}

const blob = document.getElementById("coverage-settings");
if (blob) {
  const page = JSON.parse(blob.textContent);
  setUpMap(page.settings);
  document.querySelectorAll("table.sortable").forEach(sortable);
  timelineChart(page.settings, page.timelineArea);
}
