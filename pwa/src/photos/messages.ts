// Messages between the page and the photo encoder's worker (encode.worker.ts).

import type { PhotoEncoding } from "./encoding";
import type { PhotoProblem, QualityMeasures } from "./quality";

/** Raw RGBA pixels, for a worker that cannot decode images itself (no OffscreenCanvas). */
export interface Pixels {
  data: ArrayBuffer;
  width: number;
  height: number;
}

export interface EncodeRequest {
  id: number;
  encoding: PhotoEncoding;
  file?: Blob;
  pixels?: Pixels;
}

export interface EncodedPhoto {
  bytes: ArrayBuffer;
  type: string;
  hash: string; // SHA-256 of bytes, lower-case hex: the photo's name everywhere
  width: number;
  height: number;
  measures: QualityMeasures;
  /** What to tell the table about this photo; empty when it looks fine. */
  problems: PhotoProblem[];
  /** Milliseconds per step (decode, resize, encode, measure, hash, total), for the benchmark. */
  timings: Record<string, number>;
}

export type EncodeReply =
  | ({ id: number; ok: true } & EncodedPhoto)
  | { id: number; ok: false; error: string; needPixels?: boolean };

export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
