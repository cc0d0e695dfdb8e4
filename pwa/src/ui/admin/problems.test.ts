import { describe, expect, it } from "vitest";

import { ApiError, NetworkError } from "../../api/client";
import { da } from "../../i18n/da";
import { adminProblem, missingUserFields } from "./problems";

describe("adminProblem", () => {
  it("says in Danish why one's own role cannot change", () => {
    const err = new ApiError(403, "own_account", "Nobody may change their own role",
      { role: ["You cannot change this on your own account."] });
    const msg = adminProblem(err);
    expect(msg.summary).toBe(da.admin.problems.own_account);
    expect(msg.fields.role).toBe(da.admin.fields.role);
  });

  it("marks a taken e-mail on its field", () => {
    const msg = adminProblem(new ApiError(409, "email_taken", "x", { email: ["taken"] }));
    expect(msg.fields.email).toBe(da.admin.problems.email_taken);
  });

  it("explains an institution that is still in use, and per-field 422s", () => {
    expect(adminProblem(new ApiError(409, "in_use", "x")).summary).toBe(da.admin.problems.in_use);
    const msg = adminProblem(new ApiError(422, "invalid", "x", { institution_id: ["No such institution."] }));
    expect(msg.summary).toBe(da.errors.invalid);
    expect(msg.fields.institution_id).toBe(da.admin.fields.institution_id);
  });

  it("falls back on the app's wording with no network", () => {
    expect(adminProblem(new NetworkError(new TypeError())).summary).toBe(da.errors.offline);
  });
});

describe("missingUserFields", () => {
  it("wants an institution for an educator, and no password (the person chooses it)", () => {
    const missing = missingUserFields({ name: "Pia", email: "pia@kommune.dk", role: "educator",
      institution_id: "" });
    expect(Object.keys(missing).sort()).toEqual(["institution_id"]);
    expect(missingUserFields({ name: "Pia", email: "pia@kommune.dk", role: "psychologist",
      institution_id: "" })).toEqual({});
  });
});
