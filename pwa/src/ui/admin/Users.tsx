import { useEffect, useState } from "preact/hooks";

import type { User } from "../../api/auth";
import type { Services } from "../../app/services";
import { da } from "../../i18n/da";
import type { UserMessage } from "../../i18n/messages";
import { Field } from "../Field";
import { changeLines } from "./changes";
import { adminProblem, missingUserFields } from "./problems";
import { SelectField } from "./SelectField";
import { type AdminUser, type Institution, ROLES } from "./types";
import { UserEditor } from "./UserEditor";

const EMPTY = { name: "", email: "", role: "educator", institution_id: "" };

/** Staff accounts: the list (with what waits for approval), and a form to ask for a new
 *  colleague's account; a second admin approves it and the colleague chooses a password.
 *  Needs the network. */
export function Users({ services, me }: { services: Services; me: User }) {
  const { api } = services;
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [institutions, setInstitutions] = useState<Institution[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  // With the municipality's login, accounts, roles and institutions come from it: the
  // screen says so and offers no new account (the server refuses one anyway).
  const [managed, setManaged] = useState(false);

  async function load() {
    try {
      const [u, i, methods] = await Promise.all([api.get<AdminUser[]>("/api/users"),
        api.get<Institution[]>("/api/institutions"), services.auth.methods()]);
      setUsers(u);
      setInstitutions(i);
      setManaged(methods.oidc);
      setProblem(null);
    } catch (err) {
      setProblem(adminProblem(err).summary);
    }
  }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is new each render; it reads only what is listed
  useEffect(() => { void load(); }, [api]);

  const institutionName = (id: string | null) =>
    institutions.find((i) => i.id === id)?.name ?? da.admin.noInstitution;
  return (
    <section aria-labelledby="users-heading">
      <h2 id="users-heading">{da.admin.users}</h2>
      {problem && <p role="alert" class="error">{problem}</p>}
      {managed && <p class="hint" role="note">{da.admin.managedByLogin}</p>}
      <ul class="admin-list">
        {(users ?? []).map((u) => (
          <li key={u.id} aria-label={u.name} class={u.active ? "" : "inactive"}>
            <p>
              <strong>{u.name}</strong> {u.id === me.id && da.admin.you}
              <br />
              {u.email} · {da.roles[u.role] ?? u.role} · {institutionName(u.institution_id)} ·{" "}
              {u.pending ? da.admin.pendingAccount : u.active ? da.admin.active : da.admin.inactive}
              {u.pending_change && !u.pending && (
                <>
                  <br />
                  <small>{da.admin.pendingChange(changeLines(u.pending_change, institutions).join(", "),
                    u.pending_change.requested_by_name)}</small>
                </>
              )}
            </p>
            {editing === u.id ? (
              <UserEditor services={services} user={u} me={me} institutions={institutions}
                onChanged={load} onClose={() => setEditing(null)} />
            ) : (
              <button type="button" class="secondary" onClick={() => setEditing(u.id)}>
                {da.admin.edit(u.name)}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!managed && <NewUser services={services} institutions={institutions} onCreated={load} />}
    </section>
  );
}

function NewUser({ services, institutions, onCreated }: { services: Services;
  institutions: Institution[]; onCreated: () => Promise<void> }) {
  const [form, setForm] = useState(EMPTY);
  const [problem, setProblem] = useState<UserMessage | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<typeof EMPTY>) => setForm({ ...form, ...change });

  async function create(event: Event) {
    event.preventDefault();
    setDone(null);
    const missing = missingUserFields(form);
    if (Object.keys(missing).length) {
      setProblem({ summary: da.errors.invalid, fields: missing });
      return;
    }
    setBusy(true);
    try {
      const created = await services.api.post<AdminUser>("/api/users", {
        ...form, name: form.name.trim(), email: form.email.trim(),
        institution_id: form.institution_id || null,
      });
      setProblem(null);
      setForm(EMPTY);
      setDone(da.admin.userCreated(created.name));
      await onCreated();
    } catch (err) {
      setProblem(adminProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const error = (name: string) => problem?.fields[name];
  return (
    <form onSubmit={create} noValidate aria-labelledby="new-user-heading" class="admin-form">
      <h3 id="new-user-heading">{da.admin.newUser}</h3>
      {problem && <p role="alert" class="error">{problem.summary}</p>}
      {done && <p role="status">{done}</p>}
      <Field id="new-user-name" label={da.admin.name} type="text" autocomplete="off"
        value={form.name} error={error("name")} onInput={(name) => set({ name })} />
      <Field id="new-user-email" label={da.admin.email} type="email" autocomplete="off"
        value={form.email} error={error("email")} onInput={(email) => set({ email })} />
      <SelectField id="new-user-role" label={da.admin.role} value={form.role}
        options={ROLES.map((r) => [r, da.roles[r] ?? r])} error={error("role")}
        onChange={(role) => set({ role })} />
      <SelectField id="new-user-institution" label={da.admin.institution}
        value={form.institution_id} error={error("institution_id")}
        options={[["", da.admin.noInstitution], ...institutions.map((i): [string, string] => [i.id, i.name])]}
        onChange={(institution_id) => set({ institution_id })} />
      <p class="hint">{da.admin.newUserHint}</p>
      <button type="submit" disabled={busy}>{da.admin.createUser}</button>
    </form>
  );
}
