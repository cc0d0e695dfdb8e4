import { useEffect, useState } from "preact/hooks";

import type { ApiClient } from "../../api/client";
import { da } from "../../i18n/da";
import { when } from "../format";
import { adminProblem } from "./problems";

/** A device the person has signed in on (GET /api/devices?user_id=; never its key). */
interface Device {
  id: string;
  device_id: string;
  created_at: string;
  last_used_at: string;
  closed_at: string | null;
}

/** The tablets a person has signed in on; a lost one is closed here: its stored data can no
 * longer be opened with the server's key, and the person's sessions end (docs/security.md). */
export function Devices({ api, userId, label }: { api: ApiClient; userId: string; label: string }) {
  const [rows, setRows] = useState<Device[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const url = `/api/devices?user_id=${encodeURIComponent(userId)}`;
  useEffect(() => {
    api.get<Device[]>(url).then(setRows, (err: unknown) => setProblem(adminProblem(err).summary));
  }, [api, url]);

  async function close(device: Device) {
    if (!window.confirm(da.admin.devices.confirm)) return;
    try {
      const closed = await api.post<Device>(`/api/devices/${device.id}/close`);
      setRows((all) => all?.map((d) => (d.id === closed.id ? closed : d)) ?? null);
    } catch (err) {
      setProblem(adminProblem(err).summary);
    }
  }

  if (rows === null && !problem) return <p>{da.loading}</p>;
  return (
    <section aria-label={label} class="account-history">
      {problem && <p role="alert" class="error">{problem}</p>}
      {rows?.length === 0 && <p>{da.admin.devices.none}</p>}
      <ol>
        {rows?.map((d) => (
          <li key={d.id}>
            {da.admin.devices.used(when(d.created_at), when(d.last_used_at))}{" "}
            {d.closed_at ? <strong>{da.admin.devices.closed(when(d.closed_at))}</strong> : (
              <button type="button" class="secondary" onClick={() => void close(d)}>{da.admin.devices.close}</button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
