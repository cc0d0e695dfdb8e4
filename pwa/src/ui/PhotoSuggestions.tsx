import { useEffect, useState } from "preact/hooks";

import type { Services } from "../app/services";
import { ApiError, NetworkError } from "../api/client";
import type { Column } from "../data/writes";
import { da } from "../i18n/da";
import { fetchSuggestions, type Suggestion } from "../photos/suggestions";
import { ActionError } from "./ActionError";
import { COLUMNS } from "./Board";
import { useWrite } from "./useWrite";

interface Item extends Suggestion {
  key: number;
  value: string; // what the leader has made of the suggested text
}

type State =
  | { kind: "waiting" } // the photo has not reached the server: nothing to ask for yet
  | { kind: "loading" }
  | { kind: "failed" }
  | { kind: "ready"; items: Item[] };

/** "Forslag fra billedet": the notes the server found in a board photo, per column, each
 * marked "forslag" until the leader taps it in. Accepting makes an ordinary note through the
 * same write as typing it (moves, undo, sync and the report treat it as any note); nothing is
 * added without a tap, and "Afvis" drops them all. */
export function PhotoSuggestions({ services, meetingId, photoId, number, sent, onClose }: {
  services: Services; meetingId: string; photoId: string; number: number; sent: boolean; onClose: () => void;
}) {
  const [state, setState] = useState<State>({ kind: sent ? "loading" : "waiting" });
  const adding = useWrite();

  useEffect(() => {
    if (!sent) {
      setState({ kind: "waiting" });
      return;
    }
    let live = true;
    setState({ kind: "loading" });
    fetchSuggestions(services.api, photoId).then(
      (found) => {
        if (live) setState({ kind: "ready", items: found.map((s, key) => ({ ...s, key, value: s.text ?? "" })) });
      },
      (err: unknown) => {
        // Offline, or the record has not reached the server yet (404): not a failure. Online,
        // a network error is most often the 30 s timeout on a busy server's first reading of
        // a crowded board: "try again" is right, and the server keeps what it found by then.
        const offline = err instanceof NetworkError && !navigator.onLine;
        const notThere = offline || (err instanceof ApiError && err.status === 404);
        if (live) setState({ kind: notThere ? "waiting" : "failed" });
      },
    );
    return () => { live = false; };
  }, [services.api, photoId, sent]);

  const items = state.kind === "ready" ? state.items : [];
  // From the state as it is when applied: the leader may edit one while others are added.
  const drop = (gone: Item[]) => setState((s) => s.kind !== "ready" ? s
    : { kind: "ready", items: s.items.filter((i) => !gone.some((g) => g.key === i.key)) });
  const edit = (item: Item, value: string) => setState((s) => s.kind !== "ready" ? s
    : { kind: "ready", items: s.items.map((i) => (i.key === item.key ? { ...i, value } : i)) });

  /** The notes, in their order on the board; those without words stay to be written. */
  async function accept(chosen: Item[]) {
    const ready = chosen.filter((i) => i.value.trim());
    const done: Item[] = [];
    await adding.run(async () => {
      for (const item of ready) {
        await services.write.addNote(meetingId, item.column, item.value.trim());
        done.push(item);
      }
    });
    drop(done);
  }

  return (
    <section class="suggestions" aria-labelledby="suggestions-heading">
      <h3 id="suggestions-heading">{da.suggestions.heading(number)}</h3>
      {state.kind === "waiting" && <p>{da.suggestions.waiting}</p>}
      {state.kind === "loading" && <p role="status">{da.suggestions.loading}</p>}
      {state.kind === "failed" && <p role="alert" class="error">{da.suggestions.failed}</p>}
      {state.kind === "ready" && items.length === 0 && <p>{da.suggestions.none}</p>}
      <ActionError state={adding} />
      {state.kind === "ready" && items.length > 0 && (
        <div class="suggestion-columns">
          {COLUMNS.map((column) => (
            <SuggestionColumn key={column} column={column} items={items.filter((i) => i.column === column)}
              onAccept={(item) => void accept([item])} onEdit={edit} />
          ))}
        </div>
      )}
      <div class="note-actions">
        {items.length > 0 && (
          <button type="button" onClick={() => void accept(items)}>{da.suggestions.acceptAll}</button>
        )}
        <button type="button" class="secondary" onClick={() => { setState({ kind: "ready", items: [] }); onClose(); }}>
          {items.length > 0 ? da.suggestions.reject : da.table.close}
        </button>
      </div>
    </section>
  );
}

function SuggestionColumn({ column, items, onAccept, onEdit }: {
  column: Column; items: Item[]; onAccept: (item: Item) => void; onEdit: (item: Item, value: string) => void;
}) {
  const title = da.board.columns[column] ?? column;
  return (
    <div class="suggestion-column" data-column={column}>
      <h4>{title}</h4>
      <ul>
        {items.map((item) => (
          <li key={item.key} class="suggestion">
            <span class="suggestion-mark">{da.suggestions.mark}</span>
            <img src={item.crop} alt={item.text ? da.suggestions.cropAlt(item.text) : da.suggestions.cropUnread}
              width={120} height={120} />
            <label>
              <span class="visually-hidden">{da.suggestions.textLabel(title)}</span>
              <textarea rows={2} value={item.value} placeholder={da.suggestions.writeIt}
                onInput={(e) => onEdit(item, (e.currentTarget as HTMLTextAreaElement).value)} />
            </label>
            <button type="button" disabled={!item.value.trim()} onClick={() => onAccept(item)}>
              {da.suggestions.accept}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
