// The page's side of the photo encoder. Loaded only when the first photo is taken (prepare.ts
// imports it lazily), it starts the worker and hands it one photo at a time: two 12-MP photos
// decoded at once would double the memory a tablet needs.

import { FALLBACK_ENCODING, fitWithin, MIME_TYPES, type PhotoEncoding, TABLET_ENCODING } from "./encoding";
import { type EncodeReply, type EncodedPhoto, type Pixels, sha256Hex } from "./messages";
import { measureQuality, problemsOf } from "./quality";

export type { EncodedPhoto } from "./messages";

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, (reply: EncodeReply) => void>();
let queue: Promise<unknown> = Promise.resolve();

/**
 * The camera's photo as the bytes to keep and send, named by their SHA-256, with no metadata
 * (the pixels are re-encoded; nothing of the file's EXIF, GPS included, is carried over).
 * If the worker cannot do it, the page does it with the canvas: the photo is never lost.
 */
export function encodePhoto(file: Blob, encoding: PhotoEncoding = TABLET_ENCODING): Promise<EncodedPhoto> {
  const run = queue.then(() => encodeOnce(file, encoding));
  queue = run.catch(() => undefined);
  return run;
}

async function encodeOnce(file: Blob, encoding: PhotoEncoding): Promise<EncodedPhoto> {
  try {
    const reply = await ask({ encoding, file });
    if (reply.ok) return reply;
    if (reply.needPixels) {
      // No OffscreenCanvas in this worker (Safari before 16.4): decode here, encode there.
      const again = await ask({ encoding, pixels: await decodeOnPage(file, encoding) });
      if (again.ok) return again;
    }
    throw new Error(reply.error);
  } catch (err) {
    if (encoding !== TABLET_ENCODING) throw err; // a benchmark's candidate: report, not hide
    return encodeOnPage(file, FALLBACK_ENCODING);
  }
}

function ask(message: { encoding: PhotoEncoding; file?: Blob; pixels?: Pixels }): Promise<EncodeReply> {
  const w = startWorker();
  const id = nextId++;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const transfer = message.pixels ? [message.pixels.data] : [];
    w.postMessage({ id, ...message }, transfer);
  });
}

function startWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL("./encode.worker.ts", import.meta.url), { type: "module" });
  started.onmessage = (event: MessageEvent<EncodeReply>) => {
    waiting.get(event.data.id)?.(event.data);
    waiting.delete(event.data.id);
  };
  // The worker's script or a codec failed to load: answer everyone, start afresh next time.
  started.onerror = (event) => {
    event.preventDefault();
    for (const [id, resolve] of waiting) resolve({ id, ok: false, error: event.message || "worker failed" });
    waiting.clear();
    started.terminate();
    worker = null;
  };
  worker = started;
  return started;
}

/** Full-size pixels (or canvas-scaled ones) for a worker that cannot decode. */
async function decodeOnPage(file: Blob, encoding: PhotoEncoding): Promise<Pixels> {
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const size = encoding.resize === "canvas"
    ? fitWithin(bitmap.width, bitmap.height, encoding.maxSide)
    : { width: bitmap.width, height: bitmap.height };
  const { ctx } = drawn(bitmap, size.width, size.height);
  const { data } = ctx.getImageData(0, 0, size.width, size.height);
  return { data: data.buffer as ArrayBuffer, width: size.width, height: size.height };
}

/** The last resort, on the page: canvas scaling and the browser's own JPEG encoder. */
async function encodeOnPage(file: Blob, encoding: PhotoEncoding): Promise<EncodedPhoto> {
  const started = performance.now();
  const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
  const { width, height } = fitWithin(bitmap.width, bitmap.height, encoding.maxSide);
  const { canvas, ctx } = drawn(bitmap, width, height);
  const type = MIME_TYPES[encoding.format];
  const blob = await new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((b) => (b && b.type === type ? resolve(b) : reject(new Error("encode failed"))),
      type, encoding.quality / 100));
  const bytes = await blob.arrayBuffer();
  const measures = measureQuality(ctx.getImageData(0, 0, width, height).data, width, height);
  return { bytes, type, hash: await sha256Hex(bytes), width, height, measures,
    problems: problemsOf(measures), timings: { total: performance.now() - started } };
}

function drawn(bitmap: ImageBitmap, width: number, height: number) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no canvas");
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  return { canvas, ctx };
}
