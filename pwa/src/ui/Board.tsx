import { useState } from "preact/hooks";

import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { LocalRecord, OutboxEntry } from "../db/db";
import { da } from "../i18n/da";
import { NoteCard } from "./NoteCard";

const COLUMNS = ["worries", "working", "next_steps"] as const;

interface BoardData {
  notes: LocalRecord[];
  rejected: OutboxEntry[];
  conflicts: LocalRecord[];
  unsent: Set<string>;
}

/** The board's three columns: notes are added, edited and deleted here, with or without net. */
export function Board({ services, meetingId }: { services: Services; meetingId: string }) {
  const data = useLive(() => boardData(services, meetingId), [services, meetingId],
    { notes: [], rejected: [], conflicts: [], unsent: new Set() } as BoardData);
  return (
    <section>
      <h2>{da.board.heading}</h2>
      <div class="board">
        {COLUMNS.map((column) => (
          <Column key={column} column={column} services={services} meetingId={meetingId} data={data} />
        ))}
      </div>
    </section>
  );
}

function Column({ column, services, meetingId, data }: {
  column: string; services: Services; meetingId: string; data: BoardData;
}) {
  const [text, setText] = useState("");
  const title = da.board.columns[column] ?? column;
  const notes = data.notes
    .filter((n) => n.fields["column"] === column)
    .sort((a, b) => Number(a.fields["position"] ?? 0) - Number(b.fields["position"] ?? 0));

  async function add(event: Event) {
    event.preventDefault();
    // Read what the field holds now: a quick typist can press Enter before a re-render.
    const input = (event.currentTarget as HTMLFormElement).querySelector("input");
    const value = (input?.value ?? text).trim();
    if (!value) return;
    setText("");
    const last = notes.at(-1);
    await services.store.change("board_note", crypto.randomUUID(), "upsert", {
      meeting_id: meetingId, column, text: value,
      position: Number(last?.fields["position"] ?? 0) + 1,
    });
    await services.engine.changed();
  }

  /** Move a note one place up (-1) or down (+1): a position between its new neighbours, so
   * one change moves it (and two tablets moving different notes never collide). */
  async function move(index: number, step: -1 | 1) {
    const pos = (i: number) => Number(notes[i]?.fields["position"] ?? 0);
    const target = index + step;
    if (target < 0 || target >= notes.length) return;
    const beyond = target + step;
    const position = beyond < 0 || beyond >= notes.length
      ? pos(target) + step
      : (pos(target) + pos(beyond)) / 2;
    await services.store.change("board_note", notes[index]!.id, "upsert", { position });
    await services.engine.changed();
  }

  return (
    <div class={`column column-${column}`}>
      <h3>{title}</h3>
      <ul>
        {notes.map((note, i) => (
          <NoteCard key={note.id} note={note} services={services}
            onMove={(step) => void move(i, step)}
            rejected={data.rejected.filter((e) => e.recordId === note.id)}
            conflicts={data.conflicts.filter((c) => c.parentId === note.id)}
            unsent={data.unsent.has(note.id)} />
        ))}
      </ul>
      <form onSubmit={add}>
        <label for={`new-${column}`} class="visually-hidden">{da.board.newNote(title)}</label>
        <input id={`new-${column}`} value={text} placeholder={da.board.newNote(title)}
          onInput={(e) => setText(e.currentTarget.value)} />
        <button type="submit">{da.board.add}</button>
      </form>
    </div>
  );
}

async function boardData({ db }: Services, meetingId: string): Promise<BoardData> {
  const notes = (await db.records.where("[entity+parentId]").equals(["board_note", meetingId]).toArray())
    .filter((n) => !n.deleted);
  const ids = new Set(notes.map((n) => n.id));
  const queued = (await db.outbox.toArray()).filter((e) => ids.has(e.recordId));
  const rejected = queued.filter((e) => e.status === "rejected");
  const unsent = new Set(queued.filter((e) => e.status === "pending").map((e) => e.recordId));
  const conflicts = (await db.records.where("entity").equals("conflict").toArray())
    .filter((c) => !c.fields["resolved"] && ids.has(String(c.parentId)));
  return { notes, rejected, conflicts, unsent };
}
