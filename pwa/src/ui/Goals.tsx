import { useState } from "preact/hooks";

import { useLive } from "../app/live";
import type { Services } from "../app/services";
import { type GoalsView, goalSeries } from "../data/goals";
import type { PlaceProblems } from "../data/problems";
import type { Stored } from "../data/records";
import type { Answerer } from "../data/writes";
import { pairRefusal } from "../domain/goals";
import { goalScoreId } from "../domain/ids";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { Check, TickBox } from "./Choice";
import { dateLong } from "./format";
import { ParentsSee } from "./ParentsSee";
import { ProblemList } from "./Problems";
import { ScalingChart } from "./ScalingChart";
import { offerUndo } from "./undo";
import { useWrite } from "./useWrite";

const EMPTY: GoalsView = { meetings: [], goals: [], worries: [], wishes: [] };
const VALUES = Array.from({ length: 11 }, (_, i) => i);

/** Each worry paired with a goal (Signs of Safety), and the goal's own 0-10 scale: asked of
 * everyone at this meeting, drawn across the course beside the overall scaling question. */
export function Goals({ services, meeting, problems, childName }: {
  services: Services; meeting: Stored<"meeting">; problems: PlaceProblems; childName: string;
}) {
  const courseId = meeting.fields.course_id;
  const view = useLive(() => services.read.goals(courseId), [services.read, courseId], EMPTY);
  const people = useLive(() => services.read.children("participant", meeting.id), [services.read, meeting.id],
    [] as Stored<"participant">[]);
  const state = useWrite();
  const [worry, setWorry] = useState("");
  const [wish, setWish] = useState("");
  // The choice of notes is shown on request: its options repeat every note's text, which the
  // board already shows (and a search of the page for a note would find twice).
  const [pairing, setPairing] = useState(false);
  const askers: Answerer[] = people.map((p) => ({ participantId: p.id, name: p.fields.name, role: p.fields.role }));
  if (!askers.some((a) => a.role === "child")) askers.push({ participantId: null, name: childName, role: "child" });
  const current = view.meetings.findIndex((m) => m.id === meeting.id);
  // The shared rule (domain/goals.ts): the lists hold only notes of the course's meetings
  // in each column, so this holds; asked all the same, as the server will. A note's course is
  // its meeting's (a note made offline has no course_id until the server derives it).
  const noteState = (id: string) => {
    const n = [...view.worries, ...view.wishes].find((x) => x.id === id);
    const ours = n && view.meetings.some((m) => m.id === n.fields.meeting_id);
    return n && { courseId: ours ? courseId : "", column: n.fields.column, deleted: n.deleted };
  };
  const canPair = worry !== "" && wish !== ""
    && pairRefusal(courseId, { worry_note_id: noteState(worry), goal_note_id: noteState(wish) }) === null;
  async function unpair(pairId: string) {
    let undo: Awaited<ReturnType<typeof services.write.unpairGoal>> | null = null;
    if (await state.run(async () => { undo = await services.write.unpairGoal(pairId); }) && undo) {
      const taken = undo;
      offerUndo({ message: da.undo.goalUnpaired, undone: da.undo.goalBack, takeFocus: false,
        focusAfter: `#item-${CSS.escape(pairId)}`, undo: () => services.write.undo(taken) });
    }
  }
  return (
    <section aria-labelledby="goals-heading">
      <h2 id="goals-heading">{da.goals.heading}</h2>
      <ParentsSee part="goals" />
      <p class="hint">{da.goals.intro}</p>
      {view.worries.length === 0 || view.wishes.length === 0 ? <p class="hint">{da.goals.noNotes}</p> : !pairing ? (
        <button type="button" onClick={() => setPairing(true)}>{da.goals.start}</button>
      ) : (
        <form class="goal-pairing" onSubmit={(e) => {
          e.preventDefault();
          if (!canPair) return;
          void state.run(() => services.write.pairGoal(courseId, worry, wish, meeting.id)).then((kept) => {
            if (kept) { setWorry(""); setWish(""); setPairing(false); }
          });
        }}>
          <label for="goal-worry">{da.goals.worry}</label>
          <select id="goal-worry" value={worry} onChange={(e) => setWorry(e.currentTarget.value)}>
            <option value="">{da.goals.choose}</option>
            {view.worries.map((n) => <option key={n.id} value={n.id}>{n.fields.text}</option>)}
          </select>
          <label for="goal-wish">{da.goals.goal}</label>
          <select id="goal-wish" value={wish} onChange={(e) => setWish(e.currentTarget.value)}>
            <option value="">{da.goals.choose}</option>
            {view.wishes.map((n) => <option key={n.id} value={n.id}>{n.fields.text}</option>)}
          </select>
          <button type="submit" disabled={!canPair}>{da.goals.pair}</button>
          <button type="button" class="secondary" onClick={() => setPairing(false)}>{da.goals.cancel}</button>
        </form>
      )}
      <ActionError state={state} />
      {view.goals.length === 0 && <p class="hint">{da.goals.none}</p>}
      {view.goals.map(({ pair, worry: w, goal, scores }) => {
        const mine = new Map(scores.filter((s) => s.fields.meeting_id === meeting.id).map((s) => [s.id, s]));
        const reachedAt = pair.fields.reached_at ?? null;
        return (
          <article key={pair.id} class="goal" id={`item-${pair.id}`} aria-labelledby={`goal-${pair.id}`}>
            <h3 id={`goal-${pair.id}`}>{goal.fields.text}</h3>
            <p class="hint">{da.goals.worryIs(w.fields.text)}</p>
            <ProblemList services={services} problems={problems.byRecord.get(pair.id)} />
            <TickBox textId={`goal-${pair.id}`} word={da.goals.reached}>
              {(labelledBy) => <Check labelledBy={labelledBy} stored={reachedAt !== null}
                write={(reached) => state.run(() => services.write.markGoalReached(pair.id, reached, meeting.id))} />}
            </TickBox>
            {reachedAt && <p class="hint">{da.goals.reachedOn(dateLong(reachedAt))}</p>}
            <ul class="scaling">
              {askers.map((who) => {
                const id = goalScoreId(meeting.id, pair.id, who.participantId ?? "child");
                const score = mine.get(id);
                const label = who.participantId ? who.name : da.scaling.child(who.name);
                return (
                  <li key={id} id={score ? `item-${id}` : undefined}>
                    <label for={`goal-score-${id}`}>{label}</label>
                    <select id={`goal-score-${id}`} aria-label={da.goals.scoreOf(goal.fields.text, label)}
                      value={score ? String(score.fields.value) : ""}
                      onChange={(e) => {
                        const value = e.currentTarget.value;
                        void state.run(() => services.write.setGoalScore(meeting.id, pair.id, who,
                          value === "" ? null : Number(value)));
                      }}>
                      <option value="">{da.scaling.none}</option>
                      {VALUES.map((v) => <option key={v} value={String(v)}>{v}</option>)}
                    </select>
                    {score && <ProblemList services={services} problems={problems.byRecord.get(id)} />}
                  </li>
                );
              })}
            </ul>
            <ScalingChart series={goalSeries(view.meetings, scores)} meetings={view.meetings.length}
              childName={childName} current={current} id={`goal-${pair.id}-chart`}
              label={da.goals.chartLabel(goal.fields.text)} caption={da.goals.chart} />
            <button type="button" class="secondary" onClick={() => void unpair(pair.id)}>
              {da.goals.unpair}
            </button>
          </article>
        );
      })}
    </section>
  );
}
