// The facilitator notes in a window of their own, for the trainer's screen, never a slide:
// opened from the presentation and kept following the slide on show. Nothing runs on import.

import { el } from "./dom.js";
import { slideTitle } from "./presentation-slides.js";

/** @typedef {import("./presentation.js").Presenting} Presenting */

// The presenter's window: built from this page (same origin), never shown to the room.
/** @param {Presenting} state */
export function presenterView(state) {
  const { presenter } = state;
  if (presenter && !presenter.closed) return presenter;
  const view = window.open("", "cse-presenter-notes", "popup,width=640,height=720");
  if (!view) {
    state.status.textContent =
      "The browser blocked the presenter window: allow pop-ups for this site to see the notes.";
    return null;
  }
  const doc = view.document;
  doc.title = `Presenter notes: ${state.title}`;
  for (const sheet of /** @type {NodeListOf<HTMLLinkElement>} */ (
    document.querySelectorAll('link[rel="stylesheet"]')
  )) {
    doc.head.append(el("link", { rel: "stylesheet", href: sheet.href }));
  }
  doc.body.className = "presenter-notes md-typeset";
  state.presenter = view;
  return view;
}

/** @param {Presenting} state */
export function updatePresenter(state) {
  const { presenter, slides, notes, index, title } = state;
  if (!presenter || presenter.closed) return;
  const doc = presenter.document;
  const upcoming = slides[index + 1];
  const make = (
    /** @type {string} */ tag,
    /** @type {Record<string, string>} */ attributes,
    /** @type {string[]} */ ...children
  ) => {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const copies = notes.map((section) => doc.importNode(section, true));
  for (const copy of copies) {
    // The notes are closed on the page; in the trainer's own window they are open.
    if (copy instanceof HTMLDetailsElement) copy.open = true;
    for (const node of copy.querySelectorAll("[id]")) node.removeAttribute("id");
    for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  }
  doc.body.replaceChildren(
    make("p", { class: "presenter-notes__title" }, `Presenter notes: ${title}`),
    make(
      "p",
      { class: "presenter-notes__now" },
      `On the screen: ${index + 1} of ${slides.length}, ${slideTitle(slides[index])}.`,
      upcoming ? ` Next: ${slideTitle(upcoming)}.` : " This is the last section.",
    ),
    ...copies,
  );
}
