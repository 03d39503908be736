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
// - Missing includes a host's stand-in: every file must come with the type its name says
//   (a script as JavaScript, a page as HTML, and no other file as a page), and no two
//   pages may be the same, so a host that answers a missing file with its home page (a
//   common rewrite rule) never gets that page kept as a script or as another page.
// - Files whose names carry a hash of their content are served from the cache. Every other
//   file is checked with the server first whenever there is a network (a 304 costs a few
//   bytes), so a redeploy is seen on the next page even while this worker is still the one
//   in charge. The cached copy is used only when the server cannot be reached, or has not
//   answered within a few seconds while this is still the deployed build; once the server's
//   sw.js is another build's, this worker waits for the server however long it takes.
// - A file the server no longer sends as itself (missing, or a page in its place) is taken
//   from this build's copy when there is one: a broken deploy never takes away the Exit
//   this page script.
// - Kill switch: a deploy without sw.js retires this worker and deletes its caches, on
//   a host that answers a missing sw.js with a page (not JavaScript) as on one sending 404.
//
// Screening answers never reach this file: it only sees requests for the site's own
// static files, which carry no answers.

const VERSION = "__VERSION__";
const PREFIX = __PREFIX__; // docs/assets/javascripts/site-cache.js
const CACHE = `${PREFIX}${VERSION}`;
const SITE_FILES = __SITE_FILES__;
const RUNTIME_FILES = __RUNTIME_FILES__;
const HASHED = new RegExp(__HASHED__);
// The type each kind of file must come with where the browser depends on it (the rest
// must only not be a page), and the other names browsers accept for those types.
const TYPES = __TYPES__;
const SAME_TYPES = __SAME_TYPES__;
const PAGE = "text/html";
const JAVASCRIPT = TYPES[".js"];
// How long to wait for the server before falling back to a cached copy, and how long to
// serve cached copies straight away once the server could not be reached.
const NETWORK_WAIT_MS = 4000;
const OFFLINE_FOR_MS = 20000;
let offlineUntil = 0;
// Set once the kill switch has fired: from then on this worker answers nothing and writes
// nothing, so a page it still controls cannot bring a deleted cache back.
let retired = false;
// Set when the server's sw.js is another build's: a slow server is then waited for, never
// answered for with this build's copy.
let outdated = false;

// This script runs as the site's service worker.
const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));
const scope = new URL(worker.registration.scope);
const absolute = (/** @type {string} */ path) => new URL(path, scope).href;
const KNOWN = new Set([...SITE_FILES, ...RUNTIME_FILES].map(absolute));
const WORKER_URL = absolute("sw.js");
const HOME = absolute("./");
const hashed = (/** @type {string} */ url) => HASHED.test(new URL(url).pathname);

/** @param {Response} response */
function mediaType(response) {
  const sent = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
  return Object.hasOwn(SAME_TYPES, sent) ? SAME_TYPES[sent] : sent;
}

// The type a file's name says it is, or null for a kind the browser does not check.
/**
 * @param {string} url
 * @returns {string | null}
 */
function wantedType(url) {
  const path = new URL(url).pathname;
  if (path.endsWith("/")) return PAGE;
  const name = path.slice(path.lastIndexOf("/") + 1);
  const suffix = name.includes(".") ? name.slice(name.lastIndexOf(".")) : "";
  return Object.hasOwn(TYPES, suffix) ? TYPES[suffix] : null;
}

// Why a server's answer cannot stand for the file at url, or "" when it can.
/**
 * @param {string} url
 * @param {Response} response
 */
function unfit(url, response) {
  if (!response.ok || response.redirected) return `HTTP ${response.status}${response.redirected ? ", redirected" : ""}`;
  const sent = mediaType(response);
  const wanted = wantedType(url);
  if (wanted ? sent !== wanted : sent === PAGE) return `sent as ${sent || "no type"}`;
  return "";
}

