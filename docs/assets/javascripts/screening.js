// Binds each screening form on a page to one scoring worker shared by the whole tab.
// The worker lives in this module, which runs once per tab, so it survives instant
// navigation. Answers are read from the form on each change, sent to the worker and
// forgotten: nothing is stored and nothing leaves the device.

import { el, onEachPage } from "./dom.js";
import { judgementLeft, list, refreshPrint, renderSummary } from "./screening-summary.js";

const WORKER_URL = new URL("./screening-worker.js", import.meta.url);
const START_TIMEOUT_MS = 45000;

const engine = {
  worker: null,
  state: "idle", // idle | starting | ready | failed
  reason: "",
  fault: "other", // why it failed: server | browser | other
  nextId: 1,
  pending: new Map(),
  watchers: new Set(),
};

function setState(state, reason = "", fault = "other") {
  if (engine.state === "failed") return;
  engine.state = state;
  engine.reason = reason;
  engine.fault = fault;
  for (const watcher of engine.watchers) watcher();
}

function startEngine() {
  if (engine.state !== "idle") return;
  engine.state = "starting";
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    setState("failed", "this browser does not allow WebAssembly or Web Workers", "browser");
    return;
  }
  const timer = setTimeout(
    () => setState("failed", "the scoring engine took too long to start"),
    START_TIMEOUT_MS,
  );
  try {
    engine.worker = new Worker(WORKER_URL, { type: "module" });
  } catch (error) {
    clearTimeout(timer);
    setState("failed", "this browser could not start the scoring engine");
    return;
  }
  engine.worker.onmessage = (event) => {
    const message = event.data;
    if (message.type === "ready") {
      clearTimeout(timer);
      setState("ready");
      document.dispatchEvent(new CustomEvent("cse:engine-ready", { detail: message.timings }));
    } else if (message.type === "failed") {
      clearTimeout(timer);
      setState("failed", message.reason, message.kind);
    } else if (message.type === "result") {
      const resolve = engine.pending.get(message.id);
      engine.pending.delete(message.id);
      if (resolve) resolve(message.reply);
    }
  };
  engine.worker.onerror = (event) => {
    event.preventDefault();
    clearTimeout(timer);
    setState("failed", "a file the scoring engine needs could not be loaded from this website", "server");
  };
}

function score(protocolUrl, answers) {
  const id = engine.nextId++;
  return new Promise((resolve) => {
    engine.pending.set(id, resolve);
    engine.worker.postMessage({ type: "assess", id, protocolUrl, request: { answers } });
  });
}

function readAnswers(form) {
  const answers = {};
  for (const input of form.querySelectorAll("input[data-item][type=checkbox]")) {
    answers[input.name] = input.checked;
  }
  for (const input of form.querySelectorAll("input[data-item][type=radio]:checked")) {
    answers[input.name] = input.value;
  }
  return answers;
}

function reportLines(result, heading) {
  return result.report.find((section) => section.heading === heading)?.lines ?? [];
}

// Everything below is drawn from the engine's result alone (screening.report.result_json):
// the same facts, in the same words, as the printed and downloaded summaries, the
// case-study pages and the command line.
function renderResult(view, result) {
  view.lastResult = result;
  const parts = [];
  if (result.urgent_notes.length) {
    parts.push(el("div", { class: "screening-urgent" }, el("h3", {}, "Act now"), list(result.urgent_notes)));
  }
  parts.push(
    el(
      "p",
      { class: `screening-level screening-level--${result.level.place}` },
      "Level: ",
      el("strong", { "data-screening-level": result.level.id }, result.level.label),
      " ",
      el("span", { class: "screening-level__position" }, `(${result.level.position})`),
    ),
  );
  // A scored protocol has one level; the band is one of its reasons (under "Why"). When a
  // rule lifts the level above the band, say so here in the engine's words.
  if (result.band_reason?.lifted) {
    parts.push(el("p", { class: "screening-lifted", "data-screening-lifted": "" }, result.band_reason.says));
  }
  parts.push(el("h3", {}, "Why"));
  if (result.fired.length) {
    parts.push(
      list(
        result.fired.map((fired) => {
          const entry = el("span", {}, fired.says);
          if (fired.items.length) entry.append(list(fired.items.map((item) => item.label)));
          return entry;
        }),
      ),
    );
  } else {
    parts.push(el("p", {}, ...reportLines(result, "Why")));
  }
  parts.push(el("h3", {}, "What to do next"), list(result.next_steps));
  if (result.notes.length) parts.push(el("h3", {}, "Notes"), list(result.notes));
  if (result.caveats.length) parts.push(el("h3", {}, "Remember"), list(result.caveats));
  parts.push(el("section", { class: "screening-summary", "aria-label": "Summary" }));
  view.output.replaceChildren(...parts);
  view.output.hidden = false;
  renderSummary(view);
  showLevelNearby(view, result);
}

