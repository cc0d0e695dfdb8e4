import "fake-indexeddb/auto";

import Dexie from "dexie";
import { describe, expect, it, vi } from "vitest";

import { Drafts } from "../data/drafts";
import { TrivselDB } from "../db/db";
import { da } from "../i18n/da";
import { askToPersist, isQuotaError, storageProblem } from "./storage";

const domError = (name: string) => Object.assign(new Error(name), { name });

describe("storage errors in words", () => {
  it("names a full disk however Dexie wraps it, and says what to do", () => {
    const wrapped = new Dexie.AbortError("aborted", domError("QuotaExceededError"));
    expect(isQuotaError(domError("QuotaExceededError"))).toBe(true);
    expect(isQuotaError(wrapped)).toBe(true);
    expect(storageProblem(wrapped)).toBe(da.storage.full);
  });

  it("says a browser that cannot store is one, and leaves other errors to their own words", () => {
    expect(storageProblem(domError("UnknownError"))).toBe(da.storage.cannotKeep);
    expect(storageProblem(new TypeError("a bug"))).toBeNull();
  });
});

describe("askToPersist", () => {
  it("asks once, keeps the answer and tells once", async () => {
    const db = new TrivselDB(`persist-${Math.random()}`);
    let asked = 0;
    vi.stubGlobal("navigator", {
      storage: { persist: async () => { asked++; return false; }, persisted: async () => false },
    });
    expect(await askToPersist(db)).toBe(true);
    expect(await askToPersist(db)).toBe(false);
    expect(asked).toBe(1);
    expect(await db.getMeta("storage")).toEqual({ answer: "notPersisted", told: true });
    db.close();
    vi.unstubAllGlobals();
  });
});

describe("Drafts (v7)", () => {
  it("keeps a draft across a reopen until it is dropped", async () => {
    const name = `drafts-${Math.random()}`;
    const first = new TrivselDB(name);
    await new Drafts(first).put("note:m1:worries", "halvt skrevet");
    first.close();
    const again = new TrivselDB(name);
    const drafts = new Drafts(again);
    expect(await drafts.get("note:m1:worries")).toBe("halvt skrevet");
    await drafts.drop("note:m1:worries");
    expect(await drafts.get("note:m1:worries")).toBeUndefined();
    again.close();
  });
});
