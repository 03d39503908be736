// Starting the Python interpreter for the scoring worker, quickly when this browser already
// has the build's memory snapshot (the interpreter saved just after the engine was imported),
// and the ordinary way otherwise. Any problem with the snapshot (not cached yet, missing,
// damaged, from another build, too big, too slow) means the ordinary start: the reader sees
// no difference but time. The snapshot is made at build time from no reader's data, and the
// reader's answers never go into it or into any cache.
//
// No browser-only code runs on import: the build imports `restore` under Node.js to check
// each snapshot with exactly the steps a browser takes.

import { SITE_CACHE_PREFIX } from "./site-cache.js";
import { MEASURE_BYTES, MEASURE_MS, chooseStart } from "./start-choice.js";

// Give up on a snapshot that has not restored by then, and start the ordinary way.
export const SNAPSHOT_TIMEOUT_MS = 15000;
// On a visit that started the ordinary way, fetch the snapshot this long after the engine
// is ready, so it never competes with the files the engine needs.
export const KEEP_DELAY_MS = 2000;

// What a snapshot cannot carry over. Its random generator state is the same for every
// reader, so reseed it from this device. Its import system's cached directory listings
// predate this file system, so drop them; only the folders' listings, because reading the
// standard library's zip index again (importlib.invalidate_caches) costs a third of a second.
export const AFTER_RESTORE = `
import random, sys
from importlib.machinery import FileFinder
random.seed()
for cached in list(sys.path_importer_cache.values()):
    if isinstance(cached, FileFinder):
        cached.invalidate_caches()
`;

// The snapshot as published: the interpreter's memory with its runs of zero pages left out
// (about half of it), as "CSESNAP1", the memory's length and the number of runs kept (u32,
// little-endian), each run's offset and length, then the runs' bytes in order.
const PACKED_MAGIC = "CSESNAP1";

/**
 * The interpreter's memory from a packed snapshot; throws if its layout does not add up.
 * Its vectors are shared with the Python packer: tests/js/vectors/snapshot.json.
 * @param {Uint8Array} packed
 * @param {number} [memoryBytes] the memory's length, as the build's manifest gives it
 * @returns {Uint8Array}
 */
export function unpackSnapshot(packed, memoryBytes) {
  const damaged = () => new Error("the snapshot's layout is damaged");
  if (packed.length < 16 || new TextDecoder().decode(packed.subarray(0, 8)) !== PACKED_MAGIC) {
    throw new Error("the snapshot is not in this site's packed form");
  }
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const length = view.getUint32(8, true);
  const count = view.getUint32(12, true);
  if (memoryBytes !== undefined && length !== memoryBytes) throw damaged();
  let data = 16 + count * 8;
  if (data > packed.length) throw damaged();
  const memory = new Uint8Array(length);
  let end = 0;
  for (let i = 0; i < count; i++) {
    const offset = view.getUint32(16 + i * 8, true);
    const size = view.getUint32(20 + i * 8, true);
    if (offset < end || offset + size > length || data + size > packed.length) throw damaged();
    memory.set(packed.subarray(data, data + size), offset);
    data += size;
    end = offset + size;
  }
  if (data !== packed.length) throw damaged();
  return memory;
}

/** An error's first line, short enough to show a reader. @param {unknown} error */
export function describe(error) {
  const message = error instanceof Error ? error.message : /** @type {{ message?: unknown }} */ (error)?.message;
  const text = message ? String(message) : String(error);
  return text.split("\n")[0].slice(0, 200);
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * @typedef {{ runPython: (code: string) => unknown, [key: string]: any }} Pyodide
 * @typedef {(options: Record<string, unknown>) => Promise<Pyodide>} LoadPyodide
 * @typedef {{ path: string, bytes: number, memory: number, sha256: string, first_visit: boolean, adapt?: boolean }} SnapshotInfo
 * @typedef {{ snapshot?: SnapshotInfo | null, [key: string]: unknown }} Manifest
 */

/**
 * Restore an interpreter from snapshot bytes (or a promise of them), then refresh what it cannot keep.
 * @param {LoadPyodide} loadPyodide
 * @param {Record<string, unknown>} options
 * @param {Uint8Array | Promise<Uint8Array>} snapshot
 */
export async function restore(loadPyodide, options, snapshot) {
  const pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot });
  pyodide.runPython(AFTER_RESTORE);
  return pyodide;
}

