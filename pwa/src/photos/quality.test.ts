import { describe, expect, it } from "vitest";

import { fitWithin } from "./encoding";
import { LIMITS, measureQuality, problemsOf } from "./quality";

const W = 800;
const H = 600;

/** A light board with thin dark marker strokes (as a 2,048-px photo shows handwriting). */
function board(paper = 235, ink = 30): Uint8ClampedArray {
  const px = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const stroke = (y % 40 === 0 && x % 60 < 40) || (x % 60 === 0 && y % 40 < 25);
      const v = stroke ? ink : paper;
      px.set([v, v, v, 255], (y * W + x) * 4);
    }
  }
  return px;
}

/** A box blur of the given radius, run three times (close to a Gaussian). */
function blurred(src: Uint8ClampedArray, radius: number): Uint8ClampedArray {
  let cur = src;
  for (let pass = 0; pass < 3; pass++) {
    const next = new Uint8ClampedArray(cur.length);
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        let sum = 0;
        let n = 0;
        for (let d = -radius; d <= radius; d++) {
          const xx = Math.min(W - 1, Math.max(0, x + d));
          const yy = Math.min(H - 1, Math.max(0, y + (pass === 1 ? d : 0)));
          sum += cur[(yy * W + (pass === 1 ? x : xx)) * 4]!;
          n++;
        }
        const v = sum / n;
        next.set([v, v, v, 255], (y * W + x) * 4);
      }
    }
    cur = next;
  }
  return cur;
}

function scaled(src: Uint8ClampedArray, factor: number): Uint8ClampedArray {
  return src.map((v, i) => (i % 4 === 3 ? v : v * factor));
}

describe("photo quality", () => {
  it("says nothing about a well-lit, sharp board", () => {
    const m = measureQuality(board(), W, H);
    expect(problemsOf(m)).toEqual([]);
    expect(m.brightness).toBeGreaterThan(200);
  });

  it("calls a dark photo dark", () => {
    const m = measureQuality(scaled(board(), 0.2), W, H);
    expect(m.brightness).toBeLessThan(LIMITS.darkBelow);
    expect(problemsOf(m)).toEqual(["dark"]);
  });

  it("does not call a dim but sharp photo blurred (sharpness is per unit of contrast)", () => {
    const m = measureQuality(scaled(board(), 0.45), W, H);
    expect(m.brightness).toBeGreaterThan(LIMITS.darkBelow);
    expect(problemsOf(m)).toEqual([]);
  });

  it("calls a blurred photo blurred", () => {
    const sharp = measureQuality(board(), W, H);
    const soft = measureQuality(blurred(board(), 3), W, H);
    expect(soft.sharpness).toBeLessThan(sharp.sharpness / 3);
    expect(problemsOf(soft)).toEqual(["blurred"]);
  });

  it("sees a blown-out patch as glare, but not scattered bright specks", () => {
    const patch = board();
    for (let y = 200; y < 320; y++) for (let x = 300; x < 460; x++) patch.set([255, 255, 255, 255], (y * W + x) * 4);
    expect(problemsOf(measureQuality(patch, W, H))).toEqual(["glare"]);

    const specks = board();
    for (let k = 0; k < 4000; k++) {
      const x = (k * 37) % W, y = (k * 91) % H;
      specks.set([255, 255, 255, 255], (y * W + x) * 4);
    }
    expect(measureQuality(specks, W, H).glare).toBeLessThan(LIMITS.glareAbove / 4);
  });

  it("measures a large photo on a reduced copy and reaches the same verdict", () => {
    const big = new Uint8ClampedArray(W * 2 * H * 2 * 4);
    const small = board();
    for (let y = 0; y < H * 2; y++) {
      for (let x = 0; x < W * 2; x++) big.set(small.subarray(((y >> 1) * W + (x >> 1)) * 4, ((y >> 1) * W + (x >> 1)) * 4 + 4), (y * W * 2 + x) * 4);
    }
    const m = measureQuality(big, W * 2, H * 2);
    expect(problemsOf(m)).toEqual([]);
    expect(m.brightness).toBeCloseTo(measureQuality(small, W, H).brightness, 0);
  });
});

describe("fitWithin", () => {
  it("scales the longest side down to the limit and never scales up", () => {
    expect(fitWithin(4000, 3000, 2048)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3000, 4000, 2048)).toEqual({ width: 1536, height: 2048 });
    expect(fitWithin(1200, 900, 2048)).toEqual({ width: 1200, height: 900 });
  });
});
