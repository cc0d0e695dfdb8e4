// The photo queue's part in a sync run: the hooks the record sync engine calls (SyncHooks).
//
// Bytes go before the records that name them: the server refuses a photo's record whose
// bytes its author never uploaded ("photo_not_uploaded"), and a report or filing of a
// meeting is sent only once the photos taken there before it are on the server (it shows
// them). When the server still says "photo_not_uploaded" (an upload answered by something
// other than the server, bytes deleted as unclaimed), that is no refusal: the bytes are
// queued again and the record sent again. Bytes the server refuses for good (too large, not
// an image) fail with its reason, are not tried again, and their record is shown refused.

import { ApiError, type ApiClient } from "../api/client";
import type { ApiErrorBody, OutboxEntry } from "../db/db";
import type { HookReport, Mended, SyncHooks } from "../sync/engine";
import type { LocalStore } from "../sync/store";
import { photoHash, type PhotoQueue } from "./queue";
import type { Uploader } from "./upload";

const PHOTO_NOT_UPLOADED = "photo_not_uploaded"; // not final: upload, then send again
// Sent only once the photos taken before them at their meeting are on the server.
const NEEDS_PHOTOS = new Set(["report", "filing"]);
// How the server refuses bytes for good (server/photos/blobs.py, server/photos/imaging.py): a bad name, too
// large, the wrong kind of file, bytes that are not their name's or not a readable image.
// Sending the same bytes again cannot change its answer. Anything else (no network, a
// server fault, a sign-in that ran out) is passing: the bytes stay queued.
const REFUSED_FOR_GOOD = new Set([400, 413, 415, 422]);

export class PhotoSync implements SyncHooks {
  private sentAgain = new Set<string>(); // bytes queued again during this run

  constructor(
    private readonly queue: PhotoQueue,
    private readonly store: LocalStore,
    private readonly api: ApiClient,
    private readonly uploader?: Uploader,
  ) {}

  begin(): void {
    this.sentAgain.clear();
  }

  /** Upload the queued bytes of photos still on the board, only those the server lacks (a
   * known photo costs nothing): a deleted photo's bytes are let go, never sent. */
  async beforePush(report: HookReport): Promise<void> {
    await this.queue.recover();
    await this.queue.sweep();
    await this.showRefused();
    const queued = await this.queue.inState("queued");
    if (queued.length === 0 || !this.uploader) return;
    const { missing } = await this.api.post<{ missing: string[] }>(
      "/api/blobs/missing", { hashes: queued.map((p) => p.hash) },
    );
    const needed = new Set(missing);
    const csrf = await this.api.token();
    for (const [i, photo] of queued.entries()) {
      if (needed.has(photo.hash)) {
        // Deleted while the photos before it were sent: its bytes are gone, and stay unsent.
        if (await this.queue.move(photo.hash, "start") !== "uploading") continue;
        const progress = { index: i + 1, total: queued.length, hash: photo.hash, fraction: 0 };
        report.progress(progress);
        try {
          await this.uploader(photo.hash, photo.blob, photo.type, csrf,
            (fraction) => report.progress({ ...progress, fraction }));
        } catch (err) {
          if (err instanceof ApiError && REFUSED_FOR_GOOD.has(err.status)) {
            await this.queue.move(photo.hash, "refused", { code: err.code, message: err.message, fields: err.fields });
            await this.showRefused();
            continue;
          }
          await this.queue.move(photo.hash, "transient");
          throw err;
        }
      }
      await this.queue.move(photo.hash, "done");
      await report.changed();
    }
  }

  /** A photo's record goes once its bytes are on the server (or not on this device). */
  async ready(entry: OutboxEntry): Promise<boolean> {
    const hash = photoHash(entry.entity, entry.fields);
    const held = hash === null ? undefined : await this.queue.get(hash);
    return held === undefined || held.state === "uploaded";
  }

  provides(entry: OutboxEntry): string | null {
    return entry.entity === "board_photo" ? photosAt(entry) : null;
  }

  needs(entry: OutboxEntry): string | null {
    return NEEDS_PHOTOS.has(entry.entity) ? photosAt(entry) : null;
  }

  /** The server has no upload of this photo from us: not a refusal. Its bytes are queued
   * again and it goes again in this run. Should the server still say so after that, it
   * waits on its own backoff like a change the server failed on. */
  async mend(entry: OutboxEntry, error: ApiErrorBody): Promise<Mended | null> {
    if (error.code !== PHOTO_NOT_UPLOADED) return null;
    const hash = photoHash(entry.entity, entry.fields);
    if (hash && !this.sentAgain.has(hash) && await this.queue.get(hash)) {
      this.sentAgain.add(hash);
      await this.queue.move(hash, "lost");
      return "again";
    }
    // Deleted here before its bytes were ever sent (they went with the deletion): the server
    // has no such record, as it just refused to make it, so its creation and its deletion
    // are let go — not sent again and again, nor the deletion refused as "not found". (A
    // deletion made now takes such a creation back before it is sent, LocalStore.queue; this
    // covers those queued by an earlier version of the app.)
    if (entry.baseVersion === null && await this.store.forgetUnborn(entry.entity, entry.recordId)) return "handled";
    return "wait";
  }

  async waiting(): Promise<number> {
    return (await this.queue.waitingHashes()).length;
  }

  /** Each photo on the board whose bytes the server refused is shown as a refused change
   * (with the server's reason, held back, to take again or discard), like any refusal. */
  private async showRefused(): Promise<void> {
    for (const photo of await this.queue.inState("failed")) {
      const reason = photo.reason ?? { code: "unknown", message: "", fields: {} };
      for (const record of await this.queue.recordsNaming(photo.hash)) {
        if (!(await this.store.onServer(record.entity, record.id))) await this.store.refuse(record.entity, record.id, reason);
      }
    }
  }
}

/** The photos of one meeting, as a name changes can depend on. */
function photosAt(entry: OutboxEntry): string {
  return `photos@${entry.meetingId ?? String(entry.fields["meeting_id"] ?? "")}`;
}
