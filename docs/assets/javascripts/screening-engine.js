// The client of the scoring worker: one worker for the whole tab, started by the first
// screening page and kept across instant navigation. Each request is sent as it is and the
// engine's reply comes back unchanged. Importing this module starts nothing.

/** @typedef {import("../../../schemas/contract").ScreeningRequest} ScreeningRequest */
/** @typedef {import("../../../schemas/contract").ScreeningReply} ScreeningReply */
/** @typedef {import("../../../schemas/contract").OpenReply} OpenReply */
/** @typedef {import("../../../schemas/contract").SaveReply} SaveReply */
/** @typedef {"idle" | "starting" | "ready" | "failed"} EngineState */
/** @typedef {"server" | "browser" | "other"} Fault why it failed: the website's, the browser's, or neither */

const WORKER_URL = new URL("./screening-worker.js", import.meta.url);
const START_TIMEOUT_MS = 45000;

export const engine = {
  /** @type {Worker | null} */
  worker: null,
  /** @type {EngineState} */
  state: "idle",
  reason: "",
  /** @type {Fault} */
  fault: "other",
  nextId: 1,
  /** @type {Map<number, (reply: any) => void>} */
  pending: new Map(),
  /** Called on every change of state. @type {Set<() => void>} */
  watchers: new Set(),
};

/**
 * @param {EngineState} state
 * @param {string} [reason]
 * @param {Fault} [fault]
 */
function setState(state, reason = "", fault = "other") {
  if (engine.state === "failed") return;
  engine.state = state;
  engine.reason = reason;
  engine.fault = fault;
  for (const watcher of engine.watchers) watcher();
}

/** Start the worker, once per tab. */
export function startEngine() {
  if (engine.state !== "idle") return;
  engine.state = "starting";
  if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
    setState("failed", "this browser does not allow WebAssembly or Web Workers", "browser");
    return;
  }
  const timer = setTimeout(() => setState("failed", "the scoring engine took too long to start"), START_TIMEOUT_MS);
  let worker;
  try {
    // A worker does not always see the page's Save-Data wish (Chromium's emulation of it
    // stops at the page): its name carries it, for the start it chooses (start-choice.js).
    const connection = /** @type {{ connection?: { saveData?: boolean } }} */ (navigator).connection;
    worker = new Worker(WORKER_URL, { type: "module", name: connection?.saveData ? "save-data" : "" });
  } catch {
    clearTimeout(timer);
    setState("failed", "this browser could not start the scoring engine");
    return;
  }
  engine.worker = worker;
  worker.onmessage = (event) => {
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
  worker.onerror = (event) => {
    event.preventDefault();
    clearTimeout(timer);
    setState("failed", "a file the scoring engine needs could not be loaded from this website", "server");
  };
}

/**
 * Ask the worker to fetch a protocol now, so the first answer is scored at once.
 * @param {string} protocolUrl
 */
export function prefetch(protocolUrl) {
  engine.worker?.postMessage({ type: "prefetch", protocolUrl });
}

/**
 * The engine's reply to a request (the worker must be ready).
 * @param {string} protocolUrl
 * @param {ScreeningRequest} request
 * @returns {Promise<ScreeningReply>}
 */
export function score(protocolUrl, request) {
  return ask({ type: "assess", protocolUrl, request });
}

/**
 * The record file for a request (with `previous`, the record it continues), saved at
 * `savedAt` (ISO 8601 in UTC): the engine's save_record_json reply.
 * @param {string} protocolUrl
 * @param {ScreeningRequest} request
 * @param {string} savedAt
 * @param {{ name: string, url: string }} site
 * @returns {Promise<SaveReply>}
 */
export function saveRecord(protocolUrl, request, savedAt, site) {
  return ask({ type: "save", protocolUrl, request, savedAt, site });
}

/**
 * A saved record's text read against the protocol: the engine's open_record_json reply.
 * @param {string} protocolUrl
 * @param {string} text
 * @returns {Promise<OpenReply>}
 */
export function openRecord(protocolUrl, text) {
  return ask({ type: "open", protocolUrl, text });
}

/**
 * Post one message to the worker; its reply, whatever kind.
 * @param {Record<string, unknown>} message
 * @returns {Promise<any>}
 */
function ask(message) {
  const id = engine.nextId++;
  return new Promise((resolve) => {
    engine.pending.set(id, resolve);
    engine.worker?.postMessage({ ...message, id });
  });
}

/** Stop the worker and forget every watcher ("Exit this page"). */
export function stopEngine() {
  engine.worker?.terminate();
  engine.watchers.clear();
}
