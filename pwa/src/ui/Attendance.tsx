import { useState } from "preact/hooks";

import { useChildren } from "../app/live";
import type { Services } from "../app/services";
import { da } from "../i18n/da";

/** Who is at the table: tick who is present, add anyone else with a role. */
export function Attendance({ services, meetingId }: { services: Services; meetingId: string }) {
  const people = useChildren(services.db, "participant", meetingId);
  const [name, setName] = useState("");
  const [role, setRole] = useState("guardian");
  const save = async (id: string, fields: Record<string, unknown>) => {
    await services.store.change("participant", id, "upsert", fields);
    await services.engine.changed();
  };

  async function add(event: Event) {
    event.preventDefault();
    if (!name.trim()) return;
    await save(crypto.randomUUID(), { meeting_id: meetingId, name: name.trim(), role, present: true });
    setName("");
  }

  return (
    <section>
      <h2>{da.meeting.attendance}</h2>
      <ul class="people">
        {people.map((p) => (
          <li key={p.id}>
            <label>
              <input type="checkbox" checked={Boolean(p.fields["present"])}
                onChange={(e) => void save(p.id, { present: e.currentTarget.checked })} />
              {String(p.fields["name"])} ({da.meeting.roles[String(p.fields["role"])] ?? ""})
              <span class="visually-hidden"> – {da.meeting.present}</span>
            </label>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={add}>
        <label for="person-name">{da.meeting.name}</label>
        <input id="person-name" value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for="person-role">{da.meeting.role}</label>
        <select id="person-role" value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          {Object.entries(da.meeting.roles).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
        <button type="submit">{da.meeting.addPerson}</button>
      </form>
    </section>
  );
}
