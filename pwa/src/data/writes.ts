// Every change a screen can make, by name and with typed fields: the one way to write on the
// tablet. Each goes through the store, which checks it against the server's rules (refusing
// it with ChangeRefused, field by field, before anything is queued), keeps it, and tells the
// sync engine. New kinds of change belong here, built the same way: read what is needed,
// then one `apply` with every record the change touches.

import type { FieldsOf } from "../contract/contract.gen";
import { holdBytes } from "../db/crypt";
import { type LocalBlob, type LocalRecord, recordKey, type TrivselDB } from "../db/db";
import { finishPlan } from "../domain/finishing";
import { photoHash } from "../photos/queue";
import { carriedAgreementId, carriedParticipantId, housesId, nextMeetingId, scalingAnswerId } from "../domain/ids";
import type { ApplyOptions, Change, LocalStore } from "../sync/store";
import { courseState } from "./courseState";

export type Column = FieldsOf["board_note"]["column"];
export type MeetingEdit = Partial<Pick<FieldsOf["meeting"],
  "child_participation" | "child_perspective" | "underretning" | "underretning_note" | "place" | "agenda">>;
export type NewAgreement = Omit<FieldsOf["agreement"], "meeting_id" | "done">;
export type NewParticipant = Pick<FieldsOf["participant"], "name" | "role">;
export type AgreementEdit = Partial<NewAgreement>;
export type HousePart = Exclude<FieldsOf["board_photo"]["house"], "" | undefined>;
export type HousesEdit = Partial<Omit<FieldsOf["houses"], "meeting_id">>;

/** A record a change names. */
export interface RecordRef {
  entity: string;
  recordId: string;
}

/**
 * How to take a deletion (or a retake) back: kept by the screen while it offers "Fortryd".
 * Undoing restores exactly the records the action deleted (a `restore` change, so it works
 * offline and after the deletion reached the server), deletes the records it made, and
 * brings back the refused changes it discarded — nothing else.
 */
export interface Undo {
  meetingId: string | null;
  restore: RecordRef[]; // deleted by the action: restored
  remove: RecordRef[]; // made by the action: deleted again
  discards: number[]; // a record the server never had is discarded, not deleted: undiscarded
  blobs: LocalBlob[]; // photo bytes the device let go of with the deletion
  // The deleted records as they were: made again if one has left the device meanwhile (a
  // photo deleted before it was sent, let go by the sync: PhotoSync.mend).
  kept: Change[];
}

export type Outcome = NonNullable<FieldsOf["agreement"]["outcome"]>;
export type Role = FieldsOf["scaling_answer"]["role"];

/** How a meeting is finished. */
export interface Finishing {
  /** The next meeting (made at once, offline too), or null: this meeting ends the course. */
  next: { at: string | null; closing: boolean } | null;
  /** When it was finished at the table: the tablet's clock (the server keeps it sane). */
  heldAt: string;
}

/** Who answers the scaling question: a participant, or the child (told beforehand). */
export interface Answerer {
  participantId: string | null;
  name: string;
  role: Role;
}

export interface PreparedPhoto {
  hash: string;
  blob: Blob;
  type: string; // checked against the server's list of photo types like any field
}

export class Writes {
  constructor(
    private readonly store: LocalStore,
    private readonly newId: () => string = () => crypto.randomUUID(),
  ) {}

  private queue: Promise<unknown> = Promise.resolve();

