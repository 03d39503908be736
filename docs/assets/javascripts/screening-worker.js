// The scoring engine, in a module Web Worker so that starting Python never freezes the page.
// It loads the Pyodide core and the engine wheel from this site only. Each
// {type: "assess", id, protocolUrl, request} message (request: answers, what was seen,
// strengths, judgement, record) is passed, as it is, to the
// engine's one JSON contract (screening.json_api.assess_json), and its envelope comes back
// unchanged as {type: "result", id, reply}: {ok: true, result} or {ok: false, error:
// {type, message, item}}. {type: "save", id, protocolUrl, request, savedAt, site} goes to
// save_record_json and {type: "open", id, protocolUrl, text} to open_record_json, the same
// way: a saved record that cannot be read comes back as the engine's RecordError message.
// A failure here, before the engine, uses the same envelope. Nothing is stored.

import { describe, keepForNextVisit, startInterpreter } from "./engine-start.js";

const siteRoot = new URL("../../", import.meta.url);
const pyodideBase = new URL("assets/pyodide/", siteRoot);
const manifestUrl = new URL("assets/engine/manifest.json", siteRoot);

/** The protocols' text, fetched once each. @type {Map<string, Promise<string>>} */
const protocols = new Map();
/**
 * The engine's JSON entry points, once started (screening.json_api).
 * @typedef {object} EngineCalls
 * @property {(protocol: string, request: string) => string} assess
 * @property {(protocol: string, request: string, savedAt: string, site: string) => string} save
 * @property {(protocol: string, text: string) => string} open
 */
/** @type {EngineCalls | null} */
let calls = null;

/**
 * @param {URL | string} url
 * @param {RequestInit} [options]
 */
async function fetchOk(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) {
    throw new Error(`${new URL(url).pathname} could not be fetched (HTTP ${response.status})`);
  }
  return response;
}

// Why the engine could not start, in a reader's words, and whose fault it is: "server"
// (a file missing, or sent with the wrong type: the site's administrators can fix it),
// "browser" (WebAssembly blocked here: another browser or device can score), or "other".
/** @type {Array<[string, RegExp, string]>} */
const NEEDED = [
  ["pyodide.mjs", /^(text|application)\/javascript\b/, "JavaScript"],
  ["pyodide.asm.mjs", /^(text|application)\/javascript\b/, "JavaScript"],
  ["pyodide.asm.wasm", /^application\/wasm\b/, "application/wasm"],
];
const WASM_HEADER = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // the smallest valid module

async function wasmBlocked() {
  if (typeof WebAssembly !== "object") return true;
  try {
    await WebAssembly.compile(WASM_HEADER);
    return false;
  } catch (error) {
    return true;
  }
}

/**
 * @param {unknown} error
 * @returns {Promise<{ kind: "server" | "browser" | "other", reason: string }>}
 */
async function whyNotStarted(error) {
  const text = describe(error);
  const missing = /^(\S+) could not be fetched \(HTTP (\d+)\)/.exec(text);
  if (missing) {
    return {
      kind: "server",
      reason: `a file the scoring needs is missing from this website (${missing[1]}, HTTP ${missing[2]})`,
    };
  }
  for (const [name, type, wanted] of NEEDED) {
    const url = new URL(name, pyodideBase);
    let response;
    try {
      response = await fetch(url, { cache: "no-store" });
    } catch (fetchError) {
      return { kind: "other", reason: "the connection to this website was lost while the scoring engine was starting" };
    }
    response.body?.cancel();
    if (!response.ok) {
      return {
        kind: "server",
        reason: `a file the scoring needs is missing from this website (${url.pathname}, HTTP ${response.status})`,
      };
    }
    const sent = (response.headers.get("Content-Type") || "no type").split(";")[0].trim();
    if (!type.test(sent)) {
      return { kind: "server", reason: `this website's server sends ${url.pathname} as ${sent} instead of ${wanted}` };
    }
  }
  if (await wasmBlocked()) {
    return {
      kind: "browser",
      reason: "this browser, or a setting on this device, blocks WebAssembly, which the scoring needs",
    };
  }
  return { kind: "other", reason: text };
}

// How long each step of starting took (ms since the worker began), for the benchmark.
/** @type {Record<string, number | string>} */
const timings = {};
const mark = (/** @type {string} */ name) => {
  timings[name] = Math.round(performance.now());
};

