// The result panel on the screening form as the template writes it: the report drawn in the
// panel and the print region, and the judgement's errors and confirmation box taken from
// the engine's answer (result.judgement), never worked out on the page.

import assert from "node:assert/strict";
import { test } from "node:test";
import { renderPanel } from "../../docs/assets/javascripts/screening-panel.js";
import { result, screeningForm, tick, type } from "./helpers.js";

/** @typedef {import("../../docs/assets/javascripts/screening-panel.js").ScreeningView} ScreeningView */

/**
 * A view of the fixture form of a protocol, showing `name`'s result. The panel's module
 * draws with the page's globals: here they are the form's own document.
 * @param {string} protocol
 * @param {string | null} name the result fixture, or null for no result yet
 * @returns {ScreeningView}
 */
function viewOf(protocol, name) {
  const form = screeningForm(protocol);
  const doc = /** @type {Document} */ (form.ownerDocument);
  Object.assign(globalThis, { document: doc, window: doc.defaultView });
  const root = /** @type {HTMLElement} */ (form.closest("[data-screening]"));
  const print = doc.createElement("section");
  doc.body.append(print);
  const found = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
  return {
    root,
    id: protocol,
    blank: "",
    form,
    status: found("[data-screening-status]"),
    output: found("[data-screening-output]"),
    protocolUrl: "protocols/x.json",
    bar: found("[data-screening-bar]"),
    alert: found("[data-screening-alert]"),
    undo: found("[data-screening-undo]"),
    print,
    latest: 0,
    sent: "",
    pending: Promise.resolve(),
    lastResult: name ? result(name) : null,
    wasUrgent: false,
    errorsShown: new Set(),
  };
}

/** @param {Element | null} node */
const hidden = (node) => Boolean(node && node.hasAttribute("hidden"));

test("the panel holds the report's sections, then the buttons that keep it", () => {
  const view = viewOf("pan-lancashire", "pan-lancashire-below");
  const data = /** @type {NonNullable<ScreeningView["lastResult"]>} */ (view.lastResult);
  renderPanel(view);
  const sections = [...view.output.querySelectorAll("[data-screening-report] > section")];
  assert.deepEqual(
    sections.map((section) => section.getAttribute("data-section")),
    data.report.map((section) => section.id),
  );
  assert.deepEqual(
    [...view.output.querySelectorAll("button.screening-keep")].map((b) => b.textContent),
    ["Print summary", "Download summary"],
  );
  assert.deepEqual(
    [...view.print.querySelectorAll("h2")].map((h) => h.textContent),
    data.report.map((section) => section.heading),
  );
  // Drawn again, the buttons are the same elements: a click is never lost to a redraw.
  const button = view.output.querySelector("button.screening-keep");
  renderPanel(view);
  assert.equal(view.output.querySelector("button.screening-keep"), button);
  assert.equal(view.output.querySelectorAll("[data-screening-report]").length, 1);
});

test("a judgement below a firm rule: the confirmation box says the engine's why", () => {
  const view = viewOf("pan-lancashire", "pan-lancashire-below");
  const judgement = /** @type {NonNullable<ScreeningView["lastResult"]>} */ (view.lastResult).judgement;
  assert.ok(judgement.below && judgement.confirm_why);
  renderPanel(view, true);
  const box = view.form.querySelector("[data-screening-confirm]");
  assert.ok(!hidden(box));
  assert.equal(view.form.querySelector("[data-screening-confirm-why]")?.textContent, judgement.confirm_why);
  assert.equal(judgement.needs.length, 0);
  assert.equal(view.output.querySelector(".screening-error-summary"), null);
});

test("an unfinished judgement: its errors show only on an attempt, in the engine's words", () => {
  const view = viewOf("pan-lancashire", "pan-lancashire-incomplete");
  const judgement = /** @type {NonNullable<ScreeningView["lastResult"]>} */ (view.lastResult).judgement;
  assert.equal(judgement.status, "incomplete");
  assert.deepEqual(
    judgement.needs.map((need) => need.field),
    ["reason"],
  );
  const error = view.form.querySelector("#judgement-reason-error");
  assert.deepEqual(renderPanel(view), []);
  assert.ok(hidden(error), "not while the reader is still choosing");
  const shown = renderPanel(view, true);
  assert.deepEqual(shown, [{ field: "judgement-reason", text: judgement.needs[0].says }]);
  assert.ok(!hidden(error));
  assert.ok(error?.textContent?.includes(judgement.needs[0].says));
  assert.equal(view.form.querySelector("#judgement-reason")?.getAttribute("aria-invalid"), "true");
  const summary = view.output.querySelector(".screening-error-summary");
  assert.ok(summary && view.output.firstElementChild === summary, "the error summary comes first");
  assert.deepEqual(
    [...summary.querySelectorAll("a")].map((a) => [a.getAttribute("href"), a.textContent]),
    [["#judgement-reason", judgement.needs[0].says]],
  );
  assert.ok(hidden(view.form.querySelector("[data-screening-confirm]")), "not below a firm rule");
});

test("without a result, the buttons are there and the record holds the answers in words", () => {
  const view = viewOf("pan-lancashire", null);
  const form = view.form;
  tick(form, "item-phones");
  type(form, "item-phones-seen", "Two phones, Monday 9:00");
  tick(form, "judgement-level-1");
  type(form, "judgement-reason", "Police attended.");
  type(form, "strengths", "Close to her grandmother.");
  type(form, "record-child", "REF-0042");
  assert.deepEqual(renderPanel(view, true), []);
  assert.ok(!hidden(view.output));
  assert.deepEqual(
    [...view.output.querySelectorAll("button.screening-keep")].map((b) => b.textContent),
    ["Print summary", "Download summary"],
  );
  const printed = view.print.textContent ?? "";
  const label = (/** @type {string} */ id) => form.querySelector(`label[for="${id}"]`)?.textContent?.trim() ?? "";
  for (const words of [
    "Not worked out on this device",
    label("item-phones"),
    "What was seen and when: Two phones, Monday 9:00",
    label("judgement-level-1"),
    "Reason: Police attended.",
    "Close to her grandmother.",
    "REF-0042",
  ]) {
    assert.ok(words && printed.includes(words), `the record holds ${words}`);
  }
  assert.ok(!printed.includes(label("item-truanting")), "an answer not ticked is not listed");
});
