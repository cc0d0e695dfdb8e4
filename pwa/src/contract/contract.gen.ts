// GENERATED from the server's schemas by server/contract.py. Do not edit: change the
// server's schema and run `make contract` (a test fails while this file differs).

import type { Contract } from "./types";

export const CONTRACT = {
  "agreement": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "carried_from_id": {"maxLength": 36, "minLength": 36, "nullable": true, "ref": "agreement", "type": "string"},
      "done": {"type": "boolean"},
      "due_date": {"format": "date", "nullable": true, "type": "string"},
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "outcome": {"enum": ["done", "not_done", "carried_on"], "nullable": true, "type": "string"},
      "owner": {"enum": ["guardians", "institution", "family_unit", "psychologist"], "required": true, "type": "string"},
      "what": {"maxLength": 2000, "minLength": 1, "required": true, "type": "string"},
    },
  },
  "attachment_form": {
    "parent": null,
    "fixed": [],
    "writers": null,
    "fields": {
      "kind": {"enum": ["resource_assessment", "topi", "other"], "type": "string"},
      "shared_with_guardians": {"type": "boolean"},
      "title": {"maxLength": 200, "minLength": 1, "required": true, "type": "string"},
    },
  },
  "board_note": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "column": {"enum": ["worries", "working", "next_steps"], "required": true, "type": "string"},
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "position": {"type": "number"},
      "text": {"maxLength": 2000, "minLength": 1, "required": true, "type": "string"},
    },
  },
  "board_photo": {
    "parent": "meeting_id",
    "fixed": ["content_hash", "house", "meeting_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "caption": {"maxLength": 500, "type": "string"},
      "content_hash": {"maxLength": 64, "minLength": 64, "pattern": "^[0-9a-f]{64}$", "required": true, "type": "string"},
      "content_type": {"enum": ["image/jpeg", "image/png", "image/webp"], "type": "string"},
      "house": {"enum": ["", "worries", "good", "dream"], "type": "string"},
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "size": {"maximum": 2147483647, "minimum": 1, "required": true, "type": "integer"},
    },
  },
  "child": {
    "parent": "institution_id",
    "fixed": ["institution_id"],
    "writers": ["educator", "family_unit"],
    "fields": {
      "birth_date": {"format": "date", "required": true, "type": "string", "x-past-years": 25},
      "first_name": {"maxLength": 100, "minLength": 1, "required": true, "type": "string"},
      "institution_id": {"maxLength": 36, "minLength": 36, "required": true, "type": "string"},
      "last_name": {"maxLength": 100, "minLength": 1, "required": true, "type": "string"},
    },
  },
  "conflict": {
    "parent": "user_id",
    "fixed": ["user_id"],
    "writers": ["admin", "educator", "family_unit", "psychologist"],
    "fields": {
      "resolved": {"type": "boolean"},
    },
  },
  "consent": {
    "parent": "course_id",
    "fixed": ["course_id", "guardian_id"],
    "writers": ["educator", "family_unit"],
    "fields": {
      "channel": {"maxLength": 30, "type": "string"},
      "course_id": {"maxLength": 36, "minLength": 36, "ref": "course", "required": true, "type": "string"},
      "declined_at": {"format": "date-time", "nullable": true, "type": "string"},
      "granted_at": {"format": "date-time", "nullable": true, "type": "string"},
      "guardian_id": {"maxLength": 36, "minLength": 36, "ref": "guardian", "required": true, "type": "string"},
      "requested_at": {"format": "date-time", "nullable": true, "type": "string"},
      "status": {"enum": ["requested", "granted", "declined", "withdrawn"], "required": true, "type": "string"},
      "withdrawn_at": {"format": "date-time", "nullable": true, "type": "string"},
    },
  },
  "course": {
    "parent": "child_id",
    "fixed": ["child_id"],
    "writers": ["educator", "family_unit"],
    "fields": {
      "child_id": {"maxLength": 36, "minLength": 36, "ref": "child", "required": true, "type": "string"},
      "concern_level": {"enum": ["moderate", "vulnerable"], "required": true, "type": "string"},
      "leader_id": {"maxLength": 36, "minLength": 36, "required": true, "type": "string"},
      "reason": {"maxLength": 5000, "type": "string"},
      "start_date": {"format": "date", "required": true, "type": "string"},
    },
  },
  "filing": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["family_unit"],
    "fields": {
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
    },
  },
  "guardian": {
    "parent": "child_id",
    "fixed": ["child_id"],
    "writers": ["educator", "family_unit"],
    "fields": {
      "child_id": {"maxLength": 36, "minLength": 36, "ref": "child", "required": true, "type": "string"},
      "email": {"format": "email", "maxLength": 254, "nullable": true, "type": "string"},
      "has_custody": {"type": "boolean"},
      "name": {"maxLength": 200, "minLength": 1, "required": true, "type": "string"},
      "phone": {"maxLength": 30, "nullable": true, "type": "string"},
      "relation": {"maxLength": 50, "type": "string"},
    },
  },
  "houses": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "dream": {"maxLength": 5000, "type": "string"},
      "good": {"maxLength": 5000, "type": "string"},
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "shared_with_parents": {"type": "boolean"},
      "worries": {"maxLength": 5000, "type": "string"},
    },
  },
  "meeting": {
    "parent": "course_id",
    "fixed": ["course_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "agenda": {"maxLength": 10000, "type": "string"},
      "child_participation": {"enum": ["whole", "part", "none"], "nullable": true, "type": "string"},
      "child_perspective": {"maxLength": 10000, "type": "string"},
      "course_id": {"maxLength": 36, "minLength": 36, "ref": "course", "required": true, "type": "string"},
      "held_at": {"format": "date-time", "nullable": true, "type": "string"},
      "kind": {"enum": ["start", "follow_up", "closing"], "required": true, "type": "string"},
      "next_meeting_at": {"format": "date-time", "nullable": true, "type": "string"},
      "place": {"maxLength": 200, "type": "string"},
      "starts_at": {"format": "date-time", "required": true, "type": "string"},
      "status": {"enum": ["planned", "in_progress", "finished"], "type": "string"},
      "underretning": {"type": "boolean"},
      "underretning_note": {"maxLength": 5000, "type": "string"},
    },
  },
  "minutes": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "text": {"maxLength": 50000, "type": "string"},
    },
  },
  "parent_comment": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": [],
    "fields": {
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "text": {"maxLength": 2000, "minLength": 1, "required": true, "type": "string"},
    },
  },
  "participant": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "guardian_id": {"maxLength": 36, "minLength": 36, "nullable": true, "ref": "guardian", "type": "string"},
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "name": {"maxLength": 200, "minLength": 1, "required": true, "type": "string"},
      "present": {"type": "boolean"},
      "role": {"enum": ["guardian", "child", "educator", "family_unit", "psychologist", "other"], "required": true, "type": "string"},
      "user_id": {"maxLength": 36, "minLength": 36, "nullable": true, "type": "string"},
    },
  },
  "report": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["family_unit"],
    "fields": {
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
    },
  },
  "report_reading": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": [],
    "fields": {
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
    },
  },
  "scaling_answer": {
    "parent": "meeting_id",
    "fixed": ["meeting_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "meeting_id": {"maxLength": 36, "minLength": 36, "ref": "meeting", "required": true, "type": "string"},
      "name": {"maxLength": 200, "minLength": 1, "required": true, "type": "string"},
      "participant_id": {"maxLength": 36, "minLength": 36, "nullable": true, "ref": "participant", "type": "string"},
      "role": {"enum": ["guardian", "child", "educator", "family_unit", "psychologist", "other"], "required": true, "type": "string"},
      "value": {"maximum": 10, "minimum": 0, "required": true, "type": "integer"},
    },
  },
  "task": {
    "parent": "course_id",
    "fixed": ["course_id"],
    "writers": ["educator", "family_unit", "psychologist"],
    "fields": {
      "assignee_id": {"maxLength": 36, "minLength": 36, "nullable": true, "type": "string"},
      "assignee_role": {"enum": ["admin", "family_unit", "educator", "psychologist"], "required": true, "type": "string"},
      "course_id": {"maxLength": 36, "minLength": 36, "ref": "course", "required": true, "type": "string"},
      "done_at": {"format": "date-time", "nullable": true, "type": "string"},
      "due_date": {"format": "date", "nullable": true, "type": "string"},
      "kind": {"maxLength": 40, "type": "string"},
      "meeting_id": {"maxLength": 36, "minLength": 36, "nullable": true, "ref": "meeting", "type": "string"},
      "title": {"maxLength": 300, "minLength": 1, "required": true, "type": "string"},
    },
  },
} as const satisfies Contract;

