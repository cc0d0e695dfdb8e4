// Counts and dates read as Danish: one plural helper, one long and one short date form, and
// no screen or text that makes its own.
import { describe, expect, it } from "vitest";

import { clock, dateLong, dateShort, when, whenLong } from "../ui/format";
import { da } from "./da";
import { plural } from "./plural";

const sources = import.meta.glob<string>(["../**/*.ts", "../**/*.tsx", "!../**/*.test.ts", "!../ui/format.ts", "!../i18n/plural.ts"],
  { query: "?raw", import: "default", eager: true });

describe("counts", () => {
  it("says one in the singular, and none and many in the plural, as Danes write numbers", () => {
    expect(plural(1, "deltager", "deltagere")).toBe("1 deltager");
    expect(plural(0, "deltager", "deltagere")).toBe("0 deltagere");
    expect(plural(2000, "note", "noter")).toBe("2.000 noter");
    expect(da.report.present(1)).toBe("1 deltager til stede");
    expect(da.report.notes("Det der bekymrer", 1)).toBe("1 note i «Det der bekymrer»");
    expect(da.sync.waiting(1)).toBe("1 ændring venter");
    expect(da.signOut.warning(1, 0)).toContain("1 ændring er ikke sendt endnu.");
  });

  it("are made by the helper everywhere, never by hand", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(40);
    for (const [file, source] of Object.entries(sources)) {
      expect(/\b\w+ === 1 \?/.test(source), `${file} makes a plural by hand`).toBe(false);
    }
  });
});

describe("dates", () => {
  const moment = new Date(2026, 11, 4, 14, 30);
  it("have one long and one short form, and times say kl.", () => {
    expect(dateLong(moment)).toBe("4. december 2026");
    expect(dateShort(moment)).toBe("4. dec.");
    expect(clock(new Date(2026, 4, 1, 9, 5))).toBe("kl. 9.05");
    expect(whenLong(moment)).toBe("4. december 2026 kl. 14.30");
    expect(when(moment)).toBe("4. dec. kl. 14.30");
    expect(dateShort(new Date(2026, 4, 1))).toBe("1. maj");
  });

  it("read a calendar day as that day, wherever the device is", () => {
    expect(dateLong("2027-01-15")).toBe("15. januar 2027");
    expect(dateLong("2026-12-04T14:30:00")).toBe("4. december 2026");
    expect(dateLong(null)).toBe("");
    expect(dateLong("not a date")).toBe("");
  });

  it("are formatted only in ui/format.ts, never by the browser's own formats", () => {
    for (const [file, source] of Object.entries(sources)) {
      expect(/toLocale(Date|Time)String|toLocaleString\([^)]/.test(source), `${file} formats a date itself`).toBe(false);
    }
  });
});
