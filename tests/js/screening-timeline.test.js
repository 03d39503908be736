// The timeline of levels: one table row per screening in the engine's history, in its
// words, and a chart point per screening, higher for a higher level.

import assert from "node:assert/strict";
import { test } from "node:test";
import { timelineTree, whenSaved } from "../../docs/assets/javascripts/screening-timeline.js";

/** @typedef {import("../../docs/assets/javascripts/dom.js").Tree} Tree */

/**
 * Every element of a tree with the tag, in order.
 * @param {Tree | string} tree
 * @param {string} tag
 * @returns {Tree[]}
 */
function all(tree, tag) {
  if (typeof tree === "string") return [];
  return [...(tree.tag === tag ? [tree] : []), ...tree.children.flatMap((child) => all(child, tag))];
}

/** @param {Tree | string} tree @returns {string} */
function text(tree) {
  return typeof tree === "string" ? tree : tree.children.map(text).join("|");
}

const HISTORY = [
  { saved: "2026-12-07T18:00:00Z", level: { id: "level-4", label: "Level 4", rank: 3 }, judgement_label: null },
  { saved: "2027-03-07T09:30:00Z", level: { id: "level-2", label: "Level 2", rank: 1 }, judgement_label: "Level 3" },
  { saved: null, level: { id: "level-1", label: "Level 1", rank: 0 }, judgement_label: null },
];

test("one row per screening, oldest first, in words", () => {
  const tree = timelineTree(HISTORY, 4);
  const rows = all(all(tree, "tbody")[0], "tr").map(text);
  assert.deepEqual(rows, [
    "7 December 2026|Level 4|Agreed with the level from the answers",
    "7 March 2027|Level 2|Level 3",
    "Now (not saved yet)|Level 1|Agreed with the level from the answers",
  ]);
  assert.equal(whenSaved("not a time"), "not a time");
});

test("the chart is hidden from screen readers, with a point per screening, higher for a higher level", () => {
  const chart = all(timelineTree(HISTORY, 4), "svg")[0];
  assert.equal(chart.attrs["aria-hidden"], "true");
  const heights = all(chart, "circle").map((point) => Number(point.attrs.cy));
  assert.equal(heights.length, 3);
  assert.ok(heights[0] < heights[1] && heights[1] < heights[2], `${heights}`);
});

test("the chart's axis numbers each level, lowest at the foot, apart enough to read", () => {
  for (const levels of [2, 3, 4]) {
    const chart = all(timelineTree(HISTORY, levels), "svg")[0];
    const labels = all(chart, "text");
    assert.deepEqual(labels.map(text), ["Level", ...Array.from({ length: levels }, (_, i) => String(i + 1))]);
    const heights = labels.slice(1).map((label) => Number(label.attrs.y));
    for (let i = 1; i < heights.length; i += 1) assert.ok(heights[i - 1] - heights[i] >= 16, `${heights}`);
    // Each number sits at its level's guide line, left of every point.
    const guides = all(chart, "line").map((line) => Number(line.attrs.y1));
    assert.deepEqual(
      heights.map((y) => y - 4),
      guides,
    );
    const left = Math.min(...all(chart, "circle").map((point) => Number(point.attrs.cx) - 5));
    for (const label of labels.slice(1)) assert.ok(Number(label.attrs.x) < left - 8);
    for (const label of labels) assert.equal(label.attrs.fill, "currentColor");
  }
});

test("a screening whose level was not worked out is a marked gap, and the table says so", () => {
  const history = [
    HISTORY[0],
    { saved: "2027-01-07T18:00:00Z", level: null, judgement_label: "Level 3" },
    HISTORY[1],
    HISTORY[2],
  ];
  const tree = timelineTree(history, 4);
  const rows = all(all(tree, "tbody")[0], "tr").map(text);
  assert.equal(rows[1], "7 January 2027|Not worked out on this device|Level 3");
  const alone = timelineTree([{ ...history[1], judgement_label: null }, HISTORY[2]], 4);
  assert.equal(all(alone, "tr").map(text)[1], "7 January 2027|Not worked out on this device|No level chosen");
  const chart = all(tree, "svg")[0];
  assert.equal(all(chart, "circle").length, 3);
  const unknown = all(chart, "line").filter((line) => line.attrs.class === "screening-timeline__unknown");
  assert.equal(unknown.length, 1);
  // The line does not join across the gap: one run before it (a single point, no line), one after.
  const runs = all(chart, "polyline").map((line) => line.attrs.points.split(" ").length);
  assert.deepEqual(runs, [2]);
  const [before, after] = [all(chart, "circle")[0], all(chart, "circle")[1]];
  assert.ok(
    Number(before.attrs.cx) < Number(unknown[0].attrs.x1) && Number(unknown[0].attrs.x1) < Number(after.attrs.cx),
  );
});
