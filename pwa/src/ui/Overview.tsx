import { useState } from "preact/hooks";

import type { User } from "../api/auth";
import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { LocalRecord } from "../db/db";
import { courseLimits, isOverdue, missingConsents } from "../domain/overview";
import { da } from "../i18n/da";

interface Facts {
  tasks: Array<{ task: LocalRecord; child: string }>;
  consents: Array<{ child: string; names: string }>;
  unpublished: Array<{ meeting: LocalRecord; child: string }>;
  limits: string[];
  awaiting: Array<{ course: LocalRecord; child: string }>;
}

const EMPTY: Facts = { tasks: [], consents: [], unpublished: [], limits: [], awaiting: [] };

/** The start page's overview for the signed-in role, from the tablet's own data (offline). */
export function Overview({ services, user, onOpen }: { services: Services; user: User;
  onOpen: (meetingId: string) => void }) {
  const facts = useLive(() => gather(services, user), [services, user.id], EMPTY);
  const { store, engine } = services;
  async function done(task: LocalRecord) {
    await store.change("task", task.id, "upsert", { done_at: new Date().toISOString() });
    await engine.changed();
  }
  const today = new Date();
  return (
    <>
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">{da.overview.tasks}</h2>
        {facts.tasks.length === 0 && <p class="hint">{da.overview.noTasks}</p>}
        <ul class="tasks">
          {facts.tasks.map(({ task, child }) => {
            const due = task.fields["due_date"] as string | null;
            return (
              <li key={task.id}>
                <label class="choice">
                  <input type="checkbox" onChange={() => void done(task)} />
                  {child}: {String(task.fields["title"])}
                </label>
                {due && <span class="hint"> {da.overview.due(new Date(due).toLocaleDateString("da-DK"))}</span>}
                {isOverdue(due, today) && <strong class="error"> {da.overview.overdue}</strong>}
              </li>
            );
          })}
        </ul>
      </section>
      {facts.consents.length > 0 && (
        <section aria-labelledby="consents-heading">
          <h2 id="consents-heading">{da.overview.consents}</h2>
          <ul>{facts.consents.map((c) => <li key={c.child}>{da.overview.consentMissing(c.child, c.names)}</li>)}</ul>
        </section>
      )}
      {facts.unpublished.length > 0 && (
        <section aria-labelledby="unpublished-heading">
          <h2 id="unpublished-heading">{da.overview.unpublished}</h2>
          <ul>{facts.unpublished.map(({ meeting, child }) => (
            <li key={meeting.id}>
              <button type="button" class="link" onClick={() => onOpen(meeting.id)}>
                {da.overview.unpublishedItem(child, da.meetings.kinds[String(meeting.fields["kind"])] ?? "")}
              </button>
            </li>
          ))}</ul>
        </section>
      )}
      {facts.limits.length > 0 && (
        <section aria-labelledby="limits-heading">
          <h2 id="limits-heading">{da.overview.limits}</h2>
          <ul>{facts.limits.map((line) => <li key={line}>{line}</li>)}</ul>
        </section>
      )}
      {facts.awaiting.length > 0 && (
        <section aria-labelledby="awaiting-heading">
          <h2 id="awaiting-heading">{da.overview.awaiting}</h2>
          <ul>{facts.awaiting.map(({ course, child }) => (
            <li key={course.id}>{da.overview.awaitingItem(child)}
              {user.role === "family_unit" && <HandOver services={services} courseId={course.id} />}
            </li>
          ))}</ul>
        </section>
      )}
    </>
  );
}

/** Recording the hand-over acts on the server at once; the course then syncs as closed. */
function HandOver({ services, courseId }: { services: Services; courseId: string }) {
  const [message, setMessage] = useState<string | null>(null);
  async function handOver() {
    try {
      await services.api.post(`/api/courses/${courseId}/hand-over`);
      setMessage(da.overview.handedOver);
      await services.engine.changed();
    } catch {
      setMessage(da.errors.offline);
    }
  }
  return (
    <>
      <button type="button" class="secondary" onClick={() => void handOver()}>{da.overview.handOver}</button>
      {message && <p role="status">{message}</p>}
    </>
  );
}

async function gather({ db }: Services, user: User): Promise<Facts> {
  const all = async (entity: string) =>
    (await db.records.where("entity").equals(entity).toArray()).filter((r) => !r.deleted);
  const [courses, meetings, tasks, guardians, consents, reports, children] = await Promise.all(
    ["course", "meeting", "task", "guardian", "consent", "report", "child"].map(all));
  const childName = new Map(children!.map((c) => [c.id, String(c.fields["first_name"])]));
  const courseChild = new Map(courses!.map((c) => [c.id, childName.get(String(c.fields["child_id"])) ?? ""]));
  const now = new Date();
  const facts: Facts = { tasks: [], consents: [], unpublished: [], limits: [], awaiting: [] };
  for (const task of tasks!) {
    const mine = task.fields["assignee_id"] ? task.fields["assignee_id"] === user.id
      : task.fields["assignee_role"] === user.role;
    if (mine && !task.fields["done_at"]) {
      facts.tasks.push({ task, child: courseChild.get(String(task.fields["course_id"])) ?? "" });
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
      facts.limits.push(da.overview.monthLeft(child, limits.windowEnd.toLocaleDateString("da-DK")));
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
