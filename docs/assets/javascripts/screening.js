// Binds each screening form on a page to one scoring worker shared by the whole tab.
// The worker lives in this module, which runs once per tab, so it survives instant
// navigation. Answers are read from the form on each change, sent to the worker and
// forgotten: nothing is stored and nothing leaves the device.

import { el, headingText, onEachPage } from "./dom.js";

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
      if (resolve) resolve(message);
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
    engine.worker.postMessage({ id, protocolUrl, answers });
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

function readJudgement(form, levels) {
  const chosen = form.querySelector("input[name='judgement-level']:checked");
  const level = chosen && chosen.value ? levels.find((l) => l.id === chosen.value) : null;
  return {
    level,
    reason: form.querySelector("#judgement-reason")?.value.trim() ?? "",
    strengths: form.querySelector("#strengths")?.value.trim() ?? "",
  };
}

function levelsOf(form) {
  return [...form.querySelectorAll("input[name='judgement-level']")]
    .filter((input) => input.value)
    .map((input) => ({ id: input.value, label: input.labels[0].textContent.trim() }));
}

function list(entries) {
  return el("ul", {}, ...entries.map((entry) => el("li", {}, entry)));
}

function itemLabel(form, itemId) {
  const label = form.querySelector(`label[for="item-${CSS.escape(itemId)}"]`);
  if (label) return label.textContent.trim();
  const legend = form.querySelector(`#item-${CSS.escape(itemId)} > legend`);
  return legend ? legend.textContent.trim() : itemId;
}

function renderResult(view, result) {
  view.lastResult = result;
  const { form, output } = view;
  const parts = [];
  if (result.urgent) {
    const urgent = result.fired.filter((f) => f.urgent).flatMap((f) => f.notes);
    parts.push(el("div", { class: "screening-urgent" }, el("h3", {}, "Act now"), list(urgent)));
  }
  parts.push(
    el(
      "p",
      { class: `screening-level screening-level--rank-${result.level.rank}` },
      "Level: ",
      el("strong", { "data-screening-level": result.level.id }, result.level.label),
    ),
  );
  if (result.score !== null && result.band) {
    parts.push(el("p", { class: "screening-score" }, `Score ${result.score}: ${result.band.label}.`));
  }
  parts.push(el("h3", {}, "Why"));
  if (result.fired.length === 0) {
    parts.push(el("p", {}, "Nothing is ticked, so no rule applies and the level is the lowest."));
  } else {
    parts.push(
      list(
        result.fired.map((fired) => {
          const because = fired.items.map((id) => itemLabel(form, id));
          const entry = el("span", {}, fired.says);
          if (because.length) entry.append(list(because));
          return entry;
        }),
      ),
    );
  }
  parts.push(el("h3", {}, "What to do next"), list(result.next_steps));
  const notes = result.notes.filter((note) => !result.fired.some((f) => f.urgent && f.notes.includes(note)));
  if (notes.length) parts.push(el("h3", {}, "Notes"), list(notes));
  if (result.caveats.length) parts.push(el("h3", {}, "Remember"), list(result.caveats));
  parts.push(el("section", { class: "screening-summary", "aria-label": "Summary" }));
  output.replaceChildren(...parts);
  output.hidden = false;
  renderSummary(view);
}

