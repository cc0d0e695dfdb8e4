// Exactly what is not on the server yet, by the place it was made: the status bar shows
// these counts (each a link to the place) and signing out warns with the same numbers.

import { recordKey, type TrivselDB } from "../db/db";
import { da } from "../i18n/da";
import { PhotoQueue } from "../photos/queue";
import { FAILING_AFTER, outboxProblems } from "./problems";
import { alive, getRecord, recordsOf, type Stored } from "./records";

export interface PlaceCount {
  meetingId: string | null; // null: the start page (e.g. a task ticked off there)
  label: string;
  unsent: number; // changes and photos waiting to be sent
  refused: number; // changes the server refused, not fixed or discarded yet
  failing: number; // of the unsent: the server failed on them again and again
  // The first record of each count, to scroll to.
  first: { unsent?: string; refused?: string; failing?: string };
}

export interface Summary {
  unsent: number;
  refused: number;
  failing: number;
  places: PlaceCount[];
}

export async function summarize(db: TrivselDB): Promise<Summary> {
  const places = new Map<string | null, PlaceCount>();
  const at = (meetingId: string | null): PlaceCount => {
    let place = places.get(meetingId);
    if (!place) {
      place = { meetingId, label: "", unsent: 0, refused: 0, failing: 0, first: {} };
      places.set(meetingId, place);
    }
    return place;
  };
  const entries = await db.outbox.orderBy("seq").toArray();
  const behindRefusal = new Set<string>();
  for (const problem of outboxProblems(entries)) {
    if (problem.kind !== "refused") continue;
    const place = at(problem.meetingId);
    place.refused += 1;
    place.first.refused ??= problem.recordId;
    behindRefusal.add(recordKey(problem.entity, problem.recordId));
  }
  for (const e of entries) {
    // A change waiting behind its record's refusal is part of that refusal, not counted twice.
    if (e.status === "rejected" || behindRefusal.has(recordKey(e.entity, e.recordId))) continue;
    const place = at(e.meetingId ?? null);
    place.unsent += 1;
    place.first.unsent ??= e.recordId;
    if ((e.attempts ?? 0) >= FAILING_AFTER) {
      place.failing += 1;
      place.first.failing ??= e.recordId;
    }
  }
  // Only bytes a live photo names wait to be sent (the queue sends no others); bytes kept
  // for the undo of a deleted photo are not "unsent", nor are refused ones (counted above).
  const photos = await new PhotoQueue(db).waitingHashes();
  if (photos.length) {
    const byHash = new Map<string, Stored<"board_photo">>();
    for (const r of alive(await recordsOf(db, "board_photo"))) {
      if (!byHash.has(r.fields.content_hash)) byHash.set(r.fields.content_hash, r); // the first, as before
    }
    for (const hash of photos) {
      const record = byHash.get(hash);
      if (!record) continue;
      const place = at(record.fields.meeting_id);
      place.unsent += 1;
      place.first.unsent ??= record.id;
    }
  }
  const list = [...places.values()];
  for (const place of list) place.label = await labelOf(db, place.meetingId);
  return {
    unsent: list.reduce((n, p) => n + p.unsent, 0),
    refused: list.reduce((n, p) => n + p.refused, 0),
    failing: list.reduce((n, p) => n + p.failing, 0),
    places: list,
  };
}

/** "Emma, opstartsmøde": whose meeting, and which. */
async function labelOf(db: TrivselDB, meetingId: string | null): Promise<string> {
  if (!meetingId) return da.status.home;
  const meeting = await getRecord(db, "meeting", meetingId);
  if (!meeting) return da.status.unknownMeeting;
  const course = await getRecord(db, "course", meeting.fields.course_id);
  const child = course && await getRecord(db, "child", course.fields.child_id);
  return da.status.place(child?.fields.first_name ?? "", da.meetings.kinds[meeting.fields.kind] ?? "");
}
