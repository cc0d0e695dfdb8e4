// Everything a screen reads from the device's database, by name. Screens never open the
// database themselves: they call these (through useLive, so they update as data changes).

import type { User } from "../api/auth";
import type { RecordKind } from "../contract/contract.gen";
import type { LocalBlob, TrivselDB } from "../db/db";
import { byDue, courseLimits, missingConsents } from "../domain/overview";
import { housesId } from "../domain/ids";
import { da } from "../i18n/da";
import { dateLong } from "../ui/format";
import { type PlaceProblems, problemsAt } from "./problems";
import { alive, getRecord, recordsOf, recordsUnder, type Stored } from "./records";
import { type ScalingView, scaling, type SinceLast, sinceLast } from "./story";
import { type Summary, summarize } from "./summary";
import type { HousePart } from "./writes";

export interface MeetingRow {
  meeting: Stored<"meeting">;
  childName: string;
  number: number;
  /** What became of it, in words: "Holdt 1. december 2026", "I gang", "Planlagt". */
  state: string;
}

/** A meeting's place in its course's story, as the start page says it. */
export function meetingState(meeting: Stored<"meeting">): string {
  const f = meeting.fields;
  if (f.status === "finished") return da.meetings.held(dateLong(f.held_at ?? f.starts_at));
  return f.status === "in_progress" ? da.meetings.inProgress : da.meetings.planned;
}

export interface CourseView {
  course: Stored<"course"> | undefined;
  child: Stored<"child"> | undefined;
  meetings: Stored<"meeting">[]; // live, in time order
  guardians: Stored<"guardian">[];
  consents: Stored<"consent">[];
}

/** Which meeting a task came from: "Fra møde 2 (opfølgningsmøde) 4. december 2026". */
export interface TaskMeeting {
  number: number;
  kind: string;
  startsAt: string;
}

export interface Overview {
  tasks: Array<{ task: Stored<"task">; child: string; meeting?: TaskMeeting }>;
  consents: Array<{ child: string; names: string }>;
  unpublished: Array<{ meeting: Stored<"meeting">; child: string }>;
  limits: string[];
  awaiting: Array<{ course: Stored<"course">; child: string }>;
}

const byStart = (a: Stored<"meeting">, b: Stored<"meeting">) => a.fields.starts_at.localeCompare(b.fields.starts_at);

export class Queries {
  constructor(private readonly db: TrivselDB) {}

  /** One record as this device sees it (its unsent changes included). */
  record<K extends RecordKind>(entity: K, id: string): Promise<Stored<K> | undefined> {
    return getRecord(this.db, entity, id);
  }

  /** The live (not deleted) records of one kind under one parent, e.g. a meeting's notes. */
  async children<K extends RecordKind>(entity: K, parentId: string): Promise<Stored<K>[]> {
    return alive(await recordsUnder(this.db, entity, parentId));
  }

  /**
   * A meeting's board photos in the order they were taken: those on the server by when they
   * reached it, then those only on this tablet by when they were taken here (the order of
   * their queued creation) — never by their random ids, which swapped "billede 1" and
   * "billede 2" at the table. (One Dexie call each, so a live query sees every change.)
   */
  async photos(meetingId: string, house: HousePart | "" = ""): Promise<Stored<"board_photo">[]> {
    // A drawing of the child's three houses is shown with its house, never on the board.
    const photos = alive(await recordsUnder(this.db, "board_photo", meetingId))
      .filter((p) => (p.fields.house ?? "") === house);
    const queued = await this.db.outbox.where("recordId").anyOf(photos.map((p) => p.id)).toArray();
    const takenAt = new Map<string, number>();
    for (const e of queued) takenAt.set(e.recordId, Math.min(takenAt.get(e.recordId) ?? Infinity, e.seq!));
    // Not on the server yet: after any date ("~" sorts after digits by code point, not by
    // localeCompare, whose collation puts punctuation first).
    const reached = (p: Stored<"board_photo">) => p.fields.received_at ?? "~";
    const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return photos.sort((a, b) => byCode(reached(a), reached(b))
      || (takenAt.get(a.id) ?? 0) - (takenAt.get(b.id) ?? 0));
  }

  /** The child's three houses at a meeting (undefined until something is put in them). */
  async houses(meetingId: string): Promise<Stored<"houses"> | undefined> {
    const record = await getRecord(this.db, "houses", housesId(meetingId));
    return record && !record.deleted ? record : undefined;
  }

  /** The signed-in user as last known on this device. */
  user(): Promise<User | undefined> {
    return this.db.getMeta<User>("user");
  }

  /** Ids of the records under a parent that have changes not on the server yet. */
  async unsentIds(parentIds: string[]): Promise<Set<string>> {
    const pending = await this.db.outbox.where("status").equals("pending").toArray();
    const ids = new Set<string>();
    for (const e of pending) {
      if (parentIds.includes(e.meetingId ?? "") || parentIds.includes(e.recordId)) ids.add(e.recordId);
    }
    return ids;
  }

  /** The course a meeting belongs to, with what the meeting screen shows of it. */
  async course(courseId: string): Promise<CourseView> {
    const course = await this.record("course", courseId);
    const childId = course?.fields.child_id ?? "";
    return {
      course,
      child: await this.record("child", childId),
      meetings: (await this.children("meeting", courseId)).sort(byStart),
      guardians: await this.children("guardian", childId),
      consents: await this.children("consent", courseId),
    };
  }

