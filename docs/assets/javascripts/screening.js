// Binds each screening form on a page to one scoring worker shared by the whole tab.
// The worker lives in this module, which runs once per tab, so it survives instant
// navigation. Answers are read from the form on each change, sent to the worker and
// forgotten: nothing is stored and nothing leaves the device.

import { el, onEachPage } from "./dom.js";
import { list, renderSummary } from "./screening-summary.js";

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
  const note = el(
    "p",
    { class: "screening-case", role: "note" },
    el("strong", {}, "Training case: "),
    `${caseId.replace(/-/g, " ")}. These answers are a made-up case from the case-study library, not a real child's.`,
  );
  if (unknown.length) note.append(` Some answers did not match this form: ${unknown.join(", ")}.`);
  view.root.querySelector(".screening-case")?.remove();
  view.root.prepend(note);
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
    latest: 0,
    lastResult: null,
  };
  const watcher = () => {
    if (!root.isConnected) engine.watchers.delete(watcher);
    else update(view);
  };
  engine.watchers.add(watcher);
  view.form.addEventListener("change", (event) => {
    if (event.target.matches("[data-item]")) update(view);
    else renderSummary(view);
  });
  view.form.addEventListener("input", (event) => {
    if (event.target.matches("[data-screening-note]")) renderSummary(view);
  });
  view.form.addEventListener("reset", () => setTimeout(() => update(view), 0));
  // The form is never submitted: that would put the answers in a URL.
  view.form.addEventListener("submit", (event) => event.preventDefault());
  loadTrainingCase(view);
  startEngine();
  if (engine.worker) engine.worker.postMessage({ type: "prefetch", protocolUrl: view.protocolUrl });
  update(view);
}

function bindAll() {
  for (const root of document.querySelectorAll("[data-screening]")) bind(root);
}

// "Exit this page" wipes the answers; also stop the worker and forget the last result.
document.addEventListener("cse:exit", () => {
  if (engine.worker) engine.worker.terminate();
  engine.watchers.clear();
});

onEachPage(bindAll);