// The level stays in sight near the question just answered (a bar kept at the foot of
// the form's visible part, at every width). Screen readers hear the level through
// the polite status line, and "Act now" once, assertively, when it first applies.
function showLevelNearby(view, result) {
  const { bar, alert } = view;
  if (bar) {
    bar.hidden = false;
    bar.className = `screening-bar screening-bar--${result.level.place}`;
    bar.querySelector("[data-screening-bar-text]").textContent = `Level: ${result.level.label}`;
    bar.querySelector("[data-screening-bar-act]").hidden = !result.urgent_notes.length;
  }
  const urgent = result.urgent_notes.length > 0;
  if (alert) {
    if (urgent && !view.wasUrgent) alert.textContent = `Act now: ${result.urgent_notes.join(" ")}`;
    else if (!urgent) alert.textContent = "";
  }
  view.wasUrgent = urgent;
}

// An answer the engine could not use: say so, mark the item and link to it.
function markAnswerError(view, item) {
  for (const input of view.form.querySelectorAll("input[data-item][aria-invalid]")) {
    input.removeAttribute("aria-invalid");
  }
  if (!item) return null;
  const inputs = view.form.querySelectorAll(`input[data-item][name="${CSS.escape(item)}"]`);
  for (const input of inputs) input.setAttribute("aria-invalid", "true");
  return inputs.length ? `item-${item}` : null;
}

function showError(view, error) {
  view.output.hidden = true;
  const target = markAnswerError(view, error.item);
  const parts = [`This screening could not be scored: ${error.message}`];
  if (target) parts.push(" ", el("a", { href: `#${target}`, "data-screening-error-item": error.item }, "Go to that answer"));
  view.status.replaceChildren(...parts);
}

function showStatus(view, text) {
  if (view.status.textContent !== text) view.status.textContent = text;
}

// The heading says whose fault it is: the website's (tell its administrators) or the browser's.
const UNAVAILABLE = {
  server: "Scoring is unavailable because of a fault on this website",
  browser: "Scoring is unavailable in this browser",
  other: "Scoring is unavailable",
};

function showUnavailable(view) {
  view.root.classList.add("screening--unavailable");
  view.output.hidden = true;
  view.status.replaceChildren(
    el("strong", {}, UNAVAILABLE[engine.fault] ?? UNAVAILABLE.other),
    ` (${engine.reason}). The form still works: use `,
    el("a", { href: "#how-the-level-is-worked-out" }, "how the level is worked out"),
    " to reach the level by hand.",
  );
}

async function update(view) {
  if (!view.root.isConnected) return;
  if (engine.state === "failed") return showUnavailable(view);
  if (engine.state !== "ready") {
    return showStatus(view, "Starting the scoring engine… You can answer the questions now.");
  }
  const request = ++view.latest;
  const reply = await score(view.protocolUrl, readAnswers(view.form));
  if (request !== view.latest || !view.root.isConnected) return;
  if (!reply.ok) {
    showError(view, reply.error);
    return;
  }
  markAnswerError(view, null);
  renderResult(view, reply.result);
  const present = reply.result.present.length;
  showStatus(view, `${reply.result.level.label}. ${present} ${present === 1 ? "answer" : "answers"} present.`);
}

// A training case opened from the case-study library travels in the URL fragment, which
// browsers never send to a server: "#case=ID&answers=item,item,item:option". Real
// screenings never write to the URL.
function loadTrainingCase(view) {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const caseId = params.get("case");
  if (!caseId) return;
  view.form.reset();
  const unknown = [];
  for (const entry of (params.get("answers") || "").split(",").filter(Boolean)) {
    const [item, option] = entry.split(":");
    const input = view.form.querySelector(
      option
        ? `input[data-item][name="${CSS.escape(item)}"][value="${CSS.escape(option)}"]`
        : `input[data-item][type=checkbox][name="${CSS.escape(item)}"]`,
    );
    if (input) input.checked = true;
    else unknown.push(entry);
  }
  const title = params.get("title") || caseId.replace(/-/g, " ");
  const back = new URL(`../../trainers/cases/${encodeURIComponent(caseId)}/`, window.location.href).href;
  const note = el(
    "p",
    { class: "screening-case", role: "note", tabindex: "-1" },
    el("strong", {}, "Training case: "),
    el("span", { "data-screening-case-title": "" }, title),
    ". These answers are a made-up case from the case-study library, not a real child's. ",
    el("a", { href: back }, `Back to the case: ${title}`),
  );
  if (unknown.length) note.append(` Some answers did not match this form: ${unknown.join(", ")}.`);
  view.root.querySelector(".screening-case")?.remove();
  view.root.prepend(note);
  // Open at the top, whatever scroll position instant navigation would restore.
  window.scrollTo(0, 0);
  requestAnimationFrame(() => window.scrollTo(0, 0));
}

