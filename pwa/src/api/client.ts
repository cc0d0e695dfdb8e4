// A small typed client for the server's JSON API: same-origin cookies, the CSRF header on
// every write, and one error type carrying the server's error shape.

import type { ApiErrorBody } from "../contract/contract.gen";

export type FieldErrors = ApiErrorBody["fields"];

/** The server answered with an error: {"error": {"code", "message", "fields"}}. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldErrors = {},
    /** Seconds to wait before trying again (a 429's Retry-After), when the server said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** No answer at all: offline, server down, or the connection dropped. */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super("network error", { cause });
    this.name = "NetworkError";
  }
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

const REQUEST_TIMEOUT_MS = 30_000;

export class ApiClient {
  private csrfToken: string | null = null;

  constructor(private readonly fetchFn: Fetch = (i, init) => fetch(i, init)) {}

  /** Remember the token the server handed out with /me or /login. */
  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  async get<T>(path: string, extra: Record<string, string> = {}): Promise<T> {
    return this.send<T>("GET", path, undefined, extra);
  }

  async post<T>(path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
    return this.send<T>("POST", path, body, extra);
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>("PATCH", path, body);
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>("PUT", path, body);
  }

  async delete<T>(path: string): Promise<T> {
    return this.send<T>("DELETE", path);
  }

  /** A multipart form (a file upload); the browser sets its content type. */
  async postForm<T>(path: string, form: FormData): Promise<T> {
    return this.send<T>("POST", path, form);
  }

  private async send<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", ...extra };
    if (method !== "GET") {
      headers["X-CSRF-Token"] = await this.token();
    }
    const isForm = body instanceof FormData;
    if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
    // A request on a dead connection would otherwise hang for minutes; give up and retry.
    const init: RequestInit = {
      method, headers, credentials: "same-origin", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    };
    if (body !== undefined) init.body = isForm ? body : JSON.stringify(body);
    let resp: Response;
    try {
      resp = await this.fetchFn(path, init);
    } catch (err) {
      throw new NetworkError(err);
    }
    if (resp.status === 204) return undefined as T;
    const data: unknown = await resp.json().catch(() => null);
    if (!resp.ok) throw toApiError(resp.status, data, retryAfter(resp.headers.get("Retry-After")));
    return data as T;
  }

  /** The CSRF token for a request the client does not send itself (an upload with progress). */
  async token(): Promise<string> {
    if (this.csrfToken === null) {
      const data = await this.send<{ csrf_token: string }>("GET", "/api/auth/csrf");
      this.csrfToken = data.csrf_token;
    }
    return this.csrfToken;
  }
}

/** Read the server's error shape; anything else (a proxy's HTML page) still becomes an ApiError. */
export function toApiError(status: number, data: unknown, wait: number | null = null): ApiError {
  const error = (data as { error?: unknown } | null)?.error;
  if (error && typeof error === "object") {
    const e = error as { code?: unknown; message?: unknown; fields?: unknown };
    return new ApiError(
      status,
      typeof e.code === "string" ? e.code : "unknown",
      typeof e.message === "string" ? e.message : "",
      isFieldErrors(e.fields) ? e.fields : {},
      wait,
    );
  }
  return new ApiError(status, status >= 500 ? "server_error" : "unknown", "", {}, wait);
}

/** Retry-After in whole seconds (the server sends seconds, never an HTTP date). */
function retryAfter(value: string | null): number | null {
  const seconds = value === null ? NaN : Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds) : null;
}

function isFieldErrors(value: unknown): value is FieldErrors {
  return (
    typeof value === "object" &&
    value !== null &&
    Object.values(value).every((v) => Array.isArray(v) && v.every((m) => typeof m === "string"))
  );
}
