// The app's long-lived parts, made once at start-up and handed to the screens.

import { Auth, type User } from "../api/auth";
import { ApiClient } from "../api/client";
import { TrivselDB } from "../db/db";
import { xhrUpload } from "../photos/upload";
import { Clock } from "../sync/clock";
import { SyncEngine } from "../sync/engine";
import { LocalStore } from "../sync/store";

export interface Services {
  api: ApiClient;
  auth: Auth;
  db: TrivselDB;
  store: LocalStore;
  engine: SyncEngine;
  /** Forget everything on this device (signing out, or another user signing in). */
  wipe: () => Promise<void>;
  rememberUser: (user: User) => Promise<void>;
  lastUser: () => Promise<User | undefined>;
}

export function makeServices(): Services {
  const api = new ApiClient();
  const db = new TrivselDB();
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
  const store = new LocalStore(db, getClock);
  const engine = new SyncEngine(api, db, store, { clientId, uploader: xhrUpload });
  return {
    api, auth: new Auth(api), db, store, engine,
    wipe: async () => {
      await db.transaction("rw", [db.records, db.outbox, db.meta, db.blobs], async () => {
        await db.records.clear();
        await db.outbox.clear();
        await db.meta.clear();
        await db.blobs.clear();
      });
      clock = null;
    },
    rememberUser: (user) => db.setMeta("user", user),
    lastUser: () => db.getMeta<User>("user"),
  };
}
