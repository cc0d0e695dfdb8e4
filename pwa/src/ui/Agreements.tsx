import { useRef, useState } from "preact/hooks";

import { useChildren, useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { Stored } from "../data/records";
import type { NewAgreement } from "../data/writes";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { Check, TickBox } from "./Choice";
import { ParentsSee } from "./ParentsSee";
import { dateLong } from "./format";
import { ProblemList } from "./Problems";
import { TextField } from "./TextField";
import { holdsFocus, offerUndo } from "./undo";
import { useKept } from "./useKept";
import { useWrite } from "./useWrite";

/** Agreements: what, who and by when; ticked off, edited and deleted (with undo) at the table. */
export function Agreements({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read, write } = services;
  const agreements = useChildren(read, "agreement", meetingId);
  const unsent = useLive(() => read.unsentIds([meetingId]), [read, meetingId], new Set<string>());
  return (
    <section aria-labelledby="agreements-heading">
      <h2 id="agreements-heading">{da.meeting.agreements}</h2>
      <ParentsSee part="agreements" />
      <ul class="agreements">
        {agreements.map((a) => (
          <Agreement key={a.id} services={services} agreement={a} unsent={unsent.has(a.id)} problems={problems} />
        ))}
      </ul>
      <AgreementForm idPrefix="agreement" submit={da.meeting.addAgreement} clearOnSave
        services={services} draftKey={`agreement:${meetingId}`}
        save={(fields) => write.addAgreement(meetingId, fields)} />
    </section>
  );
}

function Agreement({ services, agreement: a, unsent, problems }: {
  services: Services; agreement: Stored<"agreement">; unsent: boolean; problems: PlaceProblems;
}) {
  const { write } = services;
  const [editing, setEditing] = useState(false);
  const tick = useWrite();
  const item = useRef<HTMLLIElement>(null);
  const mine = problems.byRecord.get(a.id);
  const refused = mine?.some((p) => p.kind === "refused");
  const due = a.fields.due_date;
  const textId = `agreement-text-${a.id}`;

  async function remove() {
    const hadFocus = holdsFocus(item.current);
    let undo: Awaited<ReturnType<typeof write.deleteAgreement>> | null = null;
    if (await tick.run(async () => { undo = await write.deleteAgreement(a.id); }) && undo) {
      const taken = undo;
      offerUndo({ message: da.undo.agreementDeleted, undone: da.undo.agreementBack, takeFocus: hadFocus,
        focusAfter: `#item-${CSS.escape(a.id)}`, undo: () => write.undo(taken) });
    }
  }

  return (
    <li id={`item-${a.id}`} class="agreement" ref={item} tabIndex={-1}>
      <div class="ticked-item">
        <TickBox textId={textId} word={da.meetingScreen.doneTick}>
          {(labelledBy) => <Check labelledBy={labelledBy} stored={a.fields.done ?? false}
            write={(v) => tick.run(() => write.setAgreementDone(a.id, v))} />}
        </TickBox>
        <span id={textId} class="item-text">
          {a.fields.what} – {da.meeting.owners[a.fields.owner] ?? ""}
          {due ? `, ${da.meeting.due.toLowerCase()} ${dateLong(due)}` : ""}
        </span>
      </div>
      {unsent && !refused && <p class="note-unsent">{da.board.notSent}</p>}
      <ProblemList services={services} problems={mine} />
      <ActionError state={tick} />
      {editing ? (
        <AgreementForm idPrefix={`edit-${a.id}`} submit={da.table.save} legend={da.table.editAgreement}
          services={services} draftKey={`agreement-edit:${a.id}`}
          initial={{ what: a.fields.what, owner: a.fields.owner, due_date: due ?? null }}
          save={(fields) => write.editAgreement(a.id, fields)} onDone={() => setEditing(false)} />
      ) : (
        <div class="note-actions">
          <button type="button" class="secondary" aria-describedby={textId} onClick={() => setEditing(true)}>
            {da.table.edit}
          </button>
          <button type="button" class="secondary" aria-describedby={textId} onClick={() => void remove()}>
            {da.table.remove}
          </button>
        </div>
      )}
    </li>
  );
}

interface AgreementDraft {
  what: string;
  owner: NewAgreement["owner"];
  due: string;
}

/** What, who and by when: a new agreement, or the one being edited. */
function AgreementForm({ idPrefix, submit, save, initial, clearOnSave = false, legend, onDone, services, draftKey }: {
  idPrefix: string; submit: string; save: (fields: NewAgreement) => Promise<unknown>; initial?: NewAgreement;
  clearOnSave?: boolean; legend?: string; onDone?: () => void; services: Services; draftKey: string;
}) {
  // Kept as a draft while written (null: nothing typed yet, the form shows `initial`).
  const draft = useKept<AgreementDraft | null>(services.drafts, draftKey, null);
  const shown: AgreementDraft = draft.value ?? {
    what: initial?.what ?? "", owner: initial?.owner ?? "guardians", due: initial?.due_date ?? "" };
  const { what, owner, due } = shown;
  const change = (part: Partial<AgreementDraft>) => draft.set({ ...shown, ...part });
  const { errors, run, clear } = useWrite();

  async function send(event: Event) {
    event.preventDefault();
    if (!what.trim()) return;
    if (await run(() => save({ what: what.trim(), owner, due_date: due || null }))) {
      draft.clear();
      onDone?.();
    }
  }

  function cancel() {
    draft.clear(); // given up: the draft goes with the form
    onDone?.();
  }

  const form = (
    <>
      <TextField id={`${idPrefix}-what`} label={da.meeting.what} entity="agreement" field="what" value={what}
        kept={draft.kept} error={errors["what"] ?? errors["*"]} onInput={(v) => { change({ what: v }); clear(); }} />
      <div class="field">
        <label for={`${idPrefix}-owner`}>{da.meeting.owner}</label>
        <select id={`${idPrefix}-owner`} value={owner}
          onChange={(e) => change({ owner: e.currentTarget.value as NewAgreement["owner"] })}>
          {Object.entries(da.meeting.owners).map(([value, label]) => (
            <option key={value} value={value}>{label}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${idPrefix}-due`}>{da.meeting.due}</label>
        <input id={`${idPrefix}-due`} type="date" value={due} aria-invalid={errors["due_date"] ? "true" : undefined}
          onInput={(e) => { change({ due: e.currentTarget.value }); clear(); }} />
        {errors["due_date"] && <p class="field-error" role="alert">{errors["due_date"]}</p>}
      </div>
      <div class="form-actions">
        <button type="submit">{submit}</button>
        {onDone && !clearOnSave && <button type="button" class="secondary" onClick={cancel}>{da.board.cancel}</button>}
      </div>
    </>
  );
  return (
    <form class="inline-form agreement-form" onSubmit={send}>
      {legend ? <fieldset><legend>{legend}</legend>{form}</fieldset> : form}
    </form>
  );
}