  /** One change at a time, in the order asked: a change that reads (a note's neighbours, the
   * meeting's minutes) sees every change asked for before it — two quick taps included. */
  private serial<T>(write: () => Promise<T>): Promise<T> {
    const result = this.queue.then(write);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private get db(): TrivselDB {
    return this.store.db;
  }

  // The board ---------------------------------------------------------------------------

  /** A note at the end of a column. */
  addNote(meetingId: string, column: Column, text: string): Promise<string> {
    return this.serial(async () => {
      const id = this.newId();
      const notes = await this.notesIn(meetingId, column);
      const position = Number(notes.at(-1)?.fields["position"] ?? 0) + 1;
      await this.create("board_note", id, { meeting_id: meetingId, column, text, position });
      return id;
    });
  }

  editNote(noteId: string, text: string): Promise<void> {
    return this.serial(async () => {
      await this.update("board_note", noteId, { text });
    });
  }

  /** Put a note at `index` among the notes of a column (its own unless `column` is given):
   * a position between its new neighbours, so one change moves it and two tablets moving
   * different notes never collide. */
  moveNote(noteId: string, to: { index: number; column?: Column }): Promise<void> {
    return this.serial(() => this.placeNote(noteId, to));
  }

  /** One place up (-1) or down (+1) in its column, from where it is now. */
  moveNoteBy(noteId: string, step: -1 | 1): Promise<void> {
    return this.serial(async () => {
      const note = await this.db.records.get(recordKey("board_note", noteId));
      if (!note) return;
      const notes = await this.notesIn(String(note.fields["meeting_id"]), String(note.fields["column"]));
      const index = notes.findIndex((n) => n.id === noteId) + step;
      if (index >= 0 && index < notes.length) await this.placeNote(noteId, { index });
    });
  }

  private async placeNote(noteId: string, to: { index: number; column?: Column }): Promise<void> {
    const note = await this.db.records.get(recordKey("board_note", noteId));
    if (!note) return;
    const column = to.column ?? (note.fields["column"] as Column);
    const others = (await this.notesIn(String(note.fields["meeting_id"]), column)).filter((n) => n.id !== noteId);
    const pos = (i: number) => Number(others[i]?.fields["position"] ?? 0);
    const index = Math.max(0, Math.min(to.index, others.length));
    const position = others.length === 0 ? 1
      : index === 0 ? pos(0) - 1
      : index === others.length ? pos(others.length - 1) + 1
      : (pos(index - 1) + pos(index)) / 2;
    await this.update("board_note", noteId, column === note.fields["column"] ? { position } : { column, position });
  }

  /** Delete a note; the answer says how to undo it. */
  deleteNote(noteId: string): Promise<Undo> {
    return this.serial(() => this.deleting([], [{ entity: "board_note", recordId: noteId }]));
  }

  // Attendance and agreements -------------------------------------------------------------

  addParticipant(meetingId: string, person: NewParticipant): Promise<string> {
    return this.serial(async () => {
      // Already on the list (filled in from the course, or carried over): ticked, not doubled.
      const same = (await this.live("participant", meetingId)).find((p) =>
        String(p.fields["name"]).trim().toLowerCase() === person.name.trim().toLowerCase());
      if (same) {
        if (same.fields["present"] !== true) await this.update("participant", same.id, { present: true });
        return same.id;
      }
      const id = this.newId();
      await this.create("participant", id, { meeting_id: meetingId, present: true, ...person });
      return id;
    });
  }

  setPresent(participantId: string, present: boolean): Promise<void> {
    return this.serial(async () => {
      await this.update("participant", participantId, { present });
    });
  }

  addAgreement(meetingId: string, agreement: NewAgreement): Promise<string> {
    return this.serial(async () => {
      const id = this.newId();
      await this.create("agreement", id, { meeting_id: meetingId, ...agreement });
      return id;
    });
  }

  setAgreementDone(agreementId: string, done: boolean): Promise<void> {
    return this.serial(async () => {
      await this.update("agreement", agreementId, { done });
    });
  }

  /** Change what was agreed, who does it or by when (only the fields given). */
  editAgreement(agreementId: string, fields: AgreementEdit): Promise<void> {
    return this.serial(async () => {
      await this.update("agreement", agreementId, fields);
    });
  }

  deleteAgreement(agreementId: string): Promise<Undo> {
    return this.serial(() => this.deleting([], [{ entity: "agreement", recordId: agreementId }]));
  }

  // The meeting ---------------------------------------------------------------------------

  updateMeeting(meetingId: string, fields: MeetingEdit): Promise<void> {
    return this.serial(async () => {
      await this.update("meeting", meetingId, fields);
    });
  }

  /** The written minutes (one record per meeting, made on first save). */
  saveMinutes(meetingId: string, text: string): Promise<void> {
    return this.serial(async () => {
      const existing = (await this.db.records.where("[entity+parentId]").equals(["minutes", meetingId]).toArray())
        .find((m) => !m.deleted);
      if (existing) await this.update("minutes", existing.id, { text });
      else await this.create("minutes", this.newId(), { meeting_id: meetingId, text });
    });
  }

  /** Finish the meeting, together with what follows or not at all (the process rules are
   * checked first; what breaks them is refused field by field): either the next meeting at
   * the agreed time — the closing meeting when it will be the fifth — with this meeting's
   * participants carried over, or, when this meeting ends the course, the meeting made the
   * closing one and later meetings not held cancelled. */
  finishMeeting(meetingId: string, finishing: Finishing, edits: MeetingEdit = {}): Promise<void> {
    return this.serial(async () => {
      const meeting = await this.db.records.get(recordKey("meeting", meetingId));
      if (!meeting) return;
      const course = await courseState(this.db, String(meeting.fields["course_id"]));
      const plan = course ? finishPlan(course, meetingId) : null;
      const done = { ...edits, status: "finished", held_at: finishing.heldAt };
      const changes: Change[] = [];
      if (meeting.fields["kind"] === "closing" || finishing.next === null) {
        for (const id of plan?.later ?? []) changes.push({ entity: "meeting", recordId: id, op: "delete" });
        changes.push({ entity: "meeting", recordId: meetingId, op: "upsert", fields: { ...done, kind: "closing" } });
      } else {
        const { at, closing } = finishing.next;
        changes.push({ entity: "meeting", recordId: meetingId, op: "upsert", fields: { ...done, next_meeting_at: at } });
        // The next meeting exists from the moment its date is agreed, as in the seeds.
        if (at) changes.push(...await this.nextMeeting(meeting, at, closing || Boolean(plan?.nextMustClose)));
      }
      await this.store.apply(changes, { meetingId });
    });
  }

  /** Plan the meeting after the last one, when it was not made when that one was finished. */
  planNextMeeting(lastMeetingId: string, at: string, closing: boolean): Promise<void> {
    return this.serial(async () => {
      const last = await this.db.records.get(recordKey("meeting", lastMeetingId));
      if (!last) return;
      const course = await courseState(this.db, String(last.fields["course_id"]));
      const plan = course ? finishPlan(course, lastMeetingId) : null;
      await this.store.apply(await this.nextMeeting(last, at, closing || Boolean(plan?.nextMustClose)),
        { meetingId: lastMeetingId });
    });
  }

  /** The meeting after `meeting` (one id, however many tablets make it), and the people
   * from `meeting` carried over to it, not yet marked present. */
  private async nextMeeting(meeting: LocalRecord, at: string, closing: boolean): Promise<Change[]> {
    const id = nextMeetingId(meeting.id);
    const fields: FieldsOf["meeting"] = { course_id: String(meeting.fields["course_id"]),
      kind: closing ? "closing" : "follow_up", starts_at: at, place: String(meeting.fields["place"] ?? "") };
    const changes: Change[] = [await this.made("meeting", id, { ...fields })];
    // Carried on: everyone who has taken part in the course so far, and anyone added by hand.
    // Someone filled in from the course (a custody holder, the leader, the educator: they carry
    // guardian_id or user_id, server/meetings/attendance.py) who neither came to this meeting
    // nor was carried into it was only expected, and is not carried on.
    const earlier = (await this.live("meeting", String(meeting.fields["course_id"])))
      .filter((m) => String(m.fields["starts_at"]) < String(meeting.fields["starts_at"]));
    const carriedIn = new Set<string>();
    for (const m of earlier) {
      for (const p of await this.live("participant", m.id)) carriedIn.add(carriedParticipantId(meeting.id, p.id));
    }
    for (const person of await this.live("participant", meeting.id)) {
      const f = person.fields;
      const expectedOnly = Boolean(f["guardian_id"] || f["user_id"]) && f["present"] !== true && !carriedIn.has(person.id);
      if (expectedOnly) continue;
      const carried: FieldsOf["participant"] = { meeting_id: id, name: String(f["name"]),
        role: f["role"] as FieldsOf["participant"]["role"], present: false,
        user_id: (f["user_id"] as string | null) ?? null, guardian_id: (f["guardian_id"] as string | null) ?? null };
      const personId = carriedParticipantId(id, person.id);
      if (!await this.db.records.get(recordKey("participant", personId))) {
        changes.push({ entity: "participant", recordId: personId, op: "upsert", fields: { ...carried } });
      }
    }
    return changes;
  }

  // The course as one story: the last meeting's agreements reviewed, the scaling question ----

  /** How an agreement of the last meeting went: done, not done, or not said (null). Saying
   * otherwise after carrying it on takes the carried-on agreement back. */
  reviewAgreement(agreementId: string, outcome: Exclude<Outcome, "carried_on"> | null, meetingId: string): Promise<void> {
    return this.serial(async () => {
      const changes: Change[] = [{ entity: "agreement", recordId: agreementId, op: "upsert",
        fields: { outcome, done: outcome === "done" } }];
      const carried = await this.db.records.get(recordKey("agreement", carriedAgreementId(meetingId, agreementId)));
      if (carried && !carried.deleted) changes.push({ entity: "agreement", recordId: carried.id, op: "delete" });
      await this.store.apply(changes, { meetingId });
    });
  }

  /** Carry an agreement of the last meeting on at this meeting: a new agreement naming it. */
  carryOnAgreement(agreementId: string, meetingId: string): Promise<void> {
    return this.serial(async () => {
      const old = await this.db.records.get(recordKey("agreement", agreementId));
      if (!old) return;
      const fields: FieldsOf["agreement"] = { meeting_id: meetingId, what: String(old.fields["what"]),
        owner: old.fields["owner"] as FieldsOf["agreement"]["owner"], due_date: null, carried_from_id: agreementId };
      await this.store.apply([
        { entity: "agreement", recordId: agreementId, op: "upsert", fields: { outcome: "carried_on", done: false } },
        await this.made("agreement", carriedAgreementId(meetingId, agreementId), { ...fields }),
      ], { meetingId });
    });
  }

  /** One person's answer to the scaling question (null: take it back). */
  setScaling(meetingId: string, who: Answerer, value: number | null): Promise<void> {
    return this.serial(async () => {
      const id = scalingAnswerId(meetingId, who.participantId ?? "child");
      const existing = await this.db.records.get(recordKey("scaling_answer", id));
      if (value === null) {
        if (existing && !existing.deleted) await this.store.apply([{ entity: "scaling_answer", recordId: id, op: "delete" }]);
        return;
      }
      const fields: FieldsOf["scaling_answer"] = { meeting_id: meetingId, participant_id: who.participantId,
        role: who.role, name: who.name, value };
      await this.store.apply([await this.made("scaling_answer", id, { ...fields })], { meetingId });
    });
  }

  /** The child's three houses: words in a part, or whether the parents see them. One record
   * per meeting under an id derived from it, so two tablets at the table fill the same one. */
  saveHouses(meetingId: string, fields: HousesEdit): Promise<void> {
    return this.serial(async () => {
      const change = await this.made("houses", housesId(meetingId), { meeting_id: meetingId, ...fields });
      await this.store.apply([change], { meetingId });
    });
  }

  // The course ----------------------------------------------------------------------------

  /** Consent given at the table (on paper or in person), recorded at the meeting. */
  recordConsent(courseId: string, guardianId: string, meetingId: string | null): Promise<void> {
    return this.serial(async () => {
      const now = new Date().toISOString();
      const existing = (await this.db.records.where("[entity+parentId]").equals(["consent", courseId]).toArray())
        .find((c) => !c.deleted && c.fields["guardian_id"] === guardianId);
      const options = { meetingId };
      if (existing) {
        await this.update("consent", existing.id, { status: "granted", granted_at: now, channel: "in_person" }, options);
      } else {
        await this.create("consent", this.newId(), { course_id: courseId, guardian_id: guardianId, status: "granted",
          channel: "in_person", requested_at: now, granted_at: now }, options);
      }
    });
  }

  completeTask(taskId: string): Promise<void> {
    return this.serial(async () => {
      await this.update("task", taskId, { done_at: new Date().toISOString() });
    });
  }

  /** A task ticked off by mistake is open again ("Fortryd"). */
  reopenTask(taskId: string): Promise<void> {
    return this.serial(async () => {
      await this.update("task", taskId, { done_at: null });
    });
  }

  // Photos and reports ----------------------------------------------------------------------

  /** A board photo: its bytes are kept on the tablet with the record, until the server has them. */
  addPhoto(meetingId: string, photo: PreparedPhoto, house: HousePart | "" = ""): Promise<string> {
    return this.serial(async () => {
      const id = this.newId();
      await holdBytes(photo.blob); // read before the transaction: sealing it cannot wait (db/crypt.ts)
      // `house`: the photo of the child's drawing in one of the three houses, not of the board.
      const fields = { meeting_id: meetingId, content_hash: photo.hash, content_type: photo.type,
        size: photo.blob.size, caption: "", house };
      await this.store.apply([{ entity: "board_photo", recordId: id, op: "upsert", fields: { ...fields } }], {
        blobs: [{ hash: photo.hash, blob: photo.blob, type: photo.type, size: photo.blob.size, state: "queued" }],
      });
      return id;
    });
  }

  /** Delete a board photo. Bytes the server does not have yet are then never sent (the
   * device forgets them); bytes it has stay there under its retention rules. */
  deletePhoto(photoId: string): Promise<Undo> {
    return this.serial(() => this.deleting([], [{ entity: "board_photo", recordId: photoId }]));
  }

  /** Replace a photo by a new one, as one change: undoing it brings the old one back. */
  retakePhoto(photoId: string, photo: PreparedPhoto): Promise<{ id: string; undo: Undo }> {
    return this.serial(async () => {
      const old = await this.db.records.get(recordKey("board_photo", photoId));
      if (!old || old.deleted) throw new Error(`photo ${photoId} is not on the board`);
      const id = this.newId();
      await holdBytes(photo.blob);
      const fields = { meeting_id: String(old.fields["meeting_id"]), content_hash: photo.hash,
        content_type: photo.type, size: photo.blob.size, caption: String(old.fields["caption"] ?? ""),
        house: String(old.fields["house"] ?? "") };
      const undo = await this.deleting([{ entity: "board_photo", recordId: id, op: "upsert", fields: { ...fields } }],
        [{ entity: "board_photo", recordId: photoId }],
        [{ hash: photo.hash, blob: photo.blob, type: photo.type, size: photo.blob.size, state: "queued" }]);
      undo.remove.push({ entity: "board_photo", recordId: id });
      return { id, undo };
    });
  }

  /** Take back a deletion or a retake (see Undo). */
  undo(undo: Undo): Promise<void> {
    return this.serial(async () => {
      for (const id of undo.discards) await this.store.undoDiscard(id);
      const changes: Change[] = undo.remove.map((r): Change => ({ ...r, op: "delete" }));
      for (const ref of undo.restore) {
        const onDevice = await this.db.records.get(recordKey(ref.entity, ref.recordId));
        const kept = undo.kept.find((c) => c.entity === ref.entity && c.recordId === ref.recordId);
        changes.push(!onDevice && kept ? kept : { ...ref, op: "restore" });
      }
      if (changes.length) await this.store.apply(changes, { meetingId: undo.meetingId, blobs: undo.blobs });
    });
  }

  /** Publish the meeting's report (a new version when one is out already). */
  publishReport(meetingId: string): Promise<void> {
    return this.serial(async () => {
      await this.create("report", this.newId(), { meeting_id: meetingId });
    });
  }

  fileReport(meetingId: string): Promise<void> {
    return this.serial(async () => {
      await this.create("filing", this.newId(), { meeting_id: meetingId });
    });
  }

  // Conflicts and refusals --------------------------------------------------------------------

  /** Bring back the value that lost (or the deleted record with it), and close the conflict. */
  restoreConflict(conflictId: string): Promise<void> {
    return this.serial(async () => {
      const conflict = await this.db.records.get(recordKey("conflict", conflictId));
      if (!conflict) return;
      const f = conflict.fields;
      await this.store.apply([
        { entity: String(f["entity"]), recordId: String(f["record_id"]),
          op: f["kind"] === "deleted" ? "restore" : "upsert", fields: { [String(f["field"])]: f["value"] } },
        { entity: "conflict", recordId: conflictId, op: "upsert", fields: { resolved: true } },
      ]);
    });
  }

  /** Keep the value that won; the conflict is closed on every device of its author. */
  dismissConflict(conflictId: string): Promise<void> {
    return this.serial(async () => {
      await this.update("conflict", conflictId, { resolved: true });
    });
  }

  /** Give up a refused change; it can be brought back until sign-out. */
  discard(seq: number): Promise<number | null> {
    return this.store.discard(seq);
  }

  undoDiscard(discardId: number): Promise<void> {
    return this.store.undoDiscard(discardId);
  }

  forgetDiscarded(discardId: number): Promise<void> {
    return this.store.forgetDiscarded(discardId);
  }

  // -------------------------------------------------------------------------------------------

  private async create<E extends keyof FieldsOf>(entity: E, id: string, fields: FieldsOf[E],
    options: ApplyOptions = {}): Promise<void> {
    await this.store.apply([{ entity, recordId: id, op: "upsert", fields: { ...fields } }], options);
  }

  private async update<E extends keyof FieldsOf>(entity: E, id: string, fields: Partial<FieldsOf[E]>,
    options: ApplyOptions = {}): Promise<void> {
    await this.store.apply([{ entity, recordId: id, op: "upsert", fields: { ...fields } }], options);
  }

  /**
   * Make `made` (if any) and delete `targets` in one change, and say how to undo it: a
   * record the server has (or will have: its creation is queued) is deleted and can be
   * restored; one whose creation the server refused is discarded (the store's rule) and can
   * be undiscarded. Photo bytes are kept in the answer, since the device forgets them.
   */
  private async deleting(made: Change[], targets: RecordRef[], blobs: LocalBlob[] = []): Promise<Undo> {
    const live: Array<{ ref: RecordRef; record: LocalRecord }> = [];
    for (const ref of targets) {
      const record = await this.db.records.get(recordKey(ref.entity, ref.recordId));
      if (record && !record.deleted) live.push({ ref, record });
    }
    const undo: Undo = { meetingId: live[0] ? meetingOf(live[0].record) : null,
      restore: [], remove: [], discards: [], blobs: [],
      kept: live.map(({ ref, record }): Change => ({ ...ref, op: "upsert", fields: { ...record.fields } })) };
    if (live.length === 0 && made.length === 0) return undo;
    for (const { record } of live) {
      const hash = photoHash(record.entity, record.fields);
      const bytes = hash === null ? undefined : await this.store.attachments.get(hash);
      if (bytes) undo.blobs.push(bytes);
    }
    const lastDiscard = await this.store.lastDiscardId();
    const changes: Change[] = [...made, ...live.map(({ ref }): Change => ({ ...ref, op: "delete" }))];
    await this.store.apply(changes, { meetingId: undo.meetingId, blobs });
    const discarded = await this.store.discardedSince(lastDiscard);
    // Undone by undiscarding the refused changes the deletion discarded, or else by restoring
    // it (from `kept` when it has left the device: a photo deleted before its bytes went).
    for (const { ref } of live) {
      const onDevice = await this.db.records.get(recordKey(ref.entity, ref.recordId));
      const rows = onDevice ? [] : discarded.filter((row) =>
        row.entries.some((e) => e.entity === ref.entity && e.recordId === ref.recordId));
      if (rows.length) undo.discards.push(...rows.map((row) => row.id!));
      else undo.restore.push(ref);
    }
    return undo;
  }

  /** A record with a derived id: made, changed, or brought back if it was deleted. */
  private async made(entity: string, id: string, fields: Record<string, unknown>): Promise<Change> {
    const existing = await this.db.records.get(recordKey(entity, id));
    return { entity, recordId: id, op: existing?.deleted ? "restore" : "upsert", fields };
  }

  private async live(entity: string, parentId: string): Promise<LocalRecord[]> {
    return (await this.db.records.where("[entity+parentId]").equals([entity, parentId]).toArray())
      .filter((r) => !r.deleted);
  }

  private async notesIn(meetingId: string, column: string): Promise<LocalRecord[]> {
    return (await this.db.records.where("[entity+parentId]").equals(["board_note", meetingId]).toArray())
      .filter((n) => !n.deleted && n.fields["column"] === column)
      .sort((a, b) => Number(a.fields["position"] ?? 0) - Number(b.fields["position"] ?? 0));
  }
}

function meetingOf(record: LocalRecord): string | null {
  const id = record.entity === "meeting" ? record.id : record.fields["meeting_id"];
  return typeof id === "string" ? id : null;
}
