/* How verified cameras look on every map that shows them (the density map, a camera page): the vector tiles
   of /tiles drawn as density cells at low zoom and, above settings.densityMaxZoom, as each camera with its
   direction cones, in its vendor's colour and shape (colour is never the only carrier of meaning). Also the
   legend's swatches and the vendors of the cameras currently drawn in view. Settings come from the server
   (webapp/frontend/camera_style.py). shapeSvg, colourFor and styleOf are pure
   (tests/js/camera-layer.test.mjs). */
var SVG_NS = "http://www.w3.org/2000/svg";

// Each shape as an SVG path in a 16 x 16 box; "ring" (unknown vendor) is a hollow circle.
var SHAPE_PATHS = {
  circle: "M8 2a6 6 0 1 0 0.01 0z",
  ring: "M8 3a5 5 0 1 0 0.01 0z",
  square: "M2.5 2.5h11v11h-11z",
  triangle: "M8 1.5l7 12.5h-14z",
  diamond: "M8 1l7 7-7 7-7-7z",
  star: "M8 1l2.1 4.6 5 .6-3.7 3.4 1 5-4.4-2.5-4.4 2.5 1-5-3.7-3.4 5-.6z"
};

export function shapeSvg(shape, colour) {
  var hollow = shape === "ring";
  return '<svg xmlns="' + SVG_NS + '" width="16" height="16" viewBox="0 0 16 16"><path d="' +
    (SHAPE_PATHS[shape] || SHAPE_PATHS.circle) + '" fill="' + (hollow ? "#ffffff" : colour) +
    '" stroke="' + (hollow ? colour : "#ffffff") + '" stroke-width="' + (hollow ? 3 : 1.5) + '"/></svg>';
}

/* The colour of a density cell of `count` cameras: that of the highest step of the scale it reaches. */
export function colourFor(count, scale) {
  var colour = scale[0].colour;
  for (var i = 0; i < scale.length; i++) {
    if (count >= scale[i].min) { colour = scale[i].colour; }
  }
  return colour;
}

/* A function from a vendor slug to its {colour, shape}; a vendor the settings do not list looks like "other". */
export function styleOf(settings) {
  var styles = {};
  settings.vendors.forEach(function (vendor) { styles[vendor.slug] = vendor; });
  var other = { colour: settings.otherColour, shape: settings.otherShape };
  return function (slug) { return styles[slug] || other; };
}

// One Leaflet icon per vendor style, made once (VectorGrid draws it as an <image> of a data: URL).
function iconMaker() {
  var icons = {};
  return function (style) {
    var key = style.shape + style.colour;
    if (!icons[key]) {
      icons[key] = L.icon({
        iconUrl: "data:image/svg+xml," + encodeURIComponent(shapeSvg(style.shape, style.colour)),
        iconSize: [14, 14]
      });
    }
    return icons[key];
  };
}

export function cameraLayer(settings, options) {
  var vendorStyle = styleOf(settings);
  var iconFor = iconMaker();
  var scale = settings.densityScale;
  // Not `interactive`: VectorGrid 1.3's point features break Leaflet 1.9's event handling (they have no
  // latlng). Maps resolve clicks themselves. getFeatureId keeps each tile's features, so the legend can
  // list the vendors drawn in view (a camera's point and its cones share an id: the geometry type tells).
  return L.vectorGrid.protobuf(settings.tileUrl, L.extend({
    interactive: false,
    // The basemap (folium_page.self_hosted_map) stops at 19: so does the map.
    maxNativeZoom: 19,
    maxZoom: 19,
    getFeatureId: function (feature) { return feature.properties.id + "/" + feature.type; },
    vectorTileLayerStyles: {
      density: function (properties) {
        return {
          radius: 4.5, fill: true, fillColor: colourFor(properties.count, scale), fillOpacity: 0.8,
          stroke: false, weight: 0
        };
      },
      directions: function (properties) {
        var colour = vendorStyle(properties.vendor).colour;
        return { fill: true, fillColor: colour, fillOpacity: 0.25, color: colour, weight: 1, opacity: 0.6 };
      },
      cameras: function (properties) {
        return { icon: iconFor(vendorStyle(properties.vendor)) };
      }
    }
  }, options || {}));
}

// The vendor slugs of the cameras the layer has drawn inside the map's view (from the tiles it holds).
export function vendorsInView(layer, map) {
  var bounds = map.getBounds(), zoom = Math.round(map.getZoom()), size = layer.getTileSize();
  var found = {};
  var tiles = layer._vectorTiles || {};
  Object.keys(tiles).forEach(function (key) {
    var parts = key.split(":").map(Number);
    if (parts[2] !== zoom) { return; }
    var features = tiles[key]._features || {};
    Object.keys(features).forEach(function (id) {
      var entry = features[id];
      if (entry.layerName !== "cameras" || !entry.feature._point) { return; }
      var point = entry.feature._point;
      var position = map.unproject([parts[0] * size.x + point.x, parts[1] * size.y + point.y], zoom);
      if (bounds.contains(position)) { found[entry.feature.properties.vendor] = true; }
    });
  });
  return Object.keys(found);
}

// A legend swatch: the vendor's marker, or a density step's square.
export function swatch(style) {
  var span = document.createElement("span");
  span.className = "sightline-swatch-shape";
  span.setAttribute("aria-hidden", "true");
  span.innerHTML = shapeSvg(style.shape, style.colour);
  return span;
}
