// Photos and their records: the server takes a board photo's record only once its author has
// uploaded the bytes (proof of possession), and answers "photo_not_uploaded" otherwise — an
// answer that is not final. Here a scripted server keeps that rule exactly, and an uploader
// can lose an upload (answered by something other than the server), fail or be held up, to
// prove that the tablet sends a record only after its bytes, publishes a report only after
// the photos taken before it, and never shows the server's "not uploaded" as a refusal.
// (The real server and the real uploader: tests/browser/test_photo_order.py.)
import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { ApiClient, ApiError, NetworkError } from "../api/client";
import { problemsAt } from "../data/problems";
import { summarize } from "../data/summary";
import { da } from "../i18n/da";
import { Writes } from "../data/writes";
import { TrivselDB } from "../db/db";
import { PhotoQueue } from "../photos/queue";
import { PhotoSync } from "../photos/sync";
import type { Uploader } from "../photos/upload";
import { Clock } from "./clock";
import { SyncEngine, type SyncState } from "./engine";
import type { PushResult, WireMutation } from "./protocol";
import { LocalStore } from "./store";

const MEETING = "m1";

/** The server's side of sync/PROTOCOL.md "Photos", for one user. */
class PhotoServer {
  uploaded = new Set<string>(); // hashes this user has uploaded
  photos = new Map<string, string>(); // record id → hash, records the server took
  published: string[][] = []; // per report: the photo record ids it shows
  pushes: WireMutation[][] = [];
  refusedNotUploaded = 0;
  alwaysNotUploaded = false; // a server that never counts the upload (a fault)

  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    if (url === "/api/auth/csrf" || url === "/api/auth/me") return json(200, { csrf_token: "t", user: {} });
    if (url === "/api/blobs/missing") {
      const { hashes } = JSON.parse(String(init?.body)) as { hashes: string[] };
      return json(200, { missing: hashes.filter((h) => !this.uploaded.has(h)) });
    }
    if (url === "/api/sync/push") {
      const { mutations } = JSON.parse(String(init?.body)) as { mutations: WireMutation[] };
      this.pushes.push(mutations);
      return json(200, { results: mutations.map((m) => this.apply(m)) });
    }
    if (url.startsWith("/api/sync/pull")) return json(200, { changes: [], cursor: "c", more: false });
    throw new Error(`unexpected ${url}`);
  };

  private apply(m: WireMutation): PushResult {
    if (m.entity === "board_photo" && m.op !== "upsert" && !this.photos.has(m.record_id)) {
      return { id: m.id, status: "rejected", error: { code: "not_found", message: "No such record.", fields: {} } };
    }
    if (m.entity === "board_photo" && m.op === "delete") this.photos.delete(m.record_id);
    if (m.entity === "board_photo" && !this.photos.has(m.record_id) && m.op === "upsert") {
      const hash = String(m.fields?.["content_hash"]);
      if (this.alwaysNotUploaded || !this.uploaded.has(hash)) {
        this.refusedNotUploaded += 1;
        return { id: m.id, status: "rejected", error: { code: "photo_not_uploaded",
          message: "Upload the photo's bytes first, then send its record again.",
          fields: { content_hash: ["You have not uploaded these bytes."] } } };
      }
      this.photos.set(m.record_id, hash);
    }
    if (m.entity === "report") this.published.push([...this.photos.keys()]);
    return { id: m.id, status: "applied", version: 1 };
  }
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

type Upload = "store" | "lose" | "fail" | "refuse" | "fault";

