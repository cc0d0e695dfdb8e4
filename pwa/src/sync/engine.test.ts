// The sync client against a scripted server that answers as sync/PROTOCOL.md says. (The
// real server is exercised by the Python tests and the browser tests; here we control
// lost answers, rejections and expired sessions exactly.)
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { ApiClient } from "../api/client";
import { recordKey, TrivselDB } from "../db/db";
import { Clock, parse } from "./clock";
import { backoffDelay, SyncEngine, type SyncHooks, type SyncState } from "./engine";
import type { PushResult, WireMutation } from "./protocol";
import { problemsAt, reasonOf } from "../data/problems";
import { da } from "../i18n/da";
import { summarize } from "../data/summary";
import { LocalStore } from "./store";

type Handler = (body: unknown) => Response | Error;

class ScriptedServer {
  pushed: WireMutation[][] = [];
  headers: Array<Record<string, string>> = [];
  pushAnswers: Handler[] = [];
  pullPages: unknown[] = [];
  pulled: Array<{ method: string; body: unknown }> = [];
  meAnswers: Handler[] = [];

  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    this.headers.push(headers);
    if (url === "/api/auth/csrf") return json(200, { csrf_token: "t" });
    if (url === "/api/auth/me") {
      const answer = (this.meAnswers.shift() ?? (() => json(200, { user: {}, csrf_token: "t" })))(null);
      if (answer instanceof Error) throw answer;
      return answer;
    }
    if (url === "/api/sync/push") {
      const body = JSON.parse(String(init?.body)) as { mutations: WireMutation[] };
      this.pushed.push(body.mutations);
      const answer = (this.pushAnswers.shift() ?? applyAll)(body);
      if (answer instanceof Error) throw answer;
      return answer;
    }
    if (url.startsWith("/api/sync/pull")) {
      this.pulled.push({ method: init?.method ?? "GET", body: init?.body ? JSON.parse(String(init.body)) : null });
      const page = this.pullPages.shift() ?? { changes: [], cursor: "c-end", more: false };
      return page instanceof Response ? page : json(200, page);
    }
    throw new Error(`unexpected ${url}`);
  };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

const applyAll: Handler = (body) => {
  const { mutations } = body as { mutations: WireMutation[] };
  return json(200, { results: mutations.map((m) => ({ id: m.id, status: "applied", version: 1 })) });
};

