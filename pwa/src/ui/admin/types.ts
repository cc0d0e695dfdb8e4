// What /api/users and /api/institutions answer (server/users/schemas.py,
// server/institutions/schemas.py).

/** A request to create an account or change its access; it takes effect only when another,
 *  unrelated admin approves it (server/users/approval.py). */
export interface AccountChange {
  id: string;
  user_id: string;
  user_name: string;
  kind: "create" | "change";
  values: Record<string, unknown>;
  previous: Record<string, unknown>;
  status: "pending" | "approved" | "rejected";
  requested_by_id: string | null;
  requested_by_name: string;
  requested_at: string;
  decided_by_id: string | null;
  decided_by_name: string | null;
  decided_at: string | null;
  may_approve: boolean;
  refusal: string | null;
}

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: string;
  institution_id: string | null;
  active: boolean;
  pending: boolean;
  has_password: boolean;
  created_at: string;
  pending_change: AccountChange | null;
}

/** One change of an account, from the audit log. */
export interface HistoryEntry {
  at: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  detail: string;
}

export interface Institution {
  id: string;
  name: string;
  kind: string;
  /** The id the municipality's login names it by (organisation UUID or EAN), or null. */
  external_id?: string | null;
  created_at: string;
}

export const ROLES = ["admin", "family_unit", "educator", "psychologist"] as const;
export const INSTITUTION_KINDS = ["daycare", "school"] as const;