function setup(plan: Upload[] = []) {
  const server = new PhotoServer();
  const db = new TrivselDB(`p-${Math.random()}`);
  const now = 1_795_000_000_000;
  const clock = new Clock("device-1", () => now);
  const store = new LocalStore(db, async () => clock, { now: () => now });
  const uploads: string[] = [];
  let hold: Promise<void> | null = null;
  // Each upload follows the plan, then stores: "lose" is an answer 200 from something that
  // is not the server (a captive portal, a proxy), "fail" a connection that dropped.
  const uploader: Uploader = async (hash) => {
    uploads.push(hash);
    if (hold) await hold;
    const step = plan.shift() ?? "store";
    if (step === "fail") throw new NetworkError(new TypeError("connection reset"));
    // The server's answers: refused for good (server/photos/blobs.py), or a fault that passes.
    if (step === "refuse") throw new ApiError(413, "too_large", "The photo is too large.");
    if (step === "fault") throw new ApiError(503, "server_error", "Try again later.");
    if (step === "store") server.uploaded.add(hash);
  };
  const api = new ApiClient(server.fetch);
  const engine = new SyncEngine(api, store, {
    clientId: async () => "device-1", autoSend: false, now: () => now,
    hooks: new PhotoSync(new PhotoQueue(db), store, api, uploader),
    setTimer: () => 0, clearTimer: () => undefined,
  });
  const states: SyncState[] = [];
  engine.subscribe((s) => states.push(s));
  const write = new Writes(store);
  const photo = (n: number) => {
    const hash = n.toString(16).padStart(64, "0");
    return write.addPhoto(MEETING, { hash, blob: new Blob([`photo ${n}`]), type: "image/webp" });
  };
  return { server, db, engine, write, photo, uploads, states, store,
    holdUploads: (until: Promise<void>) => { hold = until; } };
}

/** Nothing waits, nothing is refused or failing, and no state ever counted a refusal. */
async function allSentNothingShown(db: TrivselDB, states: SyncState[]): Promise<void> {
  expect(await db.outbox.count()).toBe(0);
  expect(await db.blobs.where("state").anyOf("queued", "uploading").count()).toBe(0);
  expect(await summarize(db)).toMatchObject({ unsent: 0, refused: 0, failing: 0 });
  expect((await problemsAt(db, MEETING)).all).toEqual([]);
  expect(states.every((s) => s.rejected === 0)).toBe(true);
}

