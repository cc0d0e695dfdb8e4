/// <reference lib="webworker" />
// The photo encoder's worker. Decoding a 12-MP photo, scaling it and encoding it takes a
// second or more on a tablet; here it never stalls the screen. The codecs are Squoosh's
// (libwebp, MozJPEG and its resamplers compiled to WebAssembly), loaded on the first photo,
// so Safari and Chromium send the same bytes. The service worker precaches them: this works
// offline.

import { fitWithin, MIME_TYPES, type PhotoEncoding } from "./encoding";
import { type EncodeReply, type EncodeRequest, type EncodedPhoto, sha256Hex } from "./messages";
import { measureQuality, problemsOf } from "./quality";

declare const self: DedicatedWorkerGlobalScope;

const canDecode = typeof OffscreenCanvas !== "undefined";

self.onmessage = (event: MessageEvent<EncodeRequest>) => {
  const { id } = event.data;
  encode(event.data).then(
    (photo) => self.postMessage({ id, ok: true, ...photo } satisfies EncodeReply, [photo.bytes]),
    (err: unknown) => self.postMessage({
      id, ok: false, error: String(err), needPixels: !canDecode && !event.data.pixels,
    } satisfies EncodeReply),
  );
};

async function encode(request: EncodeRequest): Promise<EncodedPhoto> {
  const { encoding } = request;
  const timings: Record<string, number> = {};
  const started = performance.now();
  let mark = started;
  const lap = (step: string) => {
    const now = performance.now();
    timings[step] = now - mark;
    mark = now;
  };
  const source = await decode(request);
  lap("decode");
  const scaled = await scale(source, encoding);
  lap("resize");
  const { bytes, type } = await compress(scaled, encoding);
  lap("encode");
  const measures = measureQuality(scaled.data, scaled.width, scaled.height);
  lap("measure");
  const hash = await sha256Hex(bytes);
  lap("hash");
  timings["total"] = performance.now() - started;
  return { bytes, type, hash, width: scaled.width, height: scaled.height, measures,
    problems: problemsOf(measures), timings };
}

/** The camera's file as pixels, turned upright by its EXIF orientation (the EXIF stays behind). */
async function decode(request: EncodeRequest): Promise<ImageBitmap | ImageData> {
  if (request.pixels) {
    const { data, width, height } = request.pixels;
    return new ImageData(new Uint8ClampedArray(data), width, height);
  }
  if (!canDecode || !request.file) throw new Error("this worker cannot decode images");
  return createImageBitmap(request.file, { imageOrientation: "from-image" });
}

async function scale(source: ImageBitmap | ImageData, encoding: PhotoEncoding): Promise<ImageData> {
  const target = fitWithin(source.width, source.height, encoding.maxSide);
  if (encoding.resize === "canvas") return pixelsOf(source, target.width, target.height);
  const full = source instanceof ImageData ? source : pixelsOf(source, source.width, source.height);
  if (full.width === target.width && full.height === target.height) return full;
  const { default: resize } = await import("@jsquash/resize");
  // Gamma-space filtering (linearRGB off) keeps thin dark strokes on a light board dark;
  // averaging in linear light lets the bright paper swallow them.
  return resize(full, {
    width: target.width, height: target.height, method: encoding.resize,
    fitMethod: "stretch", premultiply: false, linearRGB: false,
  });
}

function pixelsOf(source: ImageBitmap | ImageData, width: number, height: number): ImageData {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("no 2d context");
  if (source instanceof ImageData) {
    if (source.width === width && source.height === height) return source;
    throw new Error("canvas scaling needs a decoded image");
  }
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = "high";
  ctx.drawImage(source, 0, 0, width, height);
  source.close();
  return ctx.getImageData(0, 0, width, height);
}

async function compress(pixels: ImageData, encoding: PhotoEncoding): Promise<{ bytes: ArrayBuffer; type: string }> {
  const type = MIME_TYPES[encoding.format];
  if (encoding.encoder === "canvas") {
    const canvas = new OffscreenCanvas(pixels.width, pixels.height);
    canvas.getContext("2d")?.putImageData(pixels, 0, 0);
    const blob = await canvas.convertToBlob({ type, quality: encoding.quality / 100 });
    // Safari answers a WebP request with PNG: never send what was not asked for.
    if (blob.type !== type) throw new Error(`this browser cannot encode ${type}`);
    return { bytes: await blob.arrayBuffer(), type };
  }
  if (encoding.format === "webp") {
    const { default: encodeWebp } = await import("@jsquash/webp/encode");
    return { bytes: await encodeWebp(pixels, { quality: encoding.quality }), type };
  }
  const { default: encodeJpeg } = await import("@jsquash/jpeg/encode");
  return { bytes: await encodeJpeg(pixels, { quality: encoding.quality }), type };
}
