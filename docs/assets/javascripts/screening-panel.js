// The screening's result on the page: the result panel (the engine's report, then the
// buttons that keep it), the level bar, the status line, the judgement's error messages and
// confirmation box, and the one print region that both the Print button and the browser's
// own print print. Every word of a result comes from the engine; the page only places it.
// Nothing here is stored or sent.

import { el, toNode } from "./dom.js";
import { readRequest } from "./screening-request.js";
import { fallbackSummary, printTree, reportTree, summaryOf, summaryText } from "./screening-report.js";

/** @typedef {import("../../../schemas/contract").ScreeningResult} ScreeningResult */
/** @typedef {import("../../../schemas/contract").ScreeningReply} ScreeningReply */

/**
 * One screening form on a page, with what the page shows for it.
 * @typedef {object} ScreeningView
 * @property {HTMLElement} root the element with data-screening
 * @property {string} id the protocol's id
 * @property {string} blank the blank form's request, as JSON
 * @property {HTMLFormElement} form
 * @property {HTMLElement} status the polite status line
 * @property {HTMLElement} output the result panel
 * @property {string} protocolUrl
 * @property {HTMLElement | null} bar the level kept in sight at the foot of the form
 * @property {HTMLElement | null} alert read out once when "Act now" first applies
 * @property {HTMLElement} undo
 * @property {HTMLElement} print the print region
 * @property {number} latest the number of the latest request
 * @property {string} sent the latest request, as JSON
 * @property {Promise<void>} pending the latest request's scoring and drawing
 * @property {ScreeningResult | null} lastResult
 * @property {boolean} wasUrgent
 * @property {Set<string>} errorsShown the fields whose error is on show
 */

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
function showProblems(view, attempt) {
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
function errorSummary(view, shown) {
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
function updateConfirm(view, result) {
  const box = /** @type {HTMLElement | null} */ (view.form.querySelector("[data-screening-confirm]"));
  if (!box) return;
  box.hidden = !result.judgement.below;
  const why = view.form.querySelector("[data-screening-confirm-why]");
  if (why && why.textContent !== result.judgement.confirm_why) why.textContent = result.judgement.confirm_why;
}

// Said in the panel while there is no result: the summary can still be kept.
const NOT_WORKED_OUT =
  "The level has not been worked out on this device yet. The summary holds your answers and says so.";

/**
 * The panel's frame: the report's place, the advice and the buttons that keep the summary,
 * there from the moment the form can be used, whether or not the engine ever starts.
 * @param {ScreeningView} view
 */
function panelFrame(view) {
  const { output } = view;
  if (output.querySelector(".screening-keep-actions")) return;
  const print = el("button", { type: "button", class: "md-button screening-keep" }, "Print summary");
  print.addEventListener("click", () => keep(view, () => window.print()));
  const save = el("button", { type: "button", class: "md-button screening-keep" }, "Download summary");
  save.addEventListener("click", () => keep(view, () => downloadSummary(view)));
  output.replaceChildren(
    el("p", { class: "screening-hint", "data-screening-report": "" }, NOT_WORKED_OUT),
    el(
      "p",
      { class: "screening-hint" },
      "Keep the summary in the child's case record, where your agency records safeguarding concerns. " +
        "Use the child's reference from your case record, never their name.",
    ),
    el("p", { class: "screening-keep-actions" }, print, " ", save),
  );
  output.hidden = false;
}

/**
 * Draw the result panel from the last result (or, without one, the buttons that keep the
 * answers); with `attempt`, show what must be put right.
 * @param {ScreeningView} view
 * @param {boolean} [attempt]
 * @returns {Problem[]} the problems on show
 */
export function renderPanel(view, attempt = false) {
  const { output, lastResult: result } = view;
  refreshPrint(view);
  panelFrame(view);
  if (!result) return [];
  updateConfirm(view, result);
  const shown = showProblems(view, attempt);
  // Only the report and the errors change: the buttons stay, so a click is never lost.
  output.querySelector("[data-screening-report]")?.replaceWith(toNode(reportTree(result)));
  // The error summary is replaced only when what it says changes, so focus on it stays.
  const old = /** @type {HTMLElement | null} */ (output.querySelector(".screening-error-summary"));
  const key = shown.map((p) => `${p.field}:${p.text}`).join(" ");
  if (old && old.dataset.key === key && shown.length) return shown;
  old?.remove();
  if (shown.length) {
    const errors = errorSummary(view, shown);
    errors.dataset.key = key;
    output.prepend(errors);
  }
  return shown;
}

/**
 * The latest request scored and drawn.
 * @param {ScreeningView} view
 */
export async function settled(view) {
  let waited;
  do {
    waited = view.pending;
    await waited;
  } while (waited !== view.pending);
}

/**
 * Print or download only a complete summary of the answers as they stand; otherwise show
 * the error summary and go to it.
 * @param {ScreeningView} view
 * @param {() => void} action
 */
async function keep(view, action) {
  await settled(view);
  const shown = renderPanel(view, true);
  if (shown.length) {
    /** @type {HTMLElement | null} */ (view.output.querySelector(".screening-error-summary"))?.focus();
    return;
  }
  action();
}

/**
 * The reader left the judgement unfinished: once the engine has their latest answer, show
 * what is missing where it is missing.
 * @param {ScreeningView} view
 */
export async function judgementLeft(view) {
  await settled(view);
  renderPanel(view, true);
}

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
function downloadSummary(view) {
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

/**
 * The level stays in sight near the question just answered (a bar kept at the foot of the
 * form's visible part, at every width). Screen readers hear the level through the polite
 * status line, and "Act now" once, assertively, when it first applies.
 * @param {ScreeningView} view
 * @param {ScreeningResult} result
 */
function showLevelNearby(view, result) {
  const { bar, alert } = view;
  const urgent = result.urgent_notes.length > 0;
  if (bar) {
    bar.hidden = false;
    bar.className = `screening-bar screening-bar--${result.level.place}`;
    const text = bar.querySelector("[data-screening-bar-text]");
    const act = /** @type {HTMLElement | null} */ (bar.querySelector("[data-screening-bar-act]"));
    if (text) text.textContent = `Level: ${result.level.label}`;
    if (act) act.hidden = !urgent;
  }
  if (alert) {
    if (urgent && !view.wasUrgent) alert.textContent = `Act now: ${result.urgent_notes.join(" ")}`;
    else if (!urgent) alert.textContent = "";
  }
  view.wasUrgent = urgent;
}

/**
 * @param {ScreeningView} view
 * @param {string} text
 */
export function showStatus(view, text) {
  if (view.status.textContent !== text) view.status.textContent = text;
}

/**
 * Show a result: the panel, the level nearby and the status line.
 * @param {ScreeningView} view
 * @param {ScreeningResult} result
 */
export function showResult(view, result) {
  view.lastResult = result;
  markAnswerError(view, null);
  renderPanel(view);
  view.output.hidden = false;
  showLevelNearby(view, result);
  const present = result.present.length;
  showStatus(view, `${result.level.label}. ${present} ${present === 1 ? "answer" : "answers"} present.`);
}

/**
 * An answer the engine could not use: mark the item; returns the id to link to.
 * @param {ScreeningView} view
 * @param {string | null} item
 */
function markAnswerError(view, item) {
  for (const input of view.form.querySelectorAll("input[data-item][aria-invalid]")) {
    input.removeAttribute("aria-invalid");
  }
  if (!item) return null;
  const inputs = view.form.querySelectorAll(`input[data-item][name="${CSS.escape(item)}"]`);
  for (const input of inputs) input.setAttribute("aria-invalid", "true");
  return inputs.length ? `item-${item}` : null;
}

/**
 * The engine could not score these answers: say so in its words and link to the answer.
 * The reader's answers are left as they are.
 * @param {ScreeningView} view
 * @param {{ message: string, item?: string | null }} error
 */
export function showError(view, error) {
  view.output.hidden = true;
  const item = error.item ?? null;
  const target = markAnswerError(view, item);
  /** @type {Array<string | Node>} */
  const parts = [`This screening could not be scored: ${error.message}`];
  if (target && item) {
    parts.push(" ", el("a", { href: `#${target}`, "data-screening-error-item": item }, "Go to that answer"));
  }
  view.status.replaceChildren(...parts);
}

// The heading says whose fault it is: the website's (tell its administrators) or the browser's.
const UNAVAILABLE = {
  server: "Scoring is unavailable because of a fault on this website",
  browser: "Scoring is unavailable in this browser",
  other: "Scoring is unavailable",
};

/**
 * @param {ScreeningView} view
 * @param {{ fault: keyof UNAVAILABLE, reason: string }} engine
 */
export function showUnavailable(view, engine) {
  view.root.classList.add("screening--unavailable");
  renderPanel(view);
  view.status.replaceChildren(
    el("strong", {}, UNAVAILABLE[engine.fault] ?? UNAVAILABLE.other),
    ` (${engine.reason}). The form still works: use `,
    el("a", { href: "#how-the-level-is-worked-out" }, "how the level is worked out"),
    " to reach the level by hand.",
  );
}