describe("photos and their records", () => {
  it("sends a record only after its bytes, and a report only after the photos before it", async () => {
    const { server, db, engine, write, photo, states } = setup(["fail"]);
    const id = await photo(1);
    await write.publishReport(MEETING);
    await engine.syncNow(); // the upload fails: nothing of the photo or the report goes
    expect(server.pushes.flat().map((m) => m.entity)).toEqual([]);
    expect(states.at(-1)?.phase).toBe("offline");
    await engine.syncNow();
    expect(server.refusedNotUploaded).toBe(0);
    // The report went in a later push than the photo, and shows it.
    expect(server.pushes.map((p) => p.map((m) => m.entity))).toEqual([["board_photo"], ["report"]]);
    expect(server.published).toEqual([[id]]);
    await allSentNothingShown(db, states);
  });

  it("uploads again and sends again when the server says the bytes never reached it", async () => {
    const { server, db, engine, write, photo, uploads, states } = setup(["lose"]);
    const id = await photo(1);
    await write.addNote(MEETING, "worries", "Emma er ofte alene");
    await write.publishReport(MEETING);
    await engine.syncNow(); // one run: lost upload, refusal, upload again, record again, report
    expect(server.refusedNotUploaded).toBe(1);
    expect(uploads).toHaveLength(2);
    expect(server.photos.get(id)).toBe(uploads[0]);
    expect(server.published).toEqual([[id]]); // the report waited for the photo
    await allSentNothingShown(db, states);
  });

  it("sends a photo taken during an upload only after its own bytes", async () => {
    const { server, db, engine, photo, uploads, states, holdUploads } = setup();
    let release!: () => void;
    holdUploads(new Promise((r) => { release = r; }));
    await photo(1);
    const running = engine.syncNow();
    while (uploads.length === 0) await new Promise((r) => setTimeout(r, 1));
    const second = await photo(2); // the run already asked which bytes to send: not this one's
    release();
    await running;
    await engine.syncNow();
    expect(server.refusedNotUploaded).toBe(0);
    expect(server.photos.has(second)).toBe(true);
    await allSentNothingShown(db, states);
  });

  it("does not go round forever when the server keeps saying so: the record waits, kept", async () => {
    const { server, db, engine, photo, uploads, states } = setup();
    server.alwaysNotUploaded = true;
    await photo(1);
    await engine.syncNow();
    expect(uploads.length).toBeLessThanOrEqual(2);
    const [entry] = await db.outbox.toArray();
    expect(entry).toMatchObject({ status: "pending", attempts: 1 });
    expect(entry?.retryAt).toBeGreaterThan(0);
    expect(states.every((s) => s.rejected === 0)).toBe(true);
    server.alwaysNotUploaded = false;
    await engine.sendNow();
    await allSentNothingShown(db, states);
  });

  it("lets a photo deleted before its bytes were sent go: nothing waits or is refused, and undo still works", async () => {
    const { server, db, engine, write, photo, uploads, states } = setup();
    const kept = await photo(1);
    const gone = await photo(2);
    const undo = await write.deletePhoto(gone);
    await engine.syncNow();
    expect(uploads).toEqual(["1".padStart(64, "0")]); // the deleted photo's bytes never went
    expect([...server.photos.keys()]).toEqual([kept]);
    expect(await db.records.count()).toBe(1); // the deleted photo has left the device
    // Its record was never sent either: the server would refuse it without its bytes.
    expect(server.pushes.flat().map((m) => m.record_id)).toEqual([kept]);
    expect(server.refusedNotUploaded).toBe(0);
    await allSentNothingShown(db, states);
    // "Fortryd" after the sync let it go: it comes back, and is sent with its bytes.
    await write.undo(undo);
    await engine.syncNow();
    expect([...server.photos.keys()].sort()).toEqual([kept, gone].sort());
    expect(uploads).toHaveLength(2);
    await allSentNothingShown(db, states);
  });

  it("marks a photo the server refuses as failed with its reason, shows it refused, and does not send it again", async () => {
    const { server, db, engine, write, photo, uploads, states } = setup(["refuse"]);
    const id = await photo(1);
    await write.publishReport(MEETING);
    await engine.syncNow();
    await engine.sendNow(); // asked again: still nothing goes
    expect(uploads).toHaveLength(1);
    const [bytes] = await db.blobs.toArray();
    expect(bytes).toMatchObject({ state: "failed", reason: { code: "too_large" } });
    // Shown to the leader on the photo, in Danish, as a refused change with its way out.
    const problems = await problemsAt(db, MEETING);
    expect(problems.byRecord.get(id)).toMatchObject([{ kind: "refused", reason: da.rejections["too_large"] }]);
    expect(await summarize(db)).toMatchObject({ refused: 1, unsent: 1 }); // the report waits for it
    expect(server.pushes.flat()).toEqual([]); // neither the photo's record nor the report went
    expect(states.at(-1)?.phase).toBe("idle"); // a refusal is no fault of the sync
    // Taken again ("Tag igen"): the new photo goes, and nothing waits any more.
    const { id: again } = await write.retakePhoto(id, { hash: "2".padStart(64, "0"), blob: new Blob(["photo 2"]),
      type: "image/webp" });
    await engine.syncNow();
    expect(server.photos.has(again)).toBe(true);
    expect(server.published).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
    expect(uploads).toHaveLength(2);
  });

  it("keeps a photo queued through a server fault or a dropped connection, and sends it next time", async () => {
    const { server, db, engine, photo, uploads, states } = setup(["fault", "fail"]);
    const id = await photo(1);
    await engine.syncNow();
    expect(states.at(-1)?.phase).toBe("error");
    expect((await db.blobs.toArray()).map((b) => b.state)).toEqual(["queued"]);
    await engine.syncNow();
    expect(states.at(-1)?.phase).toBe("offline");
    expect((await db.blobs.toArray()).map((b) => b.state)).toEqual(["queued"]);
    await engine.syncNow();
    expect(uploads).toHaveLength(3);
    expect(server.photos.has(id)).toBe(true);
    await allSentNothingShown(db, states.slice(-1));
  });

  it("uploads again a photo whose upload the app was closed during", async () => {
    const { server, db, engine, photo, states } = setup();
    const id = await photo(1);
    await db.blobs.toCollection().modify({ state: "uploading" }); // as left by a tablet switched off
    await engine.syncNow();
    expect(server.photos.has(id)).toBe(true);
    await allSentNothingShown(db, states);
  });
});
