"""The two halves of a sign-in as a Flask app's routes need them: redirect to the provider
with the pending sign-in in its cookie, and finish at the callback, clearing that cookie.

The parents' portal and the staff sign-in each make one ``SignInFlow`` with their own client,
purpose and callback path; the routes decide what a success or a refusal shows."""

from __future__ import annotations

from flask import Request, current_app, redirect
from werkzeug import Response

from server.identity.oidc import OidcClient, VerifiedIdentity
from server.identity.pending import DatabaseReplayGuard, PendingCookie


class SignInFlow:
    """One relying party's sign-in, with its pending cookie named after ``purpose``."""

    def __init__(
        self,
        client: OidcClient,
        secret_key: str | bytes,
        purpose: str,
        callback_path: str,
        *,
        secure: bool = True,
    ) -> None:
        self.client = client
        self.cookie = PendingCookie(secret_key, purpose)
        self.cookie_name = f"trivsel_signin_{purpose}"
        self._path = callback_path
        self._secure = secure

    def start(self) -> Response:
        """A redirect to the provider that carries the pending sign-in in its cookie."""
        url, pending = self.client.begin()
        response = redirect(url, 303)
        # Lax: the callback is a top-level GET from the provider's site, which Lax sends;
        # the path keeps it away from every other request.
        response.set_cookie(
            self.cookie_name,
            self.cookie.dumps(pending),
            max_age=self.cookie.max_age,
            path=self._path,
            httponly=True,
            secure=self._secure,
            samesite="Lax",
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    def finish(self, request: Request) -> VerifiedIdentity:
        """The identity the callback vouches for, or a SignInError. Call ``clear`` on the
        answer whatever the outcome."""
        pending = self.cookie.loads(request.cookies.get(self.cookie_name))
        return self.client.finish(request.args.to_dict(), pending)

    def clear(self, response: Response) -> Response:
        """Delete the pending cookie: a sign-in is finished once, well or not."""
        response.delete_cookie(
            self.cookie_name, path=self._path, httponly=True, secure=self._secure, samesite="Lax"
        )
        response.headers["Cache-Control"] = "no-store"
        return response


def app_flow(side: str, purpose: str, callback_path: str) -> SignInFlow | None:
    """The app's sign-in flow for ``side`` ("PARENT" or "STAFF"), made at its first use: its
    client reads the provider's discovery document lazily, so the app starts while the
    provider is down. None when that side's issuer is not set."""
    from server.extensions import db
    from server.identity import settings

    app = current_app
    key = f"trivsel_signin_{purpose}"
    flow: SignInFlow | None = app.extensions.get(key)
    if flow is None:
        config = app.config
        client = settings.oidc_client(
            config,
            side,
            str(config["PUBLIC_URL"]).rstrip("/") + callback_path,
            # Shared by every worker and instance: a callback replayed to another worker
            # finds its state used.
            replay_guard=DatabaseReplayGuard(db.engine),
        )
        if client is None:
            return None
        development = config["TRIVSEL_ENV"] in ("development", "testing")
        flow = SignInFlow(
            client, config["SECRET_KEY"], purpose, callback_path, secure=not development
        )
        app.extensions[key] = flow
    return flow
