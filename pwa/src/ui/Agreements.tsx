import { useState } from "preact/hooks";

import { useChildren } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { NewAgreement } from "../data/writes";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { ProblemList } from "./Problems";
import { TextField } from "./TextField";
import { useWrite } from "./useWrite";

/** Agreements: what, who and by when. */
export function Agreements({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read, write } = services;
  const agreements = useChildren(read, "agreement", meetingId);
  const [what, setWhat] = useState("");
  const [owner, setOwner] = useState<NewAgreement["owner"]>("guardians");
  const [due, setDue] = useState("");
  const { errors, run, clear } = useWrite();
  const tick = useWrite();

  async function add(event: Event) {
    event.preventDefault();
    if (!what.trim()) return;
    const kept = await run(() => write.addAgreement(meetingId, { what: what.trim(), owner, due_date: due || null }));
    if (kept) {
      setWhat("");
      setDue("");
    }
  }

  return (
    <section>
      <h2>{da.meeting.agreements}</h2>
      <ul class="agreements">
        {agreements.map((a) => (
          <li key={a.id} id={`item-${a.id}`}>
            <label>
              <input type="checkbox" checked={Boolean(a.fields["done"])}
                onChange={(e) => void tick.run(() => write.setAgreementDone(a.id, e.currentTarget.checked))} />
              <span class="visually-hidden">{da.meeting.done}: </span>
              {String(a.fields["what"])} – {da.meeting.owners[String(a.fields["owner"])] ?? ""}
              {a.fields["due_date"] ? `, ${da.meeting.due.toLowerCase()} ${String(a.fields["due_date"])}` : ""}
            </label>
            <ProblemList services={services} problems={problems.byRecord.get(a.id)} />
          </li>
        ))}
      </ul>
      <ActionError state={tick} />
      <form class="inline-form" onSubmit={add}>
        <TextField id="agreement-what" label={da.meeting.what} entity="agreement" field="what" value={what}
          error={errors["what"] ?? errors["*"]} onInput={(v) => { setWhat(v); clear(); }} />
        <label for="agreement-owner">{da.meeting.owner}</label>
        <select id="agreement-owner" value={owner} onChange={(e) => setOwner(e.currentTarget.value as NewAgreement["owner"])}>
          {Object.entries(da.meeting.owners).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
        <label for="agreement-due">{da.meeting.due}</label>
        <input id="agreement-due" type="date" value={due} aria-invalid={errors["due_date"] ? "true" : undefined}
          onInput={(e) => { setDue(e.currentTarget.value); clear(); }} />
        {errors["due_date"] && <p class="field-error" role="alert">{errors["due_date"]}</p>}
        <button type="submit">{da.meeting.addAgreement}</button>
      </form>
    </section>
  );
}
