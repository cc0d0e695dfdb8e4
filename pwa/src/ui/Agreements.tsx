import { useState } from "preact/hooks";

import { useChildren } from "../app/live";
import type { Services } from "../app/services";
import { da } from "../i18n/da";

/** Agreements: what, who and by when. */
export function Agreements({ services, meetingId }: { services: Services; meetingId: string }) {
  const agreements = useChildren(services.db, "agreement", meetingId);
  const [what, setWhat] = useState("");
  const [owner, setOwner] = useState("guardians");
  const [due, setDue] = useState("");
  const save = async (id: string, fields: Record<string, unknown>) => {
    await services.store.change("agreement", id, "upsert", fields);
    await services.engine.changed();
  };

  async function add(event: Event) {
    event.preventDefault();
    if (!what.trim()) return;
    await save(crypto.randomUUID(), { meeting_id: meetingId, what: what.trim(), owner,
      due_date: due || null });
    setWhat("");
    setDue("");
  }

  return (
    <section>
      <h2>{da.meeting.agreements}</h2>
      <ul class="agreements">
        {agreements.map((a) => (
          <li key={a.id}>
            <label>
              <input type="checkbox" checked={Boolean(a.fields["done"])}
                onChange={(e) => void save(a.id, { done: e.currentTarget.checked })} />
              <span class="visually-hidden">{da.meeting.done}: </span>
              {String(a.fields["what"])} – {da.meeting.owners[String(a.fields["owner"])] ?? ""}
              {a.fields["due_date"] ? `, ${da.meeting.due.toLowerCase()} ${String(a.fields["due_date"])}` : ""}
            </label>
          </li>
        ))}
      </ul>
      <form class="inline-form" onSubmit={add}>
        <label for="agreement-what">{da.meeting.what}</label>
        <input id="agreement-what" value={what} onInput={(e) => setWhat(e.currentTarget.value)} />
        <label for="agreement-owner">{da.meeting.owner}</label>
        <select id="agreement-owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value)}>
          {Object.entries(da.meeting.owners).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
        <label for="agreement-due">{da.meeting.due}</label>
        <input id="agreement-due" type="date" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
        <button type="submit">{da.meeting.addAgreement}</button>
      </form>
    </section>
  );
}
