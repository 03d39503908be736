// What the build writes into the service worker template (build_scripts/offline.py), for
// its type check (tsconfig.sw.json); never served.
declare const __PREFIX__: string;
declare const __VERSION__: string;
declare const __SITE_FILES__: string[];
declare const __RUNTIME_FILES__: string[];
declare const __HASHED__: string;
declare const __TYPES__: Record<string, string>;
declare const __SAME_TYPES__: Record<string, string>;
