// How cameras look (webapp/static/js/camera-layer.js): the density palette's steps and each vendor's style.
import assert from "node:assert/strict";
import { test } from "node:test";

import { colourFor, shapeSvg, styleOf } from "../../webapp/static/js/camera-layer.js";

const SCALE = [{ min: 1, colour: "#a" }, { min: 3, colour: "#b" }, { min: 10, colour: "#c" }];

test("a cell takes the colour of the highest step it reaches", () => {
  assert.equal(colourFor(0, SCALE), "#a");  // below the first step: the lightest colour
  assert.equal(colourFor(1, SCALE), "#a");
  assert.equal(colourFor(2, SCALE), "#a");
  assert.equal(colourFor(3, SCALE), "#b");
  assert.equal(colourFor(9, SCALE), "#b");
  assert.equal(colourFor(10, SCALE), "#c");
  assert.equal(colourFor(1e6, SCALE), "#c");
});

test("a vendor the settings do not list looks like 'other'", () => {
  const style = styleOf({
    vendors: [{ slug: "flock-safety", colour: "#0072b2", shape: "circle" }],
    otherColour: "#555555",
    otherShape: "ring",
  });
  assert.equal(style("flock-safety").colour, "#0072b2");
  assert.deepEqual(style("acme"), { colour: "#555555", shape: "ring" });
});

test("a marker is filled in its colour; the ring of 'other' is hollow, outlined in its colour", () => {
  const square = shapeSvg("square", "#0072b2");
  assert.match(square, /fill="#0072b2" stroke="#ffffff"/);
  assert.match(square, /d="M2\.5 2\.5h11v11h-11z"/);
  assert.match(shapeSvg("ring", "#555555"), /fill="#ffffff" stroke="#555555" stroke-width="3"/);
  // An unknown shape is drawn as a circle rather than nothing.
  assert.equal(shapeSvg("hexagon", "#111111"), shapeSvg("circle", "#111111"));
});
