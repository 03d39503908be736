// The history of a child's screenings as a timeline of levels: a small chart (inline SVG,
// hidden from screen readers) beside a table that says the same in words, for screen
// readers and print. Drawn from the engine's `result.history` as it is. Pure: returns a tree.

import { h } from "./dom.js";

/** @typedef {import("./dom.js").Tree} Tree */
/** @typedef {NonNullable<import("../../../schemas/contract").ScreeningResult["history"]>} History */

const WIDTH = 320;
const HEIGHT = 120;
const PAD = 16;

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
  const step = history.length > 1 ? (WIDTH - 2 * PAD) / (history.length - 1) : 0;
  const points = history.map((entry, index) => {
    const rank = entry.level.rank ?? 0;
    const x = history.length > 1 ? PAD + index * step : WIDTH / 2;
    const y = HEIGHT - PAD - (Math.min(rank, top) * (HEIGHT - 2 * PAD)) / top;
    return [Math.round(x), Math.round(y)];
  });
  const guides = Array.from({ length: top + 1 }, (_, rank) => {
    const y = String(Math.round(HEIGHT - PAD - (rank * (HEIGHT - 2 * PAD)) / top));
    return h("line", { x1: String(PAD), x2: String(WIDTH - PAD), y1: y, y2: y, class: "screening-timeline__guide" });
  });
  return h(
    "svg",
    {
      class: "screening-timeline__chart",
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      "aria-hidden": "true",
      focusable: "false",
    },
    ...guides,
    h("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "screening-timeline__line" }),
    ...points.map(([x, y]) =>
      h("circle", { cx: String(x), cy: String(y), r: "5", class: "screening-timeline__point" }),
    ),
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
      h("td", {}, entry.level.label),
      h("td", {}, entry.judgement_label ?? "Agreed with the level from the answers"),
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
