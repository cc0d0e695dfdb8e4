import { useState } from "preact/hooks";

import type { Services } from "../app/services";
import type { Stored } from "../data/records";
import type { FinishPlan, Timing } from "../domain/finishing";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { when } from "./format";
import { useWrite } from "./useWrite";

/** What comes after the meeting, as chosen on the screen. */
export interface After {
  end: boolean; // the course ends with this meeting
  next: string; // the next meeting's time (a datetime-local value)
  closing: boolean; // the next meeting is the closing one
}

/** Meet again (the next date, the closing tick) or end the course with this meeting. The
 * fifth meeting, and one with no room left in the six months, can only end it. */
export function AfterMeeting({ plan, after, invalid, onChange }: {
  plan: FinishPlan; after: After; invalid: boolean; onChange: (after: After) => void;
}) {
  if (plan.closing) return <p class="hint">{da.story.closing}</p>;
  if (plan.mustEnd) {
    return (
      <p class="warning">
        {plan.number >= 5 ? da.story.mustEndFifth
          : da.story.mustEndWindow(plan.latestNext ? when(plan.latestNext.toISOString()) : "")}
        {plan.later.length > 0 && ` ${da.story.cancels(plan.later.length)}`}
      </p>
    );
  }
  return (
    <fieldset>
      <legend>{da.story.after}</legend>
      <label class="choice">
        <input type="radio" name="after-meeting" checked={!after.end} onChange={() => onChange({ ...after, end: false })} />
        {da.story.meetAgain}
      </label>
      {!after.end && (
        <div class="indented">
          <label for="next-meeting">{da.meeting.nextMeeting}</label>
          <input id="next-meeting" type="datetime-local" value={after.next} aria-invalid={invalid ? "true" : undefined}
            max={plan.latestNext ? toLocalInput(plan.latestNext) : undefined}
            onInput={(e) => onChange({ ...after, next: e.currentTarget.value })} />
          {plan.latestNext && <p class="hint">{da.story.latestNext(when(plan.latestNext.toISOString()))}</p>}
          <label class="choice">
            <input type="checkbox" checked={after.closing || plan.nextMustClose} disabled={plan.nextMustClose}
              onChange={(e) => onChange({ ...after, closing: e.currentTarget.checked })} />
            {da.meeting.nextIsClosing}
          </label>
          {plan.nextMustClose && <p class="hint">{da.story.nextMustClose}</p>}
        </div>
      )}
      {plan.mayEnd && (
        <>
          <label class="choice">
            <input type="radio" name="after-meeting" checked={after.end} onChange={() => onChange({ ...after, end: true })} />
            {da.story.endCourse}
          </label>
          {after.end && (
            <p class="hint indented">
              {da.story.endCourseHint}{plan.later.length > 0 && ` ${da.story.cancels(plan.later.length)}`}
            </p>
          )}
        </>
      )}
    </fieldset>
  );
}

/** Asked before a meeting is finished far from its planned time: it could be the wrong meeting. */
export function TimingQuestion({ timing, planned, now, onConfirm, onCancel }: {
  timing: Timing; planned: string; now: Date; onConfirm: () => void; onCancel: () => void;
}) {
  if (timing.kind === "on_time") return null;
  const said = timing.kind === "early" ? da.story.early(when(planned), timing.days) : da.story.late(when(planned), timing.days);
  return (
    <div class="warning" role="alert">
      <p>{said} {da.story.recorded(when(now.toISOString()))}</p>
      <button type="button" onClick={onConfirm}>{da.story.confirm}</button>
      <button type="button" class="secondary" onClick={onCancel}>{da.story.cancel}</button>
    </div>
  );
}

/** The last meeting was finished but the next one is missing (made elsewhere, or refused):
 * plan it here, so a course never waits without a way on. */
export function PlanNext({ services, meeting, plan }: { services: Services; meeting: Stored<"meeting">; plan: FinishPlan }) {
  const [at, setAt] = useState("");
  const [closing, setClosing] = useState(false);
  const state = useWrite();
  return (
    <div class="warning">
      <p>{da.story.noNext}</p>
      <label for="plan-next">{da.story.nextAt}</label>
      <input id="plan-next" type="datetime-local" value={at} onInput={(e) => { setAt(e.currentTarget.value); state.clear(); }} />
      <label class="choice">
        <input type="checkbox" checked={closing || plan.nextMustClose} disabled={plan.nextMustClose}
          onChange={(e) => setClosing(e.currentTarget.checked)} />
        {da.meeting.nextIsClosing}
      </label>
      <button type="button" disabled={!at}
        onClick={() => void state.run(() => services.write.planNextMeeting(meeting.id, new Date(at).toISOString(), closing))}>
        {da.story.planNext}
      </button>
      <ActionError state={state} />
    </div>
  );
}

/** A moment as the value of a datetime-local input (local time, minutes). */
export function toLocalInput(value: unknown): string {
  if (value === null || value === undefined || value === "") return "";
  const d = new Date(value instanceof Date ? value.getTime() : String(value));
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
