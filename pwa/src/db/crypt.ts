// Encryption at rest (issue 23 part 2): a Dexie DBCore middleware that seals every stored
// row with AES-256-GCM under the device's data key (db/keys.ts). A row is kept as its indexed
// fields (ids, hashes, states: what the app looks rows up by) beside one sealed byte string
// of the whole value; every other field, and a photo's bytes, exist on disk only sealed.
// Which fields stay plain is read from the schema itself, so a table added to db.ts is
// covered without being named here, and db/crypt.test.ts refuses an index on anything but
// an id-like field (child text in an index would lie on disk in the clear).
//
// Why AES-GCM from @noble/ciphers and not WebCrypto's: the sealing has to be synchronous.
// An IndexedDB transaction commits as soon as a task awaits anything but its own requests,
// and WebCrypto only answers with promises, so an await inside the app's transactions (or a
// cursor's `value`, which must be there when read) would end them half-way. noble's AES-GCM
// is the same cipher, audited, and runs in the same task. WebCrypto still does what may be
// asynchronous: the random bytes, the PIN's key derivation and the wrapping of the data key.

import { gcm } from "@noble/ciphers/aes.js";
import type { DBCore, DBCoreCursor, DBCoreMutateRequest, DBCoreTable, DBCoreTableSchema, Dexie, Middleware } from "dexie";

/** The field of a stored row that holds the sealed value. */
export const SEALED = "§";
const NONCE = 12;

/** Where the data key is while the app runs: in memory only, null until unlocked. */
export interface Vault {
  key: Uint8Array | null;
}

/** A read or write of child data while the device is locked: a bug in the app's flow (every
 * screen waits for unlocking), never shown as an empty list. */
export class LockedError extends Error {
  constructor() {
    super("The device's data is locked.");
    this.name = "LockedError";
  }
}

// A Blob's bytes cannot be read in the same task, so the middleware cannot read a photo while
// sealing it. The bytes are read beforehand (`holdBytes`, outside any transaction) and kept
// here against the Blob; a Blob the middleware makes when opening a row is registered too,
// so a row read and written back (a state change of a photo) seals without reading again.
const bytesOf = new WeakMap<Blob, Uint8Array>();

/** Read a Blob's bytes ahead of storing it in a sealed table (await it before the transaction). */
export async function holdBytes(blob: Blob): Promise<void> {
  if (!bytesOf.has(blob)) bytesOf.set(blob, new Uint8Array(await blob.arrayBuffer()));
}

/** Whether the test-only switch asks for plain storage (the control run of the disk search in
 * tests/browser/test_encrypted_at_rest.py). Only a script run before the app can set it. */
export function plainStorageForTests(): boolean {
  return (globalThis as { __TRIVSEL_PLAIN_STORAGE__?: unknown }).__TRIVSEL_PLAIN_STORAGE__ === true;
}

/** The fields of a table's rows that stay plain: its primary key and its indexes. */
export function plainFields(schema: DBCoreTableSchema): string[] {
  const fields = new Set<string>();
  for (const index of [schema.primaryKey, ...schema.indexes]) {
    const paths = index.keyPath === null ? [] : typeof index.keyPath === "string" ? [index.keyPath] : index.keyPath;
    for (const path of paths) {
      if (path.includes(".")) throw new Error(`Sealed tables index top-level fields only: ${schema.name}.${path}`);
      fields.add(path);
    }
  }
  return [...fields];
}

type Row = Record<string, unknown>;

/** Seal every row stored in the clear (before encryption came) in place, table by table:
 * each row is read and written back whole, so an interruption leaves some sealed and some
 * not, both readable, and the next unlock finishes. */
export async function sealRows(db: Dexie): Promise<void> {
  for (const table of db.tables) {
    const rows = (await table.toArray()) as Row[];
    if (rows.length === 0) continue;
    for (const row of rows) {
      for (const value of Object.values(row)) if (value instanceof Blob) await holdBytes(value);
    }
    await table.bulkPut(rows);
  }
}

