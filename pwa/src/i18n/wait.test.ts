import { describe, expect, it } from "vitest";

import { da } from "./da";

describe("the sign-in wait, in Danish", () => {
  it("counts seconds under a minute, in singular and plural", () => {
    expect(da.signIn.wait(1)).toBe("For mange forsøg på at logge ind. Vent 1 sekund, og prøv igen.");
    expect(da.signIn.wait(30)).toBe("For mange forsøg på at logge ind. Vent 30 sekunder, og prøv igen.");
  });

  it("rounds longer waits up to whole minutes", () => {
    expect(da.signIn.wait(60)).toContain("Vent 1 minut,");
    expect(da.signIn.wait(61)).toContain("Vent 2 minutter,");
    expect(da.signIn.wait(720)).toContain("Vent 12 minutter,");
  });
});
