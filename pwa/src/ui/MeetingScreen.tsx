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
import { Houses } from "./Houses";
import { Photos } from "./Photos";
import { ParentComments } from "./ParentComments";
import { ProblemList } from "./Problems";
import { ReportPanel } from "./ReportPanel";
import { UndoBar } from "./UndoBar";

import { Scaling } from "./Scaling";
import { SinceLast } from "./SinceLast";
import { useScrollToHash } from "./scroll";
import { clock, dateLong } from "./format";
import { ParentsSee } from "./ParentsSee";

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
  const finished = meeting.fields.status === "finished";
  const child = course?.child ? `${course.child.fields.first_name} ${course.child.fields.last_name}` : "";
  const place = meeting.fields.place?.trim() ?? "";
  // The page is long (about 7,200 px on an iPad in portrait): a link to each part that is there.
  const parts: Array<[string, string]> = [
    ...(number > 1 ? [["since-last-heading", da.story.review] as [string, string]] : []),
    ["attendance-heading", da.meeting.attendance],
    ["board-heading", da.board.heading],
    ["houses-heading", da.houses.heading],
    ["photos-heading", da.photos.heading],
    ["agreements-heading", da.meeting.agreements],
    ["scaling-heading", da.scaling.heading],
    ["finishing-heading", da.meeting.finishing],
    ...(finished ? [["report-heading", da.report.heading] as [string, string]] : []),
    ["documents-heading", da.documents.heading],
  ];
  return (
    <>
      <header class="meeting-header" aria-labelledby="meeting-heading">
        {/* The heading stays the meeting's kind alone (what people, and tests, look for). */}
        <h2 id="meeting-heading">{da.meetings.kinds[meeting.fields.kind] ?? ""}</h2>
        {child && <p class="meeting-child"><strong>{child}</strong></p>}
        <p class="meeting-facts">
          <span>{dateLong(meeting.fields.starts_at)} {clock(meeting.fields.starts_at)}</span>
          {" · "}<span>{place ? da.meetingScreen.place(place) : da.meetingScreen.noPlace}</span>
          {number > 0 && <>{" · "}<span class="meeting-number">{da.meetingScreen.number(number)}</span></>}
        </p>
        <ParentsSee part="header" />
      </header>
      <nav class="jump-links" aria-label={da.meetingScreen.parts}>
        <ul>{parts.map(([id, label]) => <li key={id}><a href={`#${id}`}>{label}</a></li>)}</ul>
      </nav>
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
      <Houses services={services} meetingId={meetingId} problems={problems} />
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
