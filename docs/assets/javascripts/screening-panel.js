// The screening's result on the page: the result panel (the engine's report, then the
// buttons that keep it), the level bar and the status line. The judgement's errors are
// screening-problems.js's; the summary kept (printed or downloaded) is screening-summary.js's.
// Every word of a result comes from the engine; the page only places it. Nothing here is
// stored or sent.

import { el, toNode } from "./dom.js";
import { errorSummary, showProblems, updateConfirm } from "./screening-problems.js";
import { reportTree } from "./screening-report.js";
import { downloadSummary, refreshPrint } from "./screening-summary.js";

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

/** @typedef {import("./screening-problems.js").Problem} Problem */

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
