// Presentation mode for case studies on a projector: one section at a time, in large
// text, moved with the keyboard (arrows, Page Up/Down, Space, Home, End; Escape stops).

import { el, headingText, onEachPage } from "./dom.js";

let state = null;

function show(index) {
  const { sections, stage, counter, previous, next } = state;
  state.index = Math.max(0, Math.min(sections.length - 1, index));
  const copy = sections[state.index].cloneNode(true);
  copy.removeAttribute("data-present-section");
  for (const node of copy.querySelectorAll("[id]")) node.removeAttribute("id");
  for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  stage.replaceChildren(copy);
  counter.textContent = `${state.index + 1} of ${sections.length}`;
  previous.disabled = state.index === 0;
  next.disabled = state.index === sections.length - 1;
  stage.focus();
}

function stop() {
  if (!state) return;
  const { overlay, opener } = state;
  window.removeEventListener("keydown", onKey, true);
  overlay.remove();
  document.body.classList.remove("presenting");
  state = null;
  opener.focus();
}

function onKey(event) {
  if (!state) return;
  const keys = {
    ArrowRight: () => show(state.index + 1),
    PageDown: () => show(state.index + 1),
    " ": () => show(state.index + 1),
    ArrowLeft: () => show(state.index - 1),
    PageUp: () => show(state.index - 1),
    Home: () => show(0),
    End: () => show(state.sections.length - 1),
    Escape: stop,
  };
  const action = keys[event.key];
  if (!action || (event.key === " " && event.target instanceof HTMLButtonElement)) return;
  event.preventDefault();
  action();
}

function start(opener) {
  const sections = [...document.querySelectorAll("[data-present-section]")];
  if (!sections.length) return;
  const title = headingText(document.querySelector("h1")) || document.title;
  const stage = el("div", { class: "presentation__stage md-typeset", tabindex: "-1", "aria-live": "polite" });
  const counter = el("p", { class: "presentation__counter" });
  const previous = el("button", { type: "button", class: "md-button" }, "Previous");
  const next = el("button", { type: "button", class: "md-button md-button--primary" }, "Next");
  const close = el("button", { type: "button", class: "md-button" }, "Stop presenting");
  previous.addEventListener("click", () => show(state.index - 1));
  next.addEventListener("click", () => show(state.index + 1));
  close.addEventListener("click", stop);
  const overlay = el(
    "div",
    { class: "presentation", role: "dialog", "aria-modal": "true", "aria-label": `Presenting: ${title}` },
    el("p", { class: "presentation__title" }, title),
    stage,
    el("div", { class: "presentation__controls" }, previous, counter, next, close),
  );
  document.body.append(overlay);
  document.body.classList.add("presenting");
  state = { sections, stage, counter, previous, next, overlay, opener, index: 0 };
  window.addEventListener("keydown", onKey, true);
  show(0);
}

function bind() {
  for (const button of document.querySelectorAll("[data-present]:not([data-bound])")) {
    button.dataset.bound = "true";
    button.hidden = false;
    button.addEventListener("click", () => start(button));
  }
}

onEachPage(bind);
