import { useEffect, useState } from "preact/hooks";

import type { User } from "../api/auth";
import { ApiError } from "../api/client";
import type { Services } from "../app/services";
import { checkForm, type FormIds, type GuardianInput, newIds, openCourse } from "../data/openCourse";
import { da } from "../i18n/da";
import { TextField } from "./TextField";
import { useKept } from "./useKept";

interface Option { id: string; name: string }

/** A guardian as the form keeps it: everything but the CPR number (never stored, below). */
type GuardianDraft = Omit<GuardianInput, "cpr">;
const NO_GUARDIAN: GuardianDraft = { name: "", relation: "", email: "", custody: true };

/** The form as it is kept on the device while it is filled in (nothing typed is lost, issue
 * 23), with the ids it will send: a retry after a reload sends the same ones, so nothing is
 * made twice. The CPR numbers are not in it: they live only in memory until sent. */
interface CourseDraft {
  childId: string;
  first: string;
  last: string;
  birthDate: string;
  institution: string;
  guardians: GuardianDraft[];
  concern: string;
  reason: string;
  leader: string;
  startAt: string;
  place: string;
  ids: FormIds;
}

/** Where the form is kept: one new course at a time on a device. */
export const NEW_COURSE_DRAFT = "new-course";

function blank(user: User): CourseDraft {
  return { childId: "new", first: "", last: "", birthDate: "", institution: user.institution_id ?? "",
    guardians: [{ ...NO_GUARDIAN }, { ...NO_GUARDIAN }], concern: "moderate", reason: "",
    leader: user.role === "family_unit" ? user.id : "", startAt: "", place: "", ids: newIds(2) };
}

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
  // One empty form per opening: its ids stay the same while it is shown.
  const [empty] = useState(() => blank(user));
  const draft = useKept<CourseDraft>(services.drafts, NEW_COURSE_DRAFT, empty);
  const form = draft.value;
  const { childId, first, last, birthDate, institution, guardians, concern, reason, leader, startAt, place, ids } = form;
  const change = (part: Partial<CourseDraft>) => draft.set({ ...draft.value, ...part });
  // Kept only here, in memory, until sent (never in the tablet's store: see data/openCourse.ts).
  const [cpr, setCpr] = useState("");
  const [guardianCprs, setGuardianCprs] = useState<string[]>(["", ""]);
  const [problem, setProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.get<Array<{ id: string; first_name: string; last_name: string }>>("/api/children")
      .then((rows) => setChildren(rows.map((c) => ({ id: c.id, name: `${c.first_name} ${c.last_name}` }))), () => setProblem(da.newCourse.needsNetwork));
    api.get<Option[]>("/api/institutions").then(setInstitutions, () => undefined);
    api.get<Array<{ user_id: string; name: string }>>("/api/staff/leaders")
      .then((rows) => setLeaders(rows.map((r) => ({ id: r.user_id, name: r.name }))), () => undefined);
  }, [api]);

  const setGuardian = (i: number, part: Partial<GuardianDraft>) =>
    change({ guardians: guardians.map((g, j) => (j === i ? { ...g, ...part } : g)) });

  async function create(event: Event) {
    event.preventDefault();
    const sent = { childId, first, last, cpr, birthDate, institution, concern, reason, leader, startAt, place,
      guardians: guardians.map((g, i) => ({ ...g, cpr: guardianCprs[i] ?? "" })) };
    const found = checkForm(sent, ids);
    setErrors(found);
    if (Object.keys(found).length) {
      setProblem(da.newCourse.missing);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const meetingId = await openCourse(api, sent, ids);
      void services.engine.syncNow(); // the new course comes with the next pull
      draft.clear(); // made: the form's draft goes
      onCreated(meetingId);
    } catch (error) {
      setProblem(error instanceof ApiError
        ? da.rejections[error.code] ?? (error.status >= 500 ? da.errors.server : da.newCourse.missing)
        : da.newCourse.needsNetwork);
    } finally {
      setBusy(false);
    }
  }

  const text = (id: string, label: string, entity: "child" | "guardian" | "course" | "meeting", field: string,
    value: string, set: (v: string) => void, multiline = false) => (
    <TextField id={id} label={label} entity={entity} field={field} value={value} error={errors[id]} multiline={multiline}
      onInput={(v) => { set(v); setErrors(({ [id]: _, ...rest }) => rest); }} />
  );
  const fieldError = (id: string) => errors[id] && <p id={`${id}-error`} class="field-error">{errors[id]}</p>;
  // A CPR number: no autocomplete or spelling help (a browser would keep what was typed).
  const cprField = (id: string, value: string, set: (v: string) => void) => (
    <>
      <label for={id}>{da.newCourse.cpr}</label>
      <input id={id} inputMode="numeric" autoComplete="off" spellcheck={false} value={value}
        aria-invalid={errors[id] ? true : undefined} aria-describedby={errors[id] ? `${id}-error` : undefined}
        onInput={(e) => { set(e.currentTarget.value); setErrors(({ [id]: _, ...rest }) => rest); }} />
      {fieldError(id)}
    </>
  );

  return (
    <form class="card new-course" onSubmit={(e) => void create(e)} aria-labelledby="new-course-heading">
      <h2 id="new-course-heading">{da.newCourse.heading}</h2>
      <label for="nc-child">{da.newCourse.child}</label>
      <select id="nc-child" value={childId} onChange={(e) => change({ childId: e.currentTarget.value })}>
        <option value="new">{da.newCourse.newChild}</option>
        {children.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
      </select>
      {childId === "new" && (
        <>
          {text("nc-first", da.newCourse.firstName, "child", "first_name", first, (v) => change({ first: v }))}
          {text("nc-last", da.newCourse.lastName, "child", "last_name", last, (v) => change({ last: v }))}
          <label for="nc-birth">{da.newCourse.birthDate}</label>
          <input id="nc-birth" type="date" value={birthDate} aria-required="true"
            aria-invalid={errors["nc-birth"] ? true : undefined} aria-describedby={errors["nc-birth"] ? "nc-birth-error" : undefined}
            onInput={(e) => { change({ birthDate: e.currentTarget.value }); setErrors(({ "nc-birth": _, ...rest }) => rest); }} />
          {fieldError("nc-birth")}
          {cprField("nc-cpr", cpr, setCpr)}
          <label for="nc-inst">{da.newCourse.institution}</label>
          <select id="nc-inst" value={institution} onChange={(e) => change({ institution: e.currentTarget.value })}>
            <option value="">–</option>
            {institutions.map((i) => <option key={i.id} value={i.id}>{i.name}</option>)}
          </select>
          {fieldError("nc-inst")}
          {guardians.map((g, i) => (
            <fieldset key={i}>
              <legend>{da.newCourse.guardian(i + 1)}</legend>
              {text(`nc-g${i}-name`, da.newCourse.guardianName, "guardian", "name", g.name, (v) => setGuardian(i, { name: v }))}
              {text(`nc-g${i}-rel`, da.newCourse.relation, "guardian", "relation", g.relation, (v) => setGuardian(i, { relation: v }))}
              {text(`nc-g${i}-email`, da.newCourse.email, "guardian", "email", g.email, (v) => setGuardian(i, { email: v }))}
              {cprField(`nc-g${i}-cpr`, guardianCprs[i] ?? "", (v) => setGuardianCprs(guardianCprs.map((c, j) => (j === i ? v : c))))}
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
            <input type="radio" name="concern" value={value} checked={concern === value} onChange={() => change({ concern: value })} />
            {label}
          </label>
        ))}
      </fieldset>
      {text("nc-reason", da.newCourse.reason, "course", "reason", reason, (v) => change({ reason: v }), true)}
      <label for="nc-leader">{da.newCourse.leader}</label>
      <select id="nc-leader" value={leader} onChange={(e) => change({ leader: e.currentTarget.value })}>
        <option value="">–</option>
        {leaders.map((l) => <option key={l.id} value={l.id}>{l.name}</option>)}
      </select>
      {fieldError("nc-leader")}
      <label for="nc-start">{da.newCourse.startAt}</label>
      <input id="nc-start" type="datetime-local" value={startAt} onInput={(e) => change({ startAt: e.currentTarget.value })} />
      {fieldError("nc-start")}
      {text("nc-place", da.newCourse.place, "meeting", "place", place, (v) => change({ place: v }))}
      {problem && <p role="alert" class="error">{problem}</p>}
      {draft.kept && <p id="nc-kept" class="field-kept">{da.drafts.kept}</p>}
      <button type="submit" disabled={busy}>{da.newCourse.create}</button>
      <button type="button" class="secondary" onClick={() => { draft.clear(); onCancel(); }}>{da.newCourse.cancel}</button>
    </form>
  );
}
