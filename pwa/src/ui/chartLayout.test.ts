import { describe, expect, it } from "vitest";
import { layout, markerPath } from "./chartLayout";

const series = [
  { key: "guardian|Mette", name: "Mette Jensen", role: "guardian", values: [3, 5, 7] },
  { key: "guardian|Lars", name: "Lars Jensen", role: "guardian", values: [3, 5, 6] },
  { key: "child|Emma", name: "Emma", role: "child", values: [4, null, 7] },
];

describe("the scaling chart's layout (issue 21)", () => {
  it("gives a mother and a father with the same role different markers and dashes", () => {
    const [mother, father, child] = layout(series, 3).lines;
    expect(new Set([mother!.marker, father!.marker, child!.marker]).size).toBe(3);
    expect(mother!.dash).not.toBe(father!.dash);
    expect(markerPath(mother!.marker, 10, 10)).not.toBe(markerPath(father!.marker, 10, 10));
  });

  it("puts people with the same answer side by side, the others on the meeting", () => {
    const chart = layout(series, 3);
    const [mother, father, child] = chart.lines;
    const [mx, my] = mother!.points[0]!;
    const [fx, fy] = father!.points[0]!;
    expect(my).toBe(fy);
    expect(Math.abs(mx - fx)).toBeGreaterThanOrEqual(3);
    expect(child!.points[0]![0]).toBe(chart.columns[0]!.x); // alone on 4
    expect(child!.points).toHaveLength(2); // no point where there is no answer
  });
});
