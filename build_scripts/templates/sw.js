// The site's service worker: the site keeps working in a training room with poor Wi-Fi.
// Every page, stylesheet, script and the search index are cached when the site is first
// visited; the screening runtime (Pyodide, the engine, the protocols) only once a
// screening page is opened or the reader asks for the whole site offline, so a reader of
// chapters never downloads it. The cache is named after this build, so a new build
// replaces the old copy. Screening answers never reach this file: it only sees requests
// for the site's own static files, which carry no answers.

const VERSION = "__VERSION__";
const CACHE = `cse-site-${VERSION}`;
const SITE_FILES = __SITE_FILES__;
const RUNTIME_FILES = __RUNTIME_FILES__;

const scope = new URL(self.registration.scope);
const absolute = (path) => new URL(path, scope).href;
const KNOWN = new Set([...SITE_FILES, ...RUNTIME_FILES].map(absolute));

async function cacheAll(paths) {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const path of paths) {
    if (!(await cache.match(absolute(path)))) missing.push(absolute(path));
  }
  await cache.addAll(missing);
}

self.addEventListener("install", (event) => {
  event.waitUntil(cacheAll(SITE_FILES).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== CACHE && name.startsWith("cse-site-")) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep-runtime") {
    event.waitUntil(
      cacheAll(RUNTIME_FILES).then(
        () => event.source && event.source.postMessage({ type: "runtime-kept" }),
        () => event.source && event.source.postMessage({ type: "runtime-failed" }),
      ),
    );
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(scope.href)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(request, { ignoreSearch: request.mode === "navigate" });
      if (cached) return cached;
      try {
        const response = await fetch(request);
        // Keep a copy of the site's own files as they are fetched, so nothing is downloaded twice.
        if (response.ok && KNOWN.has(request.url)) await cache.put(request, response.clone());
        return response;
      } catch (error) {
        if (request.mode === "navigate") {
          const fallback = await cache.match(absolute("404.html"));
          if (fallback) return fallback;
        }
        throw error;
      }
    })(),
  );
});
