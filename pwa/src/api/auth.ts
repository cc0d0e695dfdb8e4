// Signing in and out against /api/auth.

import type { Session as SessionAnswer, SessionUser } from "../contract/contract.gen";
import { ApiClient, ApiError } from "./client";

/** The signed-in user, as the server's session answer has it (generated from its schema). */
export type User = SessionUser;

/** How staff sign in on this server (GET /api/auth/methods). */
export interface SignInMethods {
  password: boolean;
  /** The municipality's login: accounts, roles and institutions come from it. */
  oidc: boolean;
  oidc_login_url: string | null;
}

export class Auth {
  constructor(private readonly api: ApiClient) {}

  /** The signed-in user, or null when nobody is signed in. */
  async me(): Promise<User | null> {
    try {
      const answer = await this.api.get<SessionAnswer>("/api/auth/me");
      this.api.setCsrfToken(answer.csrf_token);
      return answer.user;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return null;
      throw err;
    }
  }

  async login(email: string, password: string): Promise<User> {
    try {
      return await this.loginOnce(email, password);
    } catch (err) {
      // A stale token (the server restarted or the session cookie expired): fetch a fresh
      // one and try once more, so the user never sees a CSRF error for no fault of theirs.
      if (err instanceof ApiError && err.code === "csrf_failed") {
        this.api.setCsrfToken(null);
        return this.loginOnce(email, password);
      }
      throw err;
    }
  }

  /** Which ways of signing in are on (needs the network). */
  async methods(): Promise<SignInMethods> {
    return this.api.get<SignInMethods>("/api/auth/methods");
  }

  async logout(): Promise<void> {
    await this.api.post<void>("/api/auth/logout");
    this.api.setCsrfToken(null);
  }

  private async loginOnce(email: string, password: string): Promise<User> {
    const answer = await this.api.post<SessionAnswer>("/api/auth/login", { email, password });
    this.api.setCsrfToken(answer.csrf_token);
    return answer.user;
  }
}
