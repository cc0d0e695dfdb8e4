import { useLive, useRecord } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import { da } from "../i18n/da";
import { Agreements } from "./Agreements";
import { Attendance } from "./Attendance";
import { Board } from "./Board";
import { Agenda, CourseFacts } from "./CourseFacts";
import { Letters } from "./Letters";
import { Documents } from "./Documents";
import { Finish } from "./Finish";
import { Photos } from "./Photos";
import { ParentComments } from "./ParentComments";
import { ProblemList } from "./Problems";
import { ReportPanel } from "./ReportPanel";
import { UndoBar } from "./UndoBar";

import { Scaling } from "./Scaling";
import { SinceLast } from "./SinceLast";
import { useScrollToHash } from "./scroll";

const NO_PROBLEMS: PlaceProblems = { all: [], byRecord: new Map(), loose: [] };

/** One meeting, top to bottom in the order it happens at the table. */
export function MeetingScreen({ services, meetingId }: { services: Services; meetingId: string }) {
  const { read } = services;
  const meeting = useRecord(read, "meeting", meetingId);
  const course = useLive(() => read.course(meeting?.fields.course_id ?? ""),
    [read, meeting?.fields.course_id], undefined);
  const problems = useLive(() => read.problems(meetingId), [read, meetingId], NO_PROBLEMS);
  useScrollToHash([meeting, problems]);
  if (!meeting) {
    // Gone from the device (access ended, or deleted elsewhere): what was not sent stays.
    if (problems.all.length === 0) return <p>{da.loading}</p>;
    return (
      <section aria-labelledby="gone-heading">
        <h2 id="gone-heading">{da.refusal.gone}</h2>
        <p>{da.refusal.goneIntro}</p>
        <ProblemList services={services} problems={problems.all} showText />
      </section>
    );
  }
  const number = (course?.meetings ?? []).findIndex((m) => m.id === meetingId) + 1;
  return (
    <>
      <h2>{da.meetings.kinds[meeting.fields.kind] ?? ""}</h2>
      {number > 0 && <p class="hint">{da.meetings.ofFive(number)}</p>}
      <CourseFacts services={services} meeting={meeting} />
      {problems.loose.length > 0 && (
        <section class="problems" aria-labelledby="problems-heading">
          <h2 id="problems-heading">{da.refusal.heading}</h2>
          <ProblemList services={services} problems={problems.loose} showText />
        </section>
      )}
      <Agenda services={services} meeting={meeting} />
      <SinceLast services={services} meeting={meeting} problems={problems} />
      <Attendance services={services} meetingId={meetingId} problems={problems} />
      <Board services={services} meetingId={meetingId} problems={problems} />
      <Photos services={services} meetingId={meetingId} problems={problems} />
      <Agreements services={services} meetingId={meetingId} problems={problems} />
      <Scaling services={services} meeting={meeting} problems={problems} />
      <Finish services={services} meeting={meeting} meetings={course?.meetings ?? []}
        courseStatus={course?.course?.fields.status ?? "active"} problems={problems} />
      <ReportPanel services={services} meeting={meeting} />
      {meeting.fields.status === "finished" && <Letters services={services} meetingId={meetingId} version={0} />}
      <ParentComments services={services} meeting={meeting} />
      <Documents services={services} courseId={meeting.fields.course_id} />
      <UndoBar />
    </>
  );
}
