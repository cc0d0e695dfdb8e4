import { describe, expect, it } from "vitest";

import { deliveryText, type LetterDelivery } from "./Letters";

const letter = (fields: Partial<LetterDelivery>): LetterDelivery => ({
  id: "m1", guardian: "mor", kind: "agenda", channel: "digital_post", status: "sent",
  retrying: false, sent_at: null, delivered_at: null, ...fields,
});

describe("a letter's delivery on the tablet", () => {
  it("says when it went by Digital Post, in the device's time", () => {
    const at = new Date(2026, 11, 7, 10, 5).toISOString();
    expect(deliveryText(letter({ sent_at: at }))).toBe("Sendt med Digital Post 7. december 2026 kl. 10.05");
  });
  it("says a paper letter went (fjernprint)", () => {
    expect(deliveryText(letter({ status: "printed" }))).toBe("Sendt som papirbrev");
  });
  it("says a failure is retried, or is final", () => {
    expect(deliveryText(letter({ status: "failed", retrying: true }))).toBe("Kunne ikke sendes – vi prøver igen");
    expect(deliveryText(letter({ status: "failed", retrying: false }))).toBe("Kunne ikke sendes");
  });
  it("says why a guardian got nothing", () => {
    expect(deliveryText(letter({ status: "unaddressable" }))).toContain("intet CPR-nummer");
  });
});
