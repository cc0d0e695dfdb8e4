import { useEffect, useState } from "preact/hooks";

import { useChildren, useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { LocalBlob, LocalRecord } from "../db/db";
import { da } from "../i18n/da";
import { preparePhoto } from "../photos/prepare";
import type { PhotoProblem } from "../photos/quality";
import { PhotoQuality } from "./PhotoQuality";
import type { UploadProgress } from "../sync/engine";
import { ProblemList } from "./Problems";

/** Board photos: taken with the tablet's camera, shown at once, sent when there is a network. */
export function Photos({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read, write, engine } = services;
  const photos = useChildren(read, "board_photo", meetingId);
  const [problem, setProblem] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [quality, setQuality] = useState<PhotoProblem[]>([]);
  useEffect(() => engine.subscribe((s) => setUpload(s.upload)), [engine]);

  async function take(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = "";
    setProblem(null);
    setQuality([]);
    for (const file of files) {
      try {
        const photo = await preparePhoto(file);
        await write.addPhoto(meetingId, photo);
        if (photo.problems.length) setQuality(photo.problems);
      } catch {
        setProblem(da.photos.failed);
      }
    }
  }

  return (
    <section>
      <h2>{da.photos.heading}</h2>
      <ul class="photos">
        {photos.map((p) => (
          <Photo key={p.id} record={p} services={services} upload={upload} problems={problems} />
        ))}
      </ul>
      {problem && <p role="alert" class="error">{problem}</p>}
      <PhotoQuality problems={quality} onDismiss={() => setQuality([])}
        onRetake={() => document.getElementById("take-photo")?.click()} />
      <label class="button-like" for="take-photo">{da.photos.take}</label>
      <input id="take-photo" class="visually-hidden" type="file" accept="image/*"
        capture="environment" multiple onChange={(e) => void take(e)} />
    </section>
  );
}

function Photo({ record, services, upload, problems }: { record: LocalRecord; services: Services;
  upload: UploadProgress | null; problems: PlaceProblems }) {
  const hash = String(record.fields["content_hash"]);
  const local = useLive(() => services.read.localPhoto(hash), [services.read, hash], undefined as LocalBlob | undefined);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!local) {
      setUrl(`/api/blobs/${hash}?size=thumb`);
      return;
    }
    const objectUrl = URL.createObjectURL(local.blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [local, hash]);
  const mine = upload?.hash === hash ? upload : null;
  return (
    <li class="photo" id={`item-${record.id}`}>
      {url && <img src={url} alt={da.photos.alt} width={240} />}
      {mine && <progress max={100} value={Math.round(mine.fraction * 100)} aria-label={da.photos.uploading(mine.index, mine.total)} />}
      {local && local.uploaded === 0 && !mine && <p class="note-unsent">{da.photos.waiting}</p>}
      <ProblemList services={services} problems={problems.byRecord.get(record.id)} />
    </li>
  );
}
