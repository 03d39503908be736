// A saved screening written on the page itself, when the scoring engine has not started:
// the same file the engine's record_text writes (screening/record_write.py), with the answers,
// notes, strengths, judgement and record fields as the engine would keep them, but no level:
// the file says in words that the level was not worked out on this device. The engine opens
// it again and works the level out then. A golden test (tests/js/) holds this writer to the
// engine's, on fixtures the engine writes. Pure: nothing happens on import.

/** @typedef {import("../../../schemas/contract").ScreeningRequest} ScreeningRequest */
/** @typedef {import("../../../schemas/contract").RecordData} RecordData */
/** @typedef {{ text: string, items: string[] }} Line */
/** @typedef {{ id: string, heading: string, lines: Line[] }} Section */
/** @typedef {{ item: string, text: string }} Words */
/** @typedef {{ id: string, title: string, version: string }} ProtocolOutline */

export const FORMAT = "cse-screening-record";
export const FORMAT_VERSION = 1;
export const MAX_RECORD_BYTES = 2_000_000;
const TITLE = "CSE screening record";
const BEGIN = "-----BEGIN SCREENING DATA-----";
const END = "-----END SCREENING DATA-----";
export const NOT_WORKED_OUT = "level not worked out on this device";
const NONE_CHOSEN = "no level chosen";
/** What the page says after saving such a file. */
export const WITHOUT_LEVEL =
  " The scoring engine has not started in this browser, so the file says the level was not worked out." +
  " Open it on this page when the engine runs, and the level is worked out then.";
export const TOO_LARGE =
  "With this screening the record would be larger than 2 MB, the most a saved screening can be. Save this" +
  " screening in a new record instead.";
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * "7 December 2026, 18:00 UTC", for a time such as 2026-12-07T18:00:00Z.
 * @param {string} iso
 */
export function timeInWords(iso) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return iso;
  const two = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const clock = `${two(when.getUTCHours())}:${two(when.getUTCMinutes())}`;
  return `${when.getUTCDate()} ${MONTHS[when.getUTCMonth()]} ${when.getUTCFullYear()}, ${clock} UTC`;
}

/**
 * <protocol id>-<YYYY-MM-DD>[-<child's reference, made safe for a file name>].txt
 * @param {string} protocolId
 * @param {string} savedAt
 * @param {string} child
 */
export function fileName(protocolId, savedAt, child) {
  const trim = (/** @type {string} */ text) => text.replace(/^-+|-+$/g, "");
  const safe = trim(trim(child.replace(/[^A-Za-z0-9_]+/g, "-")).slice(0, 40));
  return `${protocolId}-${savedAt.slice(0, 10)}${safe ? `-${safe}` : ""}.txt`;
}

/**
 * A report as plain text, as the engine's report_text: headings, "- line", "  - item".
 * @param {Section[]} sections
 */
export function reportText(sections) {
  const blocks = sections.map((section) =>
    [
      section.heading,
      ...section.lines.flatMap((line) => [`- ${line.text}`, ...line.items.map((i) => `  - ${i}`)]),
    ].join("\n"),
  );
  return blocks.join("\n\n") + "\n";
}

/**
 * The control's label, as the form words it.
 * @param {HTMLFormElement} form
 * @param {Element} control
 */
function labelOf(form, control) {
  return form.querySelector(`label[for="${control.id}"]`)?.textContent?.trim() ?? "";
}

/**
 * Every answer given (a tick, or a choice), as the form words it: the engine's answers_in_words.
 * @param {HTMLFormElement} form
 * @returns {Words[]}
 */
export function answersInWords(form) {
  /** @type {Words[]} */
  const out = [];
  for (const input of /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("input[data-item]")])) {
    if (!input.checked) continue;
    if (input.type === "checkbox") out.push({ item: input.name, text: labelOf(form, input) });
    else if (input.type === "radio") {
      // The question is the legend's own text, without the "(required)" marked up inside it.
      const legend = input.closest("fieldset")?.querySelector("legend");
      const own = [...(legend?.childNodes ?? [])].filter((node) => node.nodeType === 3);
      const question = own
        .map((node) => node.textContent)
        .join("")
        .trim();
      out.push({ item: input.name, text: `${question}: ${labelOf(form, input)}` });
    }
  }
  return out;
}

