import { useState } from "preact/hooks";

import type { Services } from "../app/services";
import type { Problem } from "../data/problems";
import { da } from "../i18n/da";
import { ActionError } from "./ActionError";
import { useWrite } from "./useWrite";

/**
 * What went wrong with the user's changes, where they were made, each with a way out:
 * a refused change can be fixed (edit it: it is sent again) or discarded (with undo and a
 * copy of its text); a failing one sent again now; a lost value restored.
 */
export function ProblemList({ services, problems, showText = false }: {
  services: Services; problems: Problem[] | undefined; showText?: boolean;
}) {
  if (!problems?.length) return null;
  return <>{problems.map((p) => <ProblemItem key={p.key} services={services} problem={p} showText={showText} />)}</>;
}

function ProblemItem({ services, problem: p, showText }: { services: Services; problem: Problem; showText: boolean }) {
  const { write, engine } = services;
  const action = useWrite();
  const what = da.refusal.entities[p.entity] ?? p.entity;
  const text = p.kind === "refused" || p.kind === "discarded" ? p.text : "";
  return (
    <div class="note-problem" role="alert" data-record={p.recordId}>
      {p.kind === "refused" && (
        <>
          <p>{da.refusal.refused(what, p.reason)}</p>
          <p class="hint">{da.refusal.fix}</p>
          {p.later > 0 && <p class="hint">{da.refusal.later(p.later)}</p>}
        </>
      )}
      {p.kind === "failing" && <p>{da.refusal.failing(what, p.attempts)}</p>}
      {p.kind === "conflict" && (
        <p>{p.deleted ? da.refusal.conflictDeleted(what, p.mine) : da.refusal.conflict(what, p.mine, p.theirs)}</p>
      )}
      {p.kind === "discarded" && <p>{da.refusal.discarded(what)}</p>}
      {text && (showText || p.kind === "discarded") && <blockquote class="kept-text">{text}</blockquote>}
      <div class="note-actions">
        {p.kind === "refused" && (
          <button type="button" class="secondary" onClick={() => void write.discard(p.seq)}>{da.refusal.discard}</button>
        )}
        {p.kind === "failing" && (
          <button type="button" class="secondary" onClick={() => void engine.sendNow()}>{da.refusal.retry}</button>
        )}
        {p.kind === "conflict" && (
          <>
            <button type="button" onClick={() => void action.run(() => write.restoreConflict(p.conflictId))}>{da.refusal.restore}</button>
            <button type="button" class="secondary" onClick={() => void action.run(() => write.dismissConflict(p.conflictId))}>
              {da.refusal.keepTheirs}
            </button>
          </>
        )}
        {p.kind === "discarded" && (
          <>
            <button type="button" onClick={() => void write.undoDiscard(p.discardId)}>{da.refusal.undo}</button>
            <button type="button" class="secondary" onClick={() => void write.forgetDiscarded(p.discardId)}>
              {da.refusal.forget}
            </button>
          </>
        )}
        {text && <CopyButton text={text} />}
      </div>
      <ActionError state={action} />
    </div>
  );
}

/** Copy the words of a change; where the clipboard is not allowed, show them selected. */
function CopyButton({ text }: { text: string }) {
  const [state, setState] = useState<"idle" | "copied" | "manual">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("manual");
    }
  }
  return (
    <>
      <button type="button" class="secondary" onClick={() => void copy()}>{da.refusal.copy}</button>
      {state === "copied" && <span role="status">{da.refusal.copied}</span>}
      {state === "manual" && (
        <label class="copy-yourself">{da.refusal.copyYourself}
          <textarea readOnly value={text} ref={(el) => el?.select()} />
        </label>
      )}
    </>
  );
}
