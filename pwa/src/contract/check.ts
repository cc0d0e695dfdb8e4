// Checking a change against the contract (the server's own rules, generated into
// contract.gen.ts) before it is queued: what the server would refuse is refused here, at
// once and offline, field by field, with what the user needs to fix it.

import { CONTRACT, type Entity } from "./contract.gen";
import type { FieldRule } from "./types";

export type FieldProblem =
  | { rule: "required" }
  | { rule: "tooLong"; limit: number; actual: number }
  | { rule: "tooShort"; limit: number; actual: number }
  | { rule: "choice"; choices: readonly unknown[] }
  | { rule: "format"; format: string }
  | { rule: "range"; min: number | string | undefined; max: number | string | undefined }
  | { rule: "type"; type: string }
  | { rule: "unknown" } // not a field the server takes
  | { rule: "fixed" } // may not change once the record exists
  | { rule: "missingRef"; entity: string } // the record it names is not on this device
  | { rule: "process"; code: string } // a process rule (domain/rules.ts), by the server's code
  | { rule: "role"; role: string }; // this role may not write this kind of record

export type FieldProblems = Record<string, FieldProblem>;

/** "create": the record is new to the server, so every required field must be there. */
export type CheckMode = "create" | "update";

export function isEntity(name: string): name is Entity {
  return Object.hasOwn(CONTRACT, name);
}

/** Whether a role may write this kind of record at all (the server answers 403 otherwise). */
export function mayWrite(entity: Entity, role: string | undefined): boolean {
  const writers: readonly string[] | null = CONTRACT[entity].writers;
  return !writers || (role !== undefined && writers.includes(role));
}

/** The rule of one field, e.g. for a live character count. */
export function ruleOf(entity: Entity, field: string): FieldRule | undefined {
  const fields: Readonly<Record<string, FieldRule>> = CONTRACT[entity].fields;
  return fields[field];
}

/** Problems of the given fields (empty when the server would take them). */
export function checkFields(entity: Entity, fields: Record<string, unknown>, mode: CheckMode): FieldProblems {
  const rules: Readonly<Record<string, FieldRule>> = CONTRACT[entity].fields;
  const problems: FieldProblems = {};
  for (const [name, value] of Object.entries(fields)) {
    const rule = rules[name];
    const problem = rule ? checkValue(rule, value) : { rule: "unknown" as const };
    if (problem) problems[name] = problem;
  }
  if (mode === "create") {
    for (const [name, rule] of Object.entries(rules)) {
      if (rule.required && !(name in fields)) problems[name] = { rule: "required" };
    }
  }
  return problems;
}

/** What is wrong with one value, as the server's schema field would see it (`today`: the
 * day a rule relative to today counts from). */
export function checkValue(rule: FieldRule, value: unknown, today = new Date()): FieldProblem | null {
  if (value === null || value === undefined) {
    return rule.nullable ? null : { rule: "required" };
  }
  const typeProblem = checkType(rule, value);
  if (typeProblem) return typeProblem;
  if (rule.enum && !rule.enum.includes(value as string)) return { rule: "choice", choices: rule.enum };
  if (typeof value === "string") return checkText(rule, value, today);
  if (typeof value === "number") {
    if ((rule.minimum !== undefined && value < rule.minimum) || (rule.maximum !== undefined && value > rule.maximum)) {
      return { rule: "range", min: rule.minimum, max: rule.maximum };
    }
  }
  return null;
}

function checkType(rule: FieldRule, value: unknown): FieldProblem | null {
  switch (rule.type) {
    case "boolean":
      return typeof value === "boolean" ? null : { rule: "type", type: "boolean" };
    case "integer":
      return Number.isInteger(value) ? null : { rule: "type", type: "integer" };
    case "number": // the server refuses NaN and infinities (allow_nan=False)
      return typeof value === "number" && Number.isFinite(value) ? null : { rule: "type", type: "number" };
    default:
      return typeof value === "string" ? null : { rule: "type", type: "string" };
  }
}

function checkText(rule: FieldRule, value: string, today: Date): FieldProblem | null {
  // Python counts characters (code points); JavaScript's length counts UTF-16 units.
  const length = [...value].length;
  if (rule.minLength !== undefined && length < rule.minLength) {
    return rule.minLength === 1 || length === 0
      ? { rule: "required" }
      : { rule: "tooShort", limit: rule.minLength, actual: length };
  }
  if (rule.maxLength !== undefined && length > rule.maxLength) {
    return { rule: "tooLong", limit: rule.maxLength, actual: length };
  }
  if (rule.pattern !== undefined && !new RegExp(rule.pattern, "u").test(value)) {
    return { rule: "format", format: "pattern" };
  }
  if (rule.format && !FORMATS[rule.format]?.(value)) return { rule: "format", format: rule.format };
  const min = rule["x-minimum"];
  const max = rule["x-maximum"];
  if ((min !== undefined && compareMoments(value, min) < 0) || (max !== undefined && compareMoments(value, max) > 0)) {
    return { rule: "range", min, max };
  }
  const years = rule["x-past-years"];
  if (years !== undefined) {
    // The server counts by the Danish day (server/records/schemas.py: PastYears); a tablet at
    // the table is in Denmark, so its own day is the same one.
    const last = localDay(today);
    const first = yearsBefore(last, years);
    if (value > last || value < first) return { rule: "range", min: first, max: last };
  }
  return null;
}

/** A date as yyyy-mm-dd, in this device's time zone. */
export function localDay(d: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** The same day `years` years earlier (29 February becomes the 28th, as on the server). */
function yearsBefore(day: string, years: number): string {
  const [y, m, d] = day.split("-");
  const year = String(Number(y) - years).padStart(4, "0");
  return m === "02" && d === "29" && !realDate(Number(year), 2, 29) ? `${year}-02-28` : `${year}-${m}-${d}`;
}

// The formats marshmallow checks. Dates and times: a strict subset of what Python's
// fromisoformat takes (the forms this app writes), with a time zone. E-mail: the
// dot-atom form of marshmallow's Email validator (validate.py), quoted forms left out.
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const WORD = "\\p{L}\\p{N}_";
const EMAIL_USER = new RegExp(`^[-!#$%&'*+/=?^\`{}|~${WORD}]+(\\.[-!#$%&'*+/=?^\`{}|~${WORD}]+)*$`, "u");
const LETTER = "A-Za-z\\u00a1-\\uffff";
const EMAIL_DOMAIN = new RegExp(
  `^(?:[0-9${LETTER}](?:[0-9${LETTER}-]{0,61}[0-9${LETTER}])?\\.)+(?:[${LETTER}]{2,6}|[0-9${LETTER}-]{2,})$`, "u");
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const FORMATS: Record<string, (value: string) => boolean> = {
  date: (v) => {
    const m = DATE.exec(v);
    return !!m && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
  },
  "date-time": (v) => {
    const m = DATE_TIME.exec(v);
    return !!m && realDate(Number(m[1]), Number(m[2]), Number(m[3]))
      && Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60;
  },
  email: (v) => {
    const at = v.lastIndexOf("@");
    if (at < 1) return false;
    const domain = v.slice(at + 1);
    return EMAIL_USER.test(v.slice(0, at)) && (domain === "localhost" || EMAIL_DOMAIN.test(domain));
  },
  uuid: (v) => UUID.test(v),
};

function realDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return year >= 1 && d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function compareMoments(a: string, b: string): number {
  return new Date(a).getTime() - new Date(b).getTime();
}
