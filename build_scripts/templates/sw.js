// The site's service worker: the site keeps working in a training room with poor Wi-Fi,
// and a reader is never kept on an old copy of it.
//
// - Every page, stylesheet, script and the search index are cached when the site is first
//   visited; the screening runtime (Pyodide, the engine, the protocols) only once a
//   screening page is opened or the reader asks for the whole site offline.
// - A build is cached whole or not at all, under a name of its own, and every file is
//   asked of the server, never of the browser's HTTP cache (which, on a host sending no
//   Cache-Control, may hold an old copy for days). If any file is missing the new build
//   is not installed, and nothing of it is kept.
// - Files whose names carry a hash of their content are served from the cache. Every other
//   file is checked with the server first whenever there is a network (a 304 costs a few
//   bytes), so a redeploy is seen on the next page even while this worker is still the one
//   in charge; the cached copy is used when the server cannot be reached.
// - Kill switch: a deploy without sw.js retires this worker and deletes its caches.
//
// Screening answers never reach this file: it only sees requests for the site's own
// static files, which carry no answers.

const VERSION = "__VERSION__";
const PREFIX = __PREFIX__; // docs/assets/javascripts/site-cache.js
const CACHE = `${PREFIX}${VERSION}`;
const SITE_FILES = __SITE_FILES__;
const RUNTIME_FILES = __RUNTIME_FILES__;
const HASHED = new RegExp(__HASHED__);
// How long to wait for the server before falling back to a cached copy, and how long to
// serve cached copies straight away once the server could not be reached.
const NETWORK_WAIT_MS = 4000;
const OFFLINE_FOR_MS = 20000;
let offlineUntil = 0;
// Set once the kill switch has fired: from then on this worker answers nothing and writes
// nothing, so a page it still controls cannot bring a deleted cache back.
let retired = false;

// This script runs as the site's service worker.
const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const scope = new URL(worker.registration.scope);
const absolute = (/** @type {string} */ path) => new URL(path, scope).href;
const KNOWN = new Set([...SITE_FILES, ...RUNTIME_FILES].map(absolute));
const WORKER_URL = absolute("sw.js");
const hashed = (/** @type {string} */ url) => HASHED.test(new URL(url).pathname);

async function olderCaches() {
  const names = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  return Promise.all(names.map((name) => caches.open(name)));
}

/**
 * @param {Cache[]} stores
 * @param {string} url
 */
async function matchIn(stores, url) {
  for (const store of stores) {
    const found = await store.match(url);
    if (found) return found;
  }
  return undefined;
}

// Ask the server for a file: "no-cache" makes the browser check its HTTP cache's copy with
// the server (a 304 costs a few bytes) instead of trusting it, and keeps that copy current
// for the day this worker is gone. A file whose name carries a hash of its content is the
// same wherever it comes from: the HTTP cache's copy (the page has usually just fetched it)
// is taken as it is, so a first visit does not download it twice.
/**
 * @param {string} url
 * @param {RequestRedirect} [redirect]
 */
function fromServer(url, redirect = "follow") {
  const cache = hashed(url) ? "default" : "no-cache";
  return fetch(url, { cache, redirect, credentials: "same-origin" });
}

// Every file of a list, from the server (or, for a hashed name, from an older build's
// cache): all of them, or an error naming the first that failed.
/**
 * @param {string[]} paths
 * @param {Cache[]} stores
 * @returns {Promise<Array<[string, Response]>>}
 */
async function collect(paths, stores) {
  return Promise.all(
    paths.map(async (path) => {
      const url = absolute(path);
      const kept = await matchIn(stores, url);
      if (kept && hashed(url)) return [url, kept];
      const response = await fromServer(url);
      if (!response.ok || response.redirected) throw new Error(`${url} could not be cached (HTTP ${response.status})`);
      return [url, response];
    }),
  );
}

