// The one name the site's caches share: the service worker names each build's cache with
// it (the build writes it into sw.js from here, build_scripts/offline.py), the kill switch
// deletes every cache that has it, and the engine's start looks for it.
export const SITE_CACHE_PREFIX = "cse-site-";
