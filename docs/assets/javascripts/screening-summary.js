// The summary a reader keeps: on screen beside the result, printed (the page's Print button
// or the browser's own print), or saved as a plain-text file on the device. It is the
// engine's own report (screening.report), section by section, with what only the reader
// can add: their professional judgement, strengths, notes on what was seen, and the
// optional reference, practitioner and agency. Nothing here is stored or sent.

import { el } from "./dom.js";

const VALIDITY =
  "Printed or saved copies may be out of date: check the procedures online before relying on them.";

export function list(entries) {
  return el("ul", {}, ...entries.map((entry) => el("li", {}, entry)));
}

function value(form, selector) {
  return form.querySelector(selector)?.value.trim() ?? "";
}

// The reader's own judgement: the one thing on the summary that is not the engine's.
function readJudgement(form, result) {
  const chosen = form.querySelector("input[name='judgement-level']:checked");
  const rank = chosen && chosen.value ? result.scale.findIndex((l) => l.id === chosen.value) : -1;
  const level = rank >= 0 ? result.scale[rank] : null;
  const differs = Boolean(level && level.id !== result.level.id);
  const firm = result.confirm_below;
  return {
    level,
    differs,
    below: Boolean(differs && firm && rank < firm.rank),
    confirmed: Boolean(form.querySelector("#judgement-confirm")?.checked),
    reason: value(form, "#judgement-reason"),
    strengths: value(form, "#strengths"),
  };
}

// What the reader must put right before the summary is kept, as GOV.UK error messages.
function problems(view) {
  const result = view.lastResult;
  if (!result) return [];
  const judgement = readJudgement(view.form, result);
  const found = [];
  if (judgement.differs && !judgement.reason) {
    found.push({ field: "judgement-reason", text: "Give the reason for choosing a different level" });
  }
  if (judgement.below && !judgement.confirmed) {
    found.push({ field: "judgement-confirm", text: "Confirm the lower level, or choose a level that is not lower" });
  }
  return found;
}

function markField(form, field, shown) {
  const input = form.querySelector(`#${field}`);
  const error = form.querySelector(`#${field}-error`);
  if (!input || !error) return;
  error.hidden = !shown;
  const wrapper = error.parentElement;
  wrapper.classList.toggle("screening-field--error", shown);
  const hint = form.querySelector(`#${field}-hint`);
  const described = [hint?.id, shown ? error.id : null].filter(Boolean).join(" ");
  if (described) input.setAttribute("aria-describedby", described);
  else input.removeAttribute("aria-describedby");
  if (shown) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}

// Errors appear only when the reader tries to keep the summary or leaves the judgement
// unfinished (``attempt``); typing can only clear them, never raise them.
function showProblems(view, attempt) {
  const current = problems(view);
  const fields = new Set(current.map((p) => p.field));
  if (attempt) view.errorsShown = fields;
  else view.errorsShown = new Set([...(view.errorsShown ?? [])].filter((f) => fields.has(f)));
  for (const field of ["judgement-reason", "judgement-confirm"]) {
    markField(view.form, field, view.errorsShown.has(field));
  }
  return current.filter((p) => view.errorsShown.has(p.field));
}

function errorSummary(view, shown) {
  if (!shown.length) return null;
  const links = shown.map((problem) => {
    const link = el("a", { href: `#${problem.field}` }, problem.text);
    link.addEventListener("click", (event) => {
      // Handled here, not by the theme's instant navigation, which would reload the page.
      event.preventDefault();
      event.stopPropagation();
      const input = view.form.querySelector(`#${problem.field}`);
      const label = view.form.querySelector(`label[for="${problem.field}"]`);
      (label ?? input).scrollIntoView({ block: "center" });
      input.focus({ preventScroll: true });
    });
    return el("li", {}, link);
  });
  return el(
    "div",
    { class: "screening-error-summary", "data-fields": shown.map((p) => p.field).join(" "), role: "alert", tabindex: "-1", "aria-labelledby": "screening-error-summary-title" },
    el("h3", { id: "screening-error-summary-title", class: "screening-error-summary__title" }, "There is a problem"),
    el("ul", { class: "screening-error-summary__list" }, ...links),
  );
}

