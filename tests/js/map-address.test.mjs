// The map's address (webapp/static/js/map-address.js): #zoom/lat/lon/layer read and written.
import assert from "node:assert/strict";
import { test } from "node:test";

import { format, isSmallShift, read } from "../../webapp/static/js/map-address.js";

test("a fragment names a view: zoom, latitude, longitude and layer", () => {
  assert.deepEqual(read("#12/41.87810/-87.62980/counties"), { zoom: 12, lat: 41.8781, lon: -87.6298, layer: "counties" });
  assert.deepEqual(read("7/40/-100/states"), { zoom: 7, lat: 40, lon: -100, layer: "states" });
});

test("a fragment without a known layer shows the density layer", () => {
  assert.equal(read("#5/40/-100").layer, "density");
  assert.equal(read("#5/40/-100/pizza").layer, "density");
});

test("a damaged or impossible fragment names no view", () => {
  for (const hash of ["", "#", "#abc/91/x", "#5/40", "#x/40/-100", "#5/91/0", "#5/0/181", "#5/-90.5/0", null, undefined]) {
    assert.equal(read(hash), null, String(hash));
  }
});

test("a view is written with five decimals, and read back as written", () => {
  const hash = format({ zoom: 10, lat: 40.712812345, lon: -74.006, layer: "density" });
  assert.equal(hash, "#10/40.71281/-74.00600/density");
  assert.equal(format(read(hash)), hash);
});

test("a small shift of the same zoom and layer only corrects the current step", () => {
  const size = { x: 800, y: 600 };
  const from = { zoom: 8, lat: 41, lon: -87, layer: "density" };
  const centre = { x: 400, y: 300 };
  assert.equal(isSmallShift(from, { ...from }, centre, { x: 560, y: 300 }, size), true);  // 20% of the width
  assert.equal(isSmallShift(from, { ...from }, centre, { x: 600, y: 300 }, size), false);  // 25%: a new step
  assert.equal(isSmallShift(from, { ...from }, centre, { x: 400, y: 460 }, size), false);  // over 25% of the height
  assert.equal(isSmallShift(from, { ...from, zoom: 9 }, centre, centre, size), false);
  assert.equal(isSmallShift(from, { ...from, layer: "states" }, centre, centre, size), false);
});
