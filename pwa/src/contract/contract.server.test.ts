// Property: for values the app can produce (right types, any content), the tablet's contract
// check and the real server agree — the tablet refuses a field exactly when the server would.
// The changes are pushed straight to the server here, past the store, to see its answer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";

import { ApiClient } from "../api/client";
import { Auth } from "../api/auth";
import { SYNC_HEADERS, type PushResult } from "../sync/protocol";
import { TabletNetwork } from "../testing/http";
import { newWorld, SERVER } from "../testing/world";
import { checkFields } from "./check";
import { CONTRACT } from "./contract.gen";
import type { FieldRule } from "./types";

const RUNS = Number(import.meta.env["FUZZ_RUNS"] ?? 12) * 10;
const letters = fc.constantFrom("a", "Ø", "😀", " ", "\n", "-", "é");

function around(limit: number) {
  return fc.oneof(fc.string({ unit: letters, maxLength: 12 }),
    fc.string({ unit: letters, minLength: Math.max(0, limit - 3), maxLength: limit + 3 }));
}

/** Values of the field's own type, valid or not, near its limits. */
function valueFor(rule: FieldRule): fc.Arbitrary<unknown> {
  const nullable = rule.nullable ? [fc.constant(null)] : [];
  if (rule.enum) return fc.oneof(fc.constantFrom(...rule.enum), fc.constantFrom("", "nope", "Worries"), ...nullable);
  if (rule.type === "boolean") return fc.boolean();
  if (rule.type === "number" || rule.type === "integer") {
    return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer({ min: -3, max: 3 }));
  }
  if (rule.format === "date") {
    return fc.oneof(fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10)), fc.constantFrom("2026-02-30", "2026-13-01", "1.12.2026", ""), ...nullable);
  }
  if (rule.format === "date-time") {
    return fc.oneof(fc.date({ min: new Date("2000-01-01"), max: new Date("2099-12-31"), noInvalidDate: true })
      .map((d) => d.toISOString()), fc.constantFrom("2026-12-01T09:00:00+02:00", "2026-02-30T09:00:00Z",
      "2026-12-01T25:00:00Z", "i morgen"), ...nullable);
  }
  return fc.oneof(around(rule.maxLength ?? 40), ...nullable);
}

type Tried = "board_note" | "agreement" | "participant" | "minutes";
const BASES: Record<Tried, (meetingId: string) => Record<string, unknown>> = {
  board_note: (m) => ({ meeting_id: m, column: "worries", text: "note", position: 1 }),
  agreement: (m) => ({ meeting_id: m, what: "aftale", owner: "guardians" }),
  participant: (m) => ({ meeting_id: m, name: "Mette", role: "guardian" }),
  minutes: (m) => ({ meeting_id: m, text: "" }),
};

describe("the contract and the server", () => {
  it("refuse exactly the same fields", async () => {
    const world = await newWorld(crypto.randomUUID().slice(0, 8));
    const api = new ApiClient(new TabletNetwork(SERVER).fetch);
    await new Auth(api).login(world.familie.email, world.password);
    let compared = 0;
    const changes = fc.constantFrom(...(Object.keys(BASES) as Tried[])).chain((entity) => {
      const rules = Object.entries(CONTRACT[entity].fields)
        // Ids of other records are left out: the app only ever sends ids of records it has
        // (a made-up user id is a database error on the server, reported as server_error).
        .filter(([, rule]) => !(rule.minLength === 36 && rule.maxLength === 36)) as Array<[string, FieldRule]>;
      return fc.constantFrom(...rules).chain(([name, rule]) =>
        valueFor(rule).map((value) => ({ entity, name, value })));
    });
    await fc.assert(fc.asyncProperty(fc.array(changes, { minLength: 5, maxLength: 20 }), async (batch) => {
      const mutations = batch.map(({ entity, name, value }) => ({
        id: crypto.randomUUID(), entity, record_id: crypto.randomUUID(), op: "upsert", base_version: null,
        fields: { ...BASES[entity](world.meetingId), [name]: value },
        clock: `${Date.now()}:00000:contract`,
      }));
      const { results } = await api.post<{ results: PushResult[] }>("/api/sync/push",
        { client_id: crypto.randomUUID(), mutations }, SYNC_HEADERS);
      for (const [i, m] of mutations.entries()) {
        const tablet = Object.keys(checkFields(m.entity, m.fields, "create")).sort();
        const result = results[i]!;
        const server = result.status === "rejected" ? Object.keys(result.error?.fields ?? {}).sort() : [];
        expect({ ...batch[i], server, code: result.error?.code }).toEqual({ ...batch[i], server: tablet,
          code: tablet.length ? "invalid" : undefined });
        compared += 1;
      }
    }), { numRuns: RUNS });
    console.log(`contract agreement: ${compared} changes compared with the server's answers`);
  });
});
