import { useState } from "preact/hooks";

import type { User } from "../api/auth";
import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { Overview as Facts } from "../data/queries";
import { isOverdue } from "../domain/overview";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { TickBox } from "./Choice";
import { dateLong } from "./format";
import { offerUndo } from "./undo";
import { UndoBar } from "./UndoBar";
import { useWrite } from "./useWrite";
import { ProblemList } from "./Problems";
import { useScrollToHash } from "./scroll";

const EMPTY: Facts = { tasks: [], consents: [], unpublished: [], limits: [], awaiting: [] };
const NO_PROBLEMS: PlaceProblems = { all: [], byRecord: new Map(), loose: [] };

/** The start page's overview for the signed-in role, from the tablet's own data (offline). */
export function Overview({ services, user, onOpen }: { services: Services; user: User;
  onOpen: (meetingId: string) => void }) {
  const { read, write } = services;
  const tick = useWrite();
  const facts = useLive(() => read.overview(user), [read, user], EMPTY);
  // Changes made here (a task ticked off) that did not get through: shown here.
  const problems = useLive(() => read.problems(null), [read], NO_PROBLEMS);
  useScrollToHash([facts, problems]);
  const today = new Date();
  // Said here, not in the list: the handed-over course leaves the list at the next pull.
  const [notice, setNotice] = useState<string | null>(null);
  /** A ticked task leaves the list: one tap on "Fortryd" brings it back. */
  async function complete(taskId: string) {
    if (await tick.run(() => write.completeTask(taskId))) {
      offerUndo({ message: da.undo.taskDone, undone: da.undo.taskBack, undo: () => write.reopenTask(taskId) });
    }
  }
  return (
    <>
      <UndoBar />
      {notice && <p role="status" class="notice">{notice}</p>}
      {problems.all.length > 0 && (
        <section class="problems" aria-labelledby="home-problems-heading">
          <h2 id="home-problems-heading">{da.refusal.heading}</h2>
          <ProblemList services={services} problems={problems.all} showText />
        </section>
      )}
      <section aria-labelledby="tasks-heading">
        <h2 id="tasks-heading">{da.overview.tasks}</h2>
        {facts.tasks.length === 0 && <p class="hint">{da.overview.noTasks}</p>}
        <ActionError state={tick} />
        <ul class="tasks">
          {facts.tasks.map(({ task, child, meeting }) => {
            const due = task.fields.due_date;
            return (
              <li key={task.id} id={`item-${task.id}`}>
                <div class="ticked-item">
                  <TickBox textId={`task-${task.id}`} word={da.meetingScreen.doneTick}>
                    {(labelledBy) => <input type="checkbox" aria-labelledby={labelledBy}
                      onChange={() => void complete(task.id)} />}
                  </TickBox>
                  <span id={`task-${task.id}`} class="item-text">{child}: {task.fields.title}</span>
                </div>
                {meeting && <span class="hint task-meeting">{da.tasks.fromMeeting(meeting.number,
                  da.meetings.kinds[meeting.kind] ?? "", dateLong(meeting.startsAt))}</span>}
                {due && <span class="hint"> {da.overview.due(dateLong(due))}</span>}
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
                {da.overview.unpublishedItem(child, da.meetings.kinds[meeting.fields.kind] ?? "")}
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
              {user.role === "family_unit" && <HandOver services={services} courseId={course.id} onDone={setNotice} />}
            </li>
          ))}</ul>
        </section>
      )}
    </>
  );
}

/** Recording the hand-over acts on the server at once; the course then syncs as closed. */
function HandOver({ services, courseId, onDone }: { services: Services; courseId: string;
  onDone: (notice: string) => void }) {
  const [message, setMessage] = useState<string | null>(null);
  async function handOver() {
    try {
      await services.api.post(`/api/courses/${courseId}/hand-over`);
      onDone(da.overview.handedOver);
      void services.engine.syncNow(); // the closed course comes with the next pull
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
