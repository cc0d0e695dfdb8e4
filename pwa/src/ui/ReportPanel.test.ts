import { describe, expect, it } from "vitest";

import type { Stored } from "../data/records";
import { filingText } from "./ReportPanel";

type Fields = Stored<"filing">["fields"];
const filing = (fields: Partial<Fields>): Fields => ({ meeting_id: "m1", ...fields }) as Fields;
const asked = new Date(2026, 11, 7, 10, 5).toISOString();

describe("a filing on the tablet (issue 22)", () => {
  it("is Journaliseret only once the case system has acknowledged it, on that day", () => {
    const acknowledged = new Date(2026, 11, 8, 9, 0).toISOString();
    expect(filingText(filing({ filed_at: asked, acknowledged_at: acknowledged, state: "acknowledged",
      filed_by_name: "Frida Familieindgang" })))
      .toBe("Journaliseret 8. december 2026 af Frida Familieindgang");
  });
  it("says it waits for the receipt once sent", () => {
    const text = filingText(filing({ filed_at: asked, state: "sent", acknowledged_at: null }));
    expect(text).toBe("Sendt til journalisering – venter på kvittering fra sagssystemet.");
    expect(text).not.toContain("Journaliseret");
  });
  it("says it is sent again when the case system did not take it", () => {
    expect(filingText(filing({ filed_at: asked, state: "failed" }))).toContain("sendes igen");
  });
  it("says it waits for a connection before the server has it", () => {
    expect(filingText(filing({}))).toBe("Journaliseringen venter og sendes, når der er forbindelse.");
  });
});
