// Small helpers shared by the site's scripts. Nothing here runs on import.

/**
 * A small element tree: what the pure renderers return, so that Node's test runner can
 * check them without a browser. `toNode` makes it into DOM nodes.
 * @typedef {{ tag: string, attrs: Record<string, string>, children: Array<Tree | string> }} Tree
 */

/**
 * An element tree with attributes and children.
 * @param {string} tag
 * @param {Record<string, string>} [attrs]
 * @param {...(Tree | string)} children
 * @returns {Tree}
 */
export function h(tag, attrs = {}, ...children) {
  return { tag, attrs, children };
}

const SVG = "http://www.w3.org/2000/svg";
const SVG_TAGS = new Set(["svg", "line", "polyline", "circle", "text"]); // the timeline's chart

/**
 * DOM nodes for an element tree, made with `doc` (never by parsing HTML).
 * @param {Tree | string} tree
 * @param {Document} [doc]
 * @returns {Node}
 */
export function toNode(tree, doc = document) {
  if (typeof tree === "string") return doc.createTextNode(tree);
  const node = SVG_TAGS.has(tree.tag) ? doc.createElementNS(SVG, tree.tag) : doc.createElement(tree.tag);
  for (const [name, value] of Object.entries(tree.attrs)) node.setAttribute(name, value);
  for (const child of tree.children) node.append(toNode(child, doc));
  return node;
}

/**
 * An element with attributes and children (text or nodes); never parses HTML.
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/**
 * A heading's text without the theme's permalink sign.
 * @param {Element | null} heading
 */
export function headingText(heading) {
  if (!heading) return "";
  const copy = /** @type {Element} */ (heading.cloneNode(true));
  for (const link of copy.querySelectorAll(".headerlink")) link.remove();
  return (copy.textContent ?? "").trim();
}

/**
 * Run `bind` now and after every instant navigation (the theme's document$ stream).
 * @param {() => void} bind
 */
export function onEachPage(bind) {
  bind();
  const stream = /** @type {{ document$?: { subscribe?: (f: () => void) => unknown } }} */ (
    /** @type {unknown} */ (window)
  ).document$;
  if (stream && typeof stream.subscribe === "function") stream.subscribe(bind);
}
