// The scoring engine, in a module Web Worker so that starting Python never freezes the page.
// It loads the Pyodide core and the engine wheel from this site only, then answers
// {id, protocolUrl, answers} messages with the engine's JSON result. Nothing is stored.

import { keepForNextVisit, startInterpreter } from "./engine-start.js";

const siteRoot = new URL("../../", import.meta.url);
const pyodideBase = new URL("assets/pyodide/", siteRoot);
const manifestUrl = new URL("assets/engine/manifest.json", siteRoot);

const protocols = new Map();
let assessJson = null;

function describe(error) {
  const text = error && error.message ? error.message : String(error);
  return text.split("\n")[0].slice(0, 200);
}

async function fetchOk(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) {
    throw new Error(`${new URL(url).pathname} could not be fetched (HTTP ${response.status})`);
  }
  return response;
}

// How long each step of starting took (ms since the worker began), for the benchmark.
const timings = {};
const mark = (name) => {
  timings[name] = Math.round(performance.now());
};

async function start() {
  // Everything the engine needs is fetched at once, while the interpreter starts.
  const manifest = fetchOk(manifestUrl, { cache: "no-cache" }).then((r) => r.json());
  const wheel = manifest.then((m) => fetchOk(new URL(m.wheel, siteRoot))).then((r) => r.arrayBuffer());
  const pyodideModule = import(new URL("pyodide.mjs", pyodideBase).href);
  const engineManifest = await manifest;
  mark("manifest");
  const { loadPyodide } = await pyodideModule;
  mark("imported");
  const options = { indexURL: pyodideBase.href, stdout: () => {}, stderr: () => {} };
  const started = await startInterpreter(loadPyodide, options, engineManifest, siteRoot);
  const pyodide = started.pyodide;
  timings.start = started.start;
  if (started.reason) timings.fallback = started.reason;
  Object.assign(timings, started.marks);
  if (started.start !== "snapshot") keepForNextVisit(engineManifest, siteRoot);
  mark("interpreter");
  // A pure-Python wheel is a zip archive: unpacked into site-packages, it is installed.
  pyodide.unpackArchive(await wheel, "wheel");
  mark("wheel");
  assessJson = pyodide.pyimport("screening.browser").assess_json;
  mark("engine");
}

const ready = start();
ready.then(
  () => postMessage({ type: "ready", timings }),
  (error) => postMessage({ type: "failed", reason: describe(error) }),
);

async function protocolText(url) {
  if (!protocols.has(url)) {
    protocols.set(
      url,
      fetchOk(url).then((r) => r.text()),
    );
  }
  try {
    return await protocols.get(url);
  } catch (error) {
    protocols.delete(url);
    throw error;
  }
}

self.onmessage = async (event) => {
  if (event.data.type === "prefetch") {
    protocolText(event.data.protocolUrl).catch(() => {}); // a failure is reported when scoring
    return;
  }
  const { id, protocolUrl, answers } = event.data;
  try {
    await ready;
    const text = await protocolText(protocolUrl);
    const reply = JSON.parse(assessJson(text, JSON.stringify(answers)));
    postMessage({ type: "result", id, ...reply });
  } catch (error) {
    postMessage({ type: "result", id, ok: false, error: describe(error), item: null });
  }
};
