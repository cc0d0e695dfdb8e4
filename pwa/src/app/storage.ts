// Whether this device keeps what the app stores (issue 23 parts 1 and 3): a probe at start
// (WebKit's private browsing opens IndexedDB but refuses a Blob in it, so board photos could
// never be kept), the browser asked once to keep the data, and storage errors put in words.

import Dexie from "dexie";

import type { TrivselDB } from "../db/db";
import { da } from "../i18n/da";

const PROBE_DB = "trivsel-probe";
// Generous: a loaded tablet (or test machine) may take seconds to open IndexedDB, and a
// probe given up early says nothing at all.
const PROBE_MS = 20_000;

/** A small IndexedDB write with a Blob in it, read back. False where the browser keeps
 * nothing, or no Blob ("Error preparing Blob/File data to be stored in object store" in
 * WebKit's private browsing). A probe that does not answer in time counts as kept: the app
 * must not cry wolf on a slow tablet. */
export async function canKeepData(): Promise<boolean> {
  if (typeof indexedDB === "undefined") return false;
  const probe = async () => {
    const db = new Dexie(PROBE_DB);
    db.version(1).stores({ probe: "" });
    try {
      await db.table("probe").put(new Blob(["trivsel"], { type: "text/plain" }), "blob");
      const back = (await db.table("probe").get("blob")) as Blob | undefined;
      return (await back?.text()) === "trivsel";
    } finally {
      db.close();
      void Dexie.delete(PROBE_DB).catch(() => undefined);
    }
  };
  const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(true), PROBE_MS));
  return Promise.race([probe().catch(() => false), late]);
}

type Answer = "persisted" | "notPersisted" | "unsupported";
interface Persistence {
  answer: Answer;
  told: boolean;
}

const standalone = () =>
  (navigator as Navigator & { standalone?: boolean }).standalone === true ||
  (typeof matchMedia === "function" && matchMedia("(display-mode: standalone)").matches);

/**
 * `navigator.storage.persist()`, asked once per device and user, its answer kept (meta
 * "storage"). True when the leader should be told now, once, that the browser may clear what
 * is stored: not persisted, and not opened from the home screen (on an iPad that is what
 * keeps storage; WebKitGTK and older Safari have no persist() at all).
 */
export async function askToPersist(db: TrivselDB): Promise<boolean> {
  const storage = typeof navigator === "undefined" ? undefined : navigator.storage;
  let known = await db.getMeta<Persistence>("storage");
  if (!known) {
    const answer: Answer = typeof storage?.persist !== "function" ? "unsupported"
      : (await storage.persist().catch(() => false)) ? "persisted" : "notPersisted";
    known = { answer, told: false };
  } else if (known.answer === "notPersisted" && (await storage?.persisted?.().catch(() => false))) {
    known = { ...known, answer: "persisted" }; // granted since (e.g. added to the home screen)
  }
  const tell = known.answer !== "persisted" && !known.told && !standalone();
  await db.setMeta("storage", tell ? { ...known, told: true } : known);
  return tell;
}

function names(err: unknown): string[] {
  const out: string[] = [];
  for (let e = err as { name?: unknown; inner?: unknown } | null, i = 0; e && i < 4; e = e.inner as typeof e, i++) {
    if (typeof e.name === "string") out.push(e.name);
  }
  return out;
}

/** The disk is full: the browser refused the write (Dexie passes the DOMException's name on,
 * or wraps it as `inner`). */
export const isQuotaError = (err: unknown) => names(err).includes("QuotaExceededError");

/** Words for a failed write to the device's database, or null when it is not a storage
 * failure (the write path's own errors are described where they arise). */
export function storageProblem(err: unknown): string | null {
  if (isQuotaError(err)) return da.storage.full;
  const found = names(err);
  const storeFailures = ["UnknownError", "DataCloneError", "InvalidStateError", "DatabaseClosedError", "OpenFailedError"];
  return found.some((n) => storeFailures.includes(n)) ? da.storage.cannotKeep : null;
}
