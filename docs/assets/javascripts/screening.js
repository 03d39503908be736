// The entry module of the screening pages: binds each screening form on a page to the one
// scoring worker of the tab. The worker is started here, once per tab, so it survives
// instant navigation. On every change the form is read into one request (answers,
// judgement, notes) and sent to the engine; the request is also kept in this tab's memory
// (screening-memory.js), so a page drawn again shows the answers as they were left. Nothing
// is stored and nothing leaves the device. This is the only module that does anything when
// imported.

import { el, onEachPage } from "./dom.js";
import { parseCaseFragment, openTrainingCase } from "./screening-case.js";
import { engine, prefetch, score, startEngine, stopEngine } from "./screening-engine.js";
import { judgementLeft, renderPanel, showError, showResult, showStatus, showUnavailable } from "./screening-panel.js";
import { fillForm } from "./screening-fill.js";
import { bindIndexOpen } from "./screening-index-open.js";
import { bindKeep, showHistory } from "./screening-keep.js";
import { withPrevious } from "./screening-previous.js";
import { forgetAll, markSaved, recall, remember } from "./screening-memory.js";
import { readRequest } from "./screening-request.js";
import { clearAnswers } from "./screening-undo.js";

/** @typedef {import("./screening-panel.js").ScreeningView} ScreeningView */

/**
 * Score the form as it stands and show the engine's answer.
 * @param {ScreeningView} view
 */
function update(view) {
  keepInMemory(view);
  view.pending = scoreAndShow(view);
  return view.pending;
}

/**
 * Keep the form as it stands in the tab's memory, with the training case note on show.
 * @param {ScreeningView} view
 */
function keepInMemory(view) {
  if (!view.root.isConnected) return;
  remember(view.id, readRequest(view.form), view.blank, view.root.querySelector(".screening-case"));
}

/**
 * Put back what the memory holds for this screening, or open the training case the address
 * asks for (unless the memory holds that same case, as the reader left it).
 * @param {ScreeningView} view
 */
function restore(view) {
  const kept = recall(view.id);
  const trainingCase = parseCaseFragment(window.location.hash);
  const keptCase = kept?.note instanceof HTMLElement ? kept.note.dataset.case : undefined;
  if (trainingCase && trainingCase.id !== keptCase) {
    openTrainingCase(view, trainingCase);
    view.root.querySelector(".screening-case")?.setAttribute("data-case", trainingCase.id);
    keepInMemory(view);
    // A made-up case is not the reader's work: nothing to ask about until they change it.
    markSaved(view.id);
    return;
  }
  if (!kept) return;
  fillForm(view.form, kept.request);
  view.root.querySelector(".screening-case")?.remove();
  if (kept.note) view.root.prepend(kept.note);
  // A training case opens at the top, as the reader left it, whatever scroll position
  // instant navigation would restore.
  if (trainingCase) {
    window.scrollTo(0, 0);
    requestAnimationFrame(() => window.scrollTo(0, 0));
  }
}

/** @param {ScreeningView} view */
async function scoreAndShow(view) {
  if (!view.root.isConnected) return;
  if (engine.state === "failed") return showUnavailable(view, engine);
  if (engine.state !== "ready") {
    return showStatus(view, "Starting the scoring engine… You can answer the questions now.");
  }
  const request = ++view.latest;
  const asked = readRequest(view.form);
  view.sent = JSON.stringify(asked);
  const reply = await score(view.protocolUrl, withPrevious(view, asked));
  if (request !== view.latest || !view.root.isConnected) return;
  if (reply.ok) {
    showResult(view, reply.result);
    showHistory(view, reply.result);
  } else showError(view, reply.error);
}