export type Entity = keyof typeof CONTRACT;

/** What a mutation may set on a `agreement`. */
export interface AgreementFields {
  carried_from_id?: string | null;
  done?: boolean;
  due_date?: string | null;
  meeting_id: string;
  outcome?: "done" | "not_done" | "carried_on" | null;
  owner: "guardians" | "institution" | "family_unit" | "psychologist";
  what: string;
}

/** What a mutation may set on a `attachment_form`. */
export interface AttachmentFormFields {
  kind?: "resource_assessment" | "topi" | "other";
  shared_with_guardians?: boolean;
  title: string;
}

/** What a mutation may set on a `board_note`. */
export interface BoardNoteFields {
  column: "worries" | "working" | "next_steps";
  meeting_id: string;
  position?: number;
  text: string;
}

/** What a mutation may set on a `board_photo`. */
export interface BoardPhotoFields {
  caption?: string;
  content_hash: string;
  content_type?: "image/jpeg" | "image/png" | "image/webp";
  house?: "" | "worries" | "good" | "dream";
  meeting_id: string;
  size: number;
}

/** What a mutation may set on a `child`. */
export interface ChildFields {
  birth_date: string;
  first_name: string;
  institution_id: string;
  last_name: string;
}

/** What a mutation may set on a `conflict`. */
export interface ConflictFields {
  resolved?: boolean;
}

