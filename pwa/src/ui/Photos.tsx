import { useEffect, useState } from "preact/hooks";

import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { Undo } from "../data/writes";
import type { Stored } from "../data/records";
import type { LocalBlob } from "../db/db";
import { da } from "../i18n/da";
import { storageProblem } from "../app/storage";
import { preparePhoto } from "../photos/prepare";
import { waitsToUpload } from "../photos/queue";
import type { PhotoProblem } from "../photos/quality";
import type { UploadProgress } from "../sync/engine";
import { ActionError } from "./ActionError";
import { PhotoQuality } from "./PhotoQuality";
import { PhotoSuggestions } from "./PhotoSuggestions";
import { PhotoViewer } from "./PhotoViewer";
import { ProblemList } from "./Problems";
import { holdsFocus, offerUndo } from "./undo";
import { useWrite } from "./useWrite";
import { ParentsSee } from "./ParentsSee";

/** Board photos: taken with the tablet's camera, shown at once, sent when there is a network;
 * enlarged, retaken and deleted (with undo) before and after they are sent. */
export function Photos({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read, write, engine } = services;
  // In the order they were taken (Queries.photos): "billede 1" stays billede 1.
  const photos = useLive(() => read.photos(meetingId), [read, meetingId], [] as Stored<"board_photo">[]);
  const [problem, setProblem] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadProgress | null>(null);
  const [quality, setQuality] = useState<PhotoProblem[]>([]);
  const [lastTaken, setLastTaken] = useState<string | null>(null);
  // The photo whose suggested notes are shown, and whether it has reached the server.
  // Each tap asks again (`asked`): a photo the server did not have a moment ago may be there now.
  const [suggesting, setSuggesting] = useState<{ id: string; number: number; sent: boolean; asked: number } | null>(null);
  useEffect(() => engine.subscribe((s) => setUpload(s.upload)), [engine]);

  /** Encode the camera's file; `keep` stores it (a new photo, or one replacing another). */
  async function fromCamera(event: Event, keep: (photo: Awaited<ReturnType<typeof preparePhoto>>) => Promise<string>) {
    const input = event.currentTarget as HTMLInputElement;
    const files = Array.from(input.files ?? []);
    input.value = "";
    setProblem(null);
    setQuality([]);
    for (const file of files) {
      let photo: Awaited<ReturnType<typeof preparePhoto>>;
      try {
        photo = await preparePhoto(file);
      } catch {
        setProblem(da.photos.failed); // the file could not be read or encoded
        continue;
      }
      try {
        setLastTaken(await keep(photo));
        if (photo.problems.length) setQuality(photo.problems);
      } catch (err) {
        // Storing failed, not the photo: taking it again would fail the same way (WebKit's
        // private browsing refuses Blobs in IndexedDB; a full disk refuses everything).
        const full = storageProblem(err) === da.storage.full;
        setProblem(full ? da.storage.full : da.storage.photoNotKept);
      }
    }
  }

  const retake = (photoId: string) => (event: Event) => void fromCamera(event, async (photo) => {
    const { id, undo } = await write.retakePhoto(photoId, photo);
    offerUndo({ message: da.undo.photoRetaken, undone: da.undo.photoRetakeUndone, undo: () => write.undo(undo) });
    return id;
  });

  return (
    <section aria-labelledby="photos-heading">
      <h2 id="photos-heading">{da.photos.heading}</h2>
      <ParentsSee part="photos" />
      <ul class="photos">
        {photos.map((p, i) => (
          <Photo key={p.id} record={p} number={i + 1} services={services} upload={upload} problems={problems}
            onRetake={retake(p.id)} onSuggest={(sent) => setSuggesting((was) => ({ id: p.id, number: i + 1, sent, asked: (was?.asked ?? 0) + 1 }))} />
        ))}
      </ul>
      {suggesting && photos.some((p) => p.id === suggesting.id) && (
        <PhotoSuggestions key={suggesting.asked} services={services} meetingId={meetingId}
          photoId={suggesting.id} number={suggesting.number} sent={suggesting.sent} onClose={() => setSuggesting(null)} />
      )}
      {problem && <p role="alert" class="error">{problem}</p>}
      {/* "Tag et nyt billede" replaces the photo the warning is about. */}
      <PhotoQuality problems={quality} onDismiss={() => setQuality([])}
        onRetake={() => document.getElementById(lastTaken ? `retake-${lastTaken}` : "take-photo")?.click()} />
      <input id="take-photo" class="visually-hidden" type="file" accept="image/*" capture="environment" multiple
        onChange={(e) => void fromCamera(e, (photo) => write.addPhoto(meetingId, photo))} />
      <label class="button-like" for="take-photo">{da.photos.take}</label>
    </section>
  );
}

