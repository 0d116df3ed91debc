/* A draggable Leaflet pin that the keyboard moves too: focused (Tab), the arrow keys move it a few pixels a
   press, ten times more with Shift, and the map follows it. Used by the report form and the review page:
   addPinKeys(map, marker, onMove) calls onMove(latlng) after each move. */
const STEPS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

/* The point `pixels` screen pixels from `point` in the direction of an arrow key, or null for another key. */
export function steppedPoint(point, key, pixels) {
  const step = STEPS[key];
  return step ? { x: point.x + step[0] * pixels, y: point.y + step[1] * pixels } : null;
}

export function addPinKeys(map, marker, onMove) {
  function onKey(event) {
    const target = steppedPoint(map.latLngToContainerPoint(marker.getLatLng()), event.key, event.shiftKey ? 40 : 4);
    if (!target) { return; }
    event.preventDefault();
    event.stopPropagation(); // the map would pan instead
    const moved = map.containerPointToLatLng([target.x, target.y]);
    marker.setLatLng(moved);
    map.panInside(moved, { padding: [20, 20] });
    onMove(moved);
  }
  // A pin added before the map has a view gets its element only once the map has one.
  if (marker.getElement()) { marker.getElement().addEventListener("keydown", onKey); }
  else { marker.once("add", function () { marker.getElement().addEventListener("keydown", onKey); }); }
}
