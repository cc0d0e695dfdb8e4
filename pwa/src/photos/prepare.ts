// A board photo as it leaves the camera is large and carries the tablet's GPS position in
// its EXIF data. The encoder (a worker, loaded with the first photo) scales it, encodes it
// again without any metadata, names the bytes by their SHA-256 and looks at whether the
// photo is too dark, blurred or has glare, so the table can take a better one at once.

import type { PhotoProblem, QualityMeasures } from "./quality";

export interface PreparedPhoto {
  blob: Blob;
  hash: string;
  type: string;
  width: number;
  height: number;
  /** What to tell the table about this photo; empty when it looks fine. */
  problems: PhotoProblem[];
  measures: QualityMeasures;
}

export async function preparePhoto(file: Blob): Promise<PreparedPhoto> {
  const { encodePhoto } = await import("./encoder");
  const photo = await encodePhoto(file);
  return {
    blob: new Blob([photo.bytes], { type: photo.type }),
    hash: photo.hash,
    type: photo.type,
    width: photo.width,
    height: photo.height,
    problems: photo.problems,
    measures: photo.measures,
  };
}
