// Drafts: what is being typed, kept on the device until it is saved as a change (or
// emptied), so a reload, a crashed tab or a lost network loses nothing (issue 23). A draft is
// the device's own: it is never sent, and it goes with everything else at sign-out.

import type { TrivselDB } from "../db/db";

export class Drafts {
  constructor(private readonly db: TrivselDB) {}

  async get<T>(key: string): Promise<T | undefined> {
    return (await this.db.drafts.get(key))?.value as T | undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    await this.db.drafts.put({ key, value, savedAt: Date.now() });
  }

  async drop(key: string): Promise<void> {
    await this.db.drafts.delete(key);
  }

  /** The keys of the drafts under a prefix (keys stay plain on disk: they hold ids only). */
  async keysUnder(prefix: string): Promise<Set<string>> {
    return new Set(await this.db.drafts.where("key").startsWith(prefix).primaryKeys());
  }
}
