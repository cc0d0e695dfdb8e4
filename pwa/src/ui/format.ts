// Dates and times as the app shows them. One long and one short form, the same words as the
// server's (server/text/da.py), in the device's own time zone (the tablets are in Denmark,
// and their date fields are typed in local time too):
//
//   dateLong   "4. december 2026"            a meeting, a deadline, anything planned
//   dateShort  "4. dec."                     only with a time, for what just happened
//   clock      "kl. 14.30"
//   whenLong   "4. december 2026 kl. 14.30"  when a meeting is held
//   when       "4. dec. kl. 14.30"           when something was published, read, filed, sent
//
// Never ISO dates, numeric dates (25.11.2026) or the browser's own formats, which differ
// between Safari and Chromium (tests/browser/test_language.py scans the screens for them).

const MONTHS = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
  "oktober", "november", "december"];
const SHORT_MONTHS = ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."];

/** A moment (ISO string, Date, epoch ms) or a calendar day ("2026-12-04") as a local date. */
export function toDate(value: unknown): Date | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value === "number") return new Date(value);
  if (typeof value !== "string" || !value) return null;
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  // A calendar day is that day wherever the device is, not midnight UTC.
  const d = day ? new Date(Number(day[1]), Number(day[2]) - 1, Number(day[3])) : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** "4. december 2026" */
export function dateLong(value: unknown): string {
  const d = toDate(value);
  return d ? `${d.getDate()}. ${MONTHS[d.getMonth()]} ${d.getFullYear()}` : "";
}

/** "4. dec." */
export function dateShort(value: unknown): string {
  const d = toDate(value);
  return d ? `${d.getDate()}. ${SHORT_MONTHS[d.getMonth()]}` : "";
}

/** "kl. 14.30", "kl. 9.05" */
export function clock(value: unknown): string {
  const d = toDate(value);
  return d ? `kl. ${d.getHours()}.${String(d.getMinutes()).padStart(2, "0")}` : "";
}

/** "4. december 2026 kl. 14.30" */
export function whenLong(value: unknown): string {
  const d = toDate(value);
  return d ? `${dateLong(d)} ${clock(d)}` : "";
}

/** "4. dec. kl. 14.30" */
export function when(value: unknown): string {
  const d = toDate(value);
  return d ? `${dateShort(d)} ${clock(d)}` : "";
}
