import { useState } from "preact/hooks";

import { useChildren, useLive } from "../app/live";
import type { Services } from "../app/services";
import type { LocalRecord } from "../db/db";
import { finishProblems, MAX_MEETINGS } from "../domain/rules";
import type { Change } from "../sync/store";
import { da } from "../i18n/da";

/** The child's participation, minutes, underretning, the next date, and "Afslut mødet". */
export function Finish({ services, meeting }: { services: Services; meeting: LocalRecord }) {
  const { store, engine, db } = services;
  const f = meeting.fields;
  const courseId = String(f["course_id"]);
  const meetings = useLive(
    async () => (await db.records.where("[entity+parentId]").equals(["meeting", courseId]).toArray())
      .filter((m) => !m.deleted)
      .sort((a, b) => String(a.fields["starts_at"]).localeCompare(String(b.fields["starts_at"]))),
    [db, courseId], [] as LocalRecord[],
  );
  const minutes = useChildren(db, "minutes", meeting.id)[0];
  const number = Math.max(1, meetings.findIndex((m) => m.id === meeting.id) + 1);
  const [next, setNext] = useState(toLocalInput(f["next_meeting_at"]));
  const [nextIsClosing, setNextIsClosing] = useState(number + 1 >= MAX_MEETINGS);
  const [problems, setProblems] = useState<string[]>([]);
  const finished = f["status"] === "finished";

  const save = async (fields: Record<string, unknown>) => {
    await store.change("meeting", meeting.id, "upsert", fields);
    await engine.changed();
  };

  async function finish() {
    const nextAt = next ? new Date(next).toISOString() : null;
    const found = finishProblems({
      kind: String(f["kind"]), startsAt: String(f["starts_at"]),
      childParticipation: (f["child_participation"] as string | null) ?? null,
      childPerspective: String(f["child_perspective"] ?? ""),
      nextMeetingAt: f["kind"] === "closing" ? null : nextAt,
      firstMeetingAt: String(meetings[0]?.fields["starts_at"] ?? f["starts_at"]),
      number,
    });
    setProblems(found);
    if (found.length) return;
    const changes: Change[] = [{ entity: "meeting", recordId: meeting.id, op: "upsert",
      fields: f["kind"] === "closing" ? { status: "finished" } : { status: "finished", next_meeting_at: nextAt } }];
    if (f["kind"] !== "closing" && nextAt) {
      // The next meeting exists from the moment its date is agreed, as in the seeds.
      changes.push({ entity: "meeting", recordId: crypto.randomUUID(), op: "upsert", fields: {
        course_id: courseId, kind: nextIsClosing ? "closing" : "follow_up", starts_at: nextAt,
        place: f["place"] ?? "",
      } });
    }
    await store.changeAll(changes);
    await engine.changed();
  }

  return (
    <section>
      <h2>{da.meeting.finishing}</h2>
      <fieldset disabled={finished}>
        <legend>{da.meeting.childParticipation}</legend>
        {Object.entries(da.meeting.participation).map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name="participation" value={value}
              checked={f["child_participation"] === value}
              onChange={() => void save({ child_participation: value })} />
            {label}
          </label>
        ))}
      </fieldset>
      {f["child_participation"] && f["child_participation"] !== "whole" && (
        <>
          <label for="perspective">{da.meeting.childPerspective}</label>
          <textarea id="perspective" disabled={finished} value={String(f["child_perspective"] ?? "")}
            onChange={(e) => void save({ child_perspective: e.currentTarget.value })} />
        </>
      )}
      <label for="minutes">{da.meeting.minutes}</label>
      <textarea id="minutes" value={String(minutes?.fields["text"] ?? "")}
        onChange={(e) => void store.change("minutes", minutes?.id ?? crypto.randomUUID(), "upsert",
          minutes ? { text: e.currentTarget.value } : { meeting_id: meeting.id, text: e.currentTarget.value })
          .then(() => engine.changed())} />
      <label class="choice">
        <input type="checkbox" disabled={finished} checked={Boolean(f["underretning"])}
          onChange={(e) => void save({ underretning: e.currentTarget.checked })} />
        {da.meeting.underretning}
      </label>
      {Boolean(f["underretning"]) && (
        <>
          <label for="underretning-note">{da.meeting.underretningNote}</label>
          <textarea id="underretning-note" disabled={finished} value={String(f["underretning_note"] ?? "")}
            onChange={(e) => void save({ underretning_note: e.currentTarget.value })} />
        </>
      )}
      {f["kind"] !== "closing" && (
        <>
          <label for="next-meeting">{da.meeting.nextMeeting}</label>
          <input id="next-meeting" type="datetime-local" disabled={finished} value={next}
            onInput={(e) => setNext(e.currentTarget.value)} />
          <label class="choice">
            <input type="checkbox" disabled={finished} checked={nextIsClosing}
              onChange={(e) => setNextIsClosing(e.currentTarget.checked)} />
            {da.meeting.nextIsClosing}
          </label>
        </>
      )}
      {problems.length > 0 && (
        <div role="alert" class="error">
          <p>{da.meeting.missing}</p>
          <ul>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      )}
      {finished ? <p>{da.meeting.finished}</p> : (
        <button type="button" onClick={() => void finish()}>{da.meeting.finish}</button>
      )}
    </section>
  );
}

/** An ISO time as the value of a datetime-local input (local time, minutes). */
function toLocalInput(value: unknown): string {
  if (typeof value !== "string") return "";
  const d = new Date(value);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