// Loading Pyodide also hangs when one of its files is missing: note any failed fetch of its
// files while it starts, so the start fails at once and says which file.
function watchFetches() {
  /** @type {(error: Error) => void} */
  let fail = () => {};
  const failed = new Promise((_, reject) => {
    fail = reject;
  });
  failed.catch(() => {});
  const plainFetch = self.fetch;
  self.fetch = async (input, init) => {
    const response = await plainFetch(input, init);
    // Only Pyodide's own files: the snapshot's cache look-up may miss, and that is no fault.
    const url = new URL(response.url || String(input), self.location.href);
    if (!response.ok && url.href.startsWith(pyodideBase.href)) {
      fail(new Error(`${url.pathname} could not be fetched (HTTP ${response.status})`));
    }
    return response;
  };
  return { failed, stop: () => (self.fetch = plainFetch) };
}

async function start() {
  // Loading Pyodide hangs, rather than failing, where WebAssembly is blocked: check first.
  if (await wasmBlocked()) throw new Error("WebAssembly is blocked");
  // Everything the engine needs is fetched at once, while the interpreter starts.
  const manifest = fetchOk(manifestUrl, { cache: "no-cache" }).then((r) => r.json());
  const wheel = manifest.then((m) => fetchOk(new URL(m.wheel, siteRoot))).then((r) => r.arrayBuffer());
  const pyodideModule = import(new URL("pyodide.mjs", pyodideBase).href);
  const engineManifest = await manifest;
  mark("manifest");
  const { loadPyodide } = await pyodideModule;
  mark("imported");
  const options = { indexURL: pyodideBase.href, stdout: () => {}, stderr: () => {} };
  const watch = watchFetches();
  let started;
  try {
    started = await Promise.race([watch.failed, startInterpreter(loadPyodide, options, engineManifest, siteRoot)]);
  } finally {
    watch.stop();
  }
  const pyodide = started.pyodide;
  timings.start = started.start;
  if (started.reason) timings.fallback = started.reason;
  Object.assign(timings, started.marks);
  if (started.choice) {
    // A first visit's choice between the two starts, and why (start-choice.js).
    timings.choice = started.choice.start;
    timings.choice_reason = started.choice.reason;
    if (started.choice.mbps !== undefined) timings.link_mbps = Math.round(started.choice.mbps * 10) / 10;
  }
  if (started.start !== "snapshot") keepForNextVisit(engineManifest, siteRoot);
  mark("interpreter");
  // A pure-Python wheel is a zip archive: unpacked into site-packages, it is installed.
  pyodide.unpackArchive(await wheel, "wheel");
  mark("wheel");
  const api = pyodide.pyimport("screening.json_api");
  calls = { assess: api.assess_json, save: api.save_record_json, open: api.open_record_json };
  mark("engine");
}

const ready = start();
ready.then(
  () => postMessage({ type: "ready", timings }),
  (error) => whyNotStarted(error).then((why) => postMessage({ type: "failed", ...why })),
);

/** @param {string} url */
async function protocolText(url) {
  let text = protocols.get(url);
  if (!text) {
    text = fetchOk(url).then((r) => r.text());
    protocols.set(url, text);
  }
  try {
    return await text;
  } catch (error) {
    protocols.delete(url);
    throw error;
  }
}

/** @param {unknown} error */
function engineError(error) {
  return { ok: false, error: { type: "EngineError", message: describe(error), item: null } };
}

self.onmessage = async (event) => {
  if (event.data.type === "prefetch") {
    protocolText(event.data.protocolUrl).catch(() => {}); // a failure is reported when scoring
    return;
  }
  const { type, id, protocolUrl } = event.data;
  if (type !== "assess" && type !== "save" && type !== "open") return;
  let reply;
  try {
    await ready;
    const protocol = await protocolText(protocolUrl);
    if (!calls) throw new Error("the scoring engine did not start");
    const request = JSON.stringify(event.data.request ?? null);
    const out =
      type === "assess"
        ? calls.assess(protocol, request)
        : type === "save"
          ? calls.save(protocol, request, event.data.savedAt, JSON.stringify(event.data.site))
          : calls.open(protocol, event.data.text);
    reply = JSON.parse(out);
  } catch (error) {
    reply = engineError(error);
  }
  postMessage({ type: "result", id, reply });
};
