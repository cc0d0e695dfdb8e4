import { useEffect, useState } from "preact/hooks";

import type { ApiClient } from "../api/client";
import { da } from "../i18n/da";
import { adminProblem } from "./admin/problems";
import { Field } from "./Field";

interface Contact {
  work_phone: string;
  work_email: string;
}

/** The person's work phone and e-mail, which parents see on the pages, letters and PDFs of
 *  the courses they lead (GET/PATCH /api/auth/me/contact). The server checks and writes the
 *  number one way ("70 10 20 30"); what it saved is shown back. Needs the network. */
export function MyContact({ api }: { api: ApiClient }) {
  const [contact, setContact] = useState<Contact | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    api.get<Contact>("/api/auth/me/contact").then(setContact, (err: unknown) => setProblem(adminProblem(err).summary));
  }, [api]);
  if (contact === null) return problem ? <p role="alert" class="error">{problem}</p> : <p>{da.loading}</p>;
  const change = (name: keyof Contact) => (value: string) => {
    setContact({ ...contact, [name]: value });
    setStatus("");
  };
  const save = async (event: Event) => {
    event.preventDefault();
    setProblem(null);
    try {
      setContact(await api.patch<Contact>("/api/auth/me/contact", contact));
      setErrors({});
      setStatus(da.account.contactSaved);
    } catch (err) {
      const found = adminProblem(err);
      setErrors(found.fields);
      setProblem(found.summary);
    }
  };
  return (
    <form class="my-contact" onSubmit={save} aria-labelledby="my-contact-heading">
      <h2 id="my-contact-heading">{da.account.contactHeading}</h2>
      <p>{da.account.contactIntro}</p>
      <Field id="work-phone" label={da.account.workPhone} type="text" autocomplete="work tel"
        value={contact.work_phone} error={errors.work_phone} onInput={change("work_phone")} />
      <Field id="work-email" label={da.account.workEmail} type="email" autocomplete="work email"
        value={contact.work_email} error={errors.work_email} onInput={change("work_email")} />
      {problem && <p role="alert" class="error">{problem}</p>}
      <button type="submit">{da.account.saveContact}</button>
      <p role="status">{status}</p>
    </form>
  );
}
