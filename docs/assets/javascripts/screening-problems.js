// The judgement's errors and its confirmation box: what the reader must put right before the
// summary is kept, in the engine's words, shown at each field (GOV.UK error messages) and in
// an error summary linking to them. Nothing runs on import.

import { el } from "./dom.js";

/** @typedef {import("../../../schemas/contract").ScreeningResult} ScreeningResult */
/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */
/** @typedef {{ field: string, text: string }} Problem an error message, at a control's id */

// The judgement's fields the engine names, and the form's controls for them.
const CONTROLS = { reason: "judgement-reason", confirmation: "judgement-confirm" };

/**
 * What the reader must put right before the summary is kept, in the engine's words.
 * @param {ScreeningView} view
 * @returns {Problem[]}
 */
function problems(view) {
  const needs = view.lastResult?.judgement.needs ?? [];
  return needs.map((need) => ({ field: CONTROLS[need.field], text: need.says }));
}

/**
 * Show or hide a field's GOV.UK error message, in the engine's words.
 * @param {HTMLFormElement} form
 * @param {string} field
 * @param {string | null} text the message, or null to hide it
 */
function markField(form, field, text) {
  const input = form.querySelector(`#${field}`);
  const error = /** @type {HTMLElement | null} */ (form.querySelector(`#${field}-error`));
  if (!input || !error) return;
  const shown = text !== null;
  error.hidden = !shown;
  if (shown) {
    const prefix = error.querySelector(".screening-visually-hidden");
    const words = ` ${text}`;
    if (prefix && error.lastChild?.textContent !== words) error.replaceChildren(prefix, words);
  }
  error.parentElement?.classList.toggle("screening-field--error", shown);
  const hint = form.querySelector(`#${field}-hint`);
  const described = [hint?.id, shown ? error.id : null].filter(Boolean).join(" ");
  if (described) input.setAttribute("aria-describedby", described);
  else input.removeAttribute("aria-describedby");
  if (shown) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

/**
 * Errors appear only when the reader tries to keep the summary or leaves the judgement
 * unfinished (`attempt`); a new answer can only clear them, never raise them.
 * @param {ScreeningView} view
 * @param {boolean} attempt
 * @returns {Problem[]} the problems on show
 */
export function showProblems(view, attempt) {
  const current = problems(view);
  const fields = new Set(current.map((p) => p.field));
  if (attempt) view.errorsShown = fields;
  else view.errorsShown = new Set([...view.errorsShown].filter((f) => fields.has(f)));
  for (const field of Object.values(CONTROLS)) {
    const problem = current.find((p) => p.field === field && view.errorsShown.has(field));
    markField(view.form, field, problem ? problem.text : null);
  }
  return current.filter((p) => view.errorsShown.has(p.field));
}

/**
 * @param {ScreeningView} view
 * @param {Problem[]} shown
 */
export function errorSummary(view, shown) {
  const links = shown.map((problem) => {
    const link = el("a", { href: `#${problem.field}` }, problem.text);
    link.addEventListener("click", (event) => {
      // Handled here, not by the theme's instant navigation, which would reload the page.
      event.preventDefault();
      event.stopPropagation();
      const input = /** @type {HTMLElement | null} */ (view.form.querySelector(`#${problem.field}`));
      const label = view.form.querySelector(`label[for="${problem.field}"]`);
      (label ?? input)?.scrollIntoView({ block: "center" });
      input?.focus({ preventScroll: true });
    });
    return el("li", {}, link);
  });
  return el(
    "div",
    {
      class: "screening-error-summary",
      "data-fields": shown.map((p) => p.field).join(" "),
      role: "alert",
      tabindex: "-1",
      "aria-labelledby": "screening-error-summary-title",
    },
    el("h3", { id: "screening-error-summary-title", class: "screening-error-summary__title" }, "There is a problem"),
    el("ul", { class: "screening-error-summary__list" }, ...links),
  );
}

/**
 * The confirmation box, shown while the judgement is below a firm rule's level, with the
 * engine's reason.
 * @param {ScreeningView} view
 * @param {ScreeningResult} result
 */
export function updateConfirm(view, result) {
  const box = /** @type {HTMLElement | null} */ (view.form.querySelector("[data-screening-confirm]"));
  if (!box) return;
  box.hidden = !result.judgement.below;
  const why = view.form.querySelector("[data-screening-confirm-why]");
  if (why && why.textContent !== result.judgement.confirm_why) why.textContent = result.judgement.confirm_why;
}
