import { useEffect, useState } from "preact/hooks";

import { useLive } from "../app/live";
import type { Services } from "../app/services";
import { storageProblem } from "../app/storage";
import type { PlaceProblems } from "../data/problems";
import type { Stored } from "../data/records";
import type { HousePart, HousesEdit, Undo } from "../data/writes";
import type { LocalBlob } from "../db/db";
import { da } from "../i18n/da";
import { preparePhoto } from "../photos/prepare";
import { waitsToUpload } from "../photos/queue";
import { ActionError } from "./ActionError";
import { Check } from "./Choice";
import { useDraft } from "./Finish";
import { ParentsSee } from "./ParentsSee";
import { ProblemList } from "./Problems";
import { TextField } from "./TextField";
import { offerUndo } from "./undo";
import { useWrite } from "./useWrite";

const PARTS: HousePart[] = ["worries", "good", "dream"];

/** The child's three houses, beside the board: the child's words and drawings in each, kept on
 * the tablet offline like everything else, and shared with the parents only when chosen. */
export function Houses({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read, write } = services;
  const houses = useLive(() => read.houses(meetingId), [read, meetingId], undefined);
  const sharing = useWrite();
  const shared = houses?.fields.shared_with_parents ?? false;
  const save = (fields: HousesEdit) => sharing.run(() => write.saveHouses(meetingId, fields));
  return (
    <section aria-labelledby="houses-heading" id={houses ? `item-${houses.id}` : undefined}>
      <h2 id="houses-heading">{da.houses.heading}</h2>
      <p class="hint">{da.houses.intro}</p>
      <div class="houses">
        {PARTS.map((part) => <House key={part} services={services} meetingId={meetingId} part={part}
          stored={houses?.fields[part] ?? ""} />)}
      </div>
      <label class="choice">
        <Check stored={shared} write={(v) => save({ shared_with_parents: v })} />
        {da.houses.share}
      </label>
      <p class="hint" id="houses-share-hint">{da.houses.shareHint}</p>
      {shared ? <ParentsSee part="houses" /> : <p class="hint">{da.houses.notShared}</p>}
      <ActionError state={sharing} />
      {houses && <ProblemList services={services} problems={problems.byRecord.get(houses.id)} />}
    </section>
  );
}

/** One house: its words (a draft until the field is left) and the photos of its drawings. */
function House({ services, meetingId, part, stored }: {
  services: Services; meetingId: string; part: HousePart; stored: string;
}) {
  const { read, write } = services;
  const name = da.houses.parts[part] ?? part;
  const draft = useDraft(services, `houses:${meetingId}:${part}`, stored);
  const { errors, run } = useWrite();
  const drawings = useLive(() => read.photos(meetingId, part), [read, meetingId, part], [] as Stored<"board_photo">[]);
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = `house-photo-${part}`;

  async function commit() {
    if (draft.dirty && await run(() => write.saveHouses(meetingId, { [part]: draft.text }))) draft.saved();
  }

  async function take(event: Event) {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    setProblem(null);
    if (!file) return;
    let photo: Awaited<ReturnType<typeof preparePhoto>>;
    try {
      photo = await preparePhoto(file); // EXIF (GPS too) is left behind here, as for the board
    } catch {
      setProblem(da.photos.failed);
      return;
    }
    try {
      await write.addPhoto(meetingId, photo, part);
    } catch (err) {
      setProblem(storageProblem(err) === da.storage.full ? da.storage.full : da.storage.photoNotKept);
    }
  }

  return (
    <div class="house" data-house={part}>
      <h3 id={`house-${part}`}>{name}</h3>
      <TextField id={`house-${part}-text`} label={name} hideLabel multiline grow rows={3} entity="houses"
        field={part} value={draft.text} kept={draft.kept} error={errors[part] ?? errors["*"]}
        onInput={draft.edit} onBlur={() => void commit()} />
      <ul class="photos">
        {drawings.map((d) => <Drawing key={d.id} services={services} record={d} house={name} />)}
      </ul>
      {problem && <p role="alert" class="error">{problem}</p>}
      <input id={inputId} class="visually-hidden" type="file" accept="image/*" capture="environment"
        aria-label={da.houses.takePhotoLabel(name)} onChange={(e) => void take(e)} />
      <label class="button-like secondary" for={inputId}>{da.houses.takePhoto}</label>
    </div>
  );
}

/** A drawing's photo: the bytes on this tablet until sent, then the server's copy. */
function Drawing({ services, record, house }: { services: Services; record: Stored<"board_photo">; house: string }) {
  const { read, write } = services;
  const hash = record.fields.content_hash;
  const local = useLive(async () => (await read.localPhoto(hash).catch(() => undefined)) ?? null, [read, hash],
    undefined as LocalBlob | null | undefined);
  const [url, setUrl] = useState<string | null>(null);
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
  const src = url ?? (local === null ? `/api/blobs/${hash}?size=thumb` : undefined);

  async function remove() {
    let undo: Undo | null = null;
    if (await action.run(async () => { undo = await write.deletePhoto(record.id); }) && undo) {
      const taken = undo;
      offerUndo({ message: da.undo.photoDeleted, undone: da.undo.photoBack, undo: () => write.undo(taken) });
    }
  }

  return (
    <li class="photo" id={`item-${record.id}`}>
      <img src={src} alt={da.houses.drawingAlt(house)} width={240} />
      {local && waitsToUpload(local) && <p class="note-unsent">{da.photos.waiting}</p>}
      <ActionError state={action} />
      <button type="button" class="secondary" aria-label={da.houses.removePhotoLabel(house)}
        onClick={() => void remove()}>{da.table.remove}</button>
    </li>
  );
}
