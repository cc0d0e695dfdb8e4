import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { Stored } from "../data/records";
import { type ScalingView, seriesOf } from "../data/story";
import type { Answerer } from "../data/writes";
import { scalingAnswerId } from "../domain/ids";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { ProblemList } from "./Problems";
import { ScalingChart } from "./ScalingChart";
import { useWrite } from "./useWrite";
import { ParentsSee } from "./ParentsSee";

const EMPTY: ScalingView = { meetings: [], answers: [], childName: "" };
const VALUES = Array.from({ length: 11 }, (_, i) => i);

/** The scaling question (Signs of Safety), asked of everyone at the table, and the answers of
 * the whole course as a chart, so the family sees whether things move. */
export function Scaling({ services, meeting, problems }: {
  services: Services; meeting: Stored<"meeting">; problems: PlaceProblems;
}) {
  const courseId = meeting.fields.course_id;
  const view = useLive(() => services.read.scaling(courseId), [services.read, courseId], EMPTY);
  const people = useLive(() => services.read.children("participant", meeting.id), [services.read, meeting.id],
    [] as Stored<"participant">[]);
  const state = useWrite();
  const mine = new Map(view.answers.filter((a) => a.fields.meeting_id === meeting.id).map((a) => [a.id, a]));
  const askers: Answerer[] = people.map((p) => ({ participantId: p.id, name: p.fields.name, role: p.fields.role }));
  // The child answers too: told beforehand by staff when the child is not at the table.
  if (!askers.some((a) => a.role === "child")) askers.push({ participantId: null, name: view.childName, role: "child" });
  const current = view.meetings.findIndex((m) => m.id === meeting.id);
  return (
    <section aria-labelledby="scaling-heading">
      <h2 id="scaling-heading">{da.scaling.heading}</h2>
      <ParentsSee part="scaling" />
      <p class="question">{da.scaling.question(view.childName)}</p>
      <p class="hint">{da.scaling.intro}</p>
      {people.length === 0 && <p class="hint">{da.scaling.noParticipants}</p>}
      <ul class="scaling">
        {askers.map((who) => {
          const id = scalingAnswerId(meeting.id, who.participantId ?? "child");
          const answer = mine.get(id);
          const label = who.participantId ? who.name : da.scaling.child(who.name);
          return (
            <li key={id} id={answer ? `item-${id}` : undefined}>
              <label for={`scale-${id}`}>{label}</label>
              <select id={`scale-${id}`} aria-label={da.scaling.answerOf(label)}
                value={answer ? String(answer.fields.value) : ""}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  void state.run(() => services.write.setScaling(meeting.id, who, value === "" ? null : Number(value)));
                }}>
                <option value="">{da.scaling.none}</option>
                {VALUES.map((v) => <option key={v} value={String(v)}>{v}</option>)}
              </select>
              {answer && <ProblemList services={services} problems={problems.byRecord.get(id)} />}
            </li>
          );
        })}
      </ul>
      <ActionError state={state} />
      <h3>{da.scaling.chart}</h3>
      <ScalingChart series={seriesOf(view)} meetings={view.meetings.length} childName={view.childName} current={current} />
    </section>
  );
}
