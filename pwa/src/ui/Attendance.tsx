import { useChildren, useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { NewParticipant } from "../data/writes";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { Check, TickBox } from "./Choice";
import { ParentsSee } from "./ParentsSee";
import { ProblemList } from "./Problems";
import { TextField } from "./TextField";
import { useKept } from "./useKept";
import { useWrite } from "./useWrite";

interface Guest { name: string; role: NewParticipant["role"] }
const NO_GUEST: Guest = { name: "", role: "guardian" };

/** Who is at the table: tick who is present, add anyone else with a role. */
export function Attendance({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read, write } = services;
  const people = useChildren(read, "participant", meetingId);
  // Carried over from the last meeting, not yet marked present: say so, once nobody is ticked.
  const carried = useLive(async () => (await read.sinceLast(meetingId)).carriedPeople, [read, meetingId], 0);
  // A guest being added: kept as a draft until added (nothing typed is lost, issue 23).
  const guest = useKept<Guest>(services.drafts, `guest:${meetingId}`, NO_GUEST);
  const { name, role } = guest.value;
  const { errors, run, clear } = useWrite();
  const tick = useWrite();

  async function add(event: Event) {
    event.preventDefault();
    if (!name.trim()) return;
    if (await run(() => write.addParticipant(meetingId, { name: name.trim(), role }))) guest.clear();
  }

  return (
    <section aria-labelledby="attendance-heading">
      <h2 id="attendance-heading">{da.meeting.attendance}</h2>
      <ParentsSee part="attendance" />
      {carried > 0 && !people.some((p) => p.fields.present) && <p class="hint">{da.story.carriedOver(carried)}</p>}
      <ul class="people">
        {people.map((p) => (
          <li key={p.id} id={`item-${p.id}`} class="ticked-item">
            <TickBox textId={`person-${p.id}`} word={da.meetingScreen.presentTick}>
              {(labelledBy) => <Check labelledBy={labelledBy} stored={p.fields.present ?? false}
                write={(v) => tick.run(() => write.setPresent(p.id, v))} />}
            </TickBox>
            <span id={`person-${p.id}`} class="item-text">{p.fields.name} ({da.meeting.roles[p.fields.role] ?? ""})</span>
            <ProblemList services={services} problems={problems.byRecord.get(p.id)} />
          </li>
        ))}
      </ul>
      <ActionError state={tick} />
      <form class="inline-form" onSubmit={add}>
        <TextField id="person-name" label={da.meeting.name} entity="participant" field="name" value={name}
          kept={guest.kept} error={errors["name"] ?? errors["*"]} onInput={(v) => { guest.set({ ...guest.value, name: v }); clear(); }} />
        <label for="person-role">{da.meeting.role}</label>
        <select id="person-role" value={role} onChange={(e) => guest.set({ ...guest.value, role: e.currentTarget.value as NewParticipant["role"] })}>
          {Object.entries(da.meeting.roles).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
        <button type="submit">{da.meeting.addPerson}</button>
      </form>
    </section>
  );
}