  /** What this meeting starts from: the last meeting's board and agreements (data/story.ts). */
  sinceLast(meetingId: string): Promise<SinceLast> {
    return sinceLast(this.db, meetingId);
  }

  /** The scaling answers of a whole course, meeting by meeting. */
  scaling(courseId: string): Promise<ScalingView> {
    return scaling(this.db, courseId);
  }

  /** What went wrong at a meeting (or, null, on the start page). */
  problems(meetingId: string | null): Promise<PlaceProblems> {
    return problemsAt(this.db, meetingId);
  }

  /** What is not on the server yet, by place. */
  summary(): Promise<Summary> {
    return summarize(this.db);
  }

  /** A photo's bytes kept on this device (until the server has them). */
  localPhoto(hash: string): Promise<LocalBlob | undefined> {
    return this.db.blobs.get(hash);
  }

  /** Hashes of every photo kept on this device. */
  async localPhotoHashes(): Promise<string[]> {
    return this.db.blobs.toCollection().primaryKeys();
  }

  /** Records of a kind whose change the server refused (shown with their reason elsewhere). */
  async refusedIds(entity: string): Promise<Set<string>> {
    const refused = await this.db.outbox.where("status").equals("rejected").toArray();
    return new Set(refused.filter((e) => e.entity === entity).map((e) => e.recordId));
  }

  /** Today's and upcoming meetings of the courses on this device, with the child's name. */
  async meetingRows(): Promise<MeetingRow[]> {
    const meetings = alive(await recordsOf(this.db, "meeting"));
    const byCourse = new Map<string, Stored<"meeting">[]>();
    for (const m of meetings) {
      const course = m.fields.course_id;
      byCourse.set(course, [...(byCourse.get(course) ?? []), m]);
    }
    const rows: MeetingRow[] = [];
    for (const [courseId, list] of byCourse) {
      list.sort(byStart);
      const course = await this.record("course", courseId);
      const child = course ? await this.record("child", course.fields.child_id) : undefined;
      list.forEach((meeting, i) =>
        rows.push({ meeting, childName: child?.fields.first_name ?? "", number: i + 1,
          state: meetingState(meeting) }));
    }
    return rows.sort((a, b) => byStart(a.meeting, b.meeting));
  }

  /** The start page's overview for this user, from the tablet's own data (offline too). */
  async overview(user: User, now = new Date()): Promise<Overview> {
    const all = async <K extends RecordKind>(entity: K) => alive(await recordsOf(this.db, entity));
    const [courses, meetings, tasks, guardians, consents, reports, children] = await Promise.all([
      all("course"), all("meeting"), all("task"), all("guardian"), all("consent"), all("report"), all("child")]);
    const childName = new Map(children.map((c) => [c.id, c.fields.first_name]));
    const courseChild = new Map(courses.map((c) => [c.id, childName.get(c.fields.child_id) ?? ""]));
    const facts: Overview = { tasks: [], consents: [], unpublished: [], limits: [], awaiting: [] };
    const meetingOf = new Map<string, TaskMeeting>();
    for (const course of courses) {
      meetings.filter((m) => m.fields.course_id === course.id).sort(byStart).forEach((m, i) =>
        meetingOf.set(m.id, { number: i + 1, kind: m.fields.kind, startsAt: m.fields.starts_at }));
    }
    for (const task of tasks) {
      const mine = task.fields.assignee_id ? task.fields.assignee_id === user.id
        : task.fields.assignee_role === user.role;
      if (mine && !task.fields.done_at) {
        const meeting = meetingOf.get(task.fields.meeting_id ?? "");
        facts.tasks.push({ task, child: courseChild.get(task.fields.course_id) ?? "", ...(meeting ? { meeting } : {}) });
      }
    }
    facts.tasks = byDue(facts.tasks, (t) => t.task.fields.due_date);
    const published = new Set(reports.map((r) => r.fields.meeting_id));
    for (const course of courses) {
      const child = courseChild.get(course.id) ?? "";
      const status = course.fields.status;
      if (status === "awaiting_counsellor") facts.awaiting.push({ course, child });
      if (status !== "active") continue;
      const own = meetings.filter((m) => m.fields.course_id === course.id);
      const limits = courseLimits(own.map((m) => m.fields.starts_at), now);
      if (limits.fourthOrLater) facts.limits.push(da.overview.fourth(child, limits.meetings));
      if (limits.lessThanAMonthLeft && limits.windowEnd) {
        facts.limits.push(da.overview.monthLeft(child, dateLong(limits.windowEnd)));
      }
      const missing = missingConsents(
        guardians.filter((g) => g.fields.child_id === course.fields.child_id)
          .map((g) => ({ id: g.id, name: g.fields.name, hasCustody: g.fields.has_custody !== false })),
        consents.filter((c) => c.fields.course_id === course.id)
          .map((c) => ({ guardianId: c.fields.guardian_id, status: c.fields.status })));
      if (missing.length) facts.consents.push({ child, names: missing.map((g) => g.name).join(", ") });
      if (user.role === "family_unit" && course.fields.leader_id === user.id) {
        for (const m of own) {
          if (m.fields.status === "finished" && !published.has(m.id)) facts.unpublished.push({ meeting: m, child });
        }
      }
    }
    return facts;
  }
}
