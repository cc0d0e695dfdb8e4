import { useEffect, useState } from "preact/hooks";

import type { Services } from "../../app/services";
import { da } from "../../i18n/da";
import { when } from "../format";
import { changeLines } from "./changes";
import { adminProblem } from "./problems";
import type { AccountChange, Institution } from "./types";

/** Changes waiting for a second admin: Approve and Reject for those this admin may decide;
 *  for the others, why another admin must (the server checks again). */
export function Approvals({ services }: { services: Services }) {
  const { api } = services;
  const [changes, setChanges] = useState<AccountChange[] | null>(null);
  const [institutions, setInstitutions] = useState<Institution[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function load() {
    try {
      const [c, i] = await Promise.all([api.get<AccountChange[]>("/api/users/changes"),
        api.get<Institution[]>("/api/institutions")]);
      setChanges(c);
      setInstitutions(i);
    } catch (err) {
      setProblem(adminProblem(err).summary);
    }
  }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is new each render; it reads only what is listed
  useEffect(() => { void load(); }, [api]);

  async function decide(change: AccountChange, verb: "approve" | "reject") {
    setBusy(true);
    setDone(null);
    try {
      await api.post(`/api/users/changes/${change.id}/${verb}`);
      setProblem(null);
      setDone(verb === "approve" ? da.admin.approved : da.admin.rejected);
      await load();
    } catch (err) {
      setProblem(adminProblem(err).summary);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="approvals-heading">
      <h2 id="approvals-heading">{da.admin.approvals}</h2>
      <p class="hint">{da.admin.approvalsIntro}</p>
      {problem && <p role="alert" class="error">{problem}</p>}
      {done && <p role="status">{done}</p>}
      {changes !== null && changes.length === 0 && <p>{da.admin.noApprovals}</p>}
      <ul class="admin-list">
        {(changes ?? []).map((c) => {
          const title = c.kind === "create" ? da.admin.newAccount(c.user_name) : da.admin.changeOf(c.user_name);
          return (
            <li key={c.id} aria-label={title}>
              <p>
                <strong>{title}</strong>
                <br />
                {changeLines(c, institutions).join(" · ")}
                <br />
                <small>{da.admin.requestedBy(c.requested_by_name, when(c.requested_at))}</small>
              </p>
              {c.may_approve ? (
                <button type="button" disabled={busy} onClick={() => void decide(c, "approve")}>
                  {da.admin.approve}
                </button>
              ) : (
                <p class="hint">{da.admin.refusals[c.refusal ?? ""] ?? da.admin.problems.approval_refused}</p>
              )}{" "}
              <button type="button" class="secondary" disabled={busy} onClick={() => void decide(c, "reject")}>
                {da.admin.reject}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
