// What the publish dialog and the report panel say a report holds: one line (or none) per
// part of the server's report (domain/reportParts.ts). LINES is typed by those parts, so a
// part the server adds cannot be left out here without the type check failing.

import { useChildren, useLive } from "../app/live";
import type { Services } from "../app/services";
import type { Stored } from "../data/records";
import { REPORT_PARTS, type ReportFacts, type ReportPart } from "../domain/reportParts";
import { da } from "../i18n/da";
import { dateLong, whenLong } from "./format";

const LINES: Record<ReportPart, (f: ReportFacts) => string[]> = {
  meeting: (f) => [da.reportParts.header(f.child, da.meetings.kinds[f.meeting.kind] ?? "",
    dateLong(f.meeting.startsAt), f.meeting.place)],
  course_id: () => [],
  child: () => [], // said in the header's line
  participants: (f) => [da.report.present(f.present.length)],
  child_participation: (f) => [f.participation
    ? da.reportParts.participation(da.meeting.participation[f.participation] ?? f.participation)
    : da.reportParts.noParticipation],
  child_perspective: (f) => (f.perspective.trim() && f.participation !== "whole" ? [da.reportParts.perspective] : []),
  columns: (f) => Object.entries(da.board.columns).map(([column, label]) => da.report.notes(label, f.notes[column]?.length ?? 0)),
  photos: (f) => [da.report.photos(f.photos.length)],
  agreements: (f) => [da.report.agreements(f.agreements.length)],
  review: (f) => (f.review.length > 0 ? [da.reportParts.review(f.review.length)] : []),
  scaling: (f) => [da.reportParts.scaling(f.scaling)],
  minutes: (f) => [f.minutes.trim() ? da.reportParts.minutes : da.reportParts.noMinutes],
  next_meeting: (f) => [f.next ? da.report.next(whenLong(f.next)) : da.report.noNext],
  sender: (f) => [da.reportParts.sender(f.leader)],
  houses: (f) => (f.houses !== null ? [da.reportParts.houses] : []),
};

/** The report's contents in words, in the report's order. */
export function reportContents(facts: ReportFacts): string[] {
  return (Object.keys(REPORT_PARTS) as ReportPart[]).flatMap((part) => LINES[part](facts));
}

/** What a publish of this meeting would send now, read from the tablet (offline too). */
export function useReportFacts(services: Services, meeting: Stored<"meeting">, photos: Stored<"board_photo">[]): ReportFacts {
  const { read } = services;
  const meetingId = meeting.id;
  const houses = useLive(() => read.houses(meetingId), [read, meetingId], undefined);
  // The drawings, whichever house they are in (the board's photos are `photos`).
  const drawings = useLive(async () => (await read.children("board_photo", meetingId))
    .filter((p) => p.fields.house).map((p) => `${p.fields.house}:${p.fields.content_hash}`).sort(),
  [read, meetingId], [] as string[]);
  const course = useLive(() => read.course(meeting.fields.course_id), [read, meeting.fields.course_id], undefined);
  const notes = useChildren(read, "board_note", meetingId);
  const agreements = useChildren(read, "agreement", meetingId);
  const participants = useChildren(read, "participant", meetingId);
  const minutes = useChildren(read, "minutes", meetingId);
  const answers = useChildren(read, "scaling_answer", meetingId);
  // The last meeting's agreements and how they went: the report's look back.
  const review = useLive(async () => (await read.sinceLast(meetingId)).agreements
    .map((a) => `${a.fields.what}|${a.fields.outcome ?? ""}`), [read, meetingId], [] as string[]);
  const user = useLive(() => read.user(), [read], undefined);
  const leaderId = course?.course?.fields.leader_id;
  const child = course?.child ? `${course.child.fields.first_name} ${course.child.fields.last_name}` : "";
  const f = meeting.fields;
  const number = (course?.meetings ?? []).findIndex((m) => m.id === meetingId) + 1;
  const byColumn: Record<string, string[]> = {};
  for (const n of [...notes].sort((a, b) => (a.fields.position ?? 0) - (b.fields.position ?? 0))) {
    (byColumn[n.fields.column] ??= []).push(n.fields.text);
  }
  const leaderName = user && user.id === leaderId ? user.name
    : participants.find((p) => p.fields.user_id === leaderId)?.fields.name ?? da.reportParts.theLeader;
  return {
    child,
    meeting: { kind: f.kind, startsAt: f.starts_at, place: f.place ?? "", number },
    present: participants.filter((p) => p.fields.present).map((p) => `${p.fields.name}:${p.fields.role}`).sort(),
    participation: f.child_participation ?? null,
    perspective: f.child_perspective ?? "",
    notes: byColumn,
    // Sorted: the photos screen's order follows their upload, which is no change to the report.
    photos: photos.map((p) => p.fields.content_hash).sort(),
    agreements: agreements.map((a) => `${a.fields.what}|${a.fields.owner}|${a.fields.due_date ?? ""}`),
    review,
    scaling: answers.length,
    minutes: minutes.map((m) => m.fields.text).join("\n\n"),
    next: f.next_meeting_at ?? null,
    leader: leaderName,
    // As compose() on the server: only when shared, and only when something is in them.
    houses: houses?.fields.shared_with_parents && (drawings.length > 0
      || [houses.fields.worries, houses.fields.good, houses.fields.dream].some((t) => t?.trim()))
      ? JSON.stringify([houses.fields.worries, houses.fields.good, houses.fields.dream, drawings]) : null,
  };
}
