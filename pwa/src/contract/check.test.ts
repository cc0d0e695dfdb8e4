// The tablet's checker agrees with the contract at every rule's boundary. The samples are
// made exactly as tests/server/test_contract.py makes them, where marshmallow is shown to
// accept and refuse the same values: so the tablet and the server agree on them.
import { describe, expect, it } from "vitest";

import { checkFields, checkValue, localDay } from "./check";
import { CONTRACT, type Entity } from "./contract.gen";
import type { FieldRule } from "./types";

const PATTERN_EXAMPLES: Record<string, string> = { "^[0-9a-f]{64}$": "ab".repeat(32) };
const A_UUID = "0190f5a2-7c1e-7d2a-9f00-3b4c5d6e7f80";

/** Today moved by whole years and days, as yyyy-mm-dd on this device. */
function dayShifted(years: number, days: number): string {
  const d = new Date();
  d.setFullYear(d.getFullYear() + years);
  d.setDate(d.getDate() + days);
  return localDay(d);
}

function validSamples(rule: FieldRule): unknown[] {
  const samples: unknown[] = rule.nullable ? [null] : [];
  if (rule.enum) return [...samples, ...rule.enum];
  if (rule.type === "boolean") return [...samples, true, false];
  if (rule.type === "integer" || rule.type === "number") {
    const low = rule.minimum ?? 1;
    return rule.type === "integer" ? [...samples, low, rule.maximum ?? low + 1] : [...samples, low, low + 0.5];
  }
  if (rule.pattern !== undefined) return [...samples, PATTERN_EXAMPLES[rule.pattern]];
  const past = rule["x-past-years"];
  if (past !== undefined) return [...samples, localDay(new Date()), dayShifted(-past, 0)];
  if (rule.format === "date") return [...samples, "2026-12-01", "2028-02-29"];
  if (rule.format === "date-time") return [...samples, "2026-12-01T09:00:00+00:00", "2026-12-01T09:00:00.000Z"];
  if (rule.format === "email") return [...samples, "navn@kommune.dk", "mor.og.far@børnehave.dk"];
  if (rule.format === "uuid" || (rule.minLength === 36 && rule.maxLength === 36)) return [...samples, A_UUID];
  const longest = rule.maxLength ?? 300;
  return [...samples, "ø".repeat(longest), "😀".repeat(longest), "x".repeat(Math.max(1, rule.minLength ?? 1))];
}

function invalidSamples(rule: FieldRule): unknown[] {
  const samples: unknown[] = rule.nullable ? [] : [null];
  if (rule.enum) return [...samples, "not-a-choice"];
  if (rule.type === "boolean") return [...samples, "maybe"];
  if (rule.type === "integer" || rule.type === "number") {
    return [...samples, "x", ...(rule.minimum !== undefined ? [rule.minimum - 1] : [])];
  }
  samples.push(42);
  if (rule.pattern !== undefined) return [...samples, "not matching"];
  const past = rule["x-past-years"];
  if (past !== undefined) return [...samples, "2026-02-30", dayShifted(0, 1), dayShifted(-past, -1)];
  if (rule.format === "date") return [...samples, "2026-02-30", "1.12.2026"];
  if (rule.format === "date-time") return [...samples, "2026-12-01T25:00:00Z", "i morgen"];
  if (rule.format === "email") return [...samples, "navn@", "navn kommune.dk"];
  if (rule.maxLength !== undefined) samples.push("ø".repeat(rule.maxLength + 1));
  if (rule.minLength) samples.push("");
  return samples;
}

const entities = Object.keys(CONTRACT) as Entity[];
const rulesOf = (entity: Entity): Array<[string, FieldRule]> => Object.entries(CONTRACT[entity].fields);

describe("the contract checker", () => {
  it("accepts and refuses every rule's boundary values as the server does", () => {
    let checked = 0;
    for (const entity of entities) {
      for (const [name, rule] of rulesOf(entity)) {
        for (const value of validSamples(rule)) {
          expect(checkValue(rule, value), `${entity}.${name}=${String(value)}`).toBeNull();
        }
        for (const value of invalidSamples(rule)) {
          expect(checkValue(rule, value), `${entity}.${name}=${String(value)}`).not.toBeNull();
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("asks for exactly the server's required fields when a record is created", () => {
    for (const entity of entities) {
      const required = rulesOf(entity).filter(([, r]) => r.required).map(([n]) => n).sort();
      const problems = checkFields(entity, { not_a_field: 1 }, "create");
      expect(Object.keys(problems).filter((n) => problems[n]?.rule === "required").sort(), entity).toEqual(required);
      expect(problems["not_a_field"]).toEqual({ rule: "unknown" });
      expect(Object.keys(checkFields(entity, {}, "update"))).toEqual([]);
    }
  });

  it("names the limit and the length of a note that is too long", () => {
    const problems = checkFields("board_note", { text: "x".repeat(5000) }, "update");
    expect(problems["text"]).toEqual({ rule: "tooLong", limit: 2000, actual: 5000 });
    expect(checkFields("board_note", { text: "x".repeat(1512) }, "update")).toEqual({});
  });

  it("refuses a child made without a birth date, or one after today or over 25 years back, at the table", () => {
    const child = { first_name: "Emma", last_name: "Holm", institution_id: A_UUID };
    expect(checkFields("child", child, "create")).toEqual({ birth_date: { rule: "required" } });
    expect(checkFields("child", { ...child, birth_date: null }, "create")).toEqual({ birth_date: { rule: "required" } });
    const today = new Date(2026, 11, 8);
    const rule = CONTRACT.child.fields.birth_date;
    expect(checkValue(rule, "2026-12-09", today)).toEqual({ rule: "range", min: "2001-12-08", max: "2026-12-08" });
    expect(checkValue(rule, "2001-12-07", today)).toEqual({ rule: "range", min: "2001-12-08", max: "2026-12-08" });
    expect(checkValue(rule, "2026-12-08", today)).toBeNull();
    expect(checkValue(rule, "2001-12-08", today)).toBeNull();
    // A leap day 25 years on is the 28th, as on the server (records/schemas.py: years_before).
    expect(checkValue(rule, "2003-02-28", new Date(2028, 1, 29))).toBeNull();
    expect(checkValue(rule, "2003-02-27", new Date(2028, 1, 29))).not.toBeNull();
  });
});
