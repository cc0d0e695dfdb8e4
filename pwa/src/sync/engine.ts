// The sync client: pushes the outbox and pulls changes, on start, when the network comes
// back, when the app becomes visible, when the store says something changed, on a backoff
// timer, and when asked. It never throws at the UI: it reports a state that the status
// control shows in words.
//
// No single change can hold up the others: a change the server refused waits for its author
// (and so do later changes of the same record, which would be refused or misapplied on their
// own); a change the server fails on is tried again on its own backoff; a batch the server
// fails on as a whole is split until the change that breaks it is found.
//
// A photo's record goes only after its bytes (the server refuses a record naming bytes its
// author never uploaded), and a report or filing of a meeting only after the photos taken
// there before it. When the server still says "photo_not_uploaded" (an upload answered by
// something other than the server, bytes deleted as unclaimed), that is no refusal: the
// bytes are uploaded again and the record sent again.

import { ApiError, NetworkError } from "../api/client";
import type { ApiClient } from "../api/client";
import { type ApiErrorBody, recordKey, type OutboxEntry, type TrivselDB } from "../db/db";
import type { Uploader } from "../photos/upload";
import { PULL_LIMIT, type PullPage, PUSH_BATCH, type PushResult, SYNC_HEADERS, type WireMutation } from "./protocol";
import type { LocalStore } from "./store";

export type SyncPhase = "idle" | "syncing" | "offline" | "signedOut" | "outdated" | "error";

export interface UploadProgress {
  index: number; // 1-based: photo k of m
  total: number;
  hash: string;
  fraction: number;
}

export interface SyncState {
  phase: SyncPhase;
  waiting: number; // changes not yet on the server (refused ones not counted)
  rejected: number;
  photos: number; // photos taken here whose bytes the server does not have yet
  upload: UploadProgress | null;
  lastSyncedAt: number | null;
  failures: number; // runs in a row that could not reach or use the server
}

export interface EngineOptions {
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  clientId: () => Promise<string>;
  uploader?: Uploader;
  isOnline?: () => boolean;
  /** Send on every local change (the app); off where a test decides when to send. */
  autoSend?: boolean;
}

const IDLE_INTERVAL_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;
const PHOTO_NOT_UPLOADED = "photo_not_uploaded"; // not final: upload, then send again
// Sent only once the photos taken before them at their meeting are on the server.
const NEEDS_PHOTOS = new Set(["report", "filing"]);

/** Wait after the n-th failure in a row: 1 s, 2 s, 4 s … up to a minute. */
export function backoffDelay(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
}

/** A whole push the server could not take: worth splitting to find the change behind it. */
function isBatchFault(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.status >= 500 || err.status === 413);
}

export class SyncEngine {
  private state: SyncState = {
    phase: "idle", waiting: 0, rejected: 0, photos: 0, upload: null, lastSyncedAt: null, failures: 0,
  };
  private listeners = new Set<(s: SyncState) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private bytesSentAgain = new Set<string>(); // photos uploaded again during this run
  private timer: unknown = null;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly isOnline: () => boolean;

