import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { MeetingRow } from "../data/queries";
import { da } from "../i18n/da";
import { whenLong } from "./format";

/** Today's and upcoming meetings of the courses on this device. */
export function MeetingList({ services, onOpen }: { services: Services; onOpen: (id: string) => void }) {
  const rows = useLive(() => services.read.meetingRows(), [services.read], [] as MeetingRow[]);
  return (
    <section>
      <h2>{da.meetings.heading}</h2>
      {rows.length === 0 && <p>{da.meetings.none}</p>}
      <ul class="meetings">
        {rows.map(({ meeting, childName, number, state }) => (
          <li key={meeting.id}>
            <button type="button" class="meeting" onClick={() => onOpen(meeting.id)}>
              <strong>{childName}</strong>
              <span>{da.meetings.kinds[meeting.fields.kind] ?? ""}</span>
              <span>{da.meetings.ofFive(number)}</span>
              <span>{whenLong(meeting.fields.starts_at)}</span>
              <span class="meeting-state">{state}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
