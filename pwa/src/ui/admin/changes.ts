// Account changes in words: "Rolle: Pædagog/lærer → PPR-psykolog".

import { da } from "../../i18n/da";
import type { AccountChange, Institution } from "./types";

function word(name: string, value: unknown, institutions: Institution[]): string {
  if (value === null || value === undefined || value === "") return da.admin.noInstitution;
  if (name === "role") return da.roles[String(value)] ?? String(value);
  if (name === "institution_id") return institutions.find((i) => i.id === value)?.name ?? String(value);
  if (name === "active") return value ? da.admin.yes : da.admin.no;
  return String(value);
}

/** Each requested value beside the one it replaces (a new account: its values only). */
export function changeLines(change: AccountChange, institutions: Institution[]): string[] {
  return Object.entries(change.values).map(([name, value]) => {
    const label = da.admin.changeFields[name] ?? name;
    const to = word(name, value, institutions);
    if (change.kind === "create") return `${label}: ${to}`;
    return da.admin.change(label, word(name, change.previous[name], institutions), to);
  });
}