  constructor(
    private readonly api: ApiClient,
    private readonly db: TrivselDB,
    private readonly store: LocalStore,
    private readonly options: EngineOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as number));
    this.isOnline = options.isOnline ?? (() => typeof navigator === "undefined" || navigator.onLine);
    // Every change made on the device is sent soon; no screen has to remember to ask.
    store.onChange(() => void (options.autoSend === false ? this.refreshCounts() : this.changed())
      .catch(() => undefined)); // a count that cannot be read now is read again on the next run
  }

  subscribe(listener: (s: SyncState) => void): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** Sync now; calls during a run make it go round once more instead of running twice. */
  syncNow(): Promise<void> {
    if (this.state.phase === "signedOut" || this.state.phase === "outdated") return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** "Send nu": also the changes waiting after a server fault, without their wait. */
  async sendNow(): Promise<void> {
    await this.store.retryNow();
    this.failures = 0;
    await this.syncNow();
  }

  /** After signing in again: the queue is still there; send it. */
  resume(): Promise<void> {
    if (this.state.phase === "signedOut") this.update({ phase: "idle" });
    return this.syncNow();
  }

  /** Stop the timer (signing out, or a test's tablet being switched off). */
  stop(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private async changed(): Promise<void> {
    await this.refreshCounts();
    void this.syncNow();
  }

  private async run(): Promise<void> {
    this.bytesSentAgain.clear();
    do {
      this.again = false;
      this.update({ phase: "syncing" });
      try {
        await this.uploadPhotos();
        await this.push();
        await this.pull();
        this.failures = 0;
        await this.refreshCounts();
        this.update({ phase: "idle", lastSyncedAt: this.now(), failures: 0 });
        this.schedule(await this.nextWake());
      } catch (err) {
        await this.refreshCounts();
        this.fail(err);
        return;
      }
    } while (this.again);
  }

  private async push(): Promise<void> {
    const clientId = await this.options.clientId();
    for (;;) {
      const batch = await this.sendable();
      if (batch.length === 0) return;
      const suspects: OutboxEntry[] = [];
      await this.sendIsolating(clientId, batch, suspects);
      for (const entry of suspects) {
        await this.store.failed(entry, { code: "server_error", message: "", fields: {} });
      }
      await this.refreshCounts();
    }
  }

  /** Send a batch; when the server fails on it as a whole, halve it until the change it
   * fails on stands alone. That change waits on its own backoff; the others go. */
  private async sendIsolating(clientId: string, batch: OutboxEntry[], suspects: OutboxEntry[]): Promise<void> {
    try {
      await this.pushBatch(clientId, batch);
      return;
    } catch (err) {
      if (!isBatchFault(err)) throw err;
      if (batch.length === 1) {
        // Is it this change, or the server? A server that answers a plain request is up.
        await this.api.get("/api/auth/me");
        suspects.push(batch[0]!);
        return;
      }
    }
    const half = Math.ceil(batch.length / 2);
    await this.sendIsolating(clientId, batch.slice(0, half), suspects);
    await this.sendIsolating(clientId, batch.slice(half), suspects);
  }

  private async pushBatch(clientId: string, batch: OutboxEntry[]): Promise<void> {
    const mutations: WireMutation[] = batch.map((e) => ({
      id: e.id, entity: e.entity, record_id: e.recordId, op: e.op, fields: e.fields,
      base_version: e.baseVersion, clock: e.clock,
    }));
    const answer = await this.api.post<{ results: PushResult[] }>(
      "/api/sync/push", { client_id: clientId, mutations }, SYNC_HEADERS,
    );
    for (const [i, entry] of batch.entries()) {
      const result = answer.results[i];
      if (result?.status === "rejected" && result.error?.code === PHOTO_NOT_UPLOADED) {
        await this.bytesFirst(entry, result.error);
      } else if (result) {
        await this.store.settle(entry, result);
      }
    }
  }

  /** The server has no upload of this photo from us: not a refusal. The change stays queued;
   * its bytes are uploaded again and it goes again in this run. Should the server still say
   * so after that, it waits on its own backoff like a change the server failed on. */
  private async bytesFirst(entry: OutboxEntry, error: ApiErrorBody): Promise<void> {
    const hash = String(entry.fields["content_hash"] ?? "");
    if (hash && !this.bytesSentAgain.has(hash) && await this.db.blobs.get(hash)) {
      this.bytesSentAgain.add(hash);
      await this.db.blobs.update(hash, { uploaded: 0 });
      this.again = true;
      return;
    }
    await this.store.failed(entry, error);
  }

  /**
   * The next changes to send, in the order they were made. Held back: a refused change's
   * record (its later changes would be refused or misapplied on their own), a change waiting
   * after a server fault (and its record's later changes), and changes that name a record
   * the server does not have yet because its creation is held back. A photo waits for its
   * bytes to be uploaded; a report or filing waits for the new photos made before it at its
   * meeting, and goes in a later push than they do (after their answers).
   */
  private async sendable(): Promise<OutboxEntry[]> {
    const now = this.now();
    const held = new Set<string>();
    const unborn = new Set<string>();
    const photosHeld = new Set<string>(); // meetings with a new photo not sent yet
    const photosSent = new Set<string>(); // meetings with a photo in this batch
    const batch: OutboxEntry[] = [];
    for (const e of await this.db.outbox.orderBy("seq").toArray()) {
      const meeting = e.meetingId ?? String(e.fields["meeting_id"] ?? "");
      const publishes = NEEDS_PHOTOS.has(e.entity);
      const waits = e.status === "rejected" || (e.retryAt ?? 0) > now || held.has(e.recordId)
        || Object.values(e.fields).some((v) => typeof v === "string" && unborn.has(v))
        || (publishes && photosHeld.has(meeting)) || await this.bytesNotUploaded(e);
      if (waits) {
        if (!held.has(e.recordId)) {
          held.add(e.recordId);
          const record = await this.db.records.get(recordKey(e.entity, e.recordId));
          if (record?.serverVersion == null) unborn.add(e.recordId);
        }
        if (e.entity === "board_photo" && unborn.has(e.recordId)) photosHeld.add(meeting);
        continue;
      }
      if (publishes && photosSent.has(meeting)) break;
      batch.push(e);
      if (e.entity === "board_photo" && e.baseVersion === null) photosSent.add(meeting); // new
      if (batch.length === PUSH_BATCH) break;
    }
    return batch;
  }

  /** A photo record whose bytes this device holds and has not uploaded yet. */
  private async bytesNotUploaded(e: OutboxEntry): Promise<boolean> {
    const hash = e.entity === "board_photo" ? e.fields["content_hash"] : undefined;
    return typeof hash === "string" && (await this.db.blobs.get(hash))?.uploaded === 0;
  }

  /** Photo bytes first, only those the server lacks (a known photo costs nothing), and only
   * of photos still on the board: a deleted photo's bytes are dropped, never sent. */
  private async uploadPhotos(): Promise<void> {
    await this.store.dropUnusedPhotos();
    const pending = await this.db.blobs.where("uploaded").equals(0).toArray();
    if (pending.length === 0 || !this.options.uploader) return;
    const { missing } = await this.api.post<{ missing: string[] }>(
      "/api/blobs/missing", { hashes: pending.map((p) => p.hash) },
    );
    const needed = new Set(missing);
    const csrf = await this.api.token();
    try {
      for (const [i, photo] of pending.entries()) {
        // Deleted while the photos before it were sent: its bytes are gone, and stay unsent.
        if (!(await this.db.blobs.get(photo.hash))) continue;
        if (needed.has(photo.hash)) {
          const progress = { index: i + 1, total: pending.length, hash: photo.hash, fraction: 0 };
          this.update({ upload: progress });
          await this.options.uploader(photo.hash, photo.blob, photo.type, csrf,
            (fraction) => this.update({ upload: { ...progress, fraction } }));
        }
        await this.db.blobs.update(photo.hash, { uploaded: 1 });
        await this.refreshCounts();
      }
    } finally {
      this.update({ upload: null });
    }
  }

  private async pull(): Promise<void> {
    for (;;) {
      const cursor = (await this.db.getMeta<string>("cursor")) ?? "";
      // Set after a bad_cursor: the server's change history is not the one this device
      // followed (a restored backup), so its copies are taken as they are, even older ones.
      const fromStart = (await this.db.getMeta<boolean>("pullFromStart")) === true;
      let page: PullPage;
      try {
        // The cursor goes in the body: it grows with the number of courses the user may read.
        page = await this.api.post<PullPage>(
          "/api/sync/pull", { cursor, limit: PULL_LIMIT }, SYNC_HEADERS,
        );
      } catch (err) {
        if (!(err instanceof ApiError && err.code === "bad_cursor" && cursor !== "")) throw err;
        await this.db.setMeta("pullFromStart", true);
        await this.db.setMeta("cursor", "");
        continue;
      }
      for (const change of page.changes) await this.store.receive(change, { asTheServerHasIt: fromStart });
      await this.db.setMeta("cursor", page.cursor); // after the records: a crash re-pulls
      if (!page.more) {
        if (fromStart) await this.db.setMeta("pullFromStart", false);
        return;
      }
    }
  }

  private fail(err: unknown): void {
    if (err instanceof ApiError && err.status === 401) {
      this.update({ phase: "signedOut" }); // paused until resume(): the queue is kept
      return;
    }
    if (err instanceof ApiError && err.status === 426) {
      this.update({ phase: "outdated" });
      return;
    }
    const knownOffline = err instanceof NetworkError && !this.isOnline();
    // While the device knows it is offline, the "online" event will call; failing to reach
    // the server then says nothing about the server, so the wait does not grow.
    if (!knownOffline) this.failures += 1;
    this.update({ phase: err instanceof NetworkError ? "offline" : "error", failures: this.failures });
    this.schedule(knownOffline ? MAX_BACKOFF_MS : backoffDelay(this.failures));
  }

  /** When to run next: the idle interval, or sooner when a failed change may go again. */
  private async nextWake(): Promise<number> {
    let wake = IDLE_INTERVAL_MS;
    await this.db.outbox.where("status").equals("pending").each((e) => {
      if (e.retryAt !== undefined) wake = Math.min(wake, Math.max(1000, e.retryAt - this.now()));
    });
    return wake;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.syncNow();
    }, ms);
  }

  private async refreshCounts(): Promise<void> {
    const waiting = await this.db.outbox.where("status").equals("pending").count();
    const rejected = await this.db.outbox.where("status").equals("rejected").count();
    const photos = await this.db.blobs.where("uploaded").equals(0).count();
    this.update({ waiting, rejected, photos });
  }

  private update(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}
