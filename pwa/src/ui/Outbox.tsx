import { useEffect, useState } from "preact/hooks";

import type { Services } from "../app/services";
import { da } from "../i18n/da";
import { when } from "./format";

interface Message {
  id: string;
  created_at: string;
  to_address: string;
  subject: string;
  body: string;
  status: string;
}

/** For admins: the messages to parents (kept here when no mail server is configured). */
export function Outbox({ services }: { services: Services }) {
  const [messages, setMessages] = useState<Message[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    services.api.get<Message[]>("/api/admin/outbox").then(setMessages, () => setFailed(true));
  }, [services]);
  return (
    <section aria-labelledby="outbox-heading">
      <h2 id="outbox-heading">{da.outbox.heading}</h2>
      <p class="hint">{da.outbox.intro}</p>
      {failed && <p role="alert" class="error">{da.errors.offline}</p>}
      {messages && messages.length === 0 && <p>{da.outbox.empty}</p>}
      <ul class="outbox">
        {(messages ?? []).map((m) => (
          <li key={m.id}>
            <h3>{m.subject}</h3>
            <p class="hint">{da.outbox.to(m.to_address)} · {when(m.created_at)} · {da.outbox.status[m.status] ?? m.status}</p>
            <pre class="message-body">{m.body}</pre>
          </li>
        ))}
      </ul>
    </section>
  );
}
