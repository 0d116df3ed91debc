// The map's other pure helpers: the embed link's query (map-share.js), a pin moved by the keyboard
// (pin-keys.js), and months as the page's locale writes them (locale.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { monthLabel } from "../../webapp/static/js/locale.js";
import { embedQuery } from "../../webapp/static/js/map-share.js";
import { steppedPoint } from "../../webapp/static/js/pin-keys.js";

test("the embed snippet names the view's zoom, centre (five decimals) and layer", () => {
  assert.equal(
    embedQuery({ zoom: 11, lat: 41.878113, lon: -87.629799, layer: "counties" }),
    "z=11&lat=41.87811&lon=-87.62980&layer=counties",
  );
});

test("an arrow key moves the pin that many pixels its way; another key does not move it", () => {
  const point = { x: 100, y: 50 };
  assert.deepEqual(steppedPoint(point, "ArrowUp", 4), { x: 100, y: 46 });
  assert.deepEqual(steppedPoint(point, "ArrowDown", 40), { x: 100, y: 90 });
  assert.deepEqual(steppedPoint(point, "ArrowLeft", 4), { x: 96, y: 50 });
  assert.deepEqual(steppedPoint(point, "ArrowRight", 4), { x: 104, y: 50 });
  assert.equal(steppedPoint(point, "Enter", 4), null);
});

test("a month reads in the page's language", () => {
  assert.equal(monthLabel("2024-03", "en-US"), "Mar 2024");
  assert.equal(monthLabel("2023-12", "en-US"), "Dec 2023");
  assert.match(monthLabel("2024-03", "es"), /mar.* 2024/);
});