async function install() {
  const older = await olderCaches();
  // A reader who kept the screening tools offline keeps them across a redeploy.
  const wasm = RUNTIME_FILES.find((path) => path.endsWith(".wasm"));
  const keptRuntime = wasm !== undefined && (await matchIn(older, absolute(wasm))) !== undefined;
  const entries = await collect(keptRuntime ? [...SITE_FILES, ...RUNTIME_FILES] : SITE_FILES, older);
  await caches.delete(CACHE);
  const cache = await caches.open(CACHE);
  try {
    for (const [url, response] of entries) await cache.put(url, response);
  } catch (error) {
    await caches.delete(CACHE); // never half a build
    throw error;
  }
}

worker.addEventListener("install", (event) => {
  event.waitUntil(install().then(() => worker.skipWaiting()));
});

worker.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE && name.startsWith(PREFIX)) await caches.delete(name);
      }
      await worker.clients.claim();
    })(),
  );
});

async function keepRuntime() {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const path of RUNTIME_FILES) {
    if (!(await cache.match(absolute(path)))) missing.push(path);
  }
  const entries = await collect(missing, [cache]);
  for (const [url, response] of entries) await cache.put(url, response);
}

worker.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep-runtime") {
    event.waitUntil(
      keepRuntime().then(
        () => event.source && event.source.postMessage({ type: "runtime-kept" }),
        () => event.source && event.source.postMessage({ type: "runtime-failed" }),
      ),
    );
  }
});

// The kill switch: once the server has no sw.js, this worker and its caches go.
async function retireIfRemoved() {
  let response;
  try {
    response = await fetch(WORKER_URL, { cache: "no-store" });
  } catch (error) {
    return; // offline: nothing to learn
  }
  if (response.status !== 404 && response.status !== 410) return;
  retired = true;
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX)) await caches.delete(name);
  }
  await worker.registration.unregister();
}

// Add a file to this build's cache, unless the cache has gone (retired, or cleared by the
// reader): it is never brought back.
/**
 * @param {string} url
 * @param {Response} response
 */
async function keep(url, response) {
  if (retired || !(await caches.has(CACHE))) return;
  await (await caches.open(CACHE)).put(url, response);
  if (retired) await caches.delete(CACHE); // the kill switch fired meanwhile
}

/**
 * @param {Promise<Response>} promise
 * @param {Response | undefined} cached
 * @returns {Promise<Response>}
 */
function withinWait(promise, cached) {
  const failed = () => {
    offlineUntil = Date.now() + OFFLINE_FOR_MS;
  };
  promise.catch(failed);
  if (!cached) return promise;
  const late = new Promise((resolve) =>
    setTimeout(() => {
      failed();
      resolve(cached);
    }, NETWORK_WAIT_MS),
  );
  return Promise.race([promise, late]);
}

/** @param {FetchEvent} event */
async function answer(event) {
  const request = event.request;
  const navigation = request.mode === "navigate";
  // caches.match with a cache name never creates the cache (caches.open would).
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: navigation });
  if (cached && (hashed(request.url) || Date.now() < offlineUntil)) return cached;
  let response;
  try {
    response = await withinWait(fromServer(request.url, navigation ? "manual" : "follow"), cached);
  } catch (error) {
    if (cached) return cached; // no network: the copy of this build
    if (navigation) {
      const fallback = await caches.match(absolute("404.html"), { cacheName: CACHE });
      if (fallback) return fallback;
    }
    throw error;
  }
  if (navigation) event.waitUntil(retireIfRemoved());
  // Keep the site's own files as they are first fetched, so nothing is downloaded twice.
  // A changed file is not written over this build's copy: the next build's worker has it.
  if (!cached && response.ok && !response.redirected && KNOWN.has(request.url)) {
    await keep(request.url, response.clone());
  }
  return response;
}

worker.addEventListener("fetch", (event) => {
  const request = event.request;
  if (retired || request.method !== "GET" || !request.url.startsWith(scope.href) || request.url === WORKER_URL) return;
  event.respondWith(answer(event));
});
