// The app's long-lived parts, made once at start-up and handed to the screens. Screens read
// through `read` (named queries) and change data only through `write` (named mutations).

import { Auth, type User } from "../api/auth";
import { ApiClient } from "../api/client";
import { Drafts } from "../data/drafts";
import { Queries } from "../data/queries";
import { validateChange } from "../data/validate";
import { Writes } from "../data/writes";
import { TrivselDB } from "../db/db";
import { PhotoQueue } from "../photos/queue";
import { PhotoSync } from "../photos/sync";
import { type Uploader, xhrUpload } from "../photos/upload";
import { Clock } from "../sync/clock";
import { type EngineOptions, SyncEngine } from "../sync/engine";
import { LocalStore } from "../sync/store";
import { askToPersist, canKeepData } from "./storage";

export interface Services {
  api: ApiClient;
  auth: Auth;
  read: Queries;
  write: Writes;
  engine: SyncEngine;
  /** What is being typed, kept on the device until it is saved (ui/useKept.ts). */
  drafts: Drafts;
  /** Forget everything on this device (signing out, or another user signing in). */
  wipe: () => Promise<void>;
  rememberUser: (user: User) => Promise<void>;
  /** When this device last sent a meeting's agenda letter (ISO time), if it has. */
  agendaSentAt: (meetingId: string) => Promise<string | undefined>;
  agendaSent: (meetingId: string, at: string) => Promise<void>;
  /** Whether this browser keeps data at all (a private window does not keep photos). */
  canKeepData: () => Promise<boolean>;
  /** Asks the browser once to keep the data; true when the leader is to be told it may not. */
  askToPersist: () => Promise<boolean>;
  lastUser: () => Promise<User | undefined>;
}

/** The device's parts over one database: what the app uses, and what tests build twice over
 * the same database to play a restart. */
export function makeDevice(db: TrivselDB, api: ApiClient,
  options: Partial<EngineOptions> & { uploader?: Uploader } = {}) {
  let clock: Clock | null = null;
  const clientId = async (): Promise<string> => {
    let id = await db.getMeta<string>("clientId");
    if (!id) {
      id = crypto.randomUUID();
      await db.setMeta("clientId", id);
    }
    return id;
  };
  const getClock = async (): Promise<Clock> => {
    clock ??= new Clock(await clientId(), () => Date.now(), await db.getMeta<string>("clock"));
    return clock;
  };
  const photos = new PhotoQueue(db);
  const store = new LocalStore(db, getClock, { validate: validateChange, attachments: photos });
  const { uploader, ...engineOptions } = options;
  const engine = new SyncEngine(api, store, {
    ...engineOptions, clientId, hooks: new PhotoSync(photos, store, api, uploader) });
  return {
    db, store, engine, read: new Queries(db), write: new Writes(store),
    forgetClock: () => { clock = null; },
  };
}

export function makeServices(): Services {
  const api = new ApiClient();
  const db = new TrivselDB();
  // The browser may close the database under the app (another tab upgrading it, storage
  // pressure, the user clearing site data): open it again at once, so the sync engine and
  // the screens' live queries carry on (Dexie alone would wait for the next write).
  db.on("close", () => setTimeout(() => { if (!db.isOpen()) void db.open().catch(() => undefined); }, 0));
  const device = makeDevice(db, api, { uploader: xhrUpload });
  return {
    api, auth: new Auth(api), read: device.read, write: device.write, engine: device.engine,
    drafts: new Drafts(db),
    wipe: async () => {
      const tables = [db.records, db.outbox, db.meta, db.blobs, db.discarded, db.drafts];
      await db.transaction("rw", tables, async () => {
        await db.records.clear();
        await db.outbox.clear();
        await db.meta.clear();
        await db.blobs.clear();
        await db.discarded.clear();
        await db.drafts.clear();
      });
      device.forgetClock();
    },
    rememberUser: (user) => db.setMeta("user", user),
    lastUser: () => db.getMeta<User>("user"),
    agendaSentAt: (meetingId) => db.getMeta<string>(`agendaSent:${meetingId}`),
    agendaSent: (meetingId, at) => db.setMeta(`agendaSent:${meetingId}`, at),
    canKeepData,
    askToPersist: () => askToPersist(db),
  };
}
