// The summary a reader keeps: on screen beside the result, printed, or saved as a text file
// on the device. It is the engine's own report (screening.report), section by section, with
// the reader's professional judgement and strengths added; nothing else is worked out here.

import { el } from "./dom.js";

// The reader's own judgement: the one thing on the summary that is not the engine's.
function readJudgement(form, result) {
  const chosen = form.querySelector("input[name='judgement-level']:checked");
  const level = chosen && chosen.value ? result.scale.find((l) => l.id === chosen.value) : null;
  return {
    level,
    differs: Boolean(level && level.id !== result.level.id),
    reason: form.querySelector("#judgement-reason")?.value.trim() ?? "",
    strengths: form.querySelector("#strengths")?.value.trim() ?? "",
  };
}

export function list(entries) {
  return el("ul", {}, ...entries.map((entry) => el("li", {}, entry)));
}

export function renderSummary(view) {
  const { form, output, lastResult: result } = view;
  const summary = output.querySelector(".screening-summary");
  if (!summary || !result) return;
  const judgement = readJudgement(form, result);
  const reasonBox = form.querySelector("#judgement-reason");
  const error = form.querySelector("#judgement-reason-error");
  if (reasonBox && error) {
    const missing = Boolean(judgement.differs && !judgement.reason);
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
      judgement.differs ? judgement.level.label : "Agrees with the level from the answers",
    ],
  ];
  if (judgement.differs) rows.push(["Reason", judgement.reason || "Not given yet"]);
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

// The summary to keep, printed or saved as a text file on the device: the engine's report,
// section by section, with the reader's judgement after the answers.
function summarySections(view) {
  const { form, lastResult: result } = view;
  const judgement = readJudgement(form, result);
  const own = [
    [
      "Professional judgement",
      judgement.differs
        ? [judgement.level.label, `Reason: ${judgement.reason || "not given"}`]
        : ["Agrees with the level from the answers"],
    ],
    ["Strengths and protective factors", [judgement.strengths || "None recorded"]],
  ];
  const sections = [];
  for (const section of result.report) {
    sections.push([section.heading, section.lines]);
    if (section.heading === "Answers present") sections.push(...own);
  }
  return {
    title: result.title,
    meta: [
      `Protocol: ${result.protocol}, version ${result.version}`,
      `Completed: ${new Date().toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" })}`,
      "Printed or saved copies may be out of date: check the procedures online before relying on them.",
    ],
    sections,
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
