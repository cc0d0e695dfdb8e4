import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { Stored } from "../data/records";
import type { SinceLast as Data } from "../data/story";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { useChoice } from "./Choice";
import { ProblemList } from "./Problems";
import { useWrite } from "./useWrite";
import { ParentsSee } from "./ParentsSee";

const NOTHING: Data = { previous: undefined, lastBoard: [], agreements: [], carried: new Map(), carriedPeople: 0 };

/** The top of a follow-up: what we wanted to see happen, and the last meeting's agreements
 * reviewed one by one — done, not done, or carried on as a new agreement of this meeting. */
export function SinceLast({ services, meeting, problems }: {
  services: Services; meeting: Stored<"meeting">; problems: PlaceProblems;
}) {
  const data = useLive(() => services.read.sinceLast(meeting.id), [services.read, meeting.id], NOTHING);
  if (!data.previous) return null;
  const finished = meeting.fields.status === "finished";
  return (
    <section aria-labelledby="since-last-heading" class="since-last">
      <h2 id="since-last-heading">{da.story.review}</h2>
      <ParentsSee part="review" />
      {data.lastBoard.length > 0 && (
        <>
          <h3>{da.story.lastBoard}</h3>
          <ul>{data.lastBoard.map((n) => <li key={n.id}>{n.fields.text}</li>)}</ul>
        </>
      )}
      {data.agreements.length === 0 ? <p class="hint">{da.story.noReview}</p> : (
        <>
          <p class="hint">{da.story.reviewIntro}</p>
          <ul class="review">
            {data.agreements.map((a) => (
              <Review key={a.id} services={services} agreement={a} meetingId={meeting.id} disabled={finished}
                problems={problems} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function Review({ services, agreement, meetingId, disabled, problems }: {
  services: Services; agreement: Stored<"agreement">; meetingId: string; disabled: boolean; problems: PlaceProblems;
}) {
  const state = useWrite();
  const f = agreement.fields;
  const [outcome, chooseOutcome] = useChoice<string | null>(f.outcome ?? null);
  const owner = da.meeting.owners[f.owner] ?? "";
  function choose(value: string) {
    chooseOutcome(value, () => state.run(() => value === "carried_on"
      ? services.write.carryOnAgreement(agreement.id, meetingId)
      : services.write.reviewAgreement(agreement.id, value as "done" | "not_done", meetingId)));
  }
  return (
    <li id={`item-${agreement.id}`}>
      <fieldset disabled={disabled}>
        <legend>{f.what} <span class="hint">– {owner}</span></legend>
        {Object.entries(da.story.outcomes).map(([value, label]) => (
          <label key={value} class="choice">
            <input type="radio" name={`review-${agreement.id}`} value={value} checked={outcome === value}
              onChange={() => choose(value)} />
            {label}
          </label>
        ))}
        {outcome === null && <span class="hint">{da.story.notReviewed}</span>}
      </fieldset>
      <ActionError state={state} />
      <ProblemList services={services} problems={problems.byRecord.get(agreement.id)} />
    </li>
  );
}
