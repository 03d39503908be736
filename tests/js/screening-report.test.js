// Rendering real engine results (tests/js/fixtures/results/) into the result panel, the
// printed record and the downloaded text: each shows the report's sections as they are, in
// their order, and nothing else.

import assert from "node:assert/strict";
import { test } from "node:test";
import { toNode } from "../../docs/assets/javascripts/dom.js";
import {
  fallbackSummary,
  printTree,
  reportTree,
  summaryOf,
  summaryText,
  VALIDITY,
} from "../../docs/assets/javascripts/screening-report.js";
import { blankDocument, result, resultFixtures } from "./helpers.js";

/** @typedef {import("../../docs/assets/javascripts/dom.js").Tree} Tree */
/** @typedef {import("../../schemas/contract").ScreeningResult} ScreeningResult */

const scored = resultFixtures().filter((fixture) => fixture.reply.ok);

/**
 * The text of a tree's own text children (not its elements').
 * @param {Tree} tree
 */
const ownText = (tree) => tree.children.filter((child) => typeof child === "string").join("");

/**
 * The child elements of a tree with a tag.
 * @param {Tree} tree
 * @param {string} tag
 * @returns {Tree[]}
 */
const childrenOf = (tree, tag) =>
  /** @type {Tree[]} */ (tree.children.filter((child) => typeof child !== "string" && child.tag === tag));

/**
 * A section's lines read back from its list: [text, items].
 * @param {Tree} list
 */
function linesOf(list) {
  return childrenOf(list, "li").map((item) => ({
    text: ownText(item),
    items: childrenOf(item, "ul").flatMap((sub) => childrenOf(sub, "li").map(ownText)),
  }));
}

test("the fixtures are real results of every kind the renderers meet", () => {
  assert.equal(scored.length, resultFixtures().length, "the engine scored every fixture request");
  /** @type {Set<string>} */
  const ids = new Set(
    scored.flatMap((fixture) => (fixture.reply.ok ? fixture.reply.result.report : []).map((s) => s.id)),
  );
  for (const id of [
    "act-now",
    "level",
    "judgement",
    "why",
    "present",
    "options",
    "strengths",
    "next-steps",
    "record",
  ]) {
    assert.ok(ids.has(id), `a fixture has the section ${id}`);
  }
});

