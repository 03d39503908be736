// The scoring engine, in a module Web Worker so that starting Python never freezes the page.
// It loads the Pyodide core and the engine wheel from this site only. Each
// {type: "assess", id, protocolUrl, request: {answers}} message is passed, as it is, to the
// engine's one JSON contract (screening.json_api.assess_json), and its envelope comes back
// unchanged as {type: "result", id, reply}: {ok: true, result} or {ok: false, error:
// {type, message, item}}. A failure here, before the engine, uses the same envelope.
// Nothing is stored.

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
  await manifest;
  mark("manifest");
  const { loadPyodide } = await pyodideModule;
  mark("imported");
  const pyodide = await loadPyodide({
    indexURL: pyodideBase.href,
    stdout: () => {},
    stderr: () => {},
  });
  mark("interpreter");
  // A pure-Python wheel is a zip archive: unpacked into site-packages, it is installed.
  pyodide.unpackArchive(await wheel, "wheel");
  mark("wheel");
  assessJson = pyodide.pyimport("screening.json_api").assess_json;
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

function engineError(error) {
  return { ok: false, error: { type: "EngineError", message: describe(error), item: null } };
}

self.onmessage = async (event) => {
  if (event.data.type === "prefetch") {
    protocolText(event.data.protocolUrl).catch(() => {}); // a failure is reported when scoring
    return;
  }
  if (event.data.type !== "assess") return;
  const { id, protocolUrl, request } = event.data;
  let reply;
  try {
    await ready;
    const text = await protocolText(protocolUrl);
    reply = JSON.parse(assessJson(text, JSON.stringify(request)));
  } catch (error) {
    reply = engineError(error);
  }
  postMessage({ type: "result", id, reply });
};
