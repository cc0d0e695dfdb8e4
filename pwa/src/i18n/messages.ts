// Turning API errors into Danish text for the user. The server's messages are English
// (for developers); the user reads only what is mapped here.

import { ApiError, NetworkError } from "../api/client";
import { da } from "./da";

export interface UserMessage {
  summary: string;
  fields: Record<string, string>;
}

const BY_CODE: Record<string, string> = {
  invalid_credentials: da.errors.wrongCredentials,
  rate_limited: da.errors.rateLimited,
  csrf_failed: da.errors.sessionExpired,
  invalid: da.errors.invalid,
};

export function describeError(err: unknown): UserMessage {
  if (err instanceof NetworkError) return { summary: da.errors.offline, fields: {} };
  if (!(err instanceof ApiError)) return { summary: da.errors.unknown, fields: {} };
  const fields: Record<string, string> = {};
  for (const name of Object.keys(err.fields)) fields[name] = fieldMessage(name);
  const summary = BY_CODE[err.code] ?? (err.status >= 500 ? da.errors.server : da.errors.unknown);
  return { summary, fields };
}

function fieldMessage(name: string): string {
  return name === "email" ? da.fields.emailInvalid : da.fields.required;
}
