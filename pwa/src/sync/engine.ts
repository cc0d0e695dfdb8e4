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
// The engine knows records only. What records need besides themselves (a photo's bytes on
// the server before its record; a report after the photos taken before it) is answered by
// its hooks (`SyncHooks`: the photo queue, photos/sync.ts): they run before each push, say
// which changes are not ready, which changes others depend on, and mend the server's
// answers that are theirs to mend. The engine reads and writes the device's data only
// through the store.

import { ApiError, NetworkError } from "../api/client";
import type { ApiClient } from "../api/client";
import type { ApiErrorBody, OutboxEntry } from "../db/db";
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

/** How the hooks tell the engine (and so the screens) how far they are. */
export interface HookReport {
  progress(upload: UploadProgress | null): void;
  /** Something counted in the state changed (a photo reached the server). */
  changed(): Promise<void>;
}

/** What to do with a server answer the hooks took on. */
export type Mended =
  | "again" // mended (e.g. the bytes go again): the change stays queued and goes again this run
  | "handled" // nothing more to do (the hooks settled it with the store)
  | "wait"; // not a refusal, but not mendable now: the change waits on its own backoff

/**
 * What the engine asks of what travels beside records (photo bytes). A change may need
 * something on the server first (`ready`), and changes may depend on one another by name:
 * a change that `needs` a name waits while a change that `provides` it (and makes its
 * record) is held back, and goes in a later push than one that is sent.
 */
export interface SyncHooks {
  /** A sync run begins (before its first round). */
  begin(): void;
  /** Before each push: send what the changes about to go will need. Throws like a request. */
  beforePush(report: HookReport): Promise<void>;
  /** false: this change cannot go yet. */
  ready(entry: OutboxEntry): Promise<boolean>;
  provides(entry: OutboxEntry): string | null;
  needs(entry: OutboxEntry): string | null;
  /** A refusal that is the hooks' to mend (null: a refusal like any other). */
  mend(entry: OutboxEntry, error: ApiErrorBody): Promise<Mended | null>;
  /** Things not on the server yet (for the count shown: photos). */
  waiting(): Promise<number>;
}

export interface EngineOptions {
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  clientId: () => Promise<string>;
  hooks?: SyncHooks;
  isOnline?: () => boolean;
  /** Send on every local change (the app); off where a test decides when to send. */
  autoSend?: boolean;
}

const IDLE_INTERVAL_MS = 60_000;
const MAX_BACKOFF_MS = 60_000;
/** A Retry-After is followed up to this: a wrong or hostile header never parks the tablet's
 * queue longer (the "online" event and opening the app still send at once). */
const MAX_ASKED_WAIT_MS = 5 * 60_000;

/** Wait after the n-th failure in a row: 1 s, 2 s, 4 s … up to a minute. */
export function backoffDelay(failures: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, failures - 1));
}

/** The wait after a failure: the backoff, or longer when the server said when to come back
 * (a 503's or a 429's Retry-After). Coming back sooner than asked only meets the same answer
 * and adds to the load of a server that is restarting or throttling. */
export function waitAfter(err: unknown, failures: number): number {
  const asked = err instanceof ApiError && err.retryAfter !== null ? err.retryAfter * 1000 : 0;
  return Math.max(backoffDelay(failures), Math.min(MAX_ASKED_WAIT_MS, asked));
}

/** A whole push the server could not take: worth splitting to find the change behind it.
 * Not a 503: the server says it is away for a moment (its database restarting), which no
 * change caused; the whole queue waits and goes again. */
function isBatchFault(err: unknown): err is ApiError {
  return err instanceof ApiError && ((err.status >= 500 && err.status !== 503) || err.status === 413);
}

