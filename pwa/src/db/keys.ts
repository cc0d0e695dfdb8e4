// The device's keys (issue 23 part 2; docs/security.md "The tablet's data at rest").
//
// One random data key per device profile seals every row (db/crypt.ts). It is never stored
// as it is: only wrapped, (a) by the wrapping key the server gives a signed-in session of
// this person on this device (POST /api/devices/<device>/key), and (b) once the person chose
// a PIN here, by a key derived from that PIN with PBKDF2. What is kept on the device is in a
// database of its own, "trivsel-keys": the device's id, the two wrapped keys, a count of
// wrong PINs. None of it opens anything alone: the server's key lives in memory only, and
// after MAX_TRIES wrong PINs the PIN's wrap is deleted, so only an online sign-in opens.

import Dexie, { type Table } from "dexie";

import { ApiClient, ApiError } from "../api/client";
import { forgetOpened } from "./crypt";

/** OWASP's figure for PBKDF2-HMAC-SHA256 (2023): each guess at a PIN costs this many rounds. */
export const PIN_ITERATIONS = 600_000;
export const MAX_TRIES = 5;
export const PIN_LENGTH = 6;

interface Wrapped {
  iv: Uint8Array;
  sealed: Uint8Array;
}

interface PinWrapped extends Wrapped {
  salt: Uint8Array;
  iterations: number;
}

export interface KeyRecord {
  id: "device";
  deviceId: string; // names this profile to the server; chosen here, proves nothing
  userId: string | null; // whose server key wraps the data key
  // Whose it is, by name, to say so to another person signing in while that person's unsent
  // work is here (the work itself is sealed). A staff member's name, never a child's.
  userName?: string | null;
  serverWrap: Wrapped | null;
  pinWrap: PinWrapped | null;
  wrongPins: number;
  sealedAll: boolean; // rows stored before encryption came have been sealed
}

class KeyDB extends Dexie {
  keys!: Table<KeyRecord, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ keys: "id" });
  }
}

/** The server closed this device (an admin, or signing out here): its key is refused. */
export class DeviceClosed extends Error {
  constructor() {
    super("This device was closed.");
    this.name = "DeviceClosed";
  }
}

/** The server hands the device's key only to a recent sign-in (DEVICE_KEY_FRESH_MINUTES): a
 * later start with a cookie that still lives opens with the PIN or a new sign-in, so a copy
 * of the profile is no better than the tablet offline. */
export class StaleSignIn extends Error {
  constructor() {
    super("The sign-in is too old to be given the device's key.");
    this.name = "StaleSignIn";
  }
}

export type PinAnswer = { kind: "open" } | { kind: "wrong"; left: number } | { kind: "gone" };

/** What became of the stored data at an online unlock. */
export type Unlocked =
  | "same" // the data key was unwrapped: everything stored is readable, unsent work included
  | "new" // a first key for data stored in the clear before (or no data): seal it in place
  | "lost"; // the old key cannot be had (another person, a forgotten key): wipe what is sealed

export class DeviceKeys {
  private readonly db: KeyDB;

  // Tells the app's other tabs that the data key was replaced or dropped here: a tab still
  // holding the old key would seal what it writes under a key nobody has any more.
  private readonly others: BroadcastChannel | null;

  constructor(private readonly vault: { key: Uint8Array | null }, private readonly api: ApiClient,
    name = "trivsel-keys") {
    this.db = new KeyDB(name);
    this.others = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(`${name}-changed`);
  }

  /** ``then`` runs when another tab replaced the data key ("replaced": another person signed
   * in there) or dropped it ("dropped": signed out there). Either way this tab forgets the key
   * at once, so nothing it writes from now on is sealed under a key nobody has. */
  onChangedElsewhere(then: (what: "replaced" | "dropped") => void): void {
    if (!this.others) return;
    this.others.onmessage = (event: MessageEvent) => {
      this.vault.key = null;
      forgetOpened();
      then(event.data === "replaced" ? "replaced" : "dropped");
    };
  }

  get unlocked(): boolean {
    return this.vault.key !== null;
  }

  async record(): Promise<KeyRecord> {
    // One transaction: two tabs starting together must not each make a device id.
    return this.db.transaction("rw", this.db.keys, async () => {
      const held = await this.db.keys.get("device");
      if (held) return held;
      const fresh: KeyRecord = { id: "device", deviceId: crypto.randomUUID(), userId: null, serverWrap: null,
        pinWrap: null, wrongPins: 0, sealedAll: false };
      await this.db.keys.put(fresh);
      return fresh;
    });
  }

  /** After a sign-in (or on start with a live session): the server's key opens the data key,
   * or a new data key is made. Throws DeviceClosed when the server refuses this device. */
  async unlockOnline(userId: string, userName: string | null = null): Promise<Unlocked> {
    return exclusively(() => this.unlockOnlineAlone(userId, userName));
  }

  private async unlockOnlineAlone(userId: string, userName: string | null): Promise<Unlocked> {
    const record = await this.record();
    const serverKey = await importAes(await this.serverKey(record.deviceId));
    if (record.serverWrap && record.userId === userId) {
      const key = await unwrap(serverKey, record.serverWrap, record.deviceId).catch(() => null);
      if (key) {
        this.vault.key = key;
        if (userName && record.userName !== userName) await this.db.keys.update("device", { userName });
        return "same";
      }
    }
    const keyed = record.serverWrap !== null || record.pinWrap !== null;
    const key = crypto.getRandomValues(new Uint8Array(32));
    await this.db.keys.put({ ...record, userId, userName, serverWrap: await wrap(serverKey, key, record.deviceId),
      pinWrap: null, wrongPins: 0, sealedAll: keyed ? true : record.sealedAll });
    this.vault.key = key;
    if (keyed) this.others?.postMessage("replaced");
    return keyed ? "lost" : "new";
  }

