// Which start a first visit takes, when the browser holds no snapshot yet: the normal start
// (Python starts from nothing, about 1.6 s of work on a 2-core machine) or the snapshot
// fetched first (its bytes arrive on top of the runtime's, and restoring it saves that work).
// The snapshot pays off only on a link fast enough to bring its bytes in less time than the
// work it saves; anything else, or a browser that asks to save data, takes the normal start,
// which is never slower than the site was before. A pure function: nothing runs on import.

// The site's own break-even, from its measured figures. Fetched first, the snapshot made a
// cold start 0.45x the normal one on this machine's own link (1.3 s against 2.9 s: the normal
// start's extra work is 1.6 s) and 1.34x on a 5 Mbit/s link (18.1 s against 13.5 s). The
// snapshot as the build publishes it is 5.27 MB with Brotli (42.2 Mbit), so it pays off above
// 42.2 Mbit / 1.6 s = 26 Mbit/s (breakEvenMbps below). Drawn through the two measured points
// the line crosses at 19 Mbit/s, because some of the normal start's work overlaps its
// downloads; the figure from sizes is the careful one. A slower processor (a phone) has more
// work to save, and would break even lower: this threshold only errs towards the normal start.
export const SNAPSHOT_FIRST_MBPS = 26;
// The measured download: the first MEASURE_BYTES of the runtime's standard library, or as
// much as arrives in MEASURE_MS, whichever comes first.
export const MEASURE_BYTES = 256 * 1024;
export const MEASURE_MS = 1000;
// Fewer bytes than this, in less time than MEASURE_MS and short of the whole file, is too
// little to tell a link's speed from its latency.
export const MIN_MEASURED_BYTES = 64 * 1024;

/**
 * A download timed from its response's headers: `bytes` of its body in `ms`, `complete` when
 * that was the whole body.
 * @typedef {{ bytes: number, ms: number, complete: boolean }} LinkMeasure
 */
/**
 * What the worker knows of the link: the browser's Save-Data wish and downlink estimate
 * (Network Information API, Mbit/s; Chromium caps it at 10), and its own measure.
 * @typedef {{ saveData?: boolean, downlink?: number | null, measured?: LinkMeasure | null }} LinkFacts
 */
/**
 * The start chosen, and why, in a short sentence (the worker's timings carry both).
 * @typedef {{ start: "snapshot" | "normal", reason: string, mbps?: number }} StartChoice
 */

/**
 * The link speed (Mbit/s) above which fetching the snapshot first is quicker than the
 * normal start: its bytes' download time equals the start-up work it saves.
 * @param {number} snapshotBytes the snapshot's size as sent (compressed)
 * @param {number} savedSeconds the normal start's extra work over a restore
 */
export function breakEvenMbps(snapshotBytes, savedSeconds) {
  return (snapshotBytes * 8) / 1e6 / savedSeconds;
}

/**
 * A measure's speed in Mbit/s, or null when it is too short to say.
 * @param {LinkMeasure | null | undefined} measured
 * @returns {number | null}
 */
export function measuredMbps(measured) {
  if (!measured || !(measured.bytes > 0) || !(measured.ms >= 0)) return null;
  const enough = measured.complete || measured.bytes >= MIN_MEASURED_BYTES || measured.ms >= MEASURE_MS;
  if (!enough) return null;
  return measured.ms === 0 ? Infinity : (measured.bytes * 8) / (measured.ms * 1000);
}

/** @param {number} mbps */
const shown = (mbps) =>
  Number.isFinite(mbps) ? `${mbps < 10 ? mbps.toFixed(1) : Math.round(mbps)} Mbit/s` : "at once";

/**
 * The start for a first visit, from what the browser says and what the worker measured.
 * Save-Data wins; then the measure; then the browser's estimate; with neither, the normal start.
 * @param {LinkFacts} facts
 * @param {number} [threshold] Mbit/s, the site's break-even
 * @returns {StartChoice}
 */
export function chooseStart(facts, threshold = SNAPSHOT_FIRST_MBPS) {
  if (facts.saveData) return { start: "normal", reason: "the browser asks to save data" };
  const mbps = measuredMbps(facts.measured);
  if (mbps !== null) {
    const fast = mbps >= threshold;
    const speed = Number.isFinite(mbps) ? mbps : undefined;
    return {
      start: fast ? "snapshot" : "normal",
      reason: fast
        ? `the link measured ${shown(mbps)}, at or over the ${threshold} Mbit/s the snapshot needs`
        : `the link measured ${shown(mbps)}, under the ${threshold} Mbit/s the snapshot needs`,
      ...(speed === undefined ? {} : { mbps: speed }),
    };
  }
  const downlink = facts.downlink;
  if (typeof downlink === "number" && Number.isFinite(downlink) && downlink > 0) {
    const fast = downlink >= threshold;
    return {
      start: fast ? "snapshot" : "normal",
      reason: `no measure of the link; the browser estimates ${shown(downlink)}, ${fast ? "at or over" : "under"} the ${threshold} Mbit/s the snapshot needs`,
      mbps: downlink,
    };
  }
  return { start: "normal", reason: "no measure of the link" };
}
