// The scoring worker's link to the site: the runtime's standard library fetched ahead with
// its first bytes timed (how fast the link is), handed over to Pyodide so it is not fetched
// twice, and what the browser says of its link. Nothing runs on import.

import { MEASURE_BYTES, MEASURE_MS } from "./start-choice.js";

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
export async function handingOver(url, response, work) {
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
