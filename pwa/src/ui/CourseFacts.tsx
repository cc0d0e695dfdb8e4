import { useState } from "preact/hooks";

import { ApiError } from "../api/client";
import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { Stored } from "../data/records";
import { courseLimits, missingConsents } from "../domain/overview";
import { mayWrite } from "../contract/check";
import { da } from "../i18n/da";
import { dateLong, when } from "./format";
import { Letters } from "./Letters";
import { ActionError } from "./ActionError";
import { Confirm } from "./Confirm";
import { useWrite } from "./useWrite";

/** At the top of a meeting: the course's status, its limits, and whose consent is missing. */
export function CourseFacts({ services, meeting }: { services: Services; meeting: Stored<"meeting"> }) {
  const { read } = services;
  const courseId = meeting.fields.course_id;
  const view = useLive(() => read.course(courseId), [read, courseId], undefined);
  const user = useLive(() => read.user(), [read], undefined);
  const action = useWrite();
  const [asking, setAsking] = useState<{ id: string; name: string; label: string } | null>(null);
  if (!view?.course) return null;
  const { course, child, meetings, guardians, consents } = view;
  const name = child?.fields.first_name ?? "";
  const limits = courseLimits(meetings.map((m) => m.fields.starts_at), new Date());
  const custody = guardians.filter((g) => g.fields.has_custody !== false)
    .map(({ id, fields: g }) => ({ id, name: g.name, hasCustody: true,
      label: g.relation ? `${g.name} (${g.relation})` : g.name }));
  const missing = new Set(missingConsents(custody, consents.map((c) => ({
    guardianId: c.fields.guardian_id, status: c.fields.status }))).map((g) => g.id));
  // A course made here has no status until the server's copy comes: it starts active.
  const status = course.fields.status ?? "active";
  return (
    <section aria-label={da.course.consent} class="course-facts">
      {/* Said first, before anything is written on the board: without consent nothing about
          the child may be shared across the table (issue 23). */}
      {missing.size > 0 && status === "active" && (
        <div class="consent-block" role="note" aria-labelledby="consent-missing-heading">
          <h3 id="consent-missing-heading">{da.meetingScreen.consentHeading}</h3>
          <p>{da.meetingScreen.consentMissingFrom(custody.filter((g) => missing.has(g.id)).map((g) => g.label).join(", "))}</p>
          <p>{da.meetingScreen.consentBlocks}</p>
        </div>
      )}
      {status !== "active" && <p class="warning"><strong>{da.course.status[status] ?? status}</strong></p>}
      {status === "active" && limits.fourthOrLater && <p class="warning">{da.overview.fourth(name, limits.meetings)}</p>}
      {status === "active" && limits.lessThanAMonthLeft && limits.windowEnd && (
        <p class="warning">{da.overview.monthLeft(name, dateLong(limits.windowEnd))}</p>
      )}
      <p>
        <strong>{da.course.consent}: </strong>
        {custody.map((g, i) => (
          <span key={g.id} class={missing.has(g.id) ? "error" : ""}>
            {i > 0 ? " · " : ""}{missing.has(g.id) ? da.course.consentMissing(g.name) : da.course.consentGranted(g.name)}
          </span>
        ))}
      </p>
      {status === "active" && mayWrite("consent", user?.role) && custody.filter((g) => missing.has(g.id)).map((g) => (
        <button key={g.id} type="button" class="secondary" onClick={() => setAsking(g)}>
          {da.course.consentRecord(g.name)}
        </button>
      ))}
      {/* Consent recorded at the table is the parent's word given in person: say whose, and to
          what, and wait for a second tap. */}
      <Confirm open={asking !== null} title={da.confirm.consentTitle(asking?.name ?? "")} confirm={da.confirm.consent}
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          const guardian = asking;
          setAsking(null);
          if (guardian) void action.run(() => services.write.recordConsent(courseId, guardian.id, meeting.id));
        }}>
        <p>{da.confirm.consentBody(asking?.label ?? "", name, dateLong(new Date()))}</p>
      </Confirm>
      <ActionError state={action} />
    </section>
  );
}

/** Before a meeting: its agenda letter, and sending it to the parents (family unit, online). */
export function Agenda({ services, meeting }: { services: Services; meeting: Stored<"meeting"> }) {
  const user = useLive(() => services.lastUser(), [services], undefined);
  const [message, setMessage] = useState<string | null>(null);
  const [sendings, setSendings] = useState(0);
  const sentAt = useLive(() => services.agendaSentAt(meeting.id), [services, meeting.id], undefined);
  const [asking, setAsking] = useState(false);
  if (meeting.fields.status === "finished") return null;
  async function send() {
    setAsking(false);
    try {
      const answer = await services.api.post<{ sent: number }>(`/api/meetings/${meeting.id}/agenda/send`);
      await services.agendaSent(meeting.id, new Date().toISOString());
      setMessage(da.course.agendaSent(answer.sent));
      setSendings((n) => n + 1);
      void services.engine.syncNow(); // the consent requests it made come with the next pull
    } catch (error) {
      // A refusal the server gave (a letter that cannot be made: document_failed) in
      // Danish; no answer at all means no network.
      setMessage(error instanceof ApiError
        ? da.rejections[error.code] ?? (error.status >= 500 ? da.errors.server : da.errors.unknown)
        : da.errors.offline);
    }
  }
  return (
    <section aria-labelledby="agenda-heading">
      <h2 id="agenda-heading">{da.course.agenda}</h2>
      <p><a href={`/api/meetings/${meeting.id}/agenda.pdf`} target="_blank" rel="noopener">{da.course.agendaPdf}</a></p>
      {user?.role === "family_unit" && (
        // A second letter to the parents is asked about first, with when the last one went.
        <button type="button" class="secondary" onClick={() => (sentAt ? setAsking(true) : void send())}>
          {da.course.agendaSend}
        </button>
      )}
      <Confirm open={asking} title={da.confirm.agendaAgainTitle} confirm={da.confirm.agendaAgain}
        onConfirm={() => void send()} onCancel={() => setAsking(false)}>
        <p>{da.confirm.agendaAgainBody(sentAt ? when(sentAt) : "")}</p>
      </Confirm>
      {message && <p role="status">{message}</p>}
      <Letters services={services} meetingId={meeting.id} version={sendings} />
    </section>
  );
}
