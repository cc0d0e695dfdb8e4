import { useState } from "preact/hooks";

import type { ApiClient } from "../api/client";
import { da } from "../i18n/da";
import { History } from "./admin/History";
import { MyContact } from "./MyContact";

/** The signed-in person's own account: how parents reach them (MyContact), and its history:
 *  every change, who made it, when, who approved it (GET /api/auth/me/history). Needs the
 *  network. */
export function MyAccount({ api }: { api: ApiClient }) {
  const [open, setOpen] = useState(false);
  return (
    <div class="my-account">
      <button type="button" class="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? da.account.hide : da.account.mine}
      </button>
      {open && (
        <>
          <MyContact api={api} />
          <h2>{da.account.historyHeading}</h2>
          <History api={api} url="/api/auth/me/history" label={da.account.historyHeading} />
        </>
      )}
    </div>
  );
}
