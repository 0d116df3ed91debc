/* A draggable Leaflet pin that the keyboard moves too: focused (Tab), the arrow keys move it a few pixels a
   press, ten times more with Shift, and the map follows it. Used by the report form and the review page.
   sightlinePinKeys(map, marker, onMove) calls onMove(latlng) after each move. */
(function () {
  "use strict";
  var STEPS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

  window.sightlinePinKeys = function (map, marker, onMove) {
    function onKey(event) {
      var step = STEPS[event.key];
      if (!step) { return; }
      event.preventDefault();
      event.stopPropagation(); // the map would pan instead
      var pixels = event.shiftKey ? 40 : 4;
      var point = map.latLngToContainerPoint(marker.getLatLng()).add([step[0] * pixels, step[1] * pixels]);
      var moved = map.containerPointToLatLng(point);
      marker.setLatLng(moved);
      map.panInside(moved, { padding: [20, 20] });
      onMove(moved);
    }
    // A pin added before the map has a view gets its element only once the map has one.
    if (marker.getElement()) { marker.getElement().addEventListener("keydown", onKey); }
    else { marker.once("add", function () { marker.getElement().addEventListener("keydown", onKey); }); }
  };
})();
