import "fake-indexeddb/auto";

import { describe, expect, it } from "vitest";

import { ApiClient } from "../api/client";
import type { Vault } from "./crypt";
import { DeviceClosed, DeviceKeys, MAX_TRIES } from "./keys";

/** The server's side of POST/DELETE /api/devices/<device>/key: one key per person and device. */
function server() {
  const keys = new Map<string, string>();
  const closed = new Set<string>();
  let user = "u1";
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit) => {
    const device = String(input).split("/")[3]!;
    const id = `${user}/${device}`;
    if (init?.method === "DELETE") {
      closed.add(id);
      return Promise.resolve(new Response(null, { status: 204 }));
    }
    if (closed.has(id)) {
      return Promise.resolve(Response.json({ error: { code: "device_closed", message: "closed" } }, { status: 403 }));
    }
    if (!keys.has(id)) keys.set(id, btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))));
    return Promise.resolve(Response.json({ key: keys.get(id) }));
  };
  return { api: new ApiClient(fetchFn), signIn: (u: string) => { user = u; } };
}

function device(api: ApiClient) {
  const vault: Vault = { key: null };
  return { vault, keys: new DeviceKeys(vault, api, `keys-${Math.random()}`) };
}

describe("device keys", () => {
  it("open the same data key after the next sign-in, and another person's never", async () => {
    const { api, signIn } = server();
    const { vault, keys } = device(api);
    expect(await keys.unlockOnline("u1")).toBe("new");
    const first = vault.key;
    vault.key = null; // the app closed; the session expired while offline
    expect(await keys.unlockOnline("u1")).toBe("same");
    expect(vault.key).toEqual(first);
    signIn("u2");
    expect(await keys.unlockOnline("u2")).toBe("lost"); // another person: the old data goes
    expect(vault.key).not.toEqual(first);
  });

  it("say whose key seals the data, readable while locked", async () => {
    const { api } = server();
    const { vault, keys } = device(api);
    expect(await keys.owner()).toBeNull();
    await keys.unlockOnline("u1", "Frida");
    vault.key = null;
    expect(await keys.owner()).toEqual({ userId: "u1", userName: "Frida" });
  });

  it("open offline with the PIN; after too many wrong ones only signing in opens", async () => {
    const { api } = server();
    const { vault, keys } = device(api);
    await keys.unlockOnline("u1");
    const key = vault.key;
    await keys.setPin("123456");
    vault.key = null;
    expect(await keys.unlockWithPin("123456")).toEqual({ kind: "open" });
    expect(vault.key).toEqual(key);
    vault.key = null;
    for (let n = 1; n < MAX_TRIES; n++) {
      expect(await keys.unlockWithPin("000000")).toEqual({ kind: "wrong", left: MAX_TRIES - n });
    }
    expect(await keys.unlockWithPin("000000")).toEqual({ kind: "gone" });
    expect(await keys.hasPin()).toBe(false);
    expect(await keys.unlockWithPin("123456")).toEqual({ kind: "gone" }); // the right one, too late
    expect(vault.key).toBeNull();
    expect(await keys.unlockOnline("u1")).toBe("same"); // online, nothing lost
    expect(vault.key).toEqual(key);
  }, 60_000);

  it("refuse a device that was closed; signing out forgets it for good", async () => {
    const { api } = server();
    const { vault, keys } = device(api);
    await keys.unlockOnline("u1");
    const before = (await keys.record()).deviceId;
    await keys.forget();
    expect(vault.key).toBeNull();
    expect((await keys.record()).deviceId).not.toBe(before);
    expect(await keys.keyed()).toBe(false);
    const again = device(api);
    await again.keys.unlockOnline("u1");
    await api.delete(`/api/devices/${(await again.keys.record()).deviceId}/key`); // as an admin's close
    again.vault.key = null;
    await expect(again.keys.unlockOnline("u1")).rejects.toBeInstanceOf(DeviceClosed);
  });
});
