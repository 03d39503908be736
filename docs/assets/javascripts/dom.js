// Small helpers shared by the site's scripts.

/** An element with attributes and children (text or nodes); never parses HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A heading's text without the theme's permalink sign. */
export function headingText(heading) {
  if (!heading) return "";
  const copy = heading.cloneNode(true);
  for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  return copy.textContent.trim();
}

/** Run ``bind`` now and after every instant navigation (the theme's document$ stream). */
export function onEachPage(bind) {
  bind();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(bind);
}