/** @param {HTMLElement} root */
function bind(root) {
  if (root.dataset.screeningBound) return;
  root.dataset.screeningBound = "true";
  const found = (/** @type {string} */ selector) => /** @type {HTMLElement} */ (root.querySelector(selector));
  /** @type {ScreeningView} */
  const view = {
    root,
    id: root.dataset.screening ?? "",
    blank: "",
    form: /** @type {HTMLFormElement} */ (found("form")),
    status: found("[data-screening-status]"),
    output: found("[data-screening-output]"),
    protocolUrl: new URL(root.dataset.protocolUrl ?? "", document.baseURI).href,
    bar: root.querySelector("[data-screening-bar]"),
    alert: root.querySelector("[data-screening-alert]"),
    undo: found("[data-screening-undo]"),
    print: el("section", { class: "screening-print", "data-screening-print": root.dataset.screening ?? "" }),
    latest: 0,
    sent: "",
    pending: Promise.resolve(),
    lastResult: null,
    wasUrgent: false,
    errorsShown: new Set(),
  };
  view.blank = JSON.stringify(readRequest(view.form));
  document.body.append(view.print);
  document.body.classList.add("screening-page");
  const watcher = () => {
    if (!root.isConnected) engine.watchers.delete(watcher);
    else update(view);
  };
  engine.watchers.add(watcher);
  // Every answer, note and part of the judgement goes to the engine: the result, the
  // summary and the judgement's errors are its answer. "input" comes with each tick and
  // each key typed ("change" would only repeat it, when a text box loses focus).
  const changed = () => {
    if (view.undo.childElementCount) view.undo.replaceChildren();
    update(view);
  };
  view.form.addEventListener("input", changed);
  // A browser that fires no "input" for a tick box or option still fires "change".
  view.form.addEventListener("change", (event) => {
    const target = event.target;
    const ticked = target instanceof HTMLInputElement && (target.type === "checkbox" || target.type === "radio");
    if (ticked && JSON.stringify(readRequest(view.form)) !== view.sent) changed();
  });
  found(".screening-clear").addEventListener("click", (event) => {
    event.preventDefault();
    clearAnswers(view, () => update(view));
  });
  view.form.addEventListener("reset", () => setTimeout(() => update(view), 0));
  // Leaving the judgement with a different level and no reason (or no confirmation) shows
  // the error there and then; typing never does.
  const judgement = root.querySelector("#judgement-group");
  // Shown a moment later, so the layout never moves under a click on Print or Download.
  judgement?.addEventListener("focusout", (event) => {
    const next = /** @type {FocusEvent} */ (event).relatedTarget;
    if (next instanceof Node && judgement.contains(next)) return;
    setTimeout(() => {
      if (view.root.isConnected && !judgement.contains(document.activeElement)) judgementLeft(view);
    }, 300);
  });
  // The form is never submitted: that would put the answers in a URL.
  view.form.addEventListener("submit", (event) => event.preventDefault());
  /** @type {HTMLElement & { screeningView?: ScreeningView }} */ (root).screeningView = view;
  restore(view);
  renderPanel(view);
  startEngine();
  prefetch(view.protocolUrl);
  update(view);
  bindKeep(view);
}

function bindAll() {
  // After instant navigation: drop the print region of a screening page no longer shown.
  for (const region of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("body > .screening-print"))) {
    const owner = /** @type {HTMLElement | null} */ (
      document.querySelector(`[data-screening="${CSS.escape(region.dataset.screeningPrint ?? "")}"]`)
    );
    if (!owner || owner.dataset.screeningBound !== "true") region.remove();
  }
  if (!document.querySelector("[data-screening]")) document.body.classList.remove("screening-page");
  for (const root of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-screening]"))) {
    bind(root);
  }
  for (const root of /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll("[data-screening-open-index]")
  )) {
    bindIndexOpen(root);
  }
}

// The browser's own print (Ctrl+P) prints the same record as the Print button: refresh it
// (for the time) and show any error on the page, since the browser's print cannot wait.
window.addEventListener("beforeprint", () => {
  for (const root of document.querySelectorAll("[data-screening]")) {
    const view = /** @type {HTMLElement & { screeningView?: ScreeningView }} */ (root).screeningView;
    if (view) renderPanel(view, Boolean(view.lastResult));
  }
});

// "Exit this page" wipes the answers; also stop the worker and forget the last result.
document.addEventListener("cse:exit", () => {
  forgetAll();
  stopEngine();
  for (const region of document.querySelectorAll(".screening-print")) region.remove();
});

onEachPage(bindAll);
