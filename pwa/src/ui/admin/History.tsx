import { useEffect, useState } from "preact/hooks";

import type { ApiClient } from "../../api/client";
import { da } from "../../i18n/da";
import { when } from "../format";
import { adminProblem } from "./problems";
import type { HistoryEntry } from "./types";

/** An account's history, newest first: what happened, who did it, when (an approval is
 *  done by the approver). The same list for admins and for the person themself. */
export function History({ api, url, label }: { api: ApiClient; url: string; label: string }) {
  const [rows, setRows] = useState<HistoryEntry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.get<HistoryEntry[]>(url).then(setRows, (err: unknown) => setProblem(adminProblem(err).summary));
  }, [api, url]);
  if (problem) return <p role="alert" class="error">{problem}</p>;
  if (rows === null) return <p>{da.loading}</p>;
  return (
    <section aria-label={label} class="account-history">
      {rows.length === 0 ? <p>{da.account.noHistory}</p> : (
        <ol>
          {rows.map((row, i) => (
            <li key={i}>
              <strong>{da.account.actions[row.action] ?? row.action}</strong>{" "}
              {da.account.by(row.actor_name, when(row.at))}
              {row.detail && <><br /><small>{row.detail}</small></>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