function renderSummary(view) {
  const { form, output, lastResult: result } = view;
  const summary = output.querySelector(".screening-summary");
  if (!summary || !result) return;
  const judgement = readJudgement(form, levelsOf(form));
  const differs = judgement.level && judgement.level.id !== result.level.id;
  const reasonBox = form.querySelector("#judgement-reason");
  const error = form.querySelector("#judgement-reason-error");
  if (reasonBox && error) {
    const missing = Boolean(differs && !judgement.reason);
    error.hidden = !missing;
    if (missing) {
      reasonBox.setAttribute("aria-invalid", "true");
      reasonBox.setAttribute("aria-describedby", error.id);
    } else {
      reasonBox.removeAttribute("aria-invalid");
      reasonBox.removeAttribute("aria-describedby");
    }
  }
  const rows = [
    ["Level from the answers", result.level.label],
    [
      "Professional judgement",
      differs ? judgement.level.label : "Agrees with the level from the answers",
    ],
  ];
  if (differs) rows.push(["Reason", judgement.reason || "Not given yet"]);
  rows.push(["Strengths and protective factors", judgement.strengths || "None recorded"]);
  const entries = rows.flatMap(([term, value]) => [el("dt", {}, term), el("dd", { "data-summary": term }, value)]);
  const existing = summary.querySelector(".screening-summary__list");
  if (existing) {
    // Only the rows change: the buttons stay, so a click is never lost to a redraw.
    existing.replaceChildren(...entries);
    return;
  }
  const print = el("button", { type: "button", class: "md-button screening-keep" }, "Print summary");
  print.addEventListener("click", () => printSummary(view));
  const save = el("button", { type: "button", class: "md-button screening-keep" }, "Download summary");
  save.addEventListener("click", () => downloadSummary(view));
  summary.replaceChildren(
    el("h3", {}, "Summary"),
    el("dl", { class: "screening-summary__list" }, ...entries),
    el(
      "p",
      { class: "screening-hint" },
      "Keep the summary in the child's case record, where your agency records safeguarding concerns. " +
        "It has no name on it: add the child's identifier in your case record, not here.",
    ),
    el("p", { class: "screening-keep-actions" }, print, " ", save),
  );
}

// The summary to keep: one structure, printed or saved as a text file on the device.
function summarySections(view) {
  const { form, lastResult: result, root } = view;
  const judgement = readJudgement(form, levelsOf(form));
  const differs = judgement.level && judgement.level.id !== result.level.id;
  const present = [...form.querySelectorAll("input[data-item]:checked")]
    .filter((input) => input.type === "checkbox" || result.present.includes(input.name))
    .map((input) => {
      const label = input.labels[0].textContent.trim();
      return input.type === "radio" ? `${itemLabel(form, input.name)}: ${label}` : label;
    });
  return {
    title: headingText(document.querySelector("h1")) || root.dataset.screening,
    meta: [
      `Protocol: ${result.protocol}, version ${result.version}`,
      `Completed: ${new Date().toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" })}`,
      "Printed or saved copies may be out of date: check the procedures online before relying on them.",
    ],
    sections: [
      ["Answers present", present.length ? present : ["None"]],
      ["Level from the answers", [result.level.label]],
      [
        "Why",
        result.fired.length
          ? result.fired.map((f) => `${f.says}${f.items.length ? ` (${f.items.map((id) => itemLabel(form, id)).join("; ")})` : ""}`)
          : ["No rule applies."],
      ],
      ...(result.score !== null && result.band ? [["Score", [`${result.score}: ${result.band.label}`]]] : []),
      [
        "Professional judgement",
        differs ? [judgement.level.label, `Reason: ${judgement.reason || "not given"}`] : ["Agrees with the level from the answers"],
      ],
      ["Strengths and protective factors", [judgement.strengths || "None recorded"]],
      ["What to do next", result.next_steps],
      ...(result.notes.length ? [["Notes", result.notes]] : []),
      ["Remember", result.caveats],
    ],
  };
}

function printSummary(view) {
  const data = summarySections(view);
  const region = el("section", { class: "screening-print", "aria-hidden": "true" }, el("h1", {}, data.title));
  for (const line of data.meta) region.append(el("p", {}, line));
  for (const [heading, lines] of data.sections) region.append(el("h2", {}, heading), list(lines));
  document.body.append(region);
  document.body.classList.add("screening-printing");
  const done = () => {
    region.remove();
    document.body.classList.remove("screening-printing");
    window.removeEventListener("afterprint", done);
  };
  window.addEventListener("afterprint", done);
  window.print();
}

function downloadSummary(view) {
  const data = summarySections(view);
  const lines = [data.title, "=".repeat(data.title.length), "", ...data.meta, ""];
  for (const [heading, entries] of data.sections) {
    lines.push(heading, "-".repeat(heading.length), ...entries.map((entry) => `- ${entry}`), "");
  }
  const file = new Blob([lines.join("\r\n")], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(file);
  const link = el("a", { href: url, download: `${view.root.dataset.screening}-screening-summary.txt` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
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
    view.output.hidden = true;
    showStatus(view, `This screening could not be scored: ${reply.error}`);
    return;
  }
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
