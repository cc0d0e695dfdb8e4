// How a board photo is made small enough to send on a weak link while every word on it stays
// readable. The figures behind the choice are printed by `python -m bench legibility`
// (bench/legibility.py): it runs this very code in Chromium and reads the results with OCR.

/** The steps from the camera's file to the bytes the tablet keeps and sends. */
export interface PhotoEncoding {
  /** Longest side in pixels after scaling (never scaled up). */
  maxSide: number;
  format: "webp" | "jpeg";
  /** 0–100, as the encoders count it. */
  quality: number;
  /** `canvas` is the browser's own scaling; the others are Squoosh's resamplers (WASM). */
  resize: "canvas" | "lanczos3" | "mitchell" | "catrom" | "triangle" | "magicKernelSharp2021";
  /**
   * `wasm`: libwebp or MozJPEG compiled to WebAssembly, the same bytes in every browser.
   * `canvas`: the browser's own encoder — on iPad Safari `toBlob("image/webp")` gives PNG, so
   * only JPEG is asked of it, and only as a fallback.
   */
  encoder: "wasm" | "canvas";
}

/**
 * What the tablet does. WebP from libwebp (the same in Safari and Chromium) after a Lanczos
 * downscale done in gamma space, which keeps thin marker strokes dark: on the benchmark's
 * board photos this keeps the original's OCR word recall at a few per cent of its bytes.
 */
// Changing the format or resampler? The service worker precaches only the codecs this uses
// (vite.config.ts globIgnores): the others would not work offline.
export const TABLET_ENCODING: PhotoEncoding = {
  maxSide: 2048, format: "webp", quality: 60, resize: "lanczos3", encoder: "wasm",
};

/**
 * When the worker or its WebAssembly cannot run (a very old browser, memory pressure), the
 * photo is still kept: scaled and encoded by the browser's canvas as JPEG, which every
 * browser can write. Larger, but nothing is lost.
 */
export const FALLBACK_ENCODING: PhotoEncoding = {
  maxSide: 2048, format: "jpeg", quality: 80, resize: "canvas", encoder: "canvas",
};

export const MIME_TYPES = { webp: "image/webp", jpeg: "image/jpeg" } as const;

/** The size that fits within maxSide on its longest side, keeping the aspect ratio. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}
