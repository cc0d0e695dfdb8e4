// A tablet's network in Node, for tests against the real server: a cookie jar (the session),
// a switch to go offline, answers that can be lost on the way back (the server applied the
// push, the tablet never heard), and a log of every push result the tablet did hear.

import type { PushResult, WireMutation } from "../sync/protocol";

export interface HeardResult {
  mutation: WireMutation;
  result: PushResult;
}

export class TabletNetwork {
  online = true;
  private loseNextAnswer = false;
  private readonly cookies = new Map<string, string>();
  readonly heard: HeardResult[] = [];

  constructor(private readonly base: string) {}

  private failNextPush = false;

  /** The next push meets a proxy that answers 503 without passing it on. */
  faultNextPush(): void {
    this.failNextPush = true;
  }

  /** The server will take the next push, but its answer will not arrive. */
  dropNextAnswer(): void {
    this.loseNextAnswer = true;
  }

  fetch = async (path: string, init: RequestInit = {}): Promise<Response> => {
    if (!this.online) throw new TypeError("offline");
    if (path === "/api/sync/push" && this.failNextPush) {
      this.failNextPush = false;
      return new Response(JSON.stringify({ error: { code: "server_error", message: "", fields: {} } }), { status: 503 });
    }
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const resp = await fetch(this.base + path, { ...init, headers, redirect: "manual" });
    for (const line of resp.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    if (path === "/api/sync/push" && init.body) {
      const sent = (JSON.parse(String(init.body)) as { mutations: WireMutation[] }).mutations;
      const body = await resp.text();
      if (this.loseNextAnswer) {
        this.loseNextAnswer = false;
        throw new TypeError("the answer was lost");
      }
      if (resp.ok) {
        const { results } = JSON.parse(body) as { results: PushResult[] };
        sent.forEach((mutation, i) => { if (results[i]) this.heard.push({ mutation, result: results[i] }); });
      }
      return new Response(body, { status: resp.status, headers: resp.headers });
    }
    return resp;
  };
}