/** What a mutation may set on a `consent`. */
export interface ConsentFields {
  channel?: string;
  course_id: string;
  declined_at?: string | null;
  granted_at?: string | null;
  guardian_id: string;
  requested_at?: string | null;
  status: "requested" | "granted" | "declined" | "withdrawn";
  withdrawn_at?: string | null;
}

/** What a mutation may set on a `course`. */
export interface CourseFields {
  child_id: string;
  concern_level: "moderate" | "vulnerable";
  leader_id: string;
  reason?: string;
  start_date: string;
}

/** What a mutation may set on a `filing`. */
export interface FilingFields {
  meeting_id: string;
}

/** What a mutation may set on a `guardian`. */
export interface GuardianFields {
  child_id: string;
  email?: string | null;
  has_custody?: boolean;
  name: string;
  phone?: string | null;
  relation?: string;
}

/** What a mutation may set on a `houses`. */
export interface HousesFields {
  dream?: string;
  good?: string;
  meeting_id: string;
  shared_with_parents?: boolean;
  worries?: string;
}

/** What a mutation may set on a `meeting`. */
export interface MeetingFields {
  agenda?: string;
  child_participation?: "whole" | "part" | "none" | null;
  child_perspective?: string;
  course_id: string;
  held_at?: string | null;
  kind: "start" | "follow_up" | "closing";
  next_meeting_at?: string | null;
  place?: string;
  starts_at: string;
  status?: "planned" | "in_progress" | "finished";
  underretning?: boolean;
  underretning_note?: string;
}

/** What a mutation may set on a `minutes`. */
export interface MinutesFields {
  meeting_id: string;
  text?: string;
}

/** What a mutation may set on a `parent_comment`. */
export interface ParentCommentFields {
  meeting_id: string;
  text: string;
}

/** What a mutation may set on a `participant`. */
export interface ParticipantFields {
  guardian_id?: string | null;
  meeting_id: string;
  name: string;
  present?: boolean;
  role: "guardian" | "child" | "educator" | "family_unit" | "psychologist" | "other";
  user_id?: string | null;
}

/** What a mutation may set on a `report`. */
export interface ReportFields {
  meeting_id: string;
}

/** What a mutation may set on a `report_reading`. */
export interface ReportReadingFields {
  meeting_id: string;
}

/** What a mutation may set on a `scaling_answer`. */
export interface ScalingAnswerFields {
  meeting_id: string;
  name: string;
  participant_id?: string | null;
  role: "guardian" | "child" | "educator" | "family_unit" | "psychologist" | "other";
  value: number;
}

/** What a mutation may set on a `task`. */
export interface TaskFields {
  assignee_id?: string | null;
  assignee_role: "admin" | "family_unit" | "educator" | "psychologist";
  course_id: string;
  done_at?: string | null;
  due_date?: string | null;
  kind?: string;
  meeting_id?: string | null;
  title: string;
}

/** The field types by record kind. */
export interface FieldsOf {
  agreement: AgreementFields;
  attachment_form: AttachmentFormFields;
  board_note: BoardNoteFields;
  board_photo: BoardPhotoFields;
  child: ChildFields;
  conflict: ConflictFields;
  consent: ConsentFields;
  course: CourseFields;
  filing: FilingFields;
  guardian: GuardianFields;
  houses: HousesFields;
  meeting: MeetingFields;
  minutes: MinutesFields;
  parent_comment: ParentCommentFields;
  participant: ParticipantFields;
  report: ReportFields;
  report_reading: ReportReadingFields;
  scaling_answer: ScalingAnswerFields;
  task: TaskFields;
}

