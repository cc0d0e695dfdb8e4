import { describe, expect, it } from "vitest";

import { byDue, courseLimits, isOverdue, missingConsents } from "./overview";

describe("courseLimits", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  it("warns from the fourth meeting", () => {
    const starts = ["2026-09-01T09:00:00Z", "2026-10-01T09:00:00Z", "2026-11-01T09:00:00Z"];
    expect(courseLimits(starts, now).fourthOrLater).toBe(false);
    expect(courseLimits([...starts, "2026-12-01T09:00:00Z"], now).fourthOrLater).toBe(true);
  });
  it("warns when less than a month of the six is left, not after the end", () => {
    expect(courseLimits(["2026-06-10T09:00:00Z"], now).lessThanAMonthLeft).toBe(true);
    expect(courseLimits(["2026-07-01T09:00:00Z"], now).lessThanAMonthLeft).toBe(false);
    expect(courseLimits(["2026-05-01T09:00:00Z"], now).lessThanAMonthLeft).toBe(false);
    expect(courseLimits(["2026-06-10T09:00:00Z"], now).windowEnd?.toISOString())
      .toBe("2026-12-10T09:00:00.000Z");
  });
});

describe("missingConsents", () => {
  it("lists custody holders whose consent is not granted", () => {
    const guardians = [
      { id: "m", name: "Mor", hasCustody: true },
      { id: "f", name: "Far", hasCustody: true },
      { id: "x", name: "Uden forældremyndighed", hasCustody: false },
    ];
    const consents = [{ guardianId: "m", status: "granted" }, { guardianId: "f", status: "withdrawn" }];
    expect(missingConsents(guardians, consents).map((g) => g.id)).toEqual(["f"]);
  });
});

describe("isOverdue", () => {
  it("is overdue only after the due date", () => {
    const now = new Date("2026-11-22T12:00:00Z");
    expect(isOverdue("2026-11-21", now)).toBe(true);
    expect(isOverdue("2026-11-22", now)).toBe(false);
    expect(isOverdue(null, now)).toBe(false);
  });
});

describe("byDue", () => {
  it("lists the overdue first, then by date, the undated last", () => {
    const now = new Date("2026-12-07T12:00:00Z");
    const tasks = [
      { t: "agenda", due: "2026-12-20" }, { t: "none", due: null }, { t: "late", due: "2026-12-01" },
      { t: "today", due: "2026-12-07" }, { t: "later", due: "2026-12-03" },
    ];
    const sorted = byDue(tasks, (x) => x.due);
    expect(sorted.map((x) => x.t)).toEqual(["late", "later", "today", "agenda", "none"]);
    const overdue = sorted.map((x) => isOverdue(x.due, now));
    expect(overdue).toEqual([true, true, false, false, false]);
  });
});