function updateConfirm(view, judgement) {
  const box = view.form.querySelector("[data-screening-confirm]");
  if (!box) return;
  box.hidden = !judgement.below;
  if (judgement.below) {
    const firm = view.lastResult.confirm_below;
    const why = view.form.querySelector("[data-screening-confirm-why]");
    const text =
      `The level you chose is lower than ${firm.label}, which these rules give: ${firm.says.join(" ")} ` +
      "Going below it needs your explicit confirmation.";
    if (why.textContent !== text) why.textContent = text;
  }
}

function records(form) {
  return [...form.querySelectorAll("[data-record]")].map((input) => [input.dataset.record, input.value.trim()]);
}

export function renderSummary(view, attempt = false) {
  const { form, output, lastResult: result } = view;
  const summary = output.querySelector(".screening-summary");
  refreshPrint(view);
  if (!summary || !result) return [];
  const judgement = readJudgement(form, result);
  updateConfirm(view, judgement);
  const shown = showProblems(view, attempt);
  const rows = [["Level from the answers", result.level.label]];
  if (judgement.differs) {
    rows.push(["Level by professional judgement", judgement.level.label]);
    rows.push(["Reason", judgement.reason || "Not given yet"]);
    if (judgement.below) rows.push(["Lower than the rules give", judgement.confirmed ? "Confirmed" : "Not confirmed yet"]);
  } else {
    rows.push(["Professional judgement", "Agrees with the level from the answers"]);
  }
  rows.push(["Strengths and protective factors", judgement.strengths || "None recorded"]);
  for (const [term, given] of records(form)) if (given) rows.push([term, given]);
  const entries = rows.flatMap(([term, text]) => [el("dt", {}, term), el("dd", { "data-summary": term }, text)]);
  const existing = summary.querySelector(".screening-summary__list");
  if (existing) {
    // Only the rows and errors change: the buttons stay, so a click is never lost to a redraw.
    existing.replaceChildren(...entries);
    // The error summary is replaced only when what it says changes, so focus on it stays.
    const old = summary.querySelector(".screening-error-summary");
    const key = shown.map((p) => p.field).join(" ");
    if (old && old.dataset.fields === key) return shown;
    old?.remove();
    const errors = errorSummary(view, shown);
    if (errors) summary.querySelector("h3").after(errors);
    return shown;
  }
  const print = el("button", { type: "button", class: "md-button screening-keep" }, "Print summary");
  print.addEventListener("click", () => keep(view, () => window.print()));
  const save = el("button", { type: "button", class: "md-button screening-keep" }, "Download summary");
  save.addEventListener("click", () => keep(view, () => downloadSummary(view)));
  summary.replaceChildren(
    el("h3", {}, "Summary"),
    ...[errorSummary(view, shown)].filter(Boolean),
    el("dl", { class: "screening-summary__list" }, ...entries),
    el(
      "p",
      { class: "screening-hint" },
      "Keep the summary in the child's case record, where your agency records safeguarding concerns. " +
        "Use the child's reference from your case record, never their name.",
    ),
    el("p", { class: "screening-keep-actions" }, print, " ", save),
  );
  return shown;
}

// Print or download only a complete summary; otherwise show the error summary and go to it.
function keep(view, action) {
  const shown = renderSummary(view, true);
  if (shown.length) {
    view.output.querySelector(".screening-error-summary")?.focus();
    return;
  }
  action();
}

// The reader left the judgement unfinished: show what is missing where it is missing.
export function judgementLeft(view) {
  renderSummary(view, true);
}

function answerLines(view, result) {
  return result.present.map((item) => {
    const seen = view.form.querySelector(`[data-seen-for="${CSS.escape(item.id)}"]`)?.value.trim();
    return seen ? `${item.label}. Seen: ${seen}` : item.label;
  });
}