/** The middleware that seals every table of the database under `vault`'s key. */
export function encryption(vault: Vault): Middleware<DBCore> {
  return {
    stack: "dbcore",
    name: "encryption",
    // Beneath Dexie's own middlewares (its live-query cache is level 0, its cache of existing
    // values -1): they hold opened rows, so a live query run again after each write (a sync
    // writes every row it settles or receives, and the board's queries re-run each time) is
    // answered from memory without opening every row again. Stacked on top (the default,
    // 10), the cache held sealed rows and each re-run opened the whole board: the most of a
    // sealed sync's extra cost (bench/meeting_bench.py). What those caches hold is in memory
    // only, as every opened value is; on disk nothing changes.
    level: -2,
    create: (down) => ({ ...down, table: (name) => sealedTable(down.table(name), vault) }),
  };
}

function sealedTable(table: DBCoreTable, vault: Vault): DBCoreTable {
  const plain = plainFields(table.schema);
  const aad = new TextEncoder().encode(table.name);
  const key = (): Uint8Array => {
    if (!vault.key) throw new LockedError();
    return vault.key;
  };
  const seal = (value: unknown): Row => {
    const row = value as Row;
    const stored: Row = { [SEALED]: sealValue(key(), aad, row) };
    for (const field of plain) if (field in row) stored[field] = row[field];
    return stored;
  };
  const open = (stored: unknown): unknown => {
    if (stored === undefined || stored === null || typeof stored !== "object") return stored;
    const row = stored as Row;
    // Not sealed: a row stored before encryption came; sealed where it is met (keys.ts).
    if (!(SEALED in row)) return row;
    const value = openValue(key(), aad, row[SEALED] as Uint8Array);
    // The primary key an auto-increment gave the row is in the stored row, not the sealed value.
    for (const field of plain) if (field in row) value[field] = row[field];
    return value;
  };
  // The cursor is the browser's IDBCursor (with Dexie's methods added): its getters and
  // methods refuse any other `this` ("Illegal invocation"), so each is called on it, as
  // Dexie's own virtual-index middleware does; only `value` is opened on the way.
  const openCursor = (cursor: DBCoreCursor): DBCoreCursor => {
    const wrapped: DBCoreCursor = Object.create(cursor, {
      trans: { get: () => cursor.trans },
      key: { get: () => cursor.key },
      primaryKey: { get: () => cursor.primaryKey },
      done: { get: () => cursor.done },
      value: { get: () => open(cursor.value) },
      continue: { value: (key?: unknown) => cursor.continue(key) },
      continuePrimaryKey: { value: (key: unknown, primaryKey: unknown) => cursor.continuePrimaryKey(key, primaryKey) },
      advance: { value: (count: number) => cursor.advance(count) },
      start: { value: (onNext: () => void) => cursor.start(onNext) },
      stop: { value: (value?: unknown) => cursor.stop(value) },
      next: { value: () => cursor.next().then(() => wrapped) },
      fail: { value: (error: Error) => cursor.fail(error) },
    }) as DBCoreCursor;
    return wrapped;
  };

  return {
    ...table,
    mutate: (req: DBCoreMutateRequest) => {
      if (req.type !== "add" && req.type !== "put") return table.mutate(req);
      return table.mutate({ ...req, values: req.values.map(seal) });
    },
    // `.then` on the promise from below, not an async function: beneath Dexie's middlewares,
    // a native async function's promise would lose Dexie's transaction zone (PSD) for the
    // code that continues after it (Collection.modify's write, in the hooks middleware).
    get: (req) => table.get(req).then(open),
    getMany: (req) => table.getMany(req).then((rows) => rows.map(open)),
    query: (req) => table.query(req).then((answer) =>
      req.values ? { ...answer, result: answer.result.map(open) } : answer),
    openCursor: (req) => table.openCursor(req).then((cursor) =>
      cursor && req.values !== false ? openCursor(cursor) : cursor),
  };
}

// A sealed value: nonce ‖ AES-GCM(JSON of the value with its Blobs taken out, then their
// bytes), the table's name as associated data (a row cannot be moved to another table).
// Layout of the plaintext: u32 length of the JSON ‖ JSON ‖ the Blobs' bytes one after another.

