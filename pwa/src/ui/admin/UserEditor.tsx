import { useState } from "preact/hooks";

import type { User } from "../../api/auth";
import type { Services } from "../../app/services";
import { da } from "../../i18n/da";
import type { UserMessage } from "../../i18n/messages";
import { Field } from "../Field";
import { Devices } from "./Devices";
import { History } from "./History";
import { adminProblem, missingUserFields } from "./problems";
import { SelectField } from "./SelectField";
import { type AdminUser, type Institution, ROLES } from "./types";

interface Props {
  services: Services;
  user: AdminUser;
  me: User;
  institutions: Institution[];
  onChanged: () => Promise<void>;
  onClose: () => void;
}

/** One account: ask for a change of e-mail, role or institution (never one's own) or a
 *  reactivation, which waits for another admin's approval; send a link to choose a new
 *  password (the admin never sees it); deactivate at once; read the history. */
export function UserEditor({ services, user, me, institutions, onChanged, onClose }: Props) {
  const own = user.id === me.id;
  const [email, setEmail] = useState(user.email);
  const [role, setRole] = useState(user.role);
  const [institution, setInstitution] = useState(user.institution_id ?? "");
  const [problem, setProblem] = useState<UserMessage | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [history, setHistory] = useState(false);
  const [devices, setDevices] = useState(false);
  const id = (name: string) => `user-${user.id}-${name}`;

  async function send(request: () => Promise<unknown>, message: string) {
    setDone(null);
    setBusy(true);
    try {
      await request();
      setProblem(null);
      setDone(message);
      await onChanged();
    } catch (err) {
      setProblem(adminProblem(err));
    } finally {
      setBusy(false);
    }
  }

  function saveAccess(event: Event) {
    event.preventDefault();
    const check = missingUserFields({ ...user, email, role, institution_id: institution });
    if (Object.keys(check).length) {
      setProblem({ summary: da.errors.invalid, fields: check });
      return;
    }
    const body: Record<string, unknown> = {};
    if (email.trim().toLowerCase() !== user.email) body.email = email.trim();
    if (role !== user.role) body.role = role;
    if ((institution || null) !== user.institution_id) body.institution_id = institution || null;
    if (!Object.keys(body).length) {
      setDone(da.admin.nothingChanged);
      return;
    }
    void send(() => services.api.patch(`/api/users/${user.id}`, body), da.admin.accessRequested);
  }

  function toggleActive() {
    if (user.active) {
      if (!window.confirm(da.admin.confirmDeactivate(user.name))) return;
      void send(() => services.api.patch(`/api/users/${user.id}`, { active: false }), da.admin.deactivated);
    } else {
      void send(() => services.api.patch(`/api/users/${user.id}`, { active: true }),
        da.admin.reactivationRequested);
    }
  }

  const error = (name: string) => problem?.fields[name];
  return (
    <div class="admin-editor" role="group" aria-label={da.admin.edit(user.name)}>
      {problem && <p role="alert" class="error">{problem.summary}</p>}
      {done && <p role="status">{done}</p>}
      <form onSubmit={saveAccess} noValidate class="admin-form">
        <Field id={id("email")} label={da.admin.email} type="email" autocomplete="off"
          value={email} error={error("email")} onInput={setEmail} />
        <SelectField id={id("role")} label={da.admin.role} value={role} disabled={own}
          hint={own ? da.admin.ownAccess : undefined} error={error("role")}
          options={ROLES.map((r) => [r, da.roles[r] ?? r])} onChange={setRole} />
        <SelectField id={id("institution")} label={da.admin.institution} value={institution}
          disabled={own} error={error("institution_id")}
          options={[["", da.admin.noInstitution], ...institutions.map((i): [string, string] => [i.id, i.name])]}
          onChange={setInstitution} />
        <button type="submit" disabled={busy || user.pending}>{da.admin.saveAccess}</button>
      </form>
      {user.active && !user.pending && (
        <button type="button" class="secondary" disabled={busy}
          onClick={() => void send(() => services.api.post(`/api/users/${user.id}/password-link`),
            da.admin.linkSent(user.email))}>
          {da.admin.sendLink}
        </button>
      )}{" "}
      {!own && !user.pending && (
        <button type="button" class="secondary" disabled={busy} onClick={toggleActive}>
          {user.active ? da.admin.deactivate : da.admin.reactivate}
        </button>
      )}{" "}
      <button type="button" class="secondary" aria-expanded={history} onClick={() => setHistory(!history)}>
        {history ? da.admin.hideHistory : da.admin.history}
      </button>{" "}
      <button type="button" class="secondary" aria-expanded={devices} onClick={() => setDevices(!devices)}>
        {devices ? da.admin.devices.hide : da.admin.devices.show}
      </button>{" "}
      <button type="button" class="secondary" onClick={onClose}>{da.admin.close}</button>
      {history && <History api={services.api} url={`/api/users/${user.id}/history`}
        label={`${da.admin.history}: ${user.name}`} />}
      {devices && <Devices api={services.api} userId={user.id} label={`${da.admin.devices.show}: ${user.name}`} />}
    </div>
  );
}