// "Clear answers" clears everything the reader entered, training case included, and
// offers an undo held in memory only (nothing is stored); the undo goes with the next answer.
function snapshot(view) {
  return {
    controls: [...view.form.elements]
      .filter((control) => control.name)
      .map((control) => [control, control.type === "checkbox" || control.type === "radio" ? control.checked : control.value]),
    note: view.root.querySelector(".screening-case"),
    hash: window.location.hash,
  };
}

function clearAnswers(view) {
  const saved = snapshot(view);
  view.form.reset();
  saved.note?.remove();
  if (saved.hash) history.replaceState(history.state, "", window.location.pathname + window.location.search);
  view.errorsShown = new Set();
  update(view);
  const undo = el("button", { type: "button", class: "md-button screening-undo__button" }, "Undo clear answers");
  undo.addEventListener("click", () => {
    for (const [control, was] of saved.controls) {
      if (control.type === "checkbox" || control.type === "radio") control.checked = was;
      else control.value = was;
    }
    if (saved.note) view.root.prepend(saved.note);
    if (saved.hash) history.replaceState(history.state, "", saved.hash);
    view.undo.replaceChildren("Answers restored.");
    update(view);
    view.form.querySelector(".screening-clear").focus();
  });
  view.undo.replaceChildren("Answers cleared. ", undo);
  undo.focus();
}

function bind(root) {
  if (root.dataset.screeningBound) return;
  root.dataset.screeningBound = "true";
  const view = {
    root,
    form: root.querySelector("form"),
    status: root.querySelector("[data-screening-status]"),
    output: root.querySelector("[data-screening-output]"),
    protocolUrl: new URL(root.dataset.protocolUrl, document.baseURI).href,
    bar: root.querySelector("[data-screening-bar]"),
    alert: root.querySelector("[data-screening-alert]"),
    undo: root.querySelector("[data-screening-undo]"),
    print: el("section", { class: "screening-print", "data-screening-print": root.dataset.screening }),
    latest: 0,
    lastResult: null,
    wasUrgent: false,
    errorsShown: new Set(),
  };
  document.body.append(view.print);
  document.body.classList.add("screening-page");
  const watcher = () => {
    if (!root.isConnected) engine.watchers.delete(watcher);
    else update(view);
  };
  engine.watchers.add(watcher);
  view.form.addEventListener("change", (event) => {
    if (view.undo.childElementCount) view.undo.replaceChildren();
    if (event.target.matches("[data-item]")) update(view);
    else renderSummary(view);
  });
  view.form.addEventListener("input", (event) => {
    if (event.target.matches("[data-screening-note]")) renderSummary(view);
  });
  view.form.querySelector(".screening-clear").addEventListener("click", (event) => {
    event.preventDefault();
    clearAnswers(view);
  });
  view.form.addEventListener("reset", () => setTimeout(() => update(view), 0));
  // Leaving the judgement with a different level and no reason (or no confirmation) shows
  // the error there and then; typing never does.
  const judgement = view.form.querySelector("#judgement-group");
  // Shown a moment later, so the layout never moves under a click on Print or Download.
  judgement?.addEventListener("focusout", (event) => {
    if (judgement.contains(event.relatedTarget)) return;
    setTimeout(() => {
      if (view.root.isConnected && !judgement.contains(document.activeElement)) judgementLeft(view);
    }, 300);
  });
  // The form is never submitted: that would put the answers in a URL.
  view.form.addEventListener("submit", (event) => event.preventDefault());
  root.screeningView = view;
  loadTrainingCase(view);
  refreshPrint(view);
  startEngine();
  if (engine.worker) engine.worker.postMessage({ type: "prefetch", protocolUrl: view.protocolUrl });
  update(view);
}

function bindAll() {
  // After instant navigation: drop the print region of a screening page no longer shown.
  for (const region of document.querySelectorAll("body > .screening-print")) {
    const owner = document.querySelector(`[data-screening="${CSS.escape(region.dataset.screeningPrint)}"]`);
    if (!owner || owner.dataset.screeningBound !== "true") region.remove();
  }
  if (!document.querySelector("[data-screening]")) document.body.classList.remove("screening-page");
  for (const root of document.querySelectorAll("[data-screening]")) bind(root);
}

// The browser's own print (Ctrl+P) prints the same record as the Print button: refresh it
// (for the time) and show any error on the page, since the browser's print cannot wait.
window.addEventListener("beforeprint", () => {
  for (const root of document.querySelectorAll("[data-screening]")) {
    if (root.screeningView) renderSummary(root.screeningView, Boolean(root.screeningView.lastResult));
  }
});

// "Exit this page" wipes the answers; also stop the worker and forget the last result.
document.addEventListener("cse:exit", () => {
  if (engine.worker) engine.worker.terminate();
  engine.watchers.clear();
  for (const region of document.querySelectorAll(".screening-print")) region.remove();
});

onEachPage(bindAll);
