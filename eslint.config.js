// ESLint for the browser code (npm run lint): the recommended rules, with each file's
// globals (the page, the workers, Node.js for the tests and the build's scripts).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "site/", "docs/assets/pyodide/", "docs/assets/engine/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["docs/assets/javascripts/**/*.js", "tools/bench_pages/*.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: [
      "docs/assets/javascripts/screening-worker.js",
      "docs/assets/javascripts/engine-start.js",
      "docs/assets/javascripts/engine-link.js",
    ],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    // A classic service worker; the build fills in the __NAMES__ of its file lists.
    files: ["build_scripts/templates/sw.js"],
    languageOptions: {
      sourceType: "script",
      globals: {
        ...globals.serviceworker,
        __PREFIX__: "readonly",
        __VERSION__: "readonly",
        __SITE_FILES__: "readonly",
        __RUNTIME_FILES__: "readonly",
        __HASHED__: "readonly",
        __TYPES__: "readonly",
        __SAME_TYPES__: "readonly",
      },
    },
  },
  {
    files: ["tests/**/*.js", "tests/**/*.mjs", "build_scripts/**/*.mjs", "eslint.config.js"],
    languageOptions: { sourceType: "module", globals: { ...globals.node } },
  },
  {
    rules: {
      "no-unused-vars": ["error", { caughtErrors: "none" }],
      eqeqeq: "error",
      "prefer-const": "error",
      "no-var": "error",
    },
  },
];
