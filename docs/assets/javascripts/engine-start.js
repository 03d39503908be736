// Starting the Python interpreter for the scoring worker, quickly when this browser already
// has the build's memory snapshot (the interpreter saved just after the engine was imported),
// and the ordinary way otherwise. Any problem with the snapshot (not cached yet, missing,
// damaged, from another build, too big, too slow) means the ordinary start: the reader sees
// no difference but time. The snapshot is made at build time from no reader's data, and the
// reader's answers never go into it or into any cache.
//
// The snapshot's bytes are engine-snapshot.js's; the link's measure is engine-link.js's.
// Nothing runs on import.

import { browserLink, handingOver, measureLink } from "./engine-link.js";
import { readSnapshot, restore } from "./engine-snapshot.js";
import { SITE_CACHE_PREFIX } from "./site-cache.js";
import { chooseStart } from "./start-choice.js";

// Give up on a snapshot that has not restored by then, and start the ordinary way.
export const SNAPSHOT_TIMEOUT_MS = 15000;
// On a visit that started the ordinary way, fetch the snapshot this long after the engine
// is ready, so it never competes with the files the engine needs.
export const KEEP_DELAY_MS = 2000;

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
 * @typedef {import("./engine-snapshot.js").Pyodide} Pyodide
 * @typedef {import("./engine-snapshot.js").LoadPyodide} LoadPyodide
 * @typedef {import("./engine-snapshot.js").SnapshotInfo} SnapshotInfo
 * @typedef {{ snapshot?: SnapshotInfo | null, [key: string]: unknown }} Manifest
 */

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
