// Uploading one photo with progress (fetch cannot report upload progress; XHR can).

import { NetworkError, toApiError } from "../api/client";

export type Uploader = (hash: string, blob: Blob, type: string, csrf: string,
  onProgress: (fraction: number) => void) => Promise<void>;

// On poor wifi a connection can die without anyone saying so: an upload that has not moved
// for this long is given up and tried again, rather than waited for forever.
export const STALL_MS = 15_000;

export const xhrUpload: Uploader = (hash, blob, type, csrf, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let stall = setTimeout(() => xhr.abort(), STALL_MS);
    const moved = () => {
      clearTimeout(stall);
      stall = setTimeout(() => xhr.abort(), STALL_MS);
    };
    xhr.open("PUT", `/api/blobs/${hash}`);
    xhr.setRequestHeader("Content-Type", type);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => {
      moved();
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      clearTimeout(stall);
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(toApiError(xhr.status, safeJson(xhr.responseText)));
    };
    xhr.onerror = xhr.onabort = () => {
      clearTimeout(stall);
      reject(new NetworkError(new Error("upload failed")));
    };
    xhr.send(blob);
  });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
