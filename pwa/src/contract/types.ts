// The shape of the generated contract (contract.gen.ts): what the server's schemas say about
// each field a mutation may set. Written by server/contract.py; read by check.ts.

export interface FieldRule {
  readonly type?: "string" | "integer" | "number" | "boolean";
  readonly format?: string; // "date", "date-time", "email", "uuid"
  readonly nullable?: boolean;
  readonly required?: boolean; // must be given when the record is created
  readonly minLength?: number;
  readonly maxLength?: number; // in characters (code points), as Python counts them
  readonly enum?: readonly (string | number | boolean)[];
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly "x-minimum"?: string; // a range on a date or time
  readonly "x-maximum"?: string;
  readonly "x-past-years"?: number; // a date from so many years before today up to today
  readonly ref?: string; // the record kind this field names
}

export interface EntityRules {
  readonly parent: string | null; // the field naming the record whose access decides
  readonly fixed: readonly string[]; // may not change after creation
  readonly writers: readonly string[] | null; // roles that may write this kind (null: a form, any)
  readonly fields: Readonly<Record<string, FieldRule>>;
}

export type Contract = Readonly<Record<string, EntityRules>>;
