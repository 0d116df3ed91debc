// The choropleth's legend classes (webapp/static/js/choropleth.js): which class a figure falls in, and how a
// class's bounds read.
import assert from "node:assert/strict";
import { test } from "node:test";

import { COLOURS, classLabel, classOf, fmt } from "../../webapp/static/js/choropleth.js";

test("a figure at most breaks[i] is in class i; above every break, in the last", () => {
  const breaks = [0.5, 1, 2.5, 10];
  assert.equal(classOf(0, breaks), 0);
  assert.equal(classOf(0.5, breaks), 0);
  assert.equal(classOf(0.51, breaks), 1);
  assert.equal(classOf(10, breaks), 3);
  assert.equal(classOf(10.01, breaks), 4);
  assert.equal(classOf(3, []), 0);  // one class when every area has the same figure
});

test("there are five classes at most, one colour each", () => {
  assert.equal(COLOURS.length, 5);
  assert.equal(new Set(COLOURS).size, 5);
});

test("bounds read whole from 100 up, else with three significant digits", () => {
  assert.equal(fmt(1234.56, "en-US"), "1,235");
  assert.equal(fmt(100, "en-US"), "100");
  assert.equal(fmt(99.94, "en-US"), "99.9");
  assert.equal(fmt(0.012345, "en-US"), "0.0123");
  assert.equal(fmt(2.5, "es"), "2,5");
});

test("a class reads low–high, one figure when both are equal, and > low for the open last class", () => {
  assert.equal(classLabel([0.5, 1.25], "en-US"), "0.5–1.25");
  assert.equal(classLabel([3, 3], "en-US"), "3");
  assert.equal(classLabel([1500, null], "en-US"), "> 1,500");
});