/** @param {Response} response */
async function digest(response) {
  const bytes = await crypto.subtle.digest("SHA-256", await response.clone().arrayBuffer());
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Every page of a build is different: a page that is the same as another (the home page,
// usually) is a host's stand-in for a missing one. ``others`` are pages already known.
/**
 * @param {Array<[string, Response]>} entries
 * @param {Array<[string, Response]>} others
 * @returns {Promise<string>}
 */
async function firstRepeatedPage(entries, others) {
  const seen = new Map();
  for (const [url, response] of others) seen.set(await digest(response), url);
  for (const [url, response] of entries) {
    if (wantedType(url) !== PAGE) continue;
    const key = await digest(response);
    if (seen.has(key) && seen.get(key) !== url) return `${url} is the same page as ${seen.get(key)}`;
    seen.set(key, url);
  }
  return "";
}

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
// cache), each as itself: all of them, or an error naming the first that failed.
// ``home`` is this build's cached home page, when the list does not hold it.
/**
 * @param {string[]} paths
 * @param {Cache[]} stores
 * @param {Response | undefined} home
 * @returns {Promise<Array<[string, Response]>>}
 */
async function collect(paths, stores, home) {
  const entries = await Promise.all(
    paths.map(async (path) => {
      const url = absolute(path);
      const kept = await matchIn(stores, url);
      if (kept && hashed(url)) return /** @type {[string, Response]} */ ([url, kept]);
      const response = await fromServer(url);
      const why = unfit(url, response);
      if (why) throw new Error(`${url} could not be cached (${why})`);
      return /** @type {[string, Response]} */ ([url, response]);
    }),
  );
  const repeated = await firstRepeatedPage(entries, home ? [[HOME, home]] : []);
  if (repeated) throw new Error(`${repeated}: it is missing from the deploy`);
  return entries;
}

async function install() {
  const older = await olderCaches();
  // A reader who kept the screening tools offline keeps them across a redeploy.
  const wasm = RUNTIME_FILES.find((path) => path.endsWith(".wasm"));
  const keptRuntime = wasm !== undefined && (await matchIn(older, absolute(wasm))) !== undefined;
  const entries = await collect(keptRuntime ? [...SITE_FILES, ...RUNTIME_FILES] : SITE_FILES, older, undefined);
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
  const entries = await collect(missing, [cache], await cache.match(HOME));
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

// Ask the server's sw.js which build is deployed. The kill switch: once the server has no
// sw.js (404 or 410, or a page or anything else that is not JavaScript in its place: a
// browser would not run it), this worker and its caches go.
async function checkDeploy() {
  let response;
  try {
    response = await fetch(WORKER_URL, { cache: "no-store" });
  } catch (error) {
    return; // offline: nothing to learn
  }
  const gone =
    response.status === 404 || response.status === 410 || (response.ok && mediaType(response) !== JAVASCRIPT);
  if (!gone) {
    if (response.ok) outdated = !(await response.text()).includes(`const VERSION = "${VERSION}";`);
    return;
  }
  retired = true;
  for (const name of await caches.keys()) {
    if (name.startsWith(PREFIX)) await caches.delete(name);
  }
  await worker.registration.unregister();
}

// Add a file to this build's cache, if it came as itself, unless the cache has gone
// (retired, or cleared by the reader): it is never brought back.
/**
 * @param {string} url
 * @param {Response} response
 */
async function keep(url, response) {
  if (retired || unfit(url, response) || !(await caches.has(CACHE))) return;
  if (wantedType(url) === PAGE && url !== HOME) {
    const home = await caches.match(HOME, { cacheName: CACHE });
    if (!home || (await firstRepeatedPage([[url, response]], [[HOME, home]]))) return;
  }
  await (await caches.open(CACHE)).put(url, response);
  if (retired) await caches.delete(CACHE); // the kill switch fired meanwhile
}

// The server's answer; or, with a cached copy, that copy once the server has not answered
// within NETWORK_WAIT_MS, unless another build is deployed (then the server is waited for).
/**
 * @param {Promise<Response>} promise
 * @param {Response | undefined} cached
 * @returns {Promise<Response>}
 */
function withinWait(promise, cached) {
  promise.then(
    () => {
      offlineUntil = 0; // the server answers
    },
    () => {
      offlineUntil = Date.now() + OFFLINE_FOR_MS;
    },
  );
  if (!cached) return promise;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => {
      if (outdated) return;
      offlineUntil = Date.now() + OFFLINE_FOR_MS;
      resolve(cached);
    }, NETWORK_WAIT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** @param {FetchEvent} event */
async function answer(event) {
  const request = event.request;
  const navigation = request.mode === "navigate";
  // caches.match with a cache name never creates the cache (caches.open would).
  const cached = await caches.match(request, { cacheName: CACHE, ignoreSearch: navigation });
  if (cached && (hashed(request.url) || (Date.now() < offlineUntil && !outdated))) return cached;
  if (navigation) event.waitUntil(checkDeploy());
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
  // The server no longer sends this file as itself (missing from the deploy, or a page in
  // its place): this build's copy stands in, so a broken deploy does not break the page.
  if (cached && !navigation && unfit(request.url, response)) return cached;
  // Keep the site's own files as they are first fetched, so nothing is downloaded twice.
  // A changed file is not written over this build's copy: the next build's worker has it.
  if (!cached && KNOWN.has(request.url)) await keep(request.url, response.clone());
  return response;
}

worker.addEventListener("fetch", (event) => {
  const request = event.request;
  if (retired || request.method !== "GET" || !request.url.startsWith(scope.href) || request.url === WORKER_URL) return;
  event.respondWith(answer(event));
});