function setup() {
  const server = new ScriptedServer();
  const db = new TrivselDB(`t-${Math.random()}`);
  let now = 1_795_000_000_000;
  const clock = new Clock("device-1", () => now);
  let n = 0;
  const store = new LocalStore(db, async () => clock, {
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`, now: () => now });
  const timers: number[] = [];
  const engine = new SyncEngine(new ApiClient(server.fetch), store, {
    clientId: async () => "device-1",
    autoSend: false,
    now: () => now,
    setTimer: (_fn, ms) => timers.push(ms),
    clearTimer: () => undefined,
  });
  const states: SyncState[] = [];
  engine.subscribe((s) => states.push(s));
  return { server, db, store, engine, timers, states, tick: (ms: number) => (now += ms) };
}

const note = { meeting_id: "m1", column: "worries", text: "Emma er ofte alene" };

describe("sync client", () => {
  it("sends changes in the order they were made, each with its base version and clock", async () => {
    const { server, store, engine, db } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: { text: "Emma leger med Ida" } }]);
    await store.apply([{ entity: "board_note", recordId: "n2", op: "upsert", fields: { ...note, column: "working" } }]);
    await engine.syncNow();
    const sent = server.pushed[0]!;
    expect(sent.map((m) => [m.record_id, m.fields?.["text"]])).toEqual([
      ["n1", "Emma er ofte alene"], ["n1", "Emma leger med Ida"], ["n2", "Emma er ofte alene"],
    ]);
    expect(sent.every((m) => m.base_version === null)).toBe(true);
    const stamps = sent.map((m) => m.clock);
    expect([...stamps].sort()).toEqual(stamps);
    expect(() => stamps.map(parse)).not.toThrow();
    expect(server.headers.some((h) => h["Sync-Protocol"] === "1")).toBe(true);
    expect(await db.outbox.count()).toBe(0);
  });

  it("shows a change at once and keeps it on top of an older server copy", async () => {
    const { store, db } = setup();
    await store.receive({ entity: "board_note", id: "n1", version: 3, scope: "course:c",
      deleted: false, fields: { ...note, text: "server" } });
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: { text: "mine" } }]);
    await store.receive({ entity: "board_note", id: "n1", version: 4, scope: "course:c",
      deleted: false, fields: { ...note, text: "server, newer" } });
    const record = await db.records.get(recordKey("board_note", "n1"));
    expect(record?.fields["text"]).toBe("mine");
    expect(record?.serverVersion).toBe(4);
    const queued = await db.queued();
    expect(queued[0]?.baseVersion).toBe(3);
  });

  it("sends the same mutations again after a lost answer, and the repeat is harmless", async () => {
    const { server, store, engine, db, states } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    server.pushAnswers.push(() => new TypeError("connection reset"));
    await engine.syncNow();
    expect(states.at(-1)?.phase).toBe("offline");
    expect(states.at(-1)?.waiting).toBe(1);
    server.pushAnswers.push((body) => {
      const { mutations } = body as { mutations: WireMutation[] };
      return json(200, { results: mutations.map((m) => ({ id: m.id, status: "duplicate",
        first_status: "applied", version: 1 })) });
    });
    await engine.syncNow();
    expect(server.pushed[1]!.map((m) => m.id)).toEqual(server.pushed[0]!.map((m) => m.id));
    expect(await db.outbox.count()).toBe(0);
    expect(states.at(-1)?.phase).toBe("idle");
  });

  it("keeps a rejected change visible with its reason, sends the rest, and can discard it", async () => {
    const { server, store, engine, db, states } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    await store.apply([{ entity: "board_note", recordId: "n2", op: "upsert", fields: { ...note, column: "sideways" } }]);
    await store.apply([{ entity: "board_note", recordId: "n3", op: "upsert", fields: note }]);
    server.pushAnswers.push((body) => {
      const { mutations } = body as { mutations: WireMutation[] };
      const results: PushResult[] = mutations.map((m, i) => i === 1
        ? { id: m.id, status: "rejected", error: { code: "invalid", message: "x",
            fields: { column: ["Must be one of: worries, working, next_steps."] } } }
        : { id: m.id, status: "applied", version: 1 });
      return json(200, { results });
    });
    await engine.syncNow();
    const left = await db.queued();
    expect(left.map((e) => [e.recordId, e.status, e.error?.code])).toEqual([["n2", "rejected", "invalid"]]);
    expect((await db.records.get(recordKey("board_note", "n2")))?.fields["column"]).toBe("sideways");
    expect(states.at(-1)).toMatchObject({ phase: "idle", waiting: 0, rejected: 1 });
    await engine.syncNow();
    expect(server.pushed).toHaveLength(1); // a rejected change is not sent again as it is
    await store.discard(left[0]!.seq!);
    expect(await db.records.get(recordKey("board_note", "n2"))).toBeUndefined();
  });

  it("pauses on an expired session, keeps the queue, and sends it after signing in", async () => {
    const { server, store, engine, db, states } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    server.pushAnswers.push(() => json(401, { error: { code: "unauthorized", message: "", fields: {} } }));
    await engine.syncNow();
    expect(states.at(-1)?.phase).toBe("signedOut");
    await engine.syncNow();
    expect(server.pushed).toHaveLength(1);
    expect(await db.outbox.count()).toBe(1);
    await engine.resume();
    expect(server.pushed).toHaveLength(2);
    expect(await db.outbox.count()).toBe(0);
  });

  it("retries with growing waits while the server fails, blaming no change for it", async () => {
    const { server, store, engine, timers, db } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    for (let i = 0; i < 3; i++) {
      server.pushAnswers.push(() => json(503, { error: { code: "server_error", message: "", fields: {} } }));
      server.meAnswers.push(() => json(503, { error: { code: "server_error", message: "", fields: {} } }));
      await engine.syncNow();
    }
    expect(timers).toEqual([1000, 2000, 4000]);
    expect(backoffDelay(20)).toBe(60_000);
    expect((await db.queued())[0]).toMatchObject({ status: "pending" });
    expect((await db.queued())[0]?.attempts).toBeUndefined();
  });

  it("blames no change for a 503 even when the server answers again at once", async () => {
    // A database restart: the push meets it (503 with Retry-After), the next request does not.
    const { server, store, engine, timers, db } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    server.pushAnswers.push(() => json(503, { error: { code: "unavailable", message: "", fields: {} } }));
    await engine.syncNow();
    expect(server.pushed).toHaveLength(1);
    expect(timers).toEqual([1000]);
    expect((await db.queued())[0]).toMatchObject({ status: "pending" });
    expect((await db.queued())[0]?.attempts).toBeUndefined();
    await engine.syncNow();
    expect(await db.outbox.count()).toBe(0);
  });

  it("waits as long as the server's Retry-After asks, never sooner, and at most five minutes", async () => {
    const { server, store, engine, timers, db } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    const away = (seconds: string) => () => new Response(
      JSON.stringify({ error: { code: "unavailable", message: "", fields: {} } }),
      { status: 503, headers: { "Content-Type": "application/json", "Retry-After": seconds } });
    server.pushAnswers.push(away("7"));
    await engine.syncNow();
    server.pushAnswers.push(away("86400"));
    await engine.syncNow();
    expect(timers).toEqual([7000, 300_000]);
    expect((await db.queued())[0]).toMatchObject({ status: "pending" });
    await engine.syncNow();
    expect(await db.outbox.count()).toBe(0);
  });

  it("does not let a known-offline hour stretch the wait once the network is back", async () => {
    const server = new ScriptedServer();
    const db = new TrivselDB(`t-${Math.random()}`);
    let online = false;
    const timers: number[] = [];
    const store = new LocalStore(db, async () => new Clock("d", () => 1_000));
    const engine = new SyncEngine(new ApiClient(server.fetch), store, {
      clientId: async () => "d", isOnline: () => online, autoSend: false,
      setTimer: (_fn, ms) => timers.push(ms), clearTimer: () => undefined,
    });
    for (let i = 0; i < 10; i++) {
      await store.apply([{ entity: "board_note", recordId: `n${i}`, op: "upsert", fields: note }]);
      server.pushAnswers.push(() => new TypeError("offline"));
      await engine.syncNow();
    }
    online = true;
    server.pushAnswers.push(() => new TypeError("server restarting"));
    await engine.syncNow();
    expect(timers.at(-1)).toBe(1000);
  });

  it("stores pulled pages, keeps the cursor, and purges a course whose access ended", async () => {
    const { server, engine, db, store } = setup();
    server.pullPages.push(
      { changes: [{ entity: "meeting", id: "m1", version: 1, scope: "course:c", deleted: false,
        fields: { course_id: "c", kind: "start" } }], cursor: "c1", more: true },
      { changes: [{ entity: "board_note", id: "n9", version: 2, scope: "course:c", deleted: false,
        fields: note }], cursor: "c2", more: false },
    );
    await engine.syncNow();
    expect(await db.getMeta("cursor")).toBe("c2");
    expect(await db.records.where("[entity+parentId]").equals(["board_note", "m1"]).count()).toBe(1);
    await store.apply([{ entity: "board_note", recordId: "n10", op: "upsert", fields: note }]);
    server.pushAnswers.push(() => new TypeError("offline"));
    await engine.syncNow();
    await store.receive({ entity: "scope", id: "course:c", deleted: true, reason: "access_ended" });
    expect(await db.records.get(recordKey("meeting", "m1"))).toBeUndefined();
    // an unsent change stays visible to its author
    expect(await db.records.get(recordKey("board_note", "n10"))).toBeDefined();
  });

  it("pulls again from the start after a bad cursor, taking the restored server's older copies", async () => {
    const { server, engine, db, store } = setup();
    const page = (version: number, text: string, cursor: string) => ({ changes: [{ entity: "board_note",
      id: "n1", version, scope: "course:c", deleted: false, fields: { ...note, text } }], cursor, more: false });
    server.pullPages.push(page(5, "after the backup", "c1"));
    await engine.syncNow();
    await store.apply([{ entity: "board_note", recordId: "n2", op: "upsert", fields: note }]);
    server.pushAnswers.push(() => new TypeError("offline"));
    await engine.syncNow(); // n2 stays unsent
    // The server was restored from a backup: it refuses the cursor; from the start, its copy
    // of n1 is older than the one held.
    server.pullPages.push(
      json(400, { error: { code: "bad_cursor", message: "pull again", fields: {} } }),
      page(3, "at the backup", "r1"),
    );
    await engine.syncNow();
    expect(server.pulled.slice(-2).map((p) => [p.method, (p.body as { cursor: string }).cursor]))
      .toEqual([["POST", "c1"], ["POST", ""]]);
    const n1 = await db.records.get(recordKey("board_note", "n1"));
    expect([n1?.fields["text"], n1?.serverVersion]).toEqual(["at the backup", 3]);
    expect(await db.records.get(recordKey("board_note", "n2"))).toBeDefined(); // nothing lost
    expect(await db.getMeta("cursor")).toBe("r1");
    expect(await db.getMeta("pullFromStart")).toBe(false);
    // From now on an overtaken copy is ignored again.
    server.pullPages.push(page(2, "late and old", "r2"));
    await engine.syncNow();
    expect((await db.records.get(recordKey("board_note", "n1")))?.fields["text"]).toBe("at the backup");
  });

  it("keeps changes that belong together all or none", async () => {
    const db = new TrivselDB(`t-${Math.random()}`);
    const store = new LocalStore(db, async () => new Clock("d", () => 1_000), { newId: () => "same-id" });
    const together = [
      { entity: "meeting", recordId: "m1", op: "upsert" as const, fields: { status: "finished" } },
      { entity: "meeting", recordId: "m2", op: "upsert" as const, fields: { kind: "follow_up" } },
    ];
    await expect(store.apply(together)).rejects.toThrow(); // the second cannot be stored
    expect(await db.outbox.count()).toBe(0);
    expect(await db.records.count()).toBe(0);
  });

  it("lists a conflict under the record it is about", async () => {
    const { db, store } = setup();
    await store.receive({ entity: "conflict", id: "k1", version: 1, scope: "user:u", deleted: false,
      fields: { entity: "board_note", record_id: "n1", field: "text", value: "mine",
        winning_value: "theirs", resolved: false } });
    expect((await db.records.get(recordKey("conflict", "k1")))?.parentId).toBe("n1");
  });

  it("finds the one change a whole push fails on, sends the others, and still pulls", async () => {
    const { server, store, engine, db, states } = setup();
    for (const id of ["n1", "n2", "poison", "n3", "n4"]) {
      await store.apply([{ entity: "board_note", recordId: id, op: "upsert", fields: { ...note, text: id } }]);
    }
    // The server fails on any push that holds the poisoned change (as a bug would).
    const failing: Handler = (body) => {
      const { mutations } = body as { mutations: WireMutation[] };
      return mutations.some((m) => m.record_id === "poison")
        ? json(500, { error: { code: "server_error", message: "", fields: {} } }) : applyAll(body);
    };
    for (let i = 0; i < 10; i++) server.pushAnswers.push(failing);
    server.pullPages.push({ changes: [], cursor: "after", more: false });
    await engine.syncNow();
    const left = await db.queued();
    expect(left.map((e) => [e.recordId, e.status, e.attempts])).toEqual([["poison", "pending", 1]]);
    expect(left[0]!.retryAt).toBeGreaterThan(1_795_000_000_000);
    expect(await db.getMeta("cursor")).toBe("after"); // the pull was not held up
    expect(states.at(-1)).toMatchObject({ phase: "idle", waiting: 1 });
    const pushes = server.pushed.length;
    await engine.syncNow(); // waiting for its own retry time: not sent again at once
    expect(server.pushed.length).toBe(pushes);
  });

  it("shows a filing whose document cannot be made to its author in Danish, and does not send it again", async () => {
    const { server, store, engine, db, tick } = setup();
    await store.apply([{ entity: "filing", recordId: "f1", op: "upsert", fields: { meeting_id: "m1" } }]);
    server.pushAnswers.push((body) => {
      const { mutations } = body as { mutations: WireMutation[] };
      return json(200, { results: mutations.map((m) => ({ id: m.id, status: "rejected",
        error: { code: "document_failed", message: "The report PDF could not be made.", fields: {} } })) });
    });
    await engine.syncNow();
    const [entry] = await db.queued();
    expect([entry?.status, entry?.error?.code]).toEqual(["rejected", "document_failed"]);
    expect(reasonOf(entry?.error)).toBe(da.rejections["document_failed"]);
    expect(reasonOf(entry?.error)).toMatch(/kunne ikke laves/);
    expect(await summarize(db)).toMatchObject({ refused: 1, failing: 0 });
    tick(60 * 60_000);
    await engine.syncNow();
    expect(server.pushed).toHaveLength(1); // a refusal, not a fault: never sent again as it is
  });

  it("tries a change the server failed on again later, and says so after a few tries", async () => {
    const { server, store, engine, db, tick } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    await store.apply([{ entity: "board_note", recordId: "n2", op: "upsert", fields: note }]);
    const oneFails: Handler = (body) => {
      const { mutations } = body as { mutations: WireMutation[] };
      return json(200, { results: mutations.map((m) => m.record_id === "n1"
        ? { id: m.id, status: "rejected", error: { code: "server_error", message: "", fields: {} } }
        : { id: m.id, status: "applied", version: 1 }) });
    };
    for (let attempt = 1; attempt <= 3; attempt++) {
      server.pushAnswers.push(oneFails);
      await engine.syncNow();
      expect((await db.queued()).map((e) => [e.recordId, e.attempts])).toEqual([["n1", attempt]]);
      tick(10 * 60_000);
    }
    const summary = await summarize(db);
    expect(summary).toMatchObject({ unsent: 1, failing: 1, refused: 0 });
    expect((await problemsAt(db, "m1")).all.map((p) => p.kind)).toEqual(["failing"]);
    await engine.syncNow(); // the fourth time it goes through
    expect(await db.outbox.count()).toBe(0);
  });

  it("holds back a refused record's later changes, and a fix sends them as one whole change", async () => {
    const { server, store, engine, db } = setup();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    // A later change made before the refusal was known (it waits in the outbox).
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: { column: "working" } }]);
    const [create] = await db.queued();
    await store.settle(create!, { id: create!.id, status: "rejected", error: { code: "not_found", message: "", fields: {} } });
    await engine.syncNow();
    expect(server.pushed).toHaveLength(0); // sent alone it would be refused as a half record
    expect(await summarize(db)).toMatchObject({ refused: 1, unsent: 0 });
    expect((await problemsAt(db, "m1")).all).toMatchObject([{ kind: "refused", later: 1 }]);
    // The fix: an edit of the refused note makes one new change holding everything.
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: { text: "rettet" } }]);
    await engine.syncNow();
    expect(server.pushed.at(-1)!.map((m) => m.fields)).toEqual([{ ...note, column: "working", text: "rettet" }]);
    expect(await db.outbox.count()).toBe(0);
  });

  it("holds back changes that name a record the server refused to create", async () => {
    const { server, store, engine, db } = setup();
    await store.apply([{ entity: "meeting", recordId: "m2", op: "upsert",
      fields: { course_id: "c", kind: "follow_up", starts_at: "2027-01-12T09:00:00Z" } }]);
    server.pushAnswers.push((body) => {
      const { mutations } = body as { mutations: WireMutation[] };
      return json(200, { results: mutations.map((m) => ({ id: m.id, status: "rejected",
        error: { code: "course_closed", message: "", fields: {} } })) });
    });
    await engine.syncNow();
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: { ...note, meeting_id: "m2" } }]);
    await store.apply([{ entity: "board_note", recordId: "n2", op: "upsert", fields: note }]);
    await engine.syncNow();
    expect(server.pushed.at(-1)!.map((m) => m.record_id)).toEqual(["n2"]);
    expect((await db.queued()).map((e) => [e.recordId, e.status])).toEqual([["m2", "rejected"], ["n1", "pending"]]);
  });

  it("sends a change made on the device without being asked", async () => {
    const server = new ScriptedServer();
    const db = new TrivselDB(`t-${Math.random()}`);
    const store = new LocalStore(db, async () => new Clock("d", () => 1_000));
    const engine = new SyncEngine(new ApiClient(server.fetch), store, {
      clientId: async () => "d", setTimer: () => 0, clearTimer: () => undefined });
    const idle = new Promise<void>((resolve) => engine.subscribe((s) => {
      if (s.phase === "idle" && s.lastSyncedAt) resolve();
    }));
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    await idle;
    expect(server.pushed.flat().map((m) => m.record_id)).toEqual(["n1"]);
  });

  it("knows no kind of record: what a change waits for is the hooks' answer", async () => {
    // A made-up dependency, no photo in sight: "plan" needs what "draft" d1 provides, and
    // d1 is not ready until the hooks say so.
    const server = new ScriptedServer();
    const db = new TrivselDB(`t-${Math.random()}`);
    const store = new LocalStore(db, async () => new Clock("d", () => 1_000));
    let ready = false;
    const calls: string[] = [];
    const hooks: SyncHooks = {
      begin: () => void calls.push("begin"),
      beforePush: async () => void calls.push("beforePush"),
      ready: async (e) => ready || e.recordId !== "d1",
      provides: (e) => (e.entity === "draft" ? "drafts" : null),
      needs: (e) => (e.entity === "plan" ? "drafts" : null),
      mend: async () => null,
      waiting: async () => (ready ? 0 : 1),
    };
    const engine = new SyncEngine(new ApiClient(server.fetch), store, {
      clientId: async () => "d", autoSend: false, hooks, setTimer: () => 0, clearTimer: () => undefined });
    const states: SyncState[] = [];
    engine.subscribe((s) => states.push(s));
    await store.apply([{ entity: "draft", recordId: "d1", op: "upsert", fields: {} }]);
    await store.apply([{ entity: "plan", recordId: "p1", op: "upsert", fields: {} }]);
    await store.apply([{ entity: "board_note", recordId: "n1", op: "upsert", fields: note }]);
    await engine.syncNow();
    expect(server.pushed.map((p) => p.map((m) => m.record_id))).toEqual([["n1"]]);
    expect(states.at(-1)?.photos).toBe(1);
    ready = true;
    await engine.syncNow();
    // The plan goes after the draft's answer, in a later push.
    expect(server.pushed.map((p) => p.map((m) => m.record_id))).toEqual([["n1"], ["d1"], ["p1"]]);
    expect(calls.filter((c) => c === "begin")).toHaveLength(2);
    expect(states.at(-1)?.photos).toBe(0);
  });
});
