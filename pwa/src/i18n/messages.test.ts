import { describe, expect, it } from "vitest";

import { ApiError, NetworkError } from "../api/client";
import { da } from "./da";
import { describeError } from "./messages";

describe("describeError", () => {
  it("says wrong credentials in Danish, never the server's English", () => {
    const msg = describeError(new ApiError(401, "invalid_credentials", "Wrong e-mail or password."));
    expect(msg.summary).toBe(da.errors.wrongCredentials);
  });

  it("names each bad field", () => {
    const msg = describeError(new ApiError(422, "invalid", "x", { email: ["Not a valid email."] }));
    expect(msg.summary).toBe(da.errors.invalid);
    expect(msg.fields.email).toBe(da.fields.emailInvalid);
  });

  it("tells the user when there is no connection", () => {
    expect(describeError(new NetworkError(new TypeError())).summary).toBe(da.errors.offline);
  });

  it("explains rate limiting and server errors", () => {
    expect(describeError(new ApiError(429, "rate_limited", "")).summary).toBe(da.errors.rateLimited);
    expect(describeError(new ApiError(500, "server_error", "")).summary).toBe(da.errors.server);
  });
});
