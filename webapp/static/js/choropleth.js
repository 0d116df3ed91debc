/* The coverage choropleth, shared by /coverage and the map page: vector tiles of state or county polygons
   (/tiles/areas/{kind}/{z}/{x}/{y}.pbf, live figures as properties) coloured in at most five classes whose
   breaks and [low, high] bounds come from /api/v1/coverage/legend (quintiles of the ranked areas, merged where
   equal: no class is empty or repeated), and a legend. Talks only to the app. */
import { pageLocale } from "./locale.js";

// The classes' colours, lightest first, and an area's with no figure (as webapp/map/view_image.py draws them).
export const COLOURS = ["#fff5eb", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"];
export const NO_DATA = "#d9d9d9";

/* The class of `value`: the first whose upper bound (breaks[i]) it does not exceed, else the last. */
export function classOf(value, breaks) {
  for (var i = 0; i < breaks.length; i++) {
    if (value <= breaks[i]) { return i; }
  }
  return breaks.length;
}

// As webapp/coverage/choropleth.py `shown` rounds the bounds: whole from 100 up, else 3 significant digits.
export function fmt(value, locale) {
  return Math.abs(value) >= 100 ? Math.round(value).toLocaleString(locale) : value.toLocaleString(locale, { maximumSignificantDigits: 3 });
}

/* A class's [low, high] as its legend row reads (high null: the open last class). */
export function classLabel(bounds, locale) {
  var low = bounds[0], high = bounds[1];
  if (high === null) { return "> " + fmt(low, locale); }
  return low === high ? fmt(low, locale) : fmt(low, locale) + "–" + fmt(high, locale);
}

function legendControl(title, classes, noFigureLabel) {
  var control = L.control({ position: "bottomright" });
  control.onAdd = function () {
    var box = document.createElement("div");
    box.className = "coverage-legend";
    box.setAttribute("data-testid", "choropleth-legend");
    var heading = document.createElement("strong");
    heading.textContent = title;
    box.appendChild(heading);
    for (var i = 0; i < classes.length; i++) {
      var row = document.createElement("div");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = COLOURS[i];
      row.appendChild(swatch);
      row.appendChild(document.createTextNode(classLabel(classes[i], pageLocale())));
      box.appendChild(row);
    }
    var none = document.createElement("div");
    var grey = document.createElement("span");
    grey.className = "swatch";
    grey.style.background = NO_DATA;
    none.appendChild(grey);
    none.appendChild(document.createTextNode(noFigureLabel));
    box.appendChild(none);
    L.DomEvent.disableClickPropagation(box);
    return box;
  };
  return control;
}

/* Adds the layer to `map`; resolves to {layer, legend} so the caller can remove both. */
export function addChoropleth(map, options) {
  return fetch(options.legendUrl + "?kind=" + encodeURIComponent(options.kind), { credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (legend) {
      var breaks = legend.breaks[options.metric] || [];
      var layer = L.vectorGrid.protobuf(options.tileUrl.replace("{kind}", options.kind), {
        interactive: true,
        maxNativeZoom: 14,
        maxZoom: 19,
        getFeatureId: function (feature) { return feature.properties.geoid; },
        vectorTileLayerStyles: {
          areas: function (properties) {
            var value = properties[options.metric];
            var ranked = options.metric === "cameras" || !properties.below_floor;
            var colour = value === undefined || value === null || !ranked ? NO_DATA : COLOURS[classOf(value, breaks)];
            var focused = options.focus && options.focus.geoid === properties.geoid;
            return {
              fill: true, fillColor: colour, fillOpacity: 0.75, color: focused ? "#000" : "#555",
              weight: focused ? 2.5 : 0.6, opacity: 0.8
            };
          }
        }
      });
      layer.on("click", function (event) {
        var properties = event.layer && event.layer.properties;
        if (properties && properties.geoid && options.onArea) { options.onArea(properties); }
      });
      layer.addTo(map);
      var control = legendControl(options.metricTitle, legend.classes[options.metric] || [], options.noFigureLabel);
      control.addTo(map);
      return { layer: layer, legend: control };
    });
}
