import { useChildren, useRecord } from "../app/live";
import type { Services } from "../app/services";
import { da } from "../i18n/da";
import { Agreements } from "./Agreements";
import { Attendance } from "./Attendance";
import { Board } from "./Board";
import { Agenda, CourseFacts } from "./CourseFacts";
import { Documents } from "./Documents";
import { Finish } from "./Finish";
import { MeetingProblems } from "./MeetingProblems";
import { Photos } from "./Photos";
import { ReportPanel } from "./ReportPanel";

/** One meeting, top to bottom in the order it happens at the table. */
export function MeetingScreen({ services, meetingId }: { services: Services; meetingId: string }) {
  const meeting = useRecord(services.db, "meeting", meetingId);
  const siblings = useChildren(services.db, "meeting", String(meeting?.fields["course_id"] ?? ""));
  if (!meeting) return <p>{da.loading}</p>;
  const number = [...siblings].sort((a, b) => String(a.fields["starts_at"]).localeCompare(String(b.fields["starts_at"])))
    .findIndex((m) => m.id === meetingId) + 1;
  return (
    <>
      <h2>{da.meetings.kinds[String(meeting.fields["kind"])] ?? ""}</h2>
      {number > 0 && <p class="hint">{da.meetings.ofFive(number)}</p>}
      <CourseFacts services={services} meeting={meeting} />
      <MeetingProblems services={services} meetingId={meetingId} />
      <Agenda services={services} meeting={meeting} />
      <Attendance services={services} meetingId={meetingId} />
      <Board services={services} meetingId={meetingId} />
      <Photos services={services} meetingId={meetingId} />
      <Agreements services={services} meetingId={meetingId} />
      <Finish services={services} meeting={meeting} />
      <ReportPanel services={services} meeting={meeting} />
      <Documents services={services} courseId={String(meeting.fields["course_id"])} />
    </>
  );
}