/** @param {ArrayBuffer} buffer */
function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The snapshot, streamed into a buffer of the size the manifest gives, checked against its hash, and unpacked. */
/**
 * @param {Response} response
 * @param {SnapshotInfo} info
 * @param {Record<string, number>} marks
 */
async function readSnapshot(response, info, marks) {
  const bytes = new Uint8Array(info.bytes);
  if (!response.body) throw new Error("the snapshot's response has no body");
  const reader = response.body.getReader();
  let filled = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (filled + value.length > bytes.length) {
      await reader.cancel();
      throw new Error("the snapshot is larger than this build's manifest says");
    }
    bytes.set(value, filled);
    filled += value.length;
  }
  if (filled !== bytes.length) throw new Error("the snapshot is shorter than this build's manifest says");
  marks.snapshot_read = Math.round(performance.now());
  const digest = hex(await crypto.subtle.digest("SHA-256", bytes));
  if (digest !== info.sha256) throw new Error("the snapshot does not match this build's manifest");
  marks.snapshot_checked = Math.round(performance.now());
  const memory = unpackSnapshot(bytes, info.memory);
  marks.snapshot_unpacked = Math.round(performance.now());
  return memory;
}

/** The snapshot's response when this browser already holds it, else null. The service
 * worker's copy is read straight from the Cache API: passed through the service worker, the
 * same bytes take two to three times as long. Then the browser's HTTP cache. */
/** @param {URL} url @returns {Promise<Response | null>} */
async function cachedSnapshot(url) {
  try {
    const kept = await caches.match(url.href);
    if (kept && kept.ok) return kept;
  } catch (error) {
    // no Cache API here (some private modes)
  }
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin" });
    return response.ok ? response : null;
  } catch (error) {
    return null;
  }
}

/**
 * The runtime's standard library, fetched ahead of Pyodide (which needs it for either start),
 * with the first MEASURE_BYTES of its body timed from its headers: a zip of compressed
 * files, so the bytes read are the bytes the link carried, whatever the server's encoding.
 * The measure reads a copy of the response; the response itself is handed to Pyodide.
 * @param {URL} url
 * @returns {Promise<{ response: Response | null, measured: import("./start-choice.js").LinkMeasure | null }>}
 */
export async function measureLink(url) {
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    return { response: null, measured: null }; // Pyodide fetches it again, and says what failed
  }
  const headers = performance.now();
  if (!response.ok || !response.body) return { response: null, measured: null };
  const copy = response.clone();
  if (!copy.body) return { response, measured: null };
  const reader = copy.body.getReader();
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {Promise<null>} */
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), MEASURE_MS);
  });
  let bytes = 0;
  let complete = false;
  try {
    while (bytes < MEASURE_BYTES) {
      const chunk = await Promise.race([reader.read(), late]);
      if (!chunk) break;
      if (chunk.done) {
        complete = true;
        break;
      }
      bytes += chunk.value.length;
    }
  } catch (error) {
    return { response: null, measured: null };
  } finally {
    clearTimeout(timer);
  }
  const ms = Math.max(0, performance.now() - headers);
  reader.cancel().catch(() => {}); // the copy only; the response goes on to Pyodide
  return { response, measured: { bytes, ms, complete } };
}

/**
 * Run `work` with the first fetch of `url` answered by `response` (already under way), so a
 * file fetched ahead is not fetched twice.
 * @template T
 * @param {URL} url
 * @param {Response | null} response
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
async function handingOver(url, response, work) {
  if (!response) return work();
  const plainFetch = self.fetch;
  let given = false;
  /** @type {typeof fetch} */
  const answering = (input, init) => {
    const asked = input instanceof Request ? input.url : String(input);
    if (!given && new URL(asked, self.location.href).href === url.href) {
      given = true;
      return Promise.resolve(response);
    }
    return plainFetch(input, init);
  };
  self.fetch = answering;
  try {
    return await work();
  } finally {
    if (self.fetch === answering) self.fetch = plainFetch;
    if (!given) response.body?.cancel().catch(() => {});
  }
}

/** What the browser says of its link (Network Information API, where there is one). The
 * page names the worker "save-data" when it asks to save data (screening-engine.js): a
 * worker does not always see that wish itself. */
export function browserLink() {
  const connection = /** @type {Navigator & { connection?: { saveData?: boolean, downlink?: number } }} */ (
    self.navigator
  )?.connection;
  const named = typeof self.name === "string" && self.name === "save-data";
  return { saveData: Boolean(connection?.saveData) || named, downlink: connection?.downlink ?? null };
}

