// What /api/users and /api/institutions answer (server/users/schemas.py,
// server/institutions/schemas.py).

export interface AdminUser {
  id: string;
  email: string;
  name: string;
  role: string;
  institution_id: string | null;
  active: boolean;
  created_at: string;
}

export interface Institution {
  id: string;
  name: string;
  kind: string;
  created_at: string;
}

export const ROLES = ["admin", "family_unit", "educator", "psychologist"] as const;
export const INSTITUTION_KINDS = ["daycare", "school"] as const;
