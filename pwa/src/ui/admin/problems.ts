// The admin screens' errors in Danish: the server's codes for accounts and institutions, and
// a message per field to fix. Anything else falls back on the app's general wording.

import { ApiError } from "../../api/client";
import { da } from "../../i18n/da";
import { describeError, type UserMessage } from "../../i18n/messages";

export function adminProblem(err: unknown): UserMessage {
  if (!(err instanceof ApiError)) return describeError(err);
  const fields: Record<string, string> = {};
  for (const name of Object.keys(err.fields)) {
    fields[name] = da.admin.fields[name] ?? da.fields.required;
  }
  if (err.code === "email_taken") fields.email = da.admin.problems.email_taken ?? "";
  if (err.code === "name_taken") fields.name = da.admin.problems.name_taken ?? "";
  if (err.code === "external_id_taken") fields.external_id = da.admin.problems.external_id_taken ?? "";
  const known = da.admin.problems[err.code];
  if (known) return { summary: known, fields };
  if (err.status === 422) return { summary: da.errors.invalid, fields };
  return { summary: describeError(err).summary, fields };
}

/** What to check on the tablet before sending (the server checks again). */
export function missingUserFields(user: { name: string; email: string; role: string;
  institution_id: string }): Record<string, string> {
  const missing: Record<string, string> = {};
  if (!user.name.trim()) missing.name = da.admin.fields.name ?? "";
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user.email.trim())) missing.email = da.admin.fields.email ?? "";
  if (user.role === "educator" && !user.institution_id) {
    missing.institution_id = da.admin.fields.institution_id ?? "";
  }
  return missing;
}
