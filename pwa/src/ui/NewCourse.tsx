import { useEffect, useState } from "preact/hooks";

import type { User } from "../api/auth";
import { ApiError } from "../api/client";
import type { Services } from "../app/services";
import { da } from "../i18n/da";

interface Option { id: string; name: string }
interface GuardianInput { name: string; relation: string; email: string; custody: boolean }

const NO_GUARDIAN: GuardianInput = { name: "", relation: "", email: "", custody: true };

/**
 * Opening a course (an office task, so it needs the network): the child (or a new one with
 * the guardians and their custody), the concern level, the reason, the leader and the start
 * meeting. The tablet then gets the course at its next pull, and the start meeting opens.
 */
export function NewCourse({ services, user, onCreated, onCancel }: { services: Services; user: User;
  onCreated: (meetingId: string) => void; onCancel: () => void }) {
  const { api } = services;
  const [children, setChildren] = useState<Option[]>([]);
  const [institutions, setInstitutions] = useState<Option[]>([]);
  const [leaders, setLeaders] = useState<Option[]>([]);
  const [childId, setChildId] = useState("new");
  const [first, setFirst] = useState("");
  const [last, setLast] = useState("");
  const [institution, setInstitution] = useState(user.institution_id ?? "");
  const [guardians, setGuardians] = useState<GuardianInput[]>([{ ...NO_GUARDIAN }, { ...NO_GUARDIAN }]);
  const [concern, setConcern] = useState("moderate");
  const [reason, setReason] = useState("");
  const [leader, setLeader] = useState(user.role === "family_unit" ? user.id : "");
  const [startAt, setStartAt] = useState("");
  const [place, setPlace] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<Array<{ id: string; first_name: string; last_name: string }>>("/api/children")
      .then((rows) => setChildren(rows.map((c) => ({ id: c.id, name: `${c.first_name} ${c.last_name}` }))), () => setProblem(da.newCourse.needsNetwork));
    api.get<Option[]>("/api/institutions").then(setInstitutions, () => undefined);
    api.get<Array<{ user_id: string; name: string }>>("/api/staff/leaders")
      .then((rows) => setLeaders(rows.map((r) => ({ id: r.user_id, name: r.name }))), () => undefined);
  }, [api]);

  const setGuardian = (i: number, change: Partial<GuardianInput>) =>
    setGuardians(guardians.map((g, j) => (j === i ? { ...g, ...change } : g)));

  async function create(event: Event) {
    event.preventDefault();
    const isNew = childId === "new";
    if ((isNew && (!first.trim() || !last.trim() || !institution)) || !leader || !startAt) {
      setProblem(da.newCourse.missing);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      let child = childId;
      if (isNew) {
        child = (await api.post<{ id: string }>("/api/children", {
          id: crypto.randomUUID(), first_name: first.trim(), last_name: last.trim(), institution_id: institution,
        })).id;
        for (const g of guardians.filter((x) => x.name.trim())) {
          await api.post("/api/guardians", { id: crypto.randomUUID(), child_id: child, name: g.name.trim(),
            relation: g.relation.trim(), email: g.email.trim() || null, has_custody: g.custody });
        }
      }
      const course = await api.post<{ id: string }>("/api/courses", {
        id: crypto.randomUUID(), child_id: child, leader_id: leader, concern_level: concern, reason,
        start_date: startAt.slice(0, 10),
      });
      const meeting = await api.post<{ id: string }>("/api/meetings", {
        id: crypto.randomUUID(), course_id: course.id, kind: "start",
        starts_at: new Date(startAt).toISOString(), place,
      });
      await services.engine.changed();
      onCreated(meeting.id);
    } catch (error) {
      setProblem(error instanceof ApiError
        ? [error.message, ...Object.values(error.fields).flat()].join(" ")
        : da.newCourse.needsNetwork);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card new-course" onSubmit={(e) => void create(e)} aria-labelledby="new-course-heading">
      <h2 id="new-course-heading">{da.newCourse.heading}</h2>
      <label for="nc-child">{da.newCourse.child}</label>
      <select id="nc-child" value={childId} onChange={(e) => setChildId(e.currentTarget.value)}>
        <option value="new">{da.newCourse.newChild}</option>
        {children.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </select>
      {childId === "new" && (
        <>
          <label for="nc-first">{da.newCourse.firstName}</label>
          <input id="nc-first" value={first} onInput={(e) => setFirst(e.currentTarget.value)} />
          <label for="nc-last">{da.newCourse.lastName}</label>
          <input id="nc-last" value={last} onInput={(e) => setLast(e.currentTarget.value)} />
          <label for="nc-inst">{da.newCourse.institution}</label>
          <select id="nc-inst" value={institution} onChange={(e) => setInstitution(e.currentTarget.value)}>
            <option value="">–</option>
            {institutions.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
          {guardians.map((g, i) => (
            <fieldset key={i}>
              <legend>{da.newCourse.guardian(i + 1)}</legend>
              <label for={`nc-g${i}-name`}>{da.newCourse.guardianName}</label>
              <input id={`nc-g${i}-name`} value={g.name} onInput={(e) => setGuardian(i, { name: e.currentTarget.value })} />
              <label for={`nc-g${i}-rel`}>{da.newCourse.relation}</label>
              <input id={`nc-g${i}-rel`} value={g.relation} onInput={(e) => setGuardian(i, { relation: e.currentTarget.value })} />
              <label for={`nc-g${i}-email`}>{da.newCourse.email}</label>
              <input id={`nc-g${i}-email`} type="email" value={g.email} onInput={(e) => setGuardian(i, { email: e.currentTarget.value })} />
              <label class="choice">
                <input type="checkbox" checked={g.custody} onChange={(e) => setGuardian(i, { custody: e.currentTarget.checked })} />
                {da.newCourse.custody}
              </label>
            </fieldset>
          ))}
        </>
      )}
      <fieldset>
        <legend>{da.newCourse.concern}</legend>
        {Object.entries(da.newCourse.concerns).map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name="concern" value={value} checked={concern === value} onChange={() => setConcern(value)} />
            {label}
          </label>
        ))}
      </fieldset>
      <label for="nc-reason">{da.newCourse.reason}</label>
      <textarea id="nc-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <label for="nc-leader">{da.newCourse.leader}</label>
      <select id="nc-leader" value={leader} onChange={(e) => setLeader(e.currentTarget.value)}>
        <option value="">–</option>
        {leaders.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
      </select>
      <label for="nc-start">{da.newCourse.startAt}</label>
      <input id="nc-start" type="datetime-local" value={startAt} onInput={(e) => setStartAt(e.currentTarget.value)} />
      <label for="nc-place">{da.newCourse.place}</label>
      <input id="nc-place" value={place} onInput={(e) => setPlace(e.currentTarget.value)} />
      {problem && <p role="alert" class="error">{problem}</p>}
      <button type="submit" disabled={busy}>{da.newCourse.create}</button>
      <button type="button" class="secondary" onClick={onCancel}>{da.newCourse.cancel}</button>
    </form>
  );
}
