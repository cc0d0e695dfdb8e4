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
  if (problems.length === 0) return null;
  return (
    <div class="warning photo-quality" role="status" aria-live="polite">
      <p><strong>{da.photoQuality.heading}</strong></p>
      <ul>
        {problems.map((p) => <li key={p}>{da.photoQuality.problems[p]}</li>)}
      </ul>
      <p>{da.photoQuality.kept}</p>
      <button type="button" onClick={onRetake}>{da.photoQuality.retake}</button>
      {" "}
      <button type="button" class="secondary" onClick={onDismiss}>{da.photoQuality.dismiss}</button>
    </div>
  );
}
