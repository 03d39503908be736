// The scoring engine, in a module Web Worker so that starting Python never freezes the page.
// It loads the Pyodide core and the engine wheel from this site only, then answers
// {id, protocolUrl, answers} messages with the engine's JSON result. Nothing is stored.

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
  const manifest = await (await fetchOk(manifestUrl, { cache: "no-cache" })).json();
  mark("manifest");
  const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideBase).href);
  mark("imported");
  const pyodide = await loadPyodide({
    indexURL: pyodideBase.href,
    stdout: () => {},
    stderr: () => {},
  });
  mark("interpreter");
  await pyodide.loadPackage(new URL(manifest.wheel, siteRoot).href, {
    messageCallback: () => {},
    errorCallback: () => {},
  });
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
