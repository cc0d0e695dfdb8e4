// The wire format of sync/PROTOCOL.md (version 1). The envelope's types are generated from
// the server's own schemas (server/sync/protocol.py, routes.py) into contract.gen.ts; this
// module adds what the client decides (batch sizes) and names them where sync code looks.

import type { PullPage, WirePurge } from "../contract/contract.gen";

export type {
  ConflictNote, PullPage, PushResult, WireMutation, WirePurge, WireRecord,
} from "../contract/contract.gen";

export const PROTOCOL_VERSION = "1";
export const SYNC_HEADERS = { "Sync-Protocol": PROTOCOL_VERSION };
export const PUSH_BATCH = 100; // the server takes up to 500; smaller batches answer sooner
export const PULL_LIMIT = 500;

/** One change of a pull page: a record, or a scope to forget. */
export type WireChange = PullPage["changes"][number];

export function isPurge(change: WireChange): change is WirePurge {
  return change.entity === "scope" && "reason" in change;
}
