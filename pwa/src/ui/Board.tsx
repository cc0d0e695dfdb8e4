import { useState } from "preact/hooks";

import { useLive } from "../app/live";
import type { Services } from "../app/services";
import type { PlaceProblems } from "../data/problems";
import type { Column as ColumnName } from "../data/writes";
import type { LocalRecord } from "../db/db";
import { da } from "../i18n/da";
import { NoteCard } from "./NoteCard";
import { TextField } from "./TextField";
import { useWrite } from "./useWrite";

const COLUMNS: ColumnName[] = ["worries", "working", "next_steps"];

interface BoardData {
  notes: LocalRecord[];
  unsent: Set<string>;
}

/** The board's three columns: notes are added, edited, moved and deleted here, with or without net. */
export function Board({ services, meetingId, problems }: {
  services: Services; meetingId: string; problems: PlaceProblems;
}) {
  const { read } = services;
  const data = useLive(async () => ({
    notes: await read.children("board_note", meetingId), unsent: await read.unsentIds([meetingId]),
  }), [read, meetingId], { notes: [], unsent: new Set() } as BoardData);
  return (
    <section>
      <h2>{da.board.heading}</h2>
      <div class="board">
        {COLUMNS.map((column) => (
          <Column key={column} column={column} services={services} meetingId={meetingId} data={data} problems={problems} />
        ))}
      </div>
    </section>
  );
}

function Column({ column, services, meetingId, data, problems }: {
  column: ColumnName; services: Services; meetingId: string; data: BoardData; problems: PlaceProblems;
}) {
  const [text, setText] = useState("");
  const { errors, run, clear } = useWrite();
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
    // Refused (e.g. too long): nothing is queued and the text stays in the field to fix.
    if (await run(() => services.write.addNote(meetingId, column, value))) setText("");
  }

  return (
    <div class={`column column-${column}`}>
      <h3>{title}</h3>
      <ul>
        {notes.map((note) => (
          <NoteCard key={note.id} note={note} services={services}
            onMove={(step) => services.write.moveNoteBy(note.id, step)}
            problems={problems.byRecord.get(note.id)} unsent={data.unsent.has(note.id)} />
        ))}
      </ul>
      <form onSubmit={add}>
        <TextField id={`new-${column}`} label={da.board.newNote(title)} hideLabel placeholder={da.board.newNote(title)}
          entity="board_note" field="text" value={text} error={errors["text"] ?? errors["*"]}
          onInput={(value) => { setText(value); clear(); }} />
        <button type="submit">{da.board.add}</button>
      </form>
    </div>
  );
}
