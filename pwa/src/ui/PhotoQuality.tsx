import type { PhotoProblem } from "../photos/quality";
import { da } from "../i18n/da";

/**
 * Says at the table that the photo just taken may be hard to read, and why. It never blocks:
 * the photo is already kept, and a new one can be taken straight away.
 */
export function PhotoQuality({ problems, onRetake, onDismiss }: {
  problems: PhotoProblem[];
  onRetake: () => void;
  onDismiss: () => void;
}) {
  // The live region is always there, so a screen reader announces the warning when it comes.
  // (No role "status" or "alert": the sync status and errors own those on this screen.)
  return (
    <div class={problems.length ? "warning photo-quality" : "photo-quality"} aria-live="polite">
      {problems.length > 0 && (
        <>
          <p><strong>{da.photoQuality.heading}</strong></p>
          <ul>
            {problems.map((p) => <li key={p}>{da.photoQuality.problems[p]}</li>)}
          </ul>
          <p>{da.photoQuality.kept}</p>
          <button type="button" onClick={onRetake}>{da.photoQuality.retake}</button>
          {" "}
          <button type="button" class="secondary" onClick={onDismiss}>{da.photoQuality.dismiss}</button>
        </>
      )}
    </div>
  );
}
