import { useState } from "preact/hooks";

import type { User } from "../../api/auth";
import type { Services } from "../../app/services";
import { da } from "../../i18n/da";
import type { UserMessage } from "../../i18n/messages";
import { Field } from "../Field";
import { adminProblem, missingUserFields, suggestPassword } from "./problems";
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

/** One account's changes: role and institution (never one's own), a new password,
 *  deactivation and reactivation. Each of them signs the user out everywhere (the server
 *  ends the sessions), which the messages say. */
export function UserEditor({ services, user, me, institutions, onChanged, onClose }: Props) {
  const own = user.id === me.id;
  const [role, setRole] = useState(user.role);
  const [institution, setInstitution] = useState(user.institution_id ?? "");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<UserMessage | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = (name: string) => `user-${user.id}-${name}`;

  async function change(body: Record<string, unknown>, message: string,
                        check: Record<string, string> = {}) {
    setDone(null);
    if (Object.keys(check).length) {
      setProblem({ summary: da.errors.invalid, fields: check });
      return;
    }
    setBusy(true);
    try {
      await services.api.patch(`/api/users/${user.id}`, body);
      setProblem(null);
      setDone(message);
      setPassword("");
      await onChanged();
    } catch (err) {
      setProblem(adminProblem(err));
    } finally {
      setBusy(false);
    }
  }

  function saveAccess(event: Event) {
    event.preventDefault();
    const check = missingUserFields({ ...user, role, institution_id: institution });
    void change({ role, institution_id: institution || null }, da.admin.accessSaved, check);
  }

  function setNewPassword(event: Event) {
    event.preventDefault();
    const check = password.length < 10 ? { password: da.admin.fields.password ?? "" } : {};
    void change({ password }, own ? da.admin.ownPasswordSet : da.admin.passwordSet, check);
  }

  function toggleActive() {
    if (user.active && !window.confirm(da.admin.confirmDeactivate(user.name))) return;
    void change({ active: !user.active }, user.active ? da.admin.deactivated : da.admin.reactivated);
  }

  const error = (name: string) => problem?.fields[name];
  return (
    <div class="admin-editor" role="group" aria-label={da.admin.edit(user.name)}>
      {problem && <p role="alert" class="error">{problem.summary}</p>}
      {done && <p role="status">{done}</p>}
      <form onSubmit={saveAccess} noValidate class="admin-form">
        <SelectField id={id("role")} label={da.admin.role} value={role} disabled={own}
          hint={own ? da.admin.ownAccess : undefined} error={error("role")}
          options={ROLES.map((r) => [r, da.roles[r] ?? r])} onChange={setRole} />
        <SelectField id={id("institution")} label={da.admin.institution} value={institution}
          disabled={own} error={error("institution_id")}
          options={[["", da.admin.noInstitution], ...institutions.map((i): [string, string] => [i.id, i.name])]}
          onChange={setInstitution} />
        {!own && <button type="submit" disabled={busy}>{da.admin.saveAccess}</button>}
      </form>
      <form onSubmit={setNewPassword} noValidate class="admin-form">
        <Field id={id("password")} label={da.admin.newPassword} type="text"
          autocomplete="new-password" value={password} error={error("password")}
          onInput={setPassword} />
        <button type="button" class="secondary" onClick={() => setPassword(suggestPassword())}>
          {da.admin.suggest}
        </button>{" "}
        <button type="submit" disabled={busy}>{da.admin.setPassword}</button>
      </form>
      {!own && (
        <button type="button" class="secondary" disabled={busy} onClick={toggleActive}>
          {user.active ? da.admin.deactivate : da.admin.reactivate}
        </button>
      )}{" "}
      <button type="button" class="secondary" onClick={onClose}>{da.admin.close}</button>
    </div>
  );
}