/**
 * The protocol the form is for, from the page: its id, title and version.
 * @param {HTMLFormElement} form
 * @returns {ProtocolOutline}
 */
export function outlineOf(form) {
  const root = /** @type {HTMLElement | null} */ (form.closest("[data-screening]"));
  return {
    id: root?.dataset.screening ?? "",
    title: form.getAttribute("aria-label") ?? "",
    version: root?.dataset.protocolVersion ?? "",
  };
}

/**
 * The level chosen by professional judgement, if any, with its label.
 * @param {HTMLFormElement} form
 * @returns {{ level: string | null, label: string | null }}
 */
export function chosenOf(form) {
  const chosen = /** @type {HTMLInputElement[]} */ ([...form.querySelectorAll("input[name='judgement-level']")]).find(
    (input) => input.checked && input.value,
  );
  return chosen ? { level: chosen.value, label: labelOf(form, chosen) } : { level: null, label: null };
}

/**
 * The record file of one screening whose level was not worked out: its name and whole text.
 * @param {object} about
 * @param {ProtocolOutline} about.protocol
 * @param {{ name: string, url: string }} about.site
 * @param {Omit<ScreeningRequest, "previous">} about.request the request as the engine would be sent it
 * @param {Words[]} about.words every answer given, in words
 * @param {{ level: string | null, label: string | null }} about.judgement the level chosen, if any
 * @param {Section[]} about.sections the page's report in words, without a result
 * @param {string} about.savedAt ISO 8601 in UTC, to the second
 * @returns {{ name: string, text: string }}
 */
export function unscoredRecord({ protocol, site, request, words, judgement, sections, savedAt }) {
  /** @type {RecordData} */
  const data = {
    format: FORMAT,
    format_version: FORMAT_VERSION,
    site: { name: site.name, url: site.url },
    protocol: { id: protocol.id, title: protocol.title, version: protocol.version },
    screenings: [
      {
        saved: savedAt,
        protocol_version: protocol.version,
        request,
        answers_in_words: words,
        level: null,
        judgement: { level: judgement.level, label: judgement.label },
      },
    ],
  };
  const child = (request.record?.child ?? "").trim();
  const judged = judgement.label || NONE_CHOSEN;
  const text = [
    TITLE,
    "=".repeat(TITLE.length),
    `Made by: ${site.name} (${site.url}) · Protocol: ${protocol.title}, version ${protocol.version} (${protocol.id})`,
    `Saved: ${timeInWords(savedAt)} · Child's reference: ${child || "not given"}`,
    "Keep this file where your agency keeps case records. The site keeps no copy. To continue or",
    'review this screening, open the file with "Open a saved screening" on the screening page.',
    "",
    reportText(sections).replace(/\n+$/, ""),
    "",
    "Screenings in this file, oldest first",
    `- ${timeInWords(savedAt)}: ${NOT_WORKED_OUT}; professional judgement: ${judged}`,
    "",
    "The site reads back only the data below. Do not change it: an edited file may not open.",
    BEGIN,
    JSON.stringify(data, null, 2),
    END,
    "",
  ].join("\n");
  if (new TextEncoder().encode(text).length > MAX_RECORD_BYTES) throw new Error(TOO_LARGE);
  return { name: fileName(protocol.id, savedAt, child), text };
}

/**
 * The record of the form as it stands, read from the page: see unscoredRecord.
 * @param {HTMLFormElement} form
 * @param {Omit<ScreeningRequest, "previous">} request the form's request (readRequest)
 * @param {Section[]} sections
 * @param {string} savedAt
 * @param {{ name: string, url: string }} site
 */
export function unscoredRecordOf(form, request, sections, savedAt, site) {
  const about = { protocol: outlineOf(form), site, request, words: answersInWords(form), judgement: chosenOf(form) };
  return unscoredRecord({ ...about, sections, savedAt });
}
