// Uploading one photo with progress (fetch cannot report upload progress; XHR can).

import { NetworkError, toApiError } from "../api/client";

export type Uploader = (hash: string, blob: Blob, type: string, csrf: string,
  onProgress: (fraction: number) => void) => Promise<void>;

export const xhrUpload: Uploader = (hash, blob, type, csrf, onProgress) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", `/api/blobs/${hash}`);
    xhr.setRequestHeader("Content-Type", type);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(toApiError(xhr.status, safeJson(xhr.responseText)));
    };
    xhr.onerror = () => reject(new NetworkError(new Error("upload failed")));
    xhr.send(blob);
  });

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
