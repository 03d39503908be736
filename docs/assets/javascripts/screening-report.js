// The screening's result in words, for every medium the page has: the result panel, the
// printed record and the downloaded text. Each is drawn from the engine's `report` as it
// is, section by section: its heading, then its lines, each with its items as a nested
// list. A section is styled by its `id` only; no words are added to it, none are changed
// and none are looked up. Pure functions: nothing here touches the page.

import { h } from "./dom.js";

/** @typedef {import("./dom.js").Tree} Tree */
/** @typedef {import("../../../schemas/contract").ScreeningResult} ScreeningResult */
/** @typedef {ScreeningResult["report"][number]} Section */
/** @typedef {Section["lines"][number]} Line */

/**
 * What the printed record and the downloaded text hold: the view's own frame (title, when
 * it was completed, the out-of-date warning) around the report's sections (or, before the
 * engine started, the page's own two; see fallbackSummary).
 * @typedef {{ title: string, meta: string[], sections: Array<Section | FallbackSection> }} Summary
 * @typedef {{ id: string, heading: string, lines: Line[] }} FallbackSection
 */

/**
 * The form's answers in its own words, for a record the engine has not worked out.
 * @typedef {object} GivenAnswers
 * @property {Line[]} present each answer ticked, with what was seen as its item
 * @property {string[]} options each question with options: "question: option"
 * @property {string} strengths
 * @property {string[]} judgement the level chosen, the reason, the confirmation
 * @property {string[]} record "Child's reference: …" and the rest
 */

export const VALIDITY =
  "Printed or saved copies may be out of date: check the procedures online before relying on them.";

/**
 * A list of a section's lines, each line's items in a list of their own inside it.
 * @param {Line[]} lines
 * @returns {Tree}
 */
function linesTree(lines) {
  return h(
    "ul",
    { class: "screening-lines" },
    ...lines.map((line) =>
      line.items.length
        ? h("li", {}, line.text, h("ul", {}, ...line.items.map((item) => h("li", {}, item))))
        : h("li", {}, line.text),
    ),
  );
}

/**
 * The attributes that style a section by its id: the level by its place in its own
 * protocol's scale (so every top level looks the same), "Act now" as urgent.
 * @param {Section} section
 * @param {ScreeningResult} result
 * @returns {Record<string, string>}
 */
function sectionAttrs(section, result) {
  const classes = ["screening-section", `screening-section--${section.id}`];
  /** @type {Record<string, string>} */
  const attrs = { "data-section": section.id };
  if (section.id === "level") {
    classes.push("screening-level", `screening-level--${result.level.place}`);
    attrs["data-screening-level"] = result.level.id;
  } else if (section.id === "act-now") {
    classes.push("screening-urgent");
  }
  return { class: classes.join(" "), ...attrs };
}

/**
 * The result panel's report: every section of the engine's report, in its order.
 * @param {ScreeningResult} result
 * @returns {Tree}
 */
export function reportTree(result) {
  return h(
    "div",
    { class: "screening-summary", "data-screening-report": "" },
    ...result.report.map((section) =>
      h("section", sectionAttrs(section, result), h("h3", {}, section.heading), linesTree(section.lines)),
    ),
  );
}

/**
 * The summary of a result, completed at `completed` (a date and time in words).
 * @param {ScreeningResult} result
 * @param {string} completed
 * @returns {Summary}
 */
export function summaryOf(result, completed) {
  return {
    title: `${result.title}: summary`,
    meta: [`Protocol: ${result.title}, version ${result.version}`, `Completed: ${completed}`, VALIDITY],
    sections: result.report,
  };
}

/**
 * The summary when the scoring engine has not worked out a result (not started yet, or
 * unable to start): the record says the level was not worked out on this device and holds
 * the answers as the form words them. This is the one place a view words answers itself.
 * @param {string} title the screening's title, from the form
 * @param {GivenAnswers} given
 * @param {string} completed
 * @returns {Summary}
 */
export function fallbackSummary(title, given, completed) {
  const lines = (/** @type {string[]} */ texts) => texts.map((text) => ({ text, items: [] }));
  /** @type {FallbackSection[]} */
  const sections = [
    {
      id: "not-scored",
      heading: "Level from the answers",
      lines: lines([
        "Not worked out on this device: the scoring did not run in this browser. " +
          "Use the page's rules (how the level is worked out) to work it out by hand.",
      ]),
    },
    { id: "present", heading: "Answers present", lines: given.present.length ? given.present : lines(["None"]) },
  ];
  if (given.options.length) {
    sections.push({ id: "options", heading: "Answers to the questions with options", lines: lines(given.options) });
  }
  sections.push(
    {
      id: "strengths",
      heading: "Strengths and protective factors",
      lines: lines([given.strengths || "None recorded"]),
    },
    { id: "judgement", heading: "Professional judgement", lines: lines(given.judgement) },
    { id: "record", heading: "For the record", lines: lines(given.record) },
  );
  return { title: `${title}: summary`, meta: [`Protocol: ${title}`, `Completed: ${completed}`, VALIDITY], sections };
}

/**
 * The printed record: the title, the frame's lines, then each section.
 * @param {Summary} summary
 * @returns {Tree[]}
 */
export function printTree(summary) {
  return [
    h("h1", {}, summary.title),
    ...summary.meta.map((line) => h("p", {}, line)),
    ...summary.sections.map((section) =>
      h("section", { "data-section": section.id }, h("h2", {}, section.heading), linesTree(section.lines)),
    ),
  ];
}

/**
 * The downloaded summary as plain text: headings underlined, lines as "- ", items indented.
 * Windows line ends, so Notepad on a locked-down laptop reads it right.
 * @param {Summary} summary
 * @returns {string}
 */
export function summaryText(summary) {
  const out = [summary.title, "=".repeat(summary.title.length), "", ...summary.meta, ""];
  for (const section of summary.sections) {
    out.push(section.heading, "-".repeat(section.heading.length));
    for (const line of section.lines) {
      out.push(`- ${line.text}`, ...line.items.map((item) => `  - ${item}`));
    }
    out.push("");
  }
  return out.join("\r\n");
}