/** `agreement`: its fields as a pull sends them and the tablet keeps. */
export type AgreementRecord = {
  carried_from_id?: string | null;
  course_id?: string;
  done?: boolean;
  due_date?: string | null;
  meeting_id: string;
  outcome?: "done" | "not_done" | "carried_on" | null;
  owner: "guardians" | "institution" | "family_unit" | "psychologist";
  what: string;
};

/** `board_note`: its fields as a pull sends them and the tablet keeps. */
export type BoardNoteRecord = {
  column: "worries" | "working" | "next_steps";
  course_id?: string;
  meeting_id: string;
  position?: number;
  text: string;
};

/** `board_photo`: its fields as a pull sends them and the tablet keeps. */
export type BoardPhotoRecord = {
  caption?: string;
  content_hash: string;
  content_type?: "image/jpeg" | "image/png" | "image/webp";
  course_id?: string;
  house?: "" | "worries" | "good" | "dream";
  meeting_id: string;
  received_at?: string;
  size: number;
  uploaded?: boolean;
};

/** `child`: its fields as a pull sends them and the tablet keeps. */
export type ChildRecord = {
  birth_date: string | null;
  first_name: string;
  institution_id: string;
  last_name: string;
};

/** `conflict`: its fields as a pull sends them and the tablet keeps. */
export type ConflictRecord = {
  client_id?: string;
  clock?: string;
  course_id?: string | null;
  entity?: string;
  field?: string;
  kind?: string;
  record_id?: string;
  resolved?: boolean;
  user_id?: string;
  value?: unknown;
  winning_value?: unknown;
};

/** `consent`: its fields as a pull sends them and the tablet keeps. */
export type ConsentRecord = {
  channel?: string;
  course_id: string;
  declined_at?: string | null;
  granted_at?: string | null;
  guardian_id: string;
  requested_at?: string | null;
  status: "requested" | "granted" | "declined" | "withdrawn";
  withdrawn_at?: string | null;
};

/** `course`: its fields as a pull sends them and the tablet keeps. */
export type CourseRecord = {
  child_id: string;
  closed_at?: string | null;
  concern_level: "moderate" | "vulnerable";
  institution_id?: string;
  leader_id: string;
  reason?: string;
  start_date: string;
  status?: "active" | "awaiting_counsellor" | "closed" | "handed_over";
};

/** `filing`: its fields as a pull sends them and the tablet keeps. */
export type FilingRecord = {
  acknowledged_at?: string | null;
  course_id?: string;
  filed_at?: string | null;
  filed_by_id?: string | null;
  filed_by_name?: string;
  location?: string;
  meeting_id: string;
  report_id?: string | null;
  state?: string;
};

/** `guardian`: its fields as a pull sends them and the tablet keeps. */
export type GuardianRecord = {
  child_id: string;
  email?: string | null;
  has_custody?: boolean;
  name: string;
  phone?: string | null;
  relation?: string;
};

/** `houses`: its fields as a pull sends them and the tablet keeps. */
export type HousesRecord = {
  course_id?: string;
  dream?: string;
  good?: string;
  meeting_id: string;
  shared_with_parents?: boolean;
  worries?: string;
};

/** `meeting`: its fields as a pull sends them and the tablet keeps. */
export type MeetingRecord = {
  agenda?: string;
  child_participation?: "whole" | "part" | "none" | null;
  child_perspective?: string;
  course_id: string;
  finished_at?: string | null;
  held_at?: string | null;
  kind: "start" | "follow_up" | "closing";
  next_meeting_at?: string | null;
  place?: string;
  starts_at: string;
  status?: "planned" | "in_progress" | "finished";
  underretning?: boolean;
  underretning_note?: string;
};

/** `minutes`: its fields as a pull sends them and the tablet keeps. */
export type MinutesRecord = {
  course_id?: string;
  meeting_id: string;
  text?: string;
};

/** `parent_comment`: its fields as a pull sends them and the tablet keeps. */
export type ParentCommentRecord = {
  course_id?: string;
  guardian_id?: string;
  guardian_label?: string;
  meeting_id: string;
  report_id?: string;
  text: string;
  written_at?: string;
};