// Questions with options ("Not known", "Not present …") as answered, so a reader can tell
// an answer of no from one not known.
function choiceLines(form) {
  return [...form.querySelectorAll("fieldset.screening-choice")].map((set) => {
    const legend = set.querySelector("legend")?.textContent.replace("(required)", "").trim() ?? "";
    const checked = set.querySelector("input:checked");
    const label = checked ? form.querySelector(`label[for="${checked.id}"]`)?.textContent.trim() : "No answer";
    return `${legend}: ${label}`;
  });
}

function judgementLines(view, result) {
  const judgement = readJudgement(view.form, result);
  if (!judgement.differs) return ["Agrees with the level from the answers"];
  const lines = [
    `Level by professional judgement: ${judgement.level.label}`,
    `Level from the answers: ${result.level.label}`,
    `Reason: ${judgement.reason || "not given"}`,
  ];
  if (judgement.below) {
    const firm = result.confirm_below;
    lines.push(
      `This is lower than ${firm.label}, which these rules give: ${firm.says.join(" ")} ` +
        (judgement.confirmed ? "The practitioner confirmed the lower level." : "The lower level was not confirmed."),
    );
  }
  return lines;
}

// The record, section by section: the same for the page's Print button, the browser's own
// print and the download.
function summarySections(view) {
  const { form, lastResult: result } = view;
  const title = result?.title ?? view.root.querySelector("form")?.getAttribute("aria-label") ?? "";
  const meta = [
    `Protocol: ${title}${result ? `, version ${result.version}` : ""}`,
    `Completed: ${new Date().toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short" })}`,
    VALIDITY,
    ...records(form).map(([term, given]) => `${term}: ${given || "not given"}`),
  ];
  const sections = [];
  if (!result) {
    const ticked = [...form.querySelectorAll("input[data-item]:checked")]
      .map((input) => form.querySelector(`label[for="${input.id}"]`)?.textContent.trim())
      .filter(Boolean);
    sections.push(
      ["Level from the answers", ["Not worked out: the scoring did not run in this browser. Use the page's rules to work it out by hand."]],
      ["Answers given", ticked.length ? ticked : ["None"]],
    );
    return { title: `${title}: summary`, meta, sections };
  }
  const strengths = form.querySelector("#strengths")?.value.trim() || "None recorded";
  const choices = choiceLines(form);
  for (const section of result.report) {
    if (section.heading === "Answers present") {
      sections.push([section.heading, result.present.length ? answerLines(view, result) : ["None"]]);
      if (choices.length) sections.push(["Answers to the questions with options", choices]);
      sections.push(["Strengths and protective factors", [strengths]]);
    } else if (section.heading === "Level from the answers" && result.band_reason?.lifted) {
      sections.push([section.heading, [...section.lines, result.band_reason.says]]);
    } else {
      sections.push([section.heading, section.lines]);
    }
    if (section.heading === "Level from the answers") sections.push(["Professional judgement", judgementLines(view, result)]);
  }
  return { title: `${result.title}: summary`, meta, sections };
}

/** Keep the page's one print region up to date: what both Print and Ctrl+P print. */
export function refreshPrint(view) {
  if (!view.print) return;
  const data = summarySections(view);
  const parts = [el("h1", {}, data.title), ...data.meta.map((line) => el("p", {}, line))];
  for (const [heading, lines] of data.sections) parts.push(el("h2", {}, heading), list(lines));
  view.print.replaceChildren(...parts);
}

function downloadSummary(view) {
  const data = summarySections(view);
  const lines = [data.title, "=".repeat(data.title.length), "", ...data.meta, ""];
  for (const [heading, entries] of data.sections) {
    lines.push(heading, "-".repeat(heading.length), ...entries.map((entry) => `- ${entry}`), "");
  }
  // Plain text, UTF-8 with a byte-order mark and Windows line ends: every case-recording
  // system takes it as an attachment, and Notepad on a locked-down laptop reads it right.
  const file = new Blob(["\ufeff" + lines.join("\r\n")], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(file);
  const link = el("a", { href: url, download: `${view.root.dataset.screening}-screening-summary.txt` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
