import { useEffect, useState } from "preact/hooks";

import { useChildren } from "../app/live";
import type { Services } from "../app/services";
import type { Stored } from "../data/records";
import { da } from "../i18n/da";
import { Confirm } from "./Confirm";
import { when } from "./format";

interface PhoneSession {
  id: string;
  created_at: string;
  last_seen_at: string;
  revoked_at: string | null;
}

/**
 * The guardians' links and phones: send a new link, close a phone's access. These act on
 * the server at once (no queue): access must end when staff say so, not at the next sync.
 */
export function ParentAccess({ services, childId }: { services: Services; childId: string }) {
  const guardians = useChildren(services.read, "guardian", childId);
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    addEventListener("online", update);
    addEventListener("offline", update);
    return () => { removeEventListener("online", update); removeEventListener("offline", update); };
  }, []);
  return (
    <section aria-labelledby="parent-access-heading">
      <h3 id="parent-access-heading">{da.parentAccess.heading}</h3>
      <p class="hint">{da.parentAccess.intro}</p>
      {!online && <p class="hint">{da.parentAccess.needsNetwork}</p>}
      <ul class="guardians">
        {guardians.map((g) => <GuardianAccess key={g.id} services={services} guardian={g} online={online} />)}
      </ul>
    </section>
  );
}

function GuardianAccess({ services, guardian, online }: { services: Services; guardian: Stored<"guardian">; online: boolean }) {
  const f = guardian.fields;
  const name = `${f.name}${f.relation ? ` (${f.relation})` : ""}`;
  const [phones, setPhones] = useState<PhoneSession[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [asking, setAsking] = useState<PhoneSession | null>(null);
  const load = () => services.api.get<PhoneSession[]>(`/api/guardians/${guardian.id}/sessions`)
    .then(setPhones, () => setPhones(null));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is new each render; it reads only what is listed
  useEffect(() => { if (online) void load(); }, [online, guardian.id]);

  if (!f.has_custody) return <li>{name} {da.parentAccess.noCustody}</li>;
  if (!f.email) return <li>{name} {da.parentAccess.noEmail}</li>;

  async function sendLink() {
    try {
      await services.api.post(`/api/guardians/${guardian.id}/invitations`);
      setMessage(da.parentAccess.sent);
    } catch {
      setMessage(da.errors.offline);
    }
  }

  async function revoke(id: string) {
    try {
      await services.api.post(`/api/guardian-sessions/${id}/revoke`);
      await load();
    } catch {
      setMessage(da.errors.offline);
    }
  }

  return (
    <li>
      <p>{name}</p>
      {online && phones && phones.length === 0 && <p class="hint">{da.parentAccess.noPhones}</p>}
      {online && phones && phones.length > 0 && (
        <>
          <p>{da.parentAccess.phones}</p>
          <ul>
            {phones.map((p) => (
              <li key={p.id}>
                {p.revoked_at ? da.parentAccess.revoked(when(p.revoked_at))
                  : da.parentAccess.phone(when(p.created_at), when(p.last_seen_at))}
                {!p.revoked_at && (
                  <button type="button" class="secondary" onClick={() => setAsking(p)}>
                    {da.parentAccess.revoke}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {/* Closing a phone's access cannot be undone from here: asked first. */}
      <Confirm open={asking !== null} title={da.confirm.revokeTitle} confirm={da.confirm.revoke}
        onCancel={() => setAsking(null)}
        onConfirm={() => { const phone = asking; setAsking(null); if (phone) void revoke(phone.id); }}>
        <p>{da.confirm.revokeBody(name, when(asking?.created_at))}</p>
      </Confirm>
      <button type="button" class="secondary" disabled={!online} onClick={() => void sendLink()}>
        {da.parentAccess.sendLink(f.name)}
      </button>
      {message && <p role="status">{message}</p>}
    </li>
  );
}
