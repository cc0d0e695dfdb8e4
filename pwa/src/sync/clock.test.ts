import { describe, expect, it } from "vitest";

import { Clock, format, parse } from "./clock";

describe("clock stamps (sync/PROTOCOL.md, Clock stamps)", () => {
  it("formats as the protocol's example and parses back", () => {
    const text = format({ wall: 1_795_000_000_000, counter: 0, node: "ab12cd34" });
    expect(text).toBe("1795000000000:00000:ab12cd34");
    expect(parse(text)).toEqual({ wall: 1_795_000_000_000, counter: 0, node: "ab12cd34" });
  });

  it("never goes backwards when the device clock does", () => {
    const readings = [5_000, 4_000, 4_000, 6_000, 1_000];
    const clock = new Clock("dev", () => readings.shift() ?? 0);
    const stamps = Array.from({ length: 5 }, () => clock.tick());
    expect([...stamps].sort()).toEqual(stamps);
    expect(new Set(stamps).size).toBe(5);
  });

  it("carries on after a restart from the last stamp it made, even if the clock went back", () => {
    const last = new Clock("dev", () => 9_000).tick();
    const restarted = new Clock("dev", () => 1_000, last);
    expect(restarted.tick() > last).toBe(true);
  });

  it("rejects what is not a stamp", () => {
    expect(() => parse("12:3:x")).toThrow();
  });
});