function Photo({ record, number, services, upload, problems, onRetake, onSuggest }: { record: Stored<"board_photo">;
  number: number; services: Services; upload: UploadProgress | null; problems: PlaceProblems;
  onRetake: (event: Event) => void; onSuggest: (sent: boolean) => void }) {
  const { read, write } = services;
  const hash = record.fields.content_hash;
  // undefined until looked up, null when the bytes are not on this device: only then is the
  // server asked (a photo just taken is not there yet, and offline the request only fails);
  // a failed lookup counts as not here.
  const local = useLive(async () => (await read.localPhoto(hash).catch(() => undefined)) ?? null, [read, hash],
    undefined as LocalBlob | null | undefined);
  const [url, setUrl] = useState<string | null>(null);
  const [enlarged, setEnlarged] = useState(false);
  const action = useWrite();
  useEffect(() => {
    if (!local) {
      setUrl(null);
      return;
    }
    const objectUrl = URL.createObjectURL(local.blob);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [local, hash]);
  const mine = upload?.hash === hash ? upload : null;
  const thumb = url ?? (local === null ? `/api/blobs/${hash}?size=thumb` : undefined);

  async function remove(event: Event) {
    const hadFocus = holdsFocus((event.currentTarget as Element).closest("li"));
    let undo: Undo | null = null;
    if (await action.run(async () => { undo = await write.deletePhoto(record.id); }) && undo) {
      const taken = undo;
      offerUndo({ message: da.undo.photoDeleted, undone: da.undo.photoBack, takeFocus: hadFocus,
        focusAfter: `#item-${CSS.escape(record.id)}`, undo: () => write.undo(taken) });
    }
  }

  return (
    <li class="photo" id={`item-${record.id}`} tabIndex={-1}>
      <button type="button" class="photo-open" aria-label={da.table.photoOpen(number)} onClick={() => setEnlarged(true)}>
        <img src={thumb} alt={da.photos.alt} width={240} />
      </button>
      {mine && <progress max={100} value={Math.round(mine.fraction * 100)} aria-label={da.photos.uploading(mine.index, mine.total)} />}
      {local && waitsToUpload(local) && !mine && <p class="note-unsent">{da.photos.waiting}</p>}
      <ProblemList services={services} problems={problems.byRecord.get(record.id)} />
      <ActionError state={action} />
      <div class="note-actions">
        <input id={`retake-${record.id}`} class="visually-hidden" type="file" accept="image/*" capture="environment"
          aria-label={da.table.photoRetakeLabel(number)} onChange={onRetake} />
        <label class="button-like secondary" for={`retake-${record.id}`}>{da.table.photoRetake}</label>
        <button type="button" class="secondary" aria-label={da.table.photoRemoveLabel(number)}
          onClick={(e) => void remove(e)}>{da.table.remove}</button>
        {/* Still queued on this tablet: the server cannot have it, so it is not asked. */}
        <button type="button" class="secondary" onClick={() => onSuggest(!(local && waitsToUpload(local)))}>
          {da.suggestions.open(number)}
        </button>
      </div>
      {/* The full picture: the bytes on this tablet, else the server's cleaned copy. */}
      {enlarged && <PhotoViewer src={url ?? `/api/blobs/${hash}`} number={number} onClose={() => setEnlarged(false)} />}
    </li>
  );
}