  /** Whose key seals the data on this device, if anyone's (readable while locked). */
  async owner(): Promise<{ userId: string; userName: string | null } | null> {
    const record = await this.record();
    return record.userId ? { userId: record.userId, userName: record.userName ?? null } : null;
  }

  /** Whether a PIN can open the data on this device (offline). */
  async hasPin(): Promise<boolean> {
    return (await this.record()).pinWrap !== null;
  }

  /** Whether this device holds data under a key at all (someone signed in here before). */
  async keyed(): Promise<boolean> {
    const record = await this.record();
    return record.serverWrap !== null || record.pinWrap !== null;
  }

  /** Wrap the open data key under a PIN the person chose on this device. */
  async setPin(pin: string): Promise<void> {
    if (!this.vault.key) throw new Error("setPin needs the device unlocked");
    const record = await this.record();
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const pinKey = await fromPin(pin, salt, PIN_ITERATIONS);
    const wrapped = await wrap(pinKey, this.vault.key, record.deviceId);
    await this.db.keys.put({ ...record, pinWrap: { ...wrapped, salt, iterations: PIN_ITERATIONS }, wrongPins: 0 });
  }

  /** Open with the PIN (offline). After MAX_TRIES wrong ones the PIN's wrap is deleted. */
  async unlockWithPin(pin: string): Promise<PinAnswer> {
    const record = await this.record();
    const wrapped = record.pinWrap;
    if (!wrapped) return { kind: "gone" };
    const pinKey = await fromPin(pin, wrapped.salt, wrapped.iterations);
    const key = await unwrap(pinKey, wrapped, record.deviceId).catch(() => null);
    if (key) {
      this.vault.key = key;
      if (record.wrongPins) await this.db.keys.update("device", { wrongPins: 0 });
      return { kind: "open" };
    }
    const wrongPins = record.wrongPins + 1;
    const gone = wrongPins >= MAX_TRIES;
    await this.db.keys.put({ ...record, wrongPins: gone ? 0 : wrongPins, pinWrap: gone ? null : wrapped });
    return gone ? { kind: "gone" } : { kind: "wrong", left: MAX_TRIES - wrongPins };
  }

  /** Rows stored before encryption came have been sealed (see services' unlock). */
  async markSealed(): Promise<void> {
    await this.db.keys.update("device", { sealedAll: true });
  }

  async sealedAll(): Promise<boolean> {
    return (await this.record()).sealedAll;
  }

  /** Signing out: the server forgets this device's key, this device forgets both wraps and
   * takes a new id. Whatever is still sealed on it can no longer be opened by anyone. */
  async forget(): Promise<void> {
    const record = await this.record();
    await this.api.delete<void>(`/api/devices/${record.deviceId}/key`);
    await this.reset();
  }

  /** A new, unkeyed device profile (after sign-out, or the server closed the old one). */
  async reset(): Promise<void> {
    await exclusively(async () => {
      this.vault.key = null;
      forgetOpened();
      await this.db.keys.delete("device");
      const fresh = await this.record();
      await this.db.keys.put({ ...fresh, sealedAll: true }); // the data goes with the old key
      this.others?.postMessage("dropped");
    });
  }

  private async serverKey(deviceId: string): Promise<Uint8Array> {
    try {
      const answer = await this.api.post<{ key: string }>(`/api/devices/${deviceId}/key`);
      return Uint8Array.from(atob(answer.key), (c) => c.charCodeAt(0));
    } catch (err) {
      if (err instanceof ApiError && err.code === "device_closed") throw new DeviceClosed();
      if (err instanceof ApiError && err.code === "sign_in_not_fresh") throw new StaleSignIn();
      throw err;
    }
  }
}

// Two tabs of the app start together (or one signs in while another starts): each would find
// no key for this person and make its own, and rows sealed by one would not open in the other
// (review #6). Making, changing or dropping the key is done by one tab at a time, each reading
// what the one before wrote. A browser without Web Locks (none the app supports; a test's
// runtime) runs it directly.
const KEY_LOCK = "trivsel-device-key";

function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  // request() answers with the callback's promise settled: its type says Promise<Promise<T>>.
  return locks ? (locks.request(KEY_LOCK, work) as Promise<unknown> as Promise<T>) : work();
}

// The data key is wrapped with AES-GCM (WebCrypto), the device's id as associated data: a
// wrap copied from another profile does not open here.

async function importAes(raw: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", raw as BufferSource, "AES-GCM", false, ["encrypt", "decrypt"]);
}

async function fromPin(pin: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

async function wrap(wrapping: CryptoKey, key: Uint8Array, deviceId: string): Promise<Wrapped> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv as BufferSource, additionalData: aad(deviceId) },
    wrapping, key as BufferSource);
  return { iv, sealed: new Uint8Array(sealed) };
}

async function unwrap(wrapping: CryptoKey, wrapped: Wrapped, deviceId: string): Promise<Uint8Array> {
  const key = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: wrapped.iv as BufferSource, additionalData: aad(deviceId) }, wrapping,
    wrapped.sealed as BufferSource);
  return new Uint8Array(key);
}

const aad = (deviceId: string) => new TextEncoder().encode(`trivsel data key ${deviceId}`) as BufferSource;
