import { useEffect, useState } from "preact/hooks";

import type { Services } from "../app/services";
import { da } from "../i18n/da";
import { whenLong } from "./format";

const WAITING_POLL_MS = 2000;

/** One letter to one guardian and how far it got (GET /api/meetings/{id}/letters). */
export interface LetterDelivery {
  id: string;
  guardian: string;
  kind: string | null;
  channel: string;
  status: string;
  retrying: boolean;
  sent_at: string | null;
  delivered_at: string | null;
}

/** How a letter's delivery reads on the tablet: "Sendt med Digital Post 7. december 2026 kl. 10.05". */
export function deliveryText(letter: LetterDelivery): string {
  const t = da.letters;
  switch (letter.status) {
    case "kept": return t.kept;
    case "pending": case "sending": return t.waiting;
    case "sent":
      return letter.channel === "digital_post" ? t.sentDigitalPost(whenLong(letter.sent_at)) : t.sentEmail(whenLong(letter.sent_at));
    case "delivered": return t.delivered(whenLong(letter.delivered_at));
    case "printed": return t.printed;
    case "unaddressable": return t.noCpr;
    default:
      return letter.retrying ? t.retrying : t.failed;
  }
}

/** The meeting's letters and their delivery; asked for again when ``version`` changes (a new
 * sending). Only online: the list is the server's, and nothing at the table waits for it. */
export function Letters({ services, meetingId, version }: { services: Services; meetingId: string; version: number }) {
  const [letters, setLetters] = useState<LetterDelivery[] | null>(null);
  const [offline, setOffline] = useState(false);
  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      services.api.get<LetterDelivery[]>(`/api/meetings/${meetingId}/letters`)
        .then((rows) => {
          if (!current) return;
          setLetters(rows);
          setOffline(false);
          // The server sends right after answering: ask again while any letter still waits.
          if (rows.some((row) => row.status === "pending" || row.status === "sending")) {
            timer = setTimeout(load, WAITING_POLL_MS);
          }
        })
        .catch(() => { if (current) setOffline(true); });
    };
    load();
    return () => { current = false; clearTimeout(timer); };
  }, [services, meetingId, version]);
  if (offline) return <p class="muted">{da.letters.offline}</p>;
  if (!letters || letters.length === 0) return null;
  return (
    <section aria-labelledby={`letters-${meetingId}`}>
      <h3 id={`letters-${meetingId}`}>{da.letters.heading}</h3>
      <ul>
        {letters.map((letter) => (
          <li key={letter.id}>
            {da.letters.kind[letter.kind ?? ""] ?? ""} – {letter.guardian}: <span class="letter-state">{deliveryText(letter)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
