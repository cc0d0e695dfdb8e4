import type { LocalRecord } from "../db/db";
import { useLive } from "../app/live";
import type { Services } from "../app/services";
import { da } from "../i18n/da";

interface Row {
  meeting: LocalRecord;
  childName: string;
  number: number;
}

/** Today's and upcoming meetings of the courses on this device. */
export function MeetingList({ services, onOpen }: { services: Services; onOpen: (id: string) => void }) {
  const rows = useLive(() => meetingRows(services), [services], [] as Row[]);
  return (
    <section>
      <h2>{da.meetings.heading}</h2>
      {rows.length === 0 && <p>{da.meetings.none}</p>}
      <ul class="meetings">
        {rows.map(({ meeting, childName, number }) => (
          <li key={meeting.id}>
            <button type="button" class="meeting" onClick={() => onOpen(meeting.id)}>
              <strong>{childName}</strong>
              <span>{da.meetings.kinds[String(meeting.fields["kind"])] ?? ""}</span>
              <span>{da.meetings.ofFive(number)}</span>
              <span>{when(meeting.fields["starts_at"])}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

async function meetingRows({ db }: Services): Promise<Row[]> {
  const meetings = (await db.records.where("entity").equals("meeting").toArray()).filter((m) => !m.deleted);
  const byCourse = new Map<string, LocalRecord[]>();
  for (const m of meetings) {
    const course = String(m.fields["course_id"]);
    byCourse.set(course, [...(byCourse.get(course) ?? []), m]);
  }
  const rows: Row[] = [];
  for (const [courseId, list] of byCourse) {
    list.sort((a, b) => String(a.fields["starts_at"]).localeCompare(String(b.fields["starts_at"])));
    const course = await db.records.get(`course:${courseId}`);
    const child = course ? await db.records.get(`child:${String(course.fields["child_id"])}`) : undefined;
    list.forEach((meeting, i) =>
      rows.push({ meeting, childName: String(child?.fields["first_name"] ?? ""), number: i + 1 }),
    );
  }
  return rows.sort((a, b) => String(a.meeting.fields["starts_at"]).localeCompare(String(b.meeting.fields["starts_at"])));
}

function when(value: unknown): string {
  if (typeof value !== "string") return "";
  return new Date(value).toLocaleString("da-DK", { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}
