// Is this board photo good enough to be the minutes? A cheap look at the scaled pixels, done
// in the encoder's worker, so the table can take a better photo while everyone is still there.
// Thresholds are calibrated on generated photos (good, dim, soft, dark, blurred, glare) by
// `python -m bench legibility`, which prints each photo's measures beside these limits.

export type PhotoProblem = "dark" | "blurred" | "glare";

export interface QualityMeasures {
  /** Mean luminance, 0–255. */
  brightness: number;
  /** Strength of the sharpest edges (Laplacian, 99.5th percentile) per unit of contrast. */
  sharpness: number;
  /** Share of the picture that is blown-out white in patches (not single specks), 0–1. */
  glare: number;
}

/** Measured on a copy of about this size: enough for edges, cheap on a tablet. */
export const MEASURE_SIDE = 1024;

// The blur limit, checked again on the bench's board photos (bench/legibility_board.py, seeds
// 1–3, 4,000 × 3,000 as a 12-MP tablet camera gives them, scaled to the encoder's 2,048 px
// and measured as here; issue 23): sharp ("good") 155–170, "soft" (tesseract reads a third)
// 91–97, "blurred" 20–21. 110 keeps the sharp ones a third above the line, so a sharp board
// is not warned about; quality.board.test.ts holds it there with generated boards.
export const LIMITS = {
  darkBelow: 60,
  blurredBelow: 110,
  glareAbove: 0.004,
} as const;

const CLIPPED = 250; // every channel this bright: the sensor saw only light there

/** The measures of an RGBA picture (as ImageData holds it). */
export function measureQuality(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): QualityMeasures {
  const f = Math.max(1, Math.round(Math.max(width, height) / MEASURE_SIDE));
  const w = Math.floor(width / f);
  const h = Math.floor(height / f);
  const luma = new Float32Array(w * h);
  const clipped = new Uint8Array(w * h);
  let sum = 0;
  const area = f * f;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let l = 0;
      let darkest = 255 * area;
      for (let dy = 0; dy < f; dy++) {
        let i = ((y * f + dy) * width + x * f) * 4;
        for (let dx = 0; dx < f; dx++, i += 4) {
          const r = rgba[i]!, g = rgba[i + 1]!, b = rgba[i + 2]!;
          l += 0.299 * r + 0.587 * g + 0.114 * b;
          darkest -= 255 - Math.min(r, g, b);
        }
      }
      const k = y * w + x;
      luma[k] = l / area;
      clipped[k] = darkest / area >= CLIPPED ? 1 : 0;
      sum += luma[k]!;
    }
  }
  return {
    brightness: w * h ? sum / (w * h) : 0,
    sharpness: edgeSharpness(luma, w, h),
    glare: patchShare(clipped, w, h),
  };
}

/** What to tell the table about these measures (empty: nothing to say). */
export function problemsOf(m: QualityMeasures): PhotoProblem[] {
  const problems: PhotoProblem[] = [];
  if (m.brightness < LIMITS.darkBelow) problems.push("dark");
  // Blown-out light hides text whatever the focus; a dark photo's edges say little about focus.
  if (m.glare > LIMITS.glareAbove) problems.push("glare");
  else if (!problems.includes("dark") && m.sharpness < LIMITS.blurredBelow) problems.push("blurred");
  return problems;
}

/**
 * Focus: blur flattens the strongest edges (marker strokes, note borders) most. Dividing by
 * the contrast between ink and paper keeps a dim or faint but sharp photo from looking blurred.
 */
function edgeSharpness(luma: Float32Array, w: number, h: number): number {
  if (w < 3 || h < 3) return 0;
  const bins = new Uint32Array(1021); // |Laplacian| of 0–255 values is at most 1020
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const k = y * w + x;
      const lap = 4 * luma[k]! - luma[k - 1]! - luma[k + 1]! - luma[k - w]! - luma[k + w]!;
      bins[Math.min(1020, Math.round(Math.abs(lap)))]! += 1;
    }
  }
  // Contrast between the ink (the darkest half per cent) and the paper (the median).
  const levels = histogram(luma);
  const contrast = percentile(levels, 0.5) - percentile(levels, 0.005);
  return (100 * percentile(bins, 0.995)) / Math.max(contrast, 16);
}

function histogram(values: Float32Array): Uint32Array {
  const bins = new Uint32Array(256);
  for (const v of values) bins[Math.min(255, Math.max(0, Math.round(v)))]! += 1;
  return bins;
}

function percentile(bins: Uint32Array, p: number): number {
  let total = 0;
  for (const n of bins) total += n;
  const wanted = p * total;
  let seen = 0;
  for (let i = 0; i < bins.length; i++) {
    seen += bins[i]!;
    if (seen >= wanted) return i;
  }
  return bins.length - 1;
}

/** Share of pixels that are clipped together with their four neighbours (a patch, not a speck). */
function patchShare(clipped: Uint8Array, w: number, h: number): number {
  if (w < 3 || h < 3) return 0;
  let inPatch = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const k = y * w + x;
      if (clipped[k] && clipped[k - 1] && clipped[k + 1] && clipped[k - w] && clipped[k + w]) inPatch++;
    }
  }
  return inPatch / (w * h);
}
