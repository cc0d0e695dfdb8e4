import { useRecord } from "../app/live";
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
  if (!meeting) return <p>{da.loading}</p>;
  return (
    <>
      <h2>{da.meetings.kinds[String(meeting.fields["kind"])] ?? ""}</h2>
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
