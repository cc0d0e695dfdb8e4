// The sync client: pushes the outbox and pulls changes, on start, when the network comes
// back, when the app becomes visible, on a backoff timer, and when asked. It never throws at
// the UI: it reports a state that the status control shows in words.

import { ApiClient, ApiError, NetworkError } from "../api/client";
import type { TrivselDB } from "../db/db";
import { PULL_LIMIT, type PullPage, PUSH_BATCH, type PushResult, SYNC_HEADERS, type WireMutation } from "./protocol";
import type { Uploader } from "../photos/upload";
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
  waiting: number; // changes not yet on the server (rejected ones not counted)
  rejected: number;
  photos: number; // photos taken here whose bytes the server does not have yet
  upload: UploadProgress | null;
  lastSyncedAt: number | null;
}

export interface EngineOptions {
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  clientId: () => Promise<string>;
  uploader?: Uploader;
  isOnline?: () => boolean;
}

const IDLE_INTERVAL_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;

/** Wait after the n-th failure in a row: 1 s, 2 s, 4 s … up to a minute. */
export function backoffDelay(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
}

export class SyncEngine {
  private state: SyncState = {
    phase: "idle", waiting: 0, rejected: 0, photos: 0, upload: null, lastSyncedAt: null,
  };
  private listeners = new Set<(s: SyncState) => void>();
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
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

  /** After signing in again: the queue is still there; send it. */
  resume(): Promise<void> {
    if (this.state.phase === "signedOut") this.update({ phase: "idle" });
    return this.syncNow();
  }

  /** Refresh the counts after a local change, and send it soon. */
  async changed(): Promise<void> {
    await this.refreshCounts();
    void this.syncNow();
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      this.update({ phase: "syncing" });
      try {
        await this.uploadPhotos();
        await this.push();
        await this.pull();
        this.failures = 0;
        await this.refreshCounts();
        this.update({ phase: "idle", lastSyncedAt: this.now() });
        this.schedule(IDLE_INTERVAL_MS);
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
      const batch = (await this.db.outbox.where("status").equals("pending").sortBy("seq")).slice(0, PUSH_BATCH);
      if (batch.length === 0) return;
      const mutations: WireMutation[] = batch.map((e) => ({
        id: e.id, entity: e.entity, record_id: e.recordId, op: e.op, fields: e.fields,
        base_version: e.baseVersion, clock: e.clock,
      }));
      const answer = await this.api.post<{ results: PushResult[] }>(
        "/api/sync/push", { client_id: clientId, mutations }, SYNC_HEADERS,
      );
      let retryLater = false;
      for (const [i, entry] of batch.entries()) {
        const result = answer.results[i];
        if (!result) continue;
        if (result.status === "rejected" && result.error?.code === "server_error") retryLater = true;
        await this.store.settle(entry, result);
      }
      await this.refreshCounts();
      if (retryLater) throw new ApiError(500, "server_error", "");
    }
  }

  /** Photo bytes first, only those the server lacks (a known photo costs nothing). */
  private async uploadPhotos(): Promise<void> {
    const pending = await this.db.blobs.where("uploaded").equals(0).toArray();
    if (pending.length === 0 || !this.options.uploader) return;
    const { missing } = await this.api.post<{ missing: string[] }>(
      "/api/blobs/missing", { hashes: pending.map((p) => p.hash) },
    );
    const needed = new Set(missing);
    const csrf = await this.api.token();
    try {
      for (const [i, photo] of pending.entries()) {
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
      const page = await this.api.get<PullPage>(
        `/api/sync/pull?cursor=${encodeURIComponent(cursor)}&limit=${PULL_LIMIT}`, SYNC_HEADERS,
      );
      for (const change of page.changes) await this.store.receive(change);
      await this.db.setMeta("cursor", page.cursor); // after the records: a crash re-pulls
      if (!page.more) return;
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
    if (err instanceof ApiError && err.code === "bad_cursor") {
      void this.db.setMeta("cursor", "");
    }
    const knownOffline = err instanceof NetworkError && !this.isOnline();
    // While the device knows it is offline, the "online" event will call; failing to reach
    // the server then says nothing about the server, so the wait does not grow.
    if (!knownOffline) this.failures += 1;
    this.update({ phase: err instanceof NetworkError ? "offline" : "error" });
    this.schedule(knownOffline ? MAX_BACKOFF_MS : backoffDelay(this.failures));
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
