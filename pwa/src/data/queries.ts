// Everything a screen reads from the device's database, by name. Screens never open the
// database themselves: they call these (through useLive, so they update as data changes).

import type { User } from "../api/auth";
import { type LocalBlob, type LocalRecord, recordKey, type TrivselDB } from "../db/db";
import { courseLimits, missingConsents } from "../domain/overview";
import { da } from "../i18n/da";
import { dateLong } from "../ui/format";
import { type PlaceProblems, problemsAt } from "./problems";
import { type ScalingView, scaling, type SinceLast, sinceLast } from "./story";
import { type Summary, summarize } from "./summary";

export interface MeetingRow {
  meeting: LocalRecord;
  childName: string;
  number: number;
}

export interface CourseView {
  course: LocalRecord | undefined;
  child: LocalRecord | undefined;
  meetings: LocalRecord[]; // live, in time order
  guardians: LocalRecord[];
  consents: LocalRecord[];
}

/** Which meeting a task came from: "Fra møde 2 (opfølgningsmøde) 4. december 2026". */
export interface TaskMeeting {
  number: number;
  kind: string;
  startsAt: string;
}

export interface Overview {
  tasks: Array<{ task: LocalRecord; child: string; meeting?: TaskMeeting }>;
  consents: Array<{ child: string; names: string }>;
  unpublished: Array<{ meeting: LocalRecord; child: string }>;
  limits: string[];
  awaiting: Array<{ course: LocalRecord; child: string }>;
}

const byStart = (a: LocalRecord, b: LocalRecord) =>
  String(a.fields["starts_at"]).localeCompare(String(b.fields["starts_at"]));

export class Queries {
  constructor(private readonly db: TrivselDB) {}

  /** One record as this device sees it (its unsent changes included). */
  record(entity: string, id: string): Promise<LocalRecord | undefined> {
    return this.db.records.get(recordKey(entity, id));
  }

  /** The live (not deleted) records of one kind under one parent, e.g. a meeting's notes. */
  async children(entity: string, parentId: string): Promise<LocalRecord[]> {
    return (await this.db.records.where("[entity+parentId]").equals([entity, parentId]).toArray())
      .filter((r) => !r.deleted);
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
    const childId = String(course?.fields["child_id"] ?? "");
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
    const meetings = (await this.db.records.where("entity").equals("meeting").toArray()).filter((m) => !m.deleted);
    const byCourse = new Map<string, LocalRecord[]>();
    for (const m of meetings) {
      const course = String(m.fields["course_id"]);
      byCourse.set(course, [...(byCourse.get(course) ?? []), m]);
    }
    const rows: MeetingRow[] = [];
    for (const [courseId, list] of byCourse) {
      list.sort(byStart);
      const course = await this.record("course", courseId);
      const child = course ? await this.record("child", String(course.fields["child_id"])) : undefined;
      list.forEach((meeting, i) =>
        rows.push({ meeting, childName: String(child?.fields["first_name"] ?? ""), number: i + 1 }));
    }
    return rows.sort((a, b) => byStart(a.meeting, b.meeting));
  }

  /** The start page's overview for this user, from the tablet's own data (offline too). */
  async overview(user: User, now = new Date()): Promise<Overview> {
    const all = async (entity: string) =>
      (await this.db.records.where("entity").equals(entity).toArray()).filter((r) => !r.deleted);
    const [courses, meetings, tasks, guardians, consents, reports, children] = await Promise.all(
      ["course", "meeting", "task", "guardian", "consent", "report", "child"].map(all)) as LocalRecord[][];
    const childName = new Map(children!.map((c) => [c.id, String(c.fields["first_name"])]));
    const courseChild = new Map(courses!.map((c) => [c.id, childName.get(String(c.fields["child_id"])) ?? ""]));
    const facts: Overview = { tasks: [], consents: [], unpublished: [], limits: [], awaiting: [] };
    const meetingOf = new Map<string, TaskMeeting>();
    for (const course of courses!) {
      meetings!.filter((m) => m.fields["course_id"] === course.id).sort(byStart).forEach((m, i) =>
        meetingOf.set(m.id, { number: i + 1, kind: String(m.fields["kind"]), startsAt: String(m.fields["starts_at"]) }));
    }
    for (const task of tasks!) {
      const mine = task.fields["assignee_id"] ? task.fields["assignee_id"] === user.id
        : task.fields["assignee_role"] === user.role;
      if (mine && !task.fields["done_at"]) {
        const meeting = meetingOf.get(String(task.fields["meeting_id"] ?? ""));
        facts.tasks.push({ task, child: courseChild.get(String(task.fields["course_id"])) ?? "", ...(meeting ? { meeting } : {}) });
      }
    }
    facts.tasks.sort((a, b) => String(a.task.fields["due_date"] ?? "9").localeCompare(String(b.task.fields["due_date"] ?? "9")));
    const published = new Set(reports!.map((r) => String(r.fields["meeting_id"])));
    for (const course of courses!) {
      const child = courseChild.get(course.id) ?? "";
      const status = String(course.fields["status"]);
      if (status === "awaiting_counsellor") facts.awaiting.push({ course, child });
      if (status !== "active") continue;
      const own = meetings!.filter((m) => m.fields["course_id"] === course.id);
      const limits = courseLimits(own.map((m) => String(m.fields["starts_at"])), now);
      if (limits.fourthOrLater) facts.limits.push(da.overview.fourth(child, limits.meetings));
      if (limits.lessThanAMonthLeft && limits.windowEnd) {
        facts.limits.push(da.overview.monthLeft(child, dateLong(limits.windowEnd)));
      }
      const missing = missingConsents(
        guardians!.filter((g) => g.fields["child_id"] === course.fields["child_id"])
          .map((g) => ({ id: g.id, name: String(g.fields["name"]), hasCustody: g.fields["has_custody"] !== false })),
        consents!.filter((c) => c.fields["course_id"] === course.id)
          .map((c) => ({ guardianId: String(c.fields["guardian_id"]), status: String(c.fields["status"]) })));
      if (missing.length) facts.consents.push({ child, names: missing.map((g) => g.name).join(", ") });
      if (user.role === "family_unit" && course.fields["leader_id"] === user.id) {
        for (const m of own) {
          if (m.fields["status"] === "finished" && !published.has(m.id)) facts.unpublished.push({ meeting: m, child });
        }
      }
    }
    return facts;
  }
}
