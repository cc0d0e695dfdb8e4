import { useEffect, useState } from "preact/hooks";

import type { Services } from "../../app/services";
import { da } from "../../i18n/da";
import type { UserMessage } from "../../i18n/messages";
import { Field } from "../Field";
import { adminProblem } from "./problems";
import { SelectField } from "./SelectField";
import { type AdminUser, INSTITUTION_KINDS, type Institution } from "./types";

/** Daycares and schools: list, create, rename, and delete one nobody belongs to. */
export function Institutions({ services }: { services: Services }) {
  const { api } = services;
  const [rows, setRows] = useState<Institution[] | null>(null);
  const [staff, setStaff] = useState<Record<string, number>>({});
  const [problem, setProblem] = useState<UserMessage | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [identifying, setIdentifying] = useState<string | null>(null);

  async function load() {
    try {
      const [institutions, users] = await Promise.all([
        api.get<Institution[]>("/api/institutions"), api.get<AdminUser[]>("/api/users")]);
      const counts: Record<string, number> = {};
      for (const u of users) {
        if (u.institution_id) counts[u.institution_id] = (counts[u.institution_id] ?? 0) + 1;
      }
      setRows(institutions);
      setStaff(counts);
    } catch (err) {
      setProblem(adminProblem(err));
    }
  }
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is new each render; it reads only what is listed
  useEffect(() => { void load(); }, [api]);

  async function remove(row: Institution) {
    if (!window.confirm(da.admin.confirmRemove(row.name))) return;
    setDone(null);
    try {
      await api.delete(`/api/institutions/${row.id}`);
      setProblem(null);
      setDone(da.admin.removed(row.name));
      await load();
    } catch (err) {
      setProblem(adminProblem(err));
    }
  }

  return (
    <section aria-labelledby="institutions-heading">
      <h2 id="institutions-heading">{da.admin.institutions}</h2>
      {problem && <p role="alert" class="error">{problem.summary}</p>}
      {done && <p role="status">{done}</p>}
      <ul class="admin-list">
        {(rows ?? []).map((row) => (
          <li key={row.id} aria-label={row.name}>
            <p>
              <strong>{row.name}</strong> · {da.admin.kinds[row.kind] ?? row.kind} ·{" "}
              {da.admin.staffCount(staff[row.id] ?? 0)}
              <br />
              <small>{row.external_id ? da.admin.externalIdShown(row.external_id) : da.admin.noExternalId}</small>
            </p>
            {identifying === row.id ? (
              <ExternalId services={services} row={row} onDone={async (message) => {
                setIdentifying(null);
                setDone(message);
                setProblem(null);
                await load();
              }} />
            ) : renaming === row.id ? (
              <Rename services={services} row={row} onDone={async (message) => {
                setRenaming(null);
                setDone(message);
                setProblem(null);
                await load();
              }} />
            ) : (
              <>
                <button type="button" class="secondary" onClick={() => setRenaming(row.id)}>
                  {da.admin.rename(row.name)}
                </button>{" "}
                <button type="button" class="secondary" onClick={() => setIdentifying(row.id)}>
                  {da.admin.editExternalId(row.name)}
                </button>{" "}
                <button type="button" class="secondary" onClick={() => void remove(row)}>
                  {da.admin.remove(row.name)}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      <NewInstitution services={services} onCreated={async (message) => {
        setDone(message);
        setProblem(null);
        await load();
      }} />
    </section>
  );
}

function Rename({ services, row, onDone }: { services: Services; row: Institution;
  onDone: (message: string) => Promise<void> }) {
  const [name, setName] = useState(row.name);
  const [problem, setProblem] = useState<UserMessage | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    if (!name.trim()) {
      setProblem({ summary: da.errors.invalid, fields: { name: da.admin.fields.name ?? "" } });
      return;
    }
    try {
      await services.api.patch(`/api/institutions/${row.id}`, { name: name.trim() });
      await onDone(da.admin.renamed);
    } catch (err) {
      setProblem(adminProblem(err));
    }
  }

  return (
    <form onSubmit={save} noValidate class="admin-form" aria-label={da.admin.rename(row.name)}>
      {problem && <p role="alert" class="error">{problem.summary}</p>}
      <Field id={`rename-${row.id}`} label={da.admin.newName} type="text" autocomplete="off"
        value={name} error={problem?.fields.name} onInput={setName} />
      <button type="submit">{da.admin.saveName}</button>
    </form>
  );
}

/** The id the municipality's login names the institution by (STAFF_INSTITUTION_CLAIM):
 *  staff who sign in there are placed in the institution it matches. Empty clears it. */
function ExternalId({ services, row, onDone }: { services: Services; row: Institution;
  onDone: (message: string) => Promise<void> }) {
  const [value, setValue] = useState(row.external_id ?? "");
  const [problem, setProblem] = useState<UserMessage | null>(null);

  async function save(event: Event) {
    event.preventDefault();
    try {
      await services.api.patch(`/api/institutions/${row.id}`, { external_id: value.trim() || null });
      await onDone(da.admin.externalIdSaved);
    } catch (err) {
      setProblem(adminProblem(err));
    }
  }

  return (
    <form onSubmit={save} noValidate class="admin-form" aria-label={da.admin.editExternalId(row.name)}>
      {problem && <p role="alert" class="error">{problem.summary}</p>}
      <Field id={`external-id-${row.id}`} label={da.admin.externalId} type="text" autocomplete="off"
        value={value} error={problem?.fields.external_id} onInput={setValue} />
      <button type="submit">{da.admin.saveExternalId}</button>
    </form>
  );
}

function NewInstitution({ services, onCreated }: { services: Services;
  onCreated: (message: string) => Promise<void> }) {
  const [name, setName] = useState("");
  const [kind, setKind] = useState<string>("daycare");
  const [problem, setProblem] = useState<UserMessage | null>(null);

  async function create(event: Event) {
    event.preventDefault();
    if (!name.trim()) {
      setProblem({ summary: da.errors.invalid, fields: { name: da.admin.fields.name ?? "" } });
      return;
    }
    try {
      const created = await services.api.post<Institution>("/api/institutions",
        { name: name.trim(), kind });
      setName("");
      setProblem(null);
      await onCreated(da.admin.institutionCreated(created.name));
    } catch (err) {
      setProblem(adminProblem(err));
    }
  }

  return (
    <form onSubmit={create} noValidate class="admin-form" aria-labelledby="new-institution-heading">
      <h3 id="new-institution-heading">{da.admin.newInstitution}</h3>
      {problem && <p role="alert" class="error">{problem.summary}</p>}
      <Field id="new-institution-name" label={da.admin.name} type="text" autocomplete="off"
        value={name} error={problem?.fields.name}
        onInput={(value) => { setName(value); setProblem(null); }} />
      <SelectField id="new-institution-kind" label={da.admin.kind} value={kind}
        options={INSTITUTION_KINDS.map((k) => [k, da.admin.kinds[k] ?? k])}
        error={problem?.fields.kind} onChange={setKind} />
      <button type="submit">{da.admin.createInstitution}</button>
    </form>
  );
}
