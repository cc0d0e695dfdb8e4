import { describe, expect, it } from "vitest";

import { cprDigits } from "./cpr";

describe("cprDigits", () => {
  it("takes ten digits with or without the hyphen", () => {
    expect(cprDigits("010320-4234")).toBe("0103204234");
    expect(cprDigits(" 0103204234 ")).toBe("0103204234");
  });

  it("refuses what the server refuses", () => {
    for (const bad of ["3102204234", "010320423", "01032042345", "０１０３２０４２３４", "abcdefghij", "", "290221-4234"]) {
      expect(cprDigits(bad)).toBeNull();
    }
  });

  it("reads the century from the 7th digit", () => {
    expect(cprDigits("290200-4234")).toBe("2902004234"); // 2000 was a leap year
    expect(cprDigits("290200-1234")).toBeNull(); // 7th digit 1: 1900, which was not
  });
});