for (const fixture of scored) {
  const data = result(fixture.name);

  test(`${fixture.name}: the panel shows every section of the report, as it is, in order`, () => {
    const tree = reportTree(data);
    const sections = childrenOf(tree, "section");
    assert.deepEqual(
      sections.map((section) => section.attrs["data-section"]),
      data.report.map((section) => section.id),
    );
    sections.forEach((section, index) => {
      const expected = data.report[index];
      assert.equal(ownText(childrenOf(section, "h3")[0]), expected.heading);
      assert.deepEqual(linesOf(childrenOf(section, "ul")[0]), expected.lines);
    });
    // Styled by id only: the level by its place in the scale, "Act now" as urgent.
    const level = sections.find((section) => section.attrs["data-section"] === "level");
    assert.ok(level);
    assert.equal(level.attrs["data-screening-level"], data.level.id);
    assert.ok(level.attrs.class.split(" ").includes(`screening-level--${data.level.place}`));
    assert.equal(sections.filter((s) => s.attrs.class.includes("screening-level")).length, 1);
    const urgent = sections.filter((s) => s.attrs.class.split(" ").includes("screening-urgent"));
    assert.deepEqual(
      urgent.map((s) => s.attrs["data-section"]),
      data.urgent_notes.length ? ["act-now"] : [],
    );
  });

  test(`${fixture.name}: the printed record and the downloaded text hold the same sections`, () => {
    const summary = summaryOf(data, "7 December 2026 at 17:40");
    const printed = printTree(summary);
    assert.equal(ownText(printed[0]), `${data.title}: summary`);
    const sections = printed.filter((tree) => tree.tag === "section");
    assert.deepEqual(
      sections.map((section) => ownText(childrenOf(section, "h2")[0])),
      data.report.map((section) => section.heading),
    );
    sections.forEach((section, index) => {
      assert.deepEqual(linesOf(childrenOf(section, "ul")[0]), data.report[index].lines);
    });

    const text = summaryText(summary);
    const lines = text.split("\r\n");
    assert.deepEqual(lines.slice(0, 6), [
      `${data.title}: summary`,
      "=".repeat(`${data.title}: summary`.length),
      "",
      `Protocol: ${data.title}, version ${data.version}`,
      "Completed: 7 December 2026 at 17:40",
      VALIDITY,
    ]);
    /** @type {string[]} */
    const wanted = [];
    for (const section of data.report) {
      wanted.push(section.heading, "-".repeat(section.heading.length));
      for (const line of section.lines) wanted.push(`- ${line.text}`, ...line.items.map((item) => `  - ${item}`));
      wanted.push("");
    }
    assert.deepEqual(lines.slice(7), wanted);
    assert.ok(!text.includes("\n\n") && !/[^\r]\n/.test(text), "Windows line ends only");
  });

  test(`${fixture.name}: the panel's markup nests lists only in list items`, () => {
    const doc = blankDocument();
    const node = /** @type {HTMLElement} */ (toNode(reportTree(data), /** @type {Document} */ (doc)));
    doc.body.append(node);
    for (const list of node.querySelectorAll("ul")) {
      const parent = /** @type {HTMLElement} */ (list.parentElement);
      assert.ok(["SECTION", "LI"].includes(parent.tagName), `a list inside ${parent.tagName}`);
      for (const child of list.children) assert.equal(child.tagName, "LI");
    }
    assert.equal(node.querySelectorAll("span").length, 0);
    assert.equal(node.querySelectorAll("section > h3").length, data.report.length);
  });
}

test("a urgent result puts 'Act now' first; a lifted band is a line of the level", () => {
  const urgent = result("pan-lancashire-below");
  assert.equal(urgent.report[0].id, "act-now");
  assert.equal(childrenOf(reportTree(urgent), "section")[0].attrs["data-section"], "act-now");
  const lifted = result("seraf-lifted");
  assert.ok(lifted.band_reason?.lifted);
  const level = childrenOf(reportTree(lifted), "section").find((s) => s.attrs["data-section"] === "level");
  assert.ok(level);
  assert.ok(linesOf(childrenOf(level, "ul")[0]).some((line) => line.text === lifted.band_reason?.says));
});

test("before the engine starts, the record says the level was not worked out and holds the answers", () => {
  const given = {
    present: [
      { text: "First answer", items: ["What was seen: at the bus station, Monday"] },
      { text: "Second answer", items: [] },
    ],
    options: ["The child's age: 13 to 15"],
    strengths: "Close to her grandmother.",
    judgement: ["Level chosen: Level 2", "Reason: Police attended."],
    record: ["Child's reference: REF-0042", "Practitioner: not given", "Agency: not given"],
  };
  const text = summaryText(fallbackSummary("A screening", given, "now"));
  assert.match(text, /^A screening: summary\r\n/);
  assert.match(text, /Not worked out on this device/);
  assert.match(text, /\r\n- First answer\r\n {2}- What was seen: at the bus station, Monday\r\n- Second answer\r\n/);
  for (const line of [...given.options, given.strengths, ...given.judgement, ...given.record]) {
    assert.ok(text.includes(`\r\n- ${line}\r\n`), line);
  }
  const none = summaryText(
    fallbackSummary("A screening", { ...given, present: [], options: [], strengths: "" }, "now"),
  );
  assert.match(none, /Answers present\r\n-+\r\n- None\r\n/);
  assert.match(none, /- None recorded\r\n/);
  assert.doesNotMatch(none, /questions with options/);
});
