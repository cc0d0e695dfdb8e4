import { useEffect, useState } from "preact/hooks";

import { useChildren } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import { meetingState } from "../data/courseState";
import type { MeetingEdit } from "../data/writes";
import type { Stored } from "../data/records";
import { finishPlan, finishTiming, type Timing } from "../domain/finishing";
import { da } from "../i18n/da";
import { Check, useChoice } from "./Choice";
import { type After, AfterMeeting, PlanNext, TimingQuestion, toLocalInput } from "./FinishNext";
import { when } from "./format";
import { ParentsSee } from "./ParentsSee";
import { ProblemList } from "./Problems";
import { TextField } from "./TextField";
import { useKept } from "./useKept";
import { useWrite } from "./useWrite";

/** The child's participation, minutes, underretning, the next date, and "Afslut mødet". */
export function Finish({ services, meeting, meetings, courseStatus, problems }: {
  services: Services; meeting: Stored<"meeting">; meetings: Stored<"meeting">[]; courseStatus: string;
  problems: PlaceProblems;
}) {
  const { read, write } = services;
  const f = meeting.fields;
  const minutes = useChildren(read, "minutes", meeting.id)[0];
  const plan = finishPlan({ status: courseStatus, meetings: meetings.map(meetingState) }, meeting.id);
  const [after, setAfter] = useState<After>({ end: false, next: toLocalInput(f.next_meeting_at), closing: false });
  const [question, setQuestion] = useState<{ timing: Timing; now: Date } | null>(null);
  const perspective = useDraft(services, `perspective:${meeting.id}`, f.child_perspective ?? "");
  const note = useDraft(services, `underretning:${meeting.id}`, f.underretning_note ?? "");
  const finishing = useWrite();
  const editing = useWrite();
  const finished = f.status === "finished";
  const [participation, chooseParticipation] = useChoice<string | null>(f.child_participation ?? null);

  const save = (fields: MeetingEdit) => editing.run(() => write.updateMeeting(meeting.id, fields));
  const saveDraft = async (draft: Draft, fields: MeetingEdit) => {
    if (draft.dirty && await save(fields)) draft.saved();
  };

  /** Finishing a meeting on another day than its own is asked about first (issue 12). */
  function ask() {
    const now = new Date();
    const timing = finishTiming(f.starts_at, now);
    if (timing.kind === "on_time") void finish(now);
    else setQuestion({ timing, now });
  }

  async function finish(now: Date) {
    setQuestion(null);
    const ends = plan.closing || plan.mustEnd || after.end;
    const next = ends ? null : { at: after.next ? new Date(after.next).toISOString() : null,
      closing: after.closing || plan.nextMustClose };
    const edits: MeetingEdit = {};
    if (perspective.dirty) edits.child_perspective = perspective.text;
    if (note.dirty) edits.underretning_note = note.text;
    if (await finishing.run(() => write.finishMeeting(meeting.id, { next, heldAt: now.toISOString() }, edits))) {
      perspective.saved();
      note.saved();
    }
  }

  const errors = { ...editing.errors, ...finishing.errors };
  const said = Object.values(finishing.errors);
  return (
    <section id={`item-${meeting.id}`} aria-labelledby="finishing-heading">
      <h2 id="finishing-heading">{da.meeting.finishing}</h2>
      <ProblemList services={services} problems={problems.byRecord.get(meeting.id)} />
      <fieldset disabled={finished} aria-describedby={errors["child_participation"] ? "participation-error" : undefined}>
        <legend>{da.meeting.childParticipation}</legend>
        <ParentsSee part="participation" />
        {Object.entries(da.meeting.participation).map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name="participation" value={value}
              checked={participation === value}
              onChange={() => chooseParticipation(value, () => save({
                child_participation: value as NonNullable<MeetingEdit["child_participation"]> }))} />
            {label}
          </label>
        ))}
        {errors["child_participation"] && <p id="participation-error" class="field-error">{errors["child_participation"]}</p>}
      </fieldset>
      {f.child_participation && f.child_participation !== "whole" && (
        <TextField id="perspective" label={da.meeting.childPerspective} multiline disabled={finished}
          entity="meeting" field="child_perspective" value={perspective.text} error={errors["child_perspective"]} kept={perspective.kept}
          onInput={perspective.edit} onBlur={() => void saveDraft(perspective, { child_perspective: perspective.text })} />
      )}
      <Minutes services={services} meetingId={meeting.id} minutes={minutes} problems={problems} />
      <label class="choice">
        <Check disabled={finished} stored={f.underretning ?? false} write={(v) => save({ underretning: v })} />
        {da.meeting.underretning}
      </label>
      {f.underretning && (
        <TextField id="underretning-note" label={da.meeting.underretningNote} multiline disabled={finished}
          entity="meeting" field="underretning_note" value={note.text} error={errors["underretning_note"]} kept={note.kept}
          onInput={note.edit} onBlur={() => void saveDraft(note, { underretning_note: note.text })} />
      )}
      {!finished && <ParentsSee part="next" />}
      {!finished && (
        <AfterMeeting plan={plan} after={after} invalid={Boolean(errors["next_meeting_at"] || errors["starts_at"])}
          onChange={(a) => { setAfter(a); finishing.clear(); }} />
      )}
      {said.length > 0 && (
        <div role="alert" class="error">
          <p>{da.meeting.missing}</p>
          <ul>{[...new Set(said)].map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      )}
      {question && (
        <TimingQuestion timing={question.timing} planned={f.starts_at} now={question.now}
          onConfirm={() => void finish(question.now)} onCancel={() => setQuestion(null)} />
      )}
      {finished ? (
        <>
          <p>{da.meeting.finished}{f.held_at ? ` ${da.story.heldAt(when(f.held_at))}` : ""}</p>
          {plan.number === meetings.length && !plan.closing && courseStatus !== "closed" && courseStatus !== "handed_over" && (
            <PlanNext services={services} meeting={meeting} plan={plan} />
          )}
        </>
      ) : !question && (
        <button type="button" onClick={ask}>{da.meeting.finish}</button>
      )}
    </section>
  );
}

