// The history of a child's screenings as a timeline of levels: a small chart (inline SVG,
// hidden from screen readers) with the levels' numbers on its axis, beside a table that says
// the same in words, for screen readers and print. A screening whose level was not worked
// out (saved without the engine) is a gap in the line, marked by a dashed upright, and the
// table says so. Drawn from the engine's `result.history` as it is. Pure: returns a tree.

import { h } from "./dom.js";

/** @typedef {import("./dom.js").Tree} Tree */
/** @typedef {NonNullable<import("../../../schemas/contract").ScreeningResult["history"]>} History */

const WIDTH = 320;
const HEIGHT = 132;
const PAD = 16;
const LEFT = 44; // room for the axis: "Level" above, a number at each level
const TOP = 28;
export const NOT_WORKED_OUT = "Not worked out on this device";

/**
 * A saved time in words (en-GB), or "Now (not saved yet)".
 * @param {string | null} saved
 */
export function whenSaved(saved) {
  if (!saved) return "Now (not saved yet)";
  const when = new Date(saved);
  if (Number.isNaN(when.getTime())) return saved;
  return when.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

/**
 * The chart: one point per screening, higher for a higher level, joined by a line.
 * @param {History} history
 * @param {number} levels how many levels the protocol has
 * @returns {Tree}
 */
function chart(history, levels) {
  const top = Math.max(1, levels - 1);
  const heightOf = (/** @type {number} */ rank) =>
    Math.round(HEIGHT - PAD - (Math.min(rank, top) * (HEIGHT - PAD - TOP)) / top);
  const step = history.length > 1 ? (WIDTH - LEFT - PAD) / (history.length - 1) : 0;
  const xs = history.map((_, index) => Math.round(history.length > 1 ? LEFT + index * step : (LEFT + WIDTH) / 2));
  /** @type {Tree[]} */
  const axis = [h("text", { x: "0", y: "14", class: "screening-timeline__axis", fill: "currentColor" }, "Level")];
  const guides = Array.from({ length: top + 1 }, (_, rank) => {
    const y = heightOf(rank);
    axis.push(
      h(
        "text",
        {
          x: String(LEFT - 14),
          y: String(y + 4),
          "text-anchor": "end",
          class: "screening-timeline__axis",
          fill: "currentColor",
        },
        String(rank + 1),
      ),
    );
    const at = String(y);
    return h("line", {
      x1: String(LEFT - 8),
      x2: String(WIDTH - PAD),
      y1: at,
      y2: at,
      class: "screening-timeline__guide",
    });
  });
  // The line runs between screenings with a level; one not worked out breaks it.
  /** @type {number[][][]} */
  const runs = [[]];
  /** @type {Tree[]} */
  const marks = [];
  history.forEach((entry, index) => {
    if (entry.level === null) {
      runs.push([]);
      const x = String(xs[index]);
      const upright = { x1: x, x2: x, y1: String(TOP), y2: String(HEIGHT - PAD) };
      marks.push(
        h("line", {
          ...upright,
          class: "screening-timeline__unknown",
          stroke: "currentColor",
          "stroke-dasharray": "4 4",
        }),
      );
      return;
    }
    const point = [xs[index], heightOf(entry.level.rank ?? 0)];
    runs[runs.length - 1].push(point);
    marks.push(h("circle", { cx: String(point[0]), cy: String(point[1]), r: "5", class: "screening-timeline__point" }));
  });
  const lines = runs
    .filter((run) => run.length > 1)
    .map((run) => h("polyline", { points: run.map((p) => p.join(",")).join(" "), class: "screening-timeline__line" }));
  return h(
    "svg",
    {
      class: "screening-timeline__chart",
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      "aria-hidden": "true",
      focusable: "false",
      "font-size": "14",
    },
    ...axis,
    ...guides,
    ...lines,
    ...marks,
  );
}

/**
 * The timeline: a heading, the chart and the table of every screening, oldest first.
 * @param {History} history
 * @param {number} levels
 * @returns {Tree}
 */
export function timelineTree(history, levels) {
  const rows = history.map((entry) =>
    h(
      "tr",
      {},
      h("td", {}, whenSaved(entry.saved)),
      h("td", {}, entry.level ? entry.level.label : NOT_WORKED_OUT),
      h(
        "td",
        {},
        entry.judgement_label ?? (entry.level ? "Agreed with the level from the answers" : "No level chosen"),
      ),
    ),
  );
  return h(
    "div",
    { class: "screening-timeline", "data-screening-timeline": "" },
    h("h3", { id: "screening-timeline-heading" }, "Levels over time"),
    h(
      "div",
      { class: "screening-timeline__body" },
      chart(history, levels),
      h(
        "table",
        { class: "screening-timeline__table", "aria-labelledby": "screening-timeline-heading" },
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            h("th", { scope: "col" }, "Screening"),
            h("th", { scope: "col" }, "Level from the answers"),
            h("th", { scope: "col" }, "Professional judgement"),
          ),
        ),
        h("tbody", {}, ...rows),
      ),
    ),
  );
}