/**
 * Start the interpreter. `manifest.snapshot` (written by the build when its snapshot passed
 * its checks) is `{path, bytes, memory, sha256, first_visit, adapt}`. Returns `{pyodide, start, reason}`:
 * `start` is "snapshot" or "normal", `reason` says why the snapshot was not used, and
 * `marks` holds when the snapshot was read and checked (ms from the worker's start). On a
 * first visit with `adapt`, `choice` says which start the link could afford and why.
 * @param {LoadPyodide} loadPyodide
 * @param {Record<string, unknown>} options
 * @param {Manifest} manifest
 * @param {URL | string} siteRoot
 * @returns {Promise<{ pyodide: Pyodide, start: "snapshot" | "normal", reason?: string, marks?: Record<string, number>, choice?: import("./start-choice.js").StartChoice }>}
 */
export async function startInterpreter(loadPyodide, options, manifest, siteRoot) {
  const info = manifest.snapshot;
  if (!info) return { pyodide: await loadPyodide(options), start: "normal", reason: "this build has no snapshot" };
  const url = new URL(info.path, siteRoot);
  let response = await cachedSnapshot(url);
  let reason = "the snapshot is not on this device yet";
  /** @type {Record<string, number>} */
  const marks = {};
  /** @type {import("./start-choice.js").StartChoice | undefined} */
  let choice;
  let fetchFirst = info.first_visit;
  const stdlib = new URL("python_stdlib.zip", new URL(String(options.indexURL ?? "assets/pyodide/"), siteRoot));
  /** @type {Response | null} */
  let ahead = null;
  if (!response && !info.first_visit && info.adapt) {
    const link = browserLink();
    const measuring = link.saveData ? { response: null, measured: null } : await measureLink(stdlib);
    ahead = measuring.response;
    choice = chooseStart({ ...link, measured: measuring.measured });
    marks.link_measured = Math.round(performance.now());
    fetchFirst = choice.start === "snapshot";
  }
  const load = () => handingOver(stdlib, ahead, () => loadPyodide(options));
  if (!response && fetchFirst) {
    response = await fetch(url).then(
      (r) => {
        if (!r.ok) reason = `the snapshot could not be fetched (HTTP ${r.status})`;
        return r.ok ? r : null;
      },
      (error) => {
        reason = `the snapshot could not be fetched (${describe(error)})`;
        return null;
      },
    );
  }
  if (!response) return { pyodide: await load(), start: "normal", reason, marks, choice };
  try {
    const bytes = readSnapshot(response, info, marks);
    bytes.catch(() => {}); // reported through the restore below
    const restored = handingOver(stdlib, ahead, () => restore(loadPyodide, options, bytes));
    ahead = null; // handed over, or cancelled, by the restore
    restored.catch(() => {}); // a late failure after the timeout changes nothing
    const pyodide = await withTimeout(restored, SNAPSHOT_TIMEOUT_MS, "restoring the snapshot");
    return { pyodide, start: "snapshot", marks, choice };
  } catch (error) {
    return { pyodide: await load(), start: "normal", reason: describe(error), marks, choice };
  }
}

/**
 * After an ordinary start, fetch the snapshot at low priority for the next visit, unless the
 * service worker keeps the runtime (it caches the snapshot with it) or the reader saves data.
 * Resolves to true when this call fetched it.
 * @param {Manifest} manifest
 * @param {URL | string} siteRoot
 * @returns {Promise<boolean>}
 */
export function keepForNextVisit(manifest, siteRoot, delay = KEEP_DELAY_MS) {
  const info = manifest.snapshot;
  if (!info || browserLink().saveData) {
    return Promise.resolve(false);
  }
  const url = new URL(info.path, siteRoot);
  return new Promise((resolve) => setTimeout(resolve, delay)).then(async () => {
    let serviceWorkerKeepsIt = false;
    try {
      serviceWorkerKeepsIt = (await caches.keys()).some((name) => name.startsWith(SITE_CACHE_PREFIX));
    } catch (error) {
      // no Cache API here (some private modes): the browser's HTTP cache is left
    }
    if (serviceWorkerKeepsIt) return false;
    try {
      const cached = await cachedSnapshot(url);
      if (cached) {
        await cached.body?.cancel();
        return false;
      }
      const response = await fetch(url, { priority: "low" });
      if (!response.ok) return false;
      if (!response.body) return false;
      const reader = response.body.getReader();
      while (!(await reader.read()).done);
      return true;
    } catch (error) {
      return false; // the next visit starts the ordinary way
    }
  });
}
