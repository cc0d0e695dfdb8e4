// Counts in words: "1 deltager", "2 deltagere", "2.000 tegn". Every count the app shows goes
// through `plural` (i18n/plural.test.ts checks da.ts for hand-made ones), so "1 deltagere"
// cannot come back.

/** 2000 → "2.000": numbers as Danes write them. */
export function count(n: number): string {
  return n.toLocaleString("da-DK");
}

/** "1 deltager" / "3 deltagere" (and "0 deltagere": Danish uses the plural for none). */
export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${Math.abs(n) === 1 ? one : many}`;
}
