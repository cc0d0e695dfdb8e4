// A CPR number typed into the office's form, checked as the server checks it
// (server/identity/cpr.py): ten ASCII digits, optionally DDMMYY-SSSS, the first six and the
// 7th a real date by the CPR office's century table. The number lives only in the form's
// state while it is sent: it is never written to the tablet's store, and no pull brings it.

const FORM = /^([0-9]{6})-?([0-9]{4})$/;

// (7th digit range, two-digit year range, century), as the CPR office's table.
const CENTURIES: ReadonlyArray<[number, number, number, number, number]> = [
  [0, 3, 0, 99, 1900],
  [4, 4, 0, 36, 2000],
  [4, 4, 37, 99, 1900],
  [5, 8, 0, 57, 2000],
  [5, 8, 58, 99, 1800],
  [9, 9, 0, 36, 2000],
  [9, 9, 37, 99, 1900],
];

/** The ten digits of a valid CPR number, or null. */
export function cprDigits(value: string): string | null {
  const match = FORM.exec(value.trim());
  if (!match) return null;
  const digits = match[1]! + match[2]!;
  const day = Number(digits.slice(0, 2));
  const month = Number(digits.slice(2, 4));
  const year2 = Number(digits.slice(4, 6));
  const seventh = Number(digits[6]);
  const row = CENTURIES.find(([lo, hi, from, to]) => seventh >= lo && seventh <= hi && year2 >= from && year2 <= to);
  if (!row) return null;
  const year = row[4] + year2;
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? digits : null;
}
