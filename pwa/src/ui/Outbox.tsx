import { useEffect, useState } from "preact/hooks";

import type { Services } from "../app/services";
import { da } from "../i18n/da";
import { when } from "./format";

/** What the server tells an admin about a message: its delivery state, nothing more. */
interface Delivery {
  id: string;
  created_at: string;
  status: string;
  attempts: number;
  last_error: string;
  sent_at: string | null;
}

/** For admins: whether messages to parents are going out. The messages name children and
 *  hold parents' links, so neither their content nor their recipients are shown here. */
export function Outbox({ services }: { services: Services }) {
  const [messages, setMessages] = useState<Delivery[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    services.api.get<Delivery[]>("/api/admin/outbox").then(setMessages, () => setFailed(true));
  }, [services]);
  return (
    <section aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">{da.outbox.heading}</h2>
      <p class="hint">{da.outbox.intro}</p>
      {failed && <p role="alert" class="error">{da.errors.offline}</p>}
      {messages && messages.length === 0 && <p>{da.outbox.empty}</p>}
      {messages && messages.length > 0 && (
        <table class="admin-table">
          <thead>
            <tr>
              <th scope="col">{da.outbox.queued}</th>
              <th scope="col">{da.outbox.state}</th>
              <th scope="col">{da.outbox.attempts}</th>
              <th scope="col">{da.outbox.sent}</th>
              <th scope="col">{da.outbox.lastError}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td>{when(m.created_at)}</td>
                <td>{da.outbox.status[m.status] ?? m.status}</td>
                <td>{m.attempts}</td>
                <td>{m.sent_at ? when(m.sent_at) : da.outbox.notSent}</td>
                <td>{m.last_error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
