import { useEffect, useState } from "preact/hooks";

import { ApiError } from "../api/client";
import type { Services } from "../app/services";
import { checkFields } from "../contract/check";
import { da } from "../i18n/da";
import { describeFieldProblems } from "../i18n/problems";
import { TextField } from "./TextField";

interface Doc { id: string; title: string; kind: string; shared_with_guardians: boolean }

/** The course's documents (resource assessment, TOPI, ...): online only, files can be large. */
export function Documents({ services, courseId }: { services: Services; courseId: string }) {
  const { api } = services;
  const [docs, setDocs] = useState<Doc[] | null>(null);
  const [title, setTitle] = useState("");
  const [kind, setKind] = useState("resource_assessment");
  const [share, setShare] = useState(false);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const load = () => api.get<Doc[]>(`/api/courses/${courseId}/attachments`)
    .then(setDocs, () => setDocs(null));
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `load` is new each render; it reads only what is listed
  useEffect(() => { void load(); }, [courseId]);

  async function add(event: Event) {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement; // gone after the first await
    // The server's rules for the form (e.g. a title of at most 200 characters), before sending.
    const found = describeFieldProblems(checkFields("attachment_form",
      { title: title.trim(), kind, shared_with_guardians: share }, "create"));
    setErrors(found);
    if (!file || Object.keys(found).length) { setProblem(da.documents.missing); return; }
    const form = new FormData();
    form.append("file", file);
    form.append("title", title.trim());
    form.append("kind", kind);
    form.append("shared_with_guardians", share ? "true" : "false");
    try {
      await api.postForm(`/api/courses/${courseId}/attachments`, form);
      setTitle(""); setFile(null); setProblem(null);
      formElement.reset();
      await load();
    } catch (error) {
      setProblem(error instanceof ApiError
        ? da.rejections[error.code] ?? (error.status >= 500 ? da.errors.server : da.documents.missing)
        : da.documents.needsNetwork);
    }
  }

  async function toggle(doc: Doc) {
    await api.patch(`/api/attachments/${doc.id}`, { shared_with_guardians: !doc.shared_with_guardians })
      .then(load, () => setProblem(da.documents.needsNetwork));
  }

  return (
    <section aria-labelledby="documents-heading">
      <h2 id="documents-heading">{da.documents.heading}</h2>
      {docs === null && <p class="hint">{da.documents.needsNetwork}</p>}
      {docs?.length === 0 && <p class="hint">{da.documents.none}</p>}
      <ul>
        {(docs ?? []).map((d) => (
          <li key={d.id}>
            <a href={`/api/attachments/${d.id}/file`}>{d.title}</a> ({da.documents.kinds[d.kind] ?? d.kind})
            <label class="choice">
              <input type="checkbox" checked={d.shared_with_guardians} onChange={() => void toggle(d)} />
              {da.documents.shared}
            </label>
          </li>
        ))}
      </ul>
      {docs !== null && (
        <form onSubmit={(e) => void add(e)}>
          <label for="doc-file">{da.documents.file}</label>
          <input id="doc-file" type="file" accept="application/pdf,image/jpeg,image/png"
            onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          <TextField id="doc-title" label={da.documents.title} entity="attachment_form" field="title" value={title}
            error={errors["title"]} onInput={(v) => { setTitle(v); setErrors({}); }} />
          <label for="doc-kind">{da.documents.kind}</label>
          <select id="doc-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {Object.entries(da.documents.kinds).map(([v, l]) => <option key={v} value={v}>{l}</option>)}
          </select>
          <label class="choice">
            <input type="checkbox" checked={share} onChange={(e) => setShare(e.currentTarget.checked)} />
            {da.documents.share}
          </label>
          {problem && <p role="alert" class="error">{problem}</p>}
          <button type="submit">{da.documents.add}</button>
        </form>
      )}
    </section>
  );
}
