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
