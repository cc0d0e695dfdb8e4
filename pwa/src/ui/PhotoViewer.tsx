import { useEffect, useRef, useState } from "preact/hooks";

import { da } from "../i18n/da";

/**
 * A board photo on the whole screen: pinch with two fingers to zoom, drag to move around,
 * buttons for zooming without a touch screen. @panzoom/panzoom does the gestures (pointer
 * events; pinch around the fingers' midpoint); it is loaded with the
 * first photo opened, so the app's first load does not carry it.
 */
export function PhotoViewer({ src, number, onClose }: { src: string; number: number; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const image = useRef<HTMLImageElement>(null);
  const zoom = useRef<import("@panzoom/panzoom").PanzoomObject | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = dialog.current; // the one shown, closed by the cleanup
    el?.showModal();
    return () => el?.close();
  }, []);

  useEffect(() => {
    const el = image.current;
    if (!el || failed) return;
    let stopped = false;
    let unbind = () => undefined as void;
    void import("@panzoom/panzoom").then(({ default: Panzoom }) => {
      if (stopped) return;
      // Fitted to the screen at scale 1; moved around only when zoomed in ("Hele billedet" fits
      // it again). panzoom's `contain` would crop the fitted photo to cover the screen.
      const pz = Panzoom(el, { maxScale: 8, minScale: 1, panOnlyWhenZoomed: true, touchAction: "none" });
      const wheel = (e: WheelEvent) => pz.zoomWithWheel(e);
      el.parentElement?.addEventListener("wheel", wheel);
      zoom.current = pz;
      unbind = () => {
        el.parentElement?.removeEventListener("wheel", wheel);
        pz.destroy();
      };
    });
    return () => {
      stopped = true;
      unbind();
      zoom.current = null;
    };
  }, [failed]);

  return (
    <dialog ref={dialog} class="photo-viewer" aria-label={da.table.photoViewer(number)}
      onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div class="photo-viewer-bar">
        <span class="hint">{da.table.zoomHint}</span>
        <button type="button" class="secondary" onClick={() => zoom.current?.zoomOut()}>{da.table.zoomOut}</button>
        <button type="button" class="secondary" onClick={() => zoom.current?.zoomIn()}>{da.table.zoomIn}</button>
        <button type="button" class="secondary" onClick={() => zoom.current?.reset()}>{da.table.zoomFit}</button>
        <button type="button" onClick={onClose}>{da.table.close}</button>
      </div>
      <div class="photo-viewer-stage">
        {failed ? <p class="notice">{da.table.photoUnavailable}</p> : (
          <img ref={image} src={src} alt={da.table.photoViewer(number)} onError={() => setFailed(true)} />
        )}
      </div>
    </dialog>
  );
}
