// The app's long-lived parts, made once at start-up and handed to the screens. Screens read
// through `read` (named queries) and change data only through `write` (named mutations).

import { Auth, type User } from "../api/auth";
import { ApiClient } from "../api/client";
import { Drafts } from "../data/drafts";
import { Queries } from "../data/queries";
import { validateChange } from "../data/validate";
import { Writes } from "../data/writes";
import { plainStorageForTests, sealRows, type Vault } from "../db/crypt";
import { TrivselDB } from "../db/db";
import { DeviceClosed, DeviceKeys, type PinAnswer } from "../db/keys";
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
  /** The device's keys: whether a PIN is chosen, choosing one, forgetting them at sign-out. */
  keys: DeviceKeys;
  /** Open the stored data with the server's key for ``user`` (signed in); "closed": the
   * server had closed this device, its data is gone and it starts afresh. */
  unlock: (user: User) => Promise<"open" | "closed">;
  /** Another person's unsent changes on this device, when ``user`` is not whose they are:
   * how many, and whose (review #3: never wiped without asking). */
  othersWork: (user: User) => Promise<{ count: number; name: string } | null>;
  /** Open the stored data with the PIN chosen on this device (offline). */
  unlockWithPin: (pin: string) => Promise<PinAnswer>;
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
  const vault: Vault = { key: null };
  const db = new TrivselDB("trivsel", plainStorageForTests() ? undefined : vault);
  const keys = new DeviceKeys(vault, api);
  // The browser may close the database under the app (another tab upgrading it, storage
  // pressure, the user clearing site data): open it again at once, so the sync engine and
  // the screens' live queries carry on (Dexie alone would wait for the next write).
  db.on("close", () => setTimeout(() => { if (!db.isOpen()) void db.open().catch(() => undefined); }, 0));
  const device = makeDevice(db, api, { uploader: xhrUpload });
  // Test-only, as main.tsx's hooks: every table as the app reads it (opened), for the tests
  // that look for what must never be kept on the tablet (a CPR number).
  const hooks = (globalThis as { __TRIVSEL_TEST_HOOKS__?: Record<string, unknown> }).__TRIVSEL_TEST_HOOKS__;
  if (hooks) {
    hooks["tables"] = async () => {
      let text = "";
      for (const table of db.tables) text += `${table.name}:${JSON.stringify(await table.toArray())}\n`;
      return text;
    };
  }
  const wipe = async () => {
    // Every table (a new one included): clearing needs no key.
    await db.transaction("rw", db.tables, async () => {
      for (const table of db.tables) await table.clear();
    });
    device.forgetClock();
  };
  // Rows stored in the clear before encryption came are sealed on the first unlock.
  const sealInPlace = async () => {
    if (await keys.sealedAll()) return;
    await sealRows(db);
    await keys.markSealed();
  };
  const unlock = async (user: User): Promise<"open" | "closed"> => {
    try {
      const found = await keys.unlockOnline(user.id, user.name);
      if (found === "lost") await wipe(); // sealed under a key nobody has now (or another's, asked)
      await sealInPlace();
      return "open";
    } catch (err) {
      if (!(err instanceof DeviceClosed)) throw err;
      await wipe();
      await keys.reset();
      await keys.unlockOnline(user.id, user.name);
      return "closed";
    }
  };
  return {
    api, auth: new Auth(api), read: device.read, write: device.write, engine: device.engine,
    wipe, keys, unlock, drafts: new Drafts(db),
    othersWork: async (user) => {
      const owner = await keys.owner();
      if (!owner || owner.userId === user.id) return null;
      // Counted while sealed: a count needs no key. Refused changes count too (not sent).
      const count = await db.outbox.count();
      return count ? { count, name: owner.userName ?? "" } : null;
    },
    unlockWithPin: async (pin) => {
      const answer = await keys.unlockWithPin(pin);
      if (answer.kind === "open") await sealInPlace();
      return answer;
    },
    rememberUser: (user) => db.setMeta("user", user),
    lastUser: () => db.getMeta<User>("user"),
    agendaSentAt: (meetingId) => db.getMeta<string>(`agendaSent:${meetingId}`),
    agendaSent: (meetingId, at) => db.setMeta(`agendaSent:${meetingId}`, at),
    canKeepData,
    askToPersist: () => askToPersist(db),
  };
}