/** `participant`: its fields as a pull sends them and the tablet keeps. */
export type ParticipantRecord = {
  course_id?: string;
  guardian_id?: string | null;
  meeting_id: string;
  name: string;
  present?: boolean;
  role: "guardian" | "child" | "educator" | "family_unit" | "psychologist" | "other";
  user_id?: string | null;
};

/** `report`: its fields as a pull sends them and the tablet keeps. */
export type ReportRecord = {
  course_id?: string;
  meeting_id: string;
  number?: number;
  published_at?: string | null;
  published_by_id?: string | null;
  published_by_name?: string;
};

/** `report_reading`: its fields as a pull sends them and the tablet keeps. */
export type ReportReadingRecord = {
  course_id?: string;
  guardian_id?: string;
  guardian_label?: string;
  meeting_id: string;
  read_at?: string;
  report_id?: string;
};

/** `scaling_answer`: its fields as a pull sends them and the tablet keeps. */
export type ScalingAnswerRecord = {
  course_id?: string;
  meeting_id: string;
  name: string;
  participant_id?: string | null;
  role: "guardian" | "child" | "educator" | "family_unit" | "psychologist" | "other";
  value: number;
};

/** `task`: its fields as a pull sends them and the tablet keeps. */
export type TaskRecord = {
  assignee_id?: string | null;
  assignee_role: "admin" | "family_unit" | "educator" | "psychologist";
  course_id: string;
  done_at?: string | null;
  due_date?: string | null;
  kind?: string;
  meeting_id?: string | null;
  title: string;
};

/** The record types by synced kind. */
export interface RecordOf {
  agreement: AgreementRecord;
  board_note: BoardNoteRecord;
  board_photo: BoardPhotoRecord;
  child: ChildRecord;
  conflict: ConflictRecord;
  consent: ConsentRecord;
  course: CourseRecord;
  filing: FilingRecord;
  guardian: GuardianRecord;
  houses: HousesRecord;
  meeting: MeetingRecord;
  minutes: MinutesRecord;
  parent_comment: ParentCommentRecord;
  participant: ParticipantRecord;
  report: ReportRecord;
  report_reading: ReportReadingRecord;
  scaling_answer: ScalingAnswerRecord;
  task: TaskRecord;
}

export type RecordKind = keyof RecordOf;

/** What went wrong: a stable code, a message for people, and messages per field. */
export interface ApiErrorBody {
  code: string;
  message: string;
  fields: Record<string, string[]>;
}

/** A record as a pull sends it; `fields` is what its kind's schema dumps. */
export interface WireRecord {
  entity: string;
  id: string;
  version: number;
  scope: string;
  deleted: boolean;
  updated_at?: string | null;
  fields: Record<string, unknown>;
}

/** A scope the caller may no longer read: the device deletes everything of it. */
export interface WirePurge {
  entity: "scope";
  id: string;
  deleted: true;
  reason: string;
}

/** A page of changes since the cursor; `more`: pull again with the new cursor. */
export interface PullPage {
  changes: (WireRecord | WirePurge)[];
  cursor: string;
  more: boolean;
}

/** One mutation's envelope (its `fields` are checked by the entity's own schema). */
export interface WireMutation {
  id: string;
  entity: string;
  record_id: string;
  op: "upsert" | "delete" | "restore";
  fields?: Record<string, unknown>;
  base_version?: number | null;
  clock: string;
}

/** A push: this installation's queued changes, oldest first. */
export interface PushBody {
  client_id: string;
  mutations: WireMutation[];
}

/** A field this change lost or won against another device's (server/sync/conflicts.py). */
export interface ConflictNote {
  id: string;
  field: string;
  value: unknown;
  winning_value: unknown;
  kind: string;
  user_id: string;
}

/** One mutation's answer (`id` null: the mutation was too malformed to name itself). */
export interface PushResult {
  id: string | null;
  status: "applied" | "merged" | "duplicate" | "rejected";
  first_status?: "applied" | "merged" | "duplicate" | "rejected";
  version?: number | null;
  conflicts?: ConflictNote[];
  error?: ApiErrorBody;
}

/** A push's answer: one result per mutation, in the order sent. */
export interface PushAnswer {
  results: PushResult[];
}

/** The signed-in user as the app sees it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: string;
  institution_id: string | null;
}

/** Who is signed in, with the CSRF token for state-changing requests. */
export interface Session {
  user: SessionUser;
  csrf_token: string;
}
