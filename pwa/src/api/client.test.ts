import { describe, expect, it } from "vitest";

import { Auth } from "./auth";
import { ApiClient, ApiError, NetworkError } from "./client";

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A scripted server: answers in order and records what was sent. */
function scripted(...answers: Array<Response | Error>) {
  const calls: Call[] = [];
  const fetchFn = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error(`unexpected request to ${url}`);
    if (next instanceof Error) throw next;
    return next;
  };
  return { calls, fetchFn };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const header = (call: Call | undefined, name: string) =>
  (call?.init?.headers as Record<string, string> | undefined)?.[name];

describe("ApiClient", () => {
  it("fetches a CSRF token before the first write and sends it", async () => {
    const { calls, fetchFn } = scripted(json(200, { csrf_token: "t1" }), json(200, { ok: 1 }));
    const api = new ApiClient(fetchFn);
    await api.post("/api/things", { a: 1 });
    expect(calls.map((c) => c.url)).toEqual(["/api/auth/csrf", "/api/things"]);
    expect(header(calls[1], "X-CSRF-Token")).toBe("t1");
    expect(calls[1]?.init?.body).toBe('{"a":1}');
    expect(calls[1]?.init?.credentials).toBe("same-origin");
  });

  it("turns the server's error shape into an ApiError with field messages", async () => {
    const body = { error: { code: "invalid", message: "Some fields", fields: { email: ["bad"] } } };
    const { fetchFn } = scripted(json(422, body));
    const err = await new ApiClient(fetchFn).get("/api/x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: "invalid", fields: { email: ["bad"] } });
  });

  it("keeps how long a 429 says to wait", async () => {
    const body = { error: { code: "rate_limited", message: "Too many", fields: {} } };
    const answer = new Response(JSON.stringify(body), {
      status: 429, headers: { "Content-Type": "application/json", "Retry-After": "17" },
    });
    const { fetchFn } = scripted(answer);
    const err = await new ApiClient(fetchFn).get("/api/x").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: "rate_limited", retryAfter: 17 });
  });

  it("treats a non-JSON error page as a server error", async () => {
    const { fetchFn } = scripted(new Response("<h1>Bad gateway</h1>", { status: 502 }));
    const err = await new ApiClient(fetchFn).get("/api/x").catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 502, code: "server_error" });
  });

  it("reports a failed connection as a NetworkError", async () => {
    const { fetchFn } = scripted(new TypeError("Failed to fetch"));
    const err = await new ApiClient(fetchFn).get("/api/x").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
  });
});

describe("Auth", () => {
  const user = { id: "u1", email: "a@b.dk", name: "Frida", role: "family_unit", institution_id: null };

  it("says nobody is signed in on 401", async () => {
    const { fetchFn } = scripted(json(401, { error: { code: "unauthorized", message: "", fields: {} } }));
    expect(await new Auth(new ApiClient(fetchFn)).me()).toBeNull();
  });

  it("uses the token from the login answer for later writes", async () => {
    const { calls, fetchFn } = scripted(
      json(200, { csrf_token: "before" }),
      json(200, { user, csrf_token: "after" }),
      new Response(null, { status: 204 }),
    );
    const auth = new Auth(new ApiClient(fetchFn));
    expect(await auth.login("a@b.dk", "pw")).toEqual(user);
    await auth.logout();
    expect(header(calls[1], "X-CSRF-Token")).toBe("before");
    expect(header(calls[2], "X-CSRF-Token")).toBe("after");
  });

  it("retries a login once with a fresh token when the old one was stale", async () => {
    const stale = { error: { code: "csrf_failed", message: "", fields: {} } };
    const { calls, fetchFn } = scripted(
      json(200, { csrf_token: "old" }),
      json(400, stale),
      json(200, { csrf_token: "new" }),
      json(200, { user, csrf_token: "session" }),
    );
    expect(await new Auth(new ApiClient(fetchFn)).login("a@b.dk", "pw")).toEqual(user);
    expect(header(calls[3], "X-CSRF-Token")).toBe("new");
  });
});
