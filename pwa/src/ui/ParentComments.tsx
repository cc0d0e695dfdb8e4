import { useChildren } from "../app/live";
import type { Services } from "../app/services";
import type { Stored } from "../data/records";
import { da } from "../i18n/da";
import { when } from "./format";

/** What the parents wrote on the published report from their phones ("Vores bemærkninger"):
 * read-only here, and part of the course and of the filed report. */
export function ParentComments({ services, meeting }: { services: Services; meeting: Stored<"meeting"> }) {
  // Written on the parents' phones, never here: each has its time from the server.
  const comments = useChildren(services.read, "parent_comment", meeting.id)
    .sort((a, b) => (a.fields.written_at ?? "").localeCompare(b.fields.written_at ?? ""));
  if (meeting.fields.status !== "finished") return null;
  return (
    <section aria-labelledby="parent-comments-heading">
      <h2 id="parent-comments-heading">{da.parentComments.heading}</h2>
      {comments.length === 0 ? <p class="hint">{da.parentComments.none}</p> : (
        <>
          <ul class="parent-comments">
            {comments.map((c) => (
              <li key={c.id} id={`item-${c.id}`}>
                <blockquote>{c.fields.text}</blockquote>
                <p class="hint">{da.parentComments.by(c.fields.guardian_label ?? "", when(c.fields.written_at))}</p>
              </li>
            ))}
          </ul>
          <p class="hint">{da.parentComments.readOnly}</p>
        </>
      )}
    </section>
  );
}
