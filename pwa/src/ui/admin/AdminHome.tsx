import { useState } from "preact/hooks";

import type { User } from "../../api/auth";
import type { Services } from "../../app/services";
import { da } from "../../i18n/da";
import { Outbox } from "../Outbox";
import { Approvals } from "./Approvals";
import { Institutions } from "./Institutions";
import { Users } from "./Users";

type Section = "users" | "approvals" | "institutions" | "outbox";
const SECTIONS: Section[] = ["users", "approvals", "institutions", "outbox"];

/** The admin's start page: users, changes waiting for approval, institutions, and whether
 *  messages to parents go out. */
export function AdminHome({ services, user }: { services: Services; user: User }) {
  const [section, setSection] = useState<Section>("users");
  return (
    <>
      <p class="hint">{da.admin.intro}</p>
      <nav aria-label={da.admin.nav} class="admin-nav">
        {SECTIONS.map((s) => (
          <button key={s} type="button" class={s === section ? "" : "secondary"}
            aria-current={s === section ? "page" : undefined} onClick={() => setSection(s)}>
            {da.admin[s]}
          </button>
        ))}
      </nav>
      {section === "users" && <Users services={services} me={user} />}
      {section === "approvals" && <Approvals services={services} />}
      {section === "institutions" && <Institutions services={services} />}
      {section === "outbox" && <Outbox services={services} />}
    </>
  );
}
