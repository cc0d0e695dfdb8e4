// The wire format of sync/PROTOCOL.md (version 1), as types.

import type { ApiErrorBody, Fields, Op } from "../db/db";

export const PROTOCOL_VERSION = "1";
export const SYNC_HEADERS = { "Sync-Protocol": PROTOCOL_VERSION };
export const PUSH_BATCH = 100; // the server takes up to 500; smaller batches answer sooner
export const PULL_LIMIT = 500;

export interface WireRecord {
  entity: string;
  id: string;
  version: number;
  scope: string;
  deleted: boolean;
  fields: Fields;
}

export interface WirePurge {
  entity: "scope";
  id: string;
  deleted: true;
  reason: string;
}

export type WireChange = WireRecord | WirePurge;

export function isPurge(change: WireChange): change is WirePurge {
  return change.entity === "scope" && "reason" in change;
}

export interface PullPage {
  changes: WireChange[];
  cursor: string;
  more: boolean;
}

export interface WireMutation {
  id: string;
  entity: string;
  record_id: string;
  op: Op;
  fields: Fields;
  base_version: number | null;
  clock: string;
}

export interface PushResult {
  id: string | null;
  status: "applied" | "merged" | "duplicate" | "rejected";
  first_status?: string;
  version?: number | null;
  conflicts?: Array<{ id: string; field: string; value: unknown; winning_value: unknown }>;
  error?: ApiErrorBody;
}
