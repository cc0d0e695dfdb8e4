import { type ScreenPart, shownToParents } from "../domain/reportParts";
import { da } from "../i18n/da";

/** "Forældrene ser dette" on a part of the meeting that a publish shows the parents
 * (domain/reportParts.ts, which follows the server's report), and on nothing else. */
export function ParentsSee({ part }: { part: ScreenPart }) {
  if (!shownToParents(part)) return null;
  return <p class="parents-see" data-part={part} title={da.meetingScreen.parentsSeeHint}>{da.meetingScreen.parentsSee}</p>;
}
