import { useEffect, useRef, useState } from "preact/hooks";

import { da } from "../i18n/da";
import { endOffer, focusWhenThere, onOffer, type ShownOffer } from "./undo";

/** How long "Fortryd" is offered; paused while a keyboard user is on it or a pointer over it. */
export const UNDO_MS = 10_000;

/**
 * The snackbar: "Noten er slettet · Fortryd". One tap undoes (offline too: the undo is a
 * change like any other). It is a live region, so a screen reader hears what happened, and
 * when the action took the keyboard focus away with the deleted element, "Fortryd" gets it.
 */
export function UndoBar() {
  const [offer, setOffer] = useState<ShownOffer | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [paused, setPaused] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => onOffer((o) => {
    setOffer(o);
    if (o) setSaid(null);
  }), []);
  // Keyed by the offer's id: a new offer takes the focus and restarts the time, not a render.
  const focusId = offer?.takeFocus ? offer.id : undefined;
  useEffect(() => {
    if (focusId === undefined) return;
    button.current?.focus();
  }, [focusId]);
  const offerId = offer?.id;
  useEffect(() => {
    if (offerId === undefined || paused) return;
    const timer = setTimeout(() => endOffer(offerId), UNDO_MS);
    return () => clearTimeout(timer);
  }, [offerId, paused]);
  useEffect(() => {
    if (!said) return;
    const timer = setTimeout(() => setSaid(null), 4000);
    return () => clearTimeout(timer);
  }, [said]);

  async function undo() {
    if (!offer || busy) return;
    setBusy(true);
    try {
      await offer.undo();
      setSaid(offer.undone ?? da.undo.undone);
      if (offer.takeFocus && offer.focusAfter) focusWhenThere(offer.focusAfter);
    } catch {
      setSaid(da.undo.failed);
    } finally {
      setBusy(false);
      endOffer(offer.id);
    }
  }

  // A keyboard user on the bar gets all the time they need; a tap leaves no focus ring and
  // does not stop the clock.
  const hold = (event: Event) => setPaused((event.target as Element).matches?.(":focus-visible") ?? false);
  return (
    // A live region that is always there (so what appears in it is read out), without the
    // "status" role: the status bar is the page's one status.
    <div class="undo-bar" aria-live="polite" data-open={offer || said ? "true" : undefined}
      onFocusIn={hold} onFocusOut={() => setPaused(false)}
      onPointerEnter={(e) => { if (e.pointerType === "mouse") setPaused(true); }}
      onPointerLeave={() => setPaused(false)}>
      {offer && (
        <>
          <span class="undo-message">{offer.message}</span>
          <button type="button" ref={button} class="undo-button" disabled={busy} onClick={() => void undo()}>
            {da.undo.undo}
          </button>
          <button type="button" class="undo-close" aria-label={da.undo.close} onClick={() => endOffer(offer.id)}>×</button>
        </>
      )}
      {!offer && said && <span class="undo-message">{said}</span>}
    </div>
  );
}
