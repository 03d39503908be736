// The summary the reader keeps: from the engine's result, or from the answers as the form
// words them when there is none; the page's one print region (what both Print and the
// browser's own print print) and the downloaded text file. Nothing is stored or sent.

import { el, toNode } from "./dom.js";
import { readRequest } from "./screening-request.js";
import { fallbackSummary, printTree, summaryOf, summaryText } from "./screening-report.js";

/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */

function now() {
  return new Date().toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" });
}

/**
 * A control's words on the form: its label's text.
 * @param {HTMLFormElement} form
 * @param {Element} control
 */
function labelOf(form, control) {
  return form.querySelector(`label[for="${control.id}"]`)?.textContent?.trim() ?? "";
}

/**
 * The form's answers in its own words, for a summary without a result.
 * @param {HTMLFormElement} form
 * @returns {import("./screening-report.js").GivenAnswers}
 */
function givenAnswers(form) {
  const request = readRequest(form);
  const boxes = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("input[data-item][type=checkbox]")]);
  const present = boxes
    .filter((box) => box.checked)
    .map((box) => {
      const seen = request.seen[box.name];
      return { text: labelOf(form, box), items: seen ? [`What was seen and when: ${seen}`] : [] };
    });
  const radios = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("input[type=radio]")]);
  const options = radios
    .filter((option) => option.checked && option.hasAttribute("data-item"))
    .map((option) => {
      const legend = option.closest("fieldset")?.querySelector("legend")?.textContent?.trim() ?? option.name;
      return `${legend}: ${labelOf(form, option)}`;
    });
  const chosen = radios.find((input) => input.checked && input.name === "judgement-level");
  const judgement = [chosen ? labelOf(form, chosen) : "I agree with the level worked out from the answers"];
  if (request.judgement.level) {
    judgement.push(`Reason: ${request.judgement.reason || "not given"}`);
    if (request.judgement.confirmed)
      judgement.push(labelOf(form, /** @type {Element} */ (form.querySelector("#judgement-confirm"))));
  }
  const record = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("[data-record]")]).map(
    (input) => `${labelOf(form, input)}: ${input.value.trim() || "not given"}`,
  );
  return { present, options, strengths: request.strengths, judgement, record };
}

/**
 * The summary the reader keeps, from the last result (or, without one, the answers as the
 * form words them; see fallbackSummary).
 * @param {ScreeningView} view
 */
export function summary(view) {
  const result = view.lastResult;
  if (result) return summaryOf(result, now());
  return fallbackSummary(view.form.getAttribute("aria-label") ?? "", givenAnswers(view.form), now());
}

/**
 * Keep the page's one print region up to date: what both Print and Ctrl+P print.
 * @param {ScreeningView} view
 */
export function refreshPrint(view) {
  view.print.replaceChildren(...printTree(summary(view)).map((tree) => toNode(tree)));
}

/** @param {ScreeningView} view */
export function downloadSummary(view) {
  // Plain text, UTF-8 with a byte-order mark: every case-recording system takes it as an
  // attachment, and Notepad reads it right.
  const file = new Blob(["\ufeff" + summaryText(summary(view))], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(file);
  const link = el("a", { href: url, download: `${view.root.dataset.screening}-screening-summary.txt` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
