// The screens keep to the one write path: they read through data/queries.ts and change data
// only through data/writes.ts (which tells the sync engine itself). A screen that opened the
// database, wrote to the store or had to remember to notify the engine would fail here.
import { describe, expect, it } from "vitest";

const screens = import.meta.glob<string>("./*.tsx", { query: "?raw", import: "default", eager: true });

const FORBIDDEN: Array<[RegExp, string]> = [
  [/from "dexie"/, "imports Dexie"],
  [/\bdb\.(records|outbox|blobs|meta|discarded|transaction)\b/, "opens the database"],
  [/\.(records|outbox|discarded)\.(where|get|put|add|update|delete|toArray|count)\(/, "reads or writes a table"],
  [/\bstore\.(apply|settle|receive|discard)\(/, "writes through the store directly"],
  [/engine\.changed\(/, "notifies the engine by hand"],
  [/^import (?!type )[^;]*from "\.\.\/db\/db"/m, "imports the database (not only its types)"],
];

describe("the screens' access to data", () => {
  it("finds the screens", () => expect(Object.keys(screens).length).toBeGreaterThan(15));
  for (const [file, source] of Object.entries(screens)) {
    it(`${file} reads and writes only through the data layer`, () => {
      for (const [pattern, what] of FORBIDDEN) expect(pattern.test(source), `${file} ${what}`).toBe(false);
    });
  }
});