export class SyncEngine {
  private state: SyncState = {
    phase: "idle", waiting: 0, rejected: 0, photos: 0, upload: null, lastSyncedAt: null, failures: 0,
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
    this.options.hooks?.begin();
    do {
      this.again = false;
      this.update({ phase: "syncing" });
      try {
        await this.beforePush();
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
      if (!result) continue;
      const mended = result.status === "rejected" && result.error && this.options.hooks
        ? await this.options.hooks.mend(entry, result.error) : null;
      if (mended === "again") this.again = true;
      else if (mended === "wait") await this.store.failed(entry, result.error!);
      else if (mended === null) await this.store.settle(entry, result);
    }
  }

  /**
   * The next changes to send, in the order they were made. Held back: a refused change's
   * record (its later changes would be refused or misapplied on their own), a change waiting
   * after a server fault (and its record's later changes), changes that name a record the
   * server does not have yet because its creation is held back, and changes the hooks say
   * are not ready. A change that needs what a held-back creation provides waits too; one
   * that needs what a creation in this batch provides goes in a later push (after its answer).
   */
  private async sendable(): Promise<OutboxEntry[]> {
    const now = this.now();
    const hooks = this.options.hooks;
    const held = new Set<string>();
    const unborn = new Set<string>();
    const heldNames = new Set<string>(); // provided by a creation held back
    const sentNames = new Set<string>(); // provided by a creation in this batch
    const batch: OutboxEntry[] = [];
    for (const e of await this.store.queued()) {
      const needs = hooks?.needs(e) ?? null;
      const waits = e.status === "rejected" || (e.retryAt ?? 0) > now || held.has(e.recordId)
        || Object.values(e.fields).some((v) => typeof v === "string" && unborn.has(v))
        || (needs !== null && heldNames.has(needs)) || (hooks ? !(await hooks.ready(e)) : false);
      if (waits) {
        if (!held.has(e.recordId)) {
          held.add(e.recordId);
          if (!(await this.store.onServer(e.entity, e.recordId))) unborn.add(e.recordId);
        }
        const provides = hooks?.provides(e) ?? null;
        if (provides !== null && unborn.has(e.recordId)) heldNames.add(provides);
        continue;
      }
      if (needs !== null && sentNames.has(needs)) break;
      batch.push(e);
      const provides = hooks?.provides(e) ?? null;
      if (provides !== null && e.baseVersion === null) sentNames.add(provides); // a creation
      if (batch.length === PUSH_BATCH) break;
    }
    return batch;
  }

  /** What travels beside the records goes first (photo bytes), with its progress shown. */
  private async beforePush(): Promise<void> {
    const hooks = this.options.hooks;
    if (!hooks) return;
    try {
      await hooks.beforePush({ progress: (upload) => this.update({ upload }), changed: () => this.refreshCounts() });
    } finally {
      this.update({ upload: null });
    }
  }

  private async pull(): Promise<void> {
    for (;;) {
      // fromStart: after a bad_cursor, the server's change history is not the one this device
      // followed (a restored backup), so its copies are taken as they are, even older ones.
      const { cursor, fromStart } = await this.store.pullPosition();
      let page: PullPage;
      try {
        // The cursor goes in the body: it grows with the number of courses the user may read.
        page = await this.api.post<PullPage>(
          "/api/sync/pull", { cursor, limit: PULL_LIMIT }, SYNC_HEADERS,
        );
      } catch (err) {
        if (!(err instanceof ApiError && err.code === "bad_cursor" && cursor !== "")) throw err;
        await this.store.pullFromStart();
        continue;
      }
      for (const change of page.changes) await this.store.receive(change, { asTheServerHasIt: fromStart });
      await this.store.pulledTo(page.cursor); // after the records: a crash re-pulls
      if (!page.more) {
        if (fromStart) await this.store.caughtUp();
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
    this.schedule(knownOffline ? MAX_BACKOFF_MS : waitAfter(err, this.failures));
  }

  /** When to run next: the idle interval, or sooner when a failed change may go again. */
  private async nextWake(): Promise<number> {
    const retryAt = await this.store.nextRetryAt();
    return retryAt === null ? IDLE_INTERVAL_MS : Math.min(IDLE_INTERVAL_MS, Math.max(1000, retryAt - this.now()));
  }

  private schedule(ms: number): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.syncNow();
    }, ms);
  }

  private async refreshCounts(): Promise<void> {
    const { waiting, rejected } = await this.store.counts();
    const photos = (await this.options.hooks?.waiting()) ?? 0;
    this.update({ waiting, rejected, photos });
  }

  private update(patch: Partial<SyncState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener(this.state);
  }
}