/** Written minutes: kept as typed, saved when the field is left; a refusal keeps the text. */
function Minutes({ services, meetingId, minutes, problems }: {
  services: Services; meetingId: string; minutes: Stored<"minutes"> | undefined; problems: PlaceProblems;
}) {
  const draft = useDraft(services, `minutes:${meetingId}`, minutes?.fields.text ?? "");
  const { errors, run } = useWrite();
  async function commit() {
    if (draft.dirty && await run(() => services.write.saveMinutes(meetingId, draft.text))) draft.saved();
  }
  return (
    <div id={minutes ? `item-${minutes.id}` : undefined}>
      <ParentsSee part="minutes" />
      <TextField id="minutes" label={da.meeting.minutes} multiline entity="minutes" field="text" value={draft.text}
        kept={draft.kept} error={errors["text"] ?? errors["*"]} onInput={draft.edit} onBlur={() => void commit()} />
      {minutes && <ProblemList services={services} problems={problems.byRecord.get(minutes.id)} />}
    </div>
  );
}

export interface Draft {
  text: string;
  dirty: boolean;
  kept: boolean;
  edit: (text: string) => void;
  saved: () => void;
}

/** Text being typed: follows the stored value until the user types, then keeps theirs, as
 * a draft on the device (a reload or a crashed tab before the field is left loses nothing). */
export function useDraft(services: Services, key: string, stored: string): Draft {
  const draft = useKept<string | null>(services.drafts, key, null);
  // Just saved: the typed text stays until the stored value has come back changed.
  const [saved, setSaved] = useState<string | null>(null);
  useEffect(() => setSaved(null), [stored]);
  return {
    text: draft.value ?? saved ?? stored,
    dirty: draft.value !== null,
    kept: draft.kept,
    edit: (t) => draft.set(t),
    saved: () => { setSaved(draft.value); draft.clear(); },
  };
}