interface BlobRef {
  $blob: [number, number, string]; // offset, length, type
}

export function sealValue(key: Uint8Array, aad: Uint8Array, row: Row): Uint8Array {
  const parts: Uint8Array[] = [];
  let offset = 0;
  const json: Row = {};
  for (const [field, value] of Object.entries(row)) {
    if (value instanceof Blob) {
      const bytes = bytesOf.get(value);
      if (!bytes) throw new Error(`Blob in ${field} stored without holdBytes() first`);
      json[field] = { $blob: [offset, bytes.length, value.type] } satisfies BlobRef;
      parts.push(bytes);
      offset += bytes.length;
    } else {
      json[field] = value;
    }
  }
  const text = new TextEncoder().encode(JSON.stringify(json));
  const plain = new Uint8Array(4 + text.length + offset);
  new DataView(plain.buffer).setUint32(0, text.length);
  plain.set(text, 4);
  let at = 4 + text.length;
  for (const part of parts) {
    plain.set(part, at);
    at += part.length;
  }
  const nonce = crypto.getRandomValues(new Uint8Array(NONCE));
  const sealed = gcm(key, nonce, aad).encrypt(plain);
  const out = new Uint8Array(NONCE + sealed.length);
  out.set(nonce);
  out.set(sealed, NONCE);
  return out;
}

// Opened values, by nonce and tag (a fresh random nonce each write, so these name one sealed
// value; the tag binds its ciphertext). Opening costs most in setting AES-GCM up for each
// value, and the app reads the same rows again and again (a sync reads the meeting's records
// for each answer): measured by bench/meeting_bench.py, a sync took 60 % longer without this.
// Held in memory only, like everything the unlocked app shows, and emptied with the key.
const OPENED_MAX_BYTES = 32 * 1024 * 1024;
const OPENED_MAX_VALUE = 256 * 1024; // a photo is opened each time: it is not read often
const opened = new Map<string, Uint8Array>();
let openedBytes = 0;
let openedFor: Uint8Array | null = null;

/** Forget every opened value (the device locks, or its key changes). */
export function forgetOpened(): void {
  opened.clear();
  openedBytes = 0;
  openedFor = null;
}

function openBytes(key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array {
  if (openedFor !== key) {
    forgetOpened();
    openedFor = key;
  }
  const name = `${tableTag(aad)}:${toHex(sealed.subarray(0, NONCE))}${toHex(sealed.subarray(sealed.length - 16))}`;
  const held = opened.get(name);
  if (held) return held;
  const plain = gcm(key, sealed.subarray(0, NONCE), aad).decrypt(sealed.subarray(NONCE));
  if (plain.length <= OPENED_MAX_VALUE) {
    // Oldest first out (a Map iterates in insertion order).
    while (openedBytes + plain.length > OPENED_MAX_BYTES && opened.size) {
      const [oldest, bytes] = opened.entries().next().value as [string, Uint8Array];
      opened.delete(oldest);
      openedBytes -= bytes.length;
    }
    opened.set(name, plain);
    openedBytes += plain.length;
  }
  return plain;
}

// The table's name as the opened values' names use it, made once per table (each read asks).
const tags = new WeakMap<Uint8Array, string>();
function tableTag(aad: Uint8Array): string {
  let tag = tags.get(aad);
  if (tag === undefined) {
    tag = aad.join(",");
    tags.set(aad, tag);
  }
  return tag;
}

function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

export function openValue(key: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Row {
  const plain = openBytes(key, aad, sealed);
  const length = new DataView(plain.buffer, plain.byteOffset).getUint32(0);
  const row = JSON.parse(new TextDecoder().decode(plain.subarray(4, 4 + length))) as Row;
  const rest = plain.subarray(4 + length);
  for (const [field, value] of Object.entries(row)) {
    const ref = (value as Partial<BlobRef> | null)?.$blob;
    if (!Array.isArray(ref)) continue;
    const [offset, size, type] = ref;
    const bytes = rest.slice(offset, offset + size);
    const blob = new Blob([bytes], { type });
    bytesOf.set(blob, bytes);
    row[field] = blob;
  }
  return row;
}
