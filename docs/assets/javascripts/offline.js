// Registers the site's service worker so pages and search keep working offline, and
// asks it to keep the screening runtime once a screening's engine has started (or when
// the reader presses a "keep offline" button). Nothing about a screening is involved.

import { onEachPage } from "./dom.js";
import { SITE_CACHE_PREFIX } from "./site-cache.js";

const siteRoot = new URL("../../", import.meta.url);

const workerUrl = new URL("sw.js", siteRoot);

// The kill switch, from the page's side: a deploy without sw.js retires the offline copy.
// Asked before registering, because registering again would bring back a worker that has
// just retired itself. A host may answer the missing file with a page of its own (200,
// HTML): anything that is not JavaScript counts as missing, as no browser would run it.
const JAVASCRIPT_TYPES = ["text/javascript", "application/javascript", "application/x-javascript"];

async function removedFromServer() {
  try {
    const response = await fetch(workerUrl, { cache: "no-cache" });
    response.body?.cancel();
    const type = (response.headers.get("Content-Type") || "").split(";")[0].trim().toLowerCase();
    return response.status === 404 || response.status === 410 || (response.ok && !JAVASCRIPT_TYPES.includes(type));
  } catch (error) {
    return false; // offline: keep what there is
  }
}

async function retire() {
  try {
    for (const registration of await navigator.serviceWorker.getRegistrations()) {
      if (registration.scope === siteRoot.href) await registration.unregister();
    }
    for (const name of await caches.keys()) {
      if (name.startsWith(SITE_CACHE_PREFIX)) await caches.delete(name);
    }
  } catch (error) {
    // storage not available: nothing to retire
  }
}

/** @type {Promise<ServiceWorkerRegistration | null> | null} */
let registered = null;

function worker() {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  registered ??= (async () => {
    if (await removedFromServer()) {
      await retire();
      return null;
    }
    try {
      await navigator.serviceWorker.register(workerUrl, { scope: siteRoot.pathname, updateViaCache: "none" });
      return await navigator.serviceWorker.ready;
    } catch (error) {
      return null; // offline use is a convenience; the site works without it
    }
  })();
  return registered;
}

/** @param {HTMLElement | null} status where to say how keeping went */
function keepRuntime(status) {
  worker().then((registration) => {
    if (!registration || !registration.active) {
      if (status) status.textContent = "This browser cannot keep the site for offline use.";
      return;
    }
    if (status) {
      status.textContent = "Saving the screening tools for offline use…";
      navigator.serviceWorker.addEventListener("message", function done(event) {
        if (event.data?.type === "runtime-kept")
          status.textContent = "Done: this site, with its screening tools, now works offline on this device.";
        else if (event.data?.type === "runtime-failed")
          status.textContent = "Saving failed; check the connection and try again.";
        else return;
        navigator.serviceWorker.removeEventListener("message", done);
      });
    }
    registration.active.postMessage({ type: "keep-runtime" });
  });
}

// Once a screening's engine has started (its files now cached as they came), keep the rest.
document.addEventListener("cse:engine-ready", () => keepRuntime(null));

function bind() {
  for (const button of /** @type {NodeListOf<HTMLElement>} */ (
    document.querySelectorAll("[data-offline-keep]:not([data-bound])")
  )) {
    button.dataset.bound = "true";
    button.hidden = false;
    const status = document.getElementById(button.getAttribute("aria-controls") ?? "");
    button.addEventListener("click", () => keepRuntime(status));
  }
}

worker();
onEachPage(bind);
