"""The two ways into the app the attack suite walks (issue 20): staff with local passwords and
parents with personal links (a pilot without a broker), or staff through the municipality's
identity provider with passwords off (``PASSWORD_LOGIN=0``) and parents with MitID, both
against the local provider (oidc-provider-mock) over real HTTP.

A suite takes a ``Door`` and signs everyone in through it, so the same assertions run both
ways (a fixture parameter, not a copy of the tests). Through the provider the browser's part
is played here: the app's redirect is followed to the provider, a user is picked there, and
the provider's redirect back is opened on the same client. Every answer of a sign-in is kept
in ``answers``: the MitID callback is where a full CPR number arrives from outside, so the
CPR leak walk greps these too."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from flask import Flask
from flask.testing import FlaskClient

from server.auth.cli import dev_parent_settings, dev_settings
from server.identity.dev_provider import (
    DEMO_PARENTS,
    DEMO_STAFF,
    DEMO_STAFF_ROLES,
    STAFF_INSTITUTION_CLAIM,
    STAFF_ROLE_CLAIM,
    running_provider,
    staff_claims,
)
from server.identity.loa import NSIS_LOA_CLAIM
from server.identity.oidc import CPR_CLAIM
from tests.attack.served import PASSWORD, sign_in
from tests.harness import ApiClient
from tests.server.reporting import phone

PASSWORDS = "passwords"
PROVIDER = "provider"
WAYS = (PASSWORDS, PROVIDER)
# The provider's group for each Trivsel role, as STAFF_ROLES maps them.
GROUP_OF = {
    role: group for group, role in (pair.split("=") for pair in DEMO_STAFF_ROLES.split(","))
}
DEMO_SUBJECTS = {s.email: s.sub for s in DEMO_STAFF}
# The parents who read (not the refusals the demo also has: Mette at Low, a CPR without custody).
PARENT_SUBJECTS = {p.name.split()[0]: p.sub for p in DEMO_PARENTS if p.loa != "Low" and p.children}


@dataclass
class Door:
    """How this lane signs people in; ``issuer`` is the provider's URL (empty with
    passwords)."""

    way: str
    issuer: str = ""
    answers: list[tuple[str, bytes]] = field(default_factory=list)
    # Demo staff whose claims a test changed at the provider (put back by ``restore``).
    changed: set[str] = field(default_factory=set)

    @property
    def provider(self) -> bool:
        return self.way == PROVIDER

    def settings(self) -> dict[str, str]:
        """The app's settings for this way in (added to the suite's own)."""
        if not self.provider:
            return {}
        return {
            **dev_settings(self.issuer),
            **dev_parent_settings(self.issuer),
            # As in production with the municipality's login: no local password works.
            "PASSWORD_LOGIN": "0",
        }

    def enrol(
        self, email: str, role: str, institution_external_id: str | None, name: str = ""
    ) -> None:
        """Give the provider a member of staff the demo does not have (their first sign-in
        provisions the account, or links the local one with the same, verified, e-mail), or
        change a demo member's role and institution there (their next sign-in takes it)."""
        if not self.provider:
            return
        if email in DEMO_SUBJECTS:
            self.changed.add(email)
        claims: dict[str, object] = {
            "name": name or email,
            "email": email,
            "email_verified": True,
            STAFF_ROLE_CLAIM: [GROUP_OF[role]],
            NSIS_LOA_CLAIM: f"{NSIS_LOA_CLAIM}/Substantial",
        }
        if institution_external_id:
            claims[STAFF_INSTITUTION_CLAIM] = institution_external_id
        sub = DEMO_SUBJECTS.get(email) or _subject(email)
        answer = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert answer.status_code == 204, answer.text

    def restore(self) -> None:
        """The demo staff a test changed, as the demo has them again (the provider lives for
        the whole session)."""
        for member in DEMO_STAFF:
            if member.email in self.changed:
                answer = requests.put(
                    f"{self.issuer}/users/{member.sub}", json=staff_claims(member), timeout=10
                )
                assert answer.status_code == 204, answer.text
        self.changed.clear()

    def enrol_parent(self, sub: str, cpr: str) -> None:
        """Give the MitID broker a parent the demo does not have, with this CPR number."""
        if not self.provider:
            return
        claims = {
            "name": sub,
            CPR_CLAIM: cpr,
            NSIS_LOA_CLAIM: f"{NSIS_LOA_CLAIM}/Substantial",
        }
        answer = requests.put(f"{self.issuer}/users/{sub}", json=claims, timeout=10)
        assert answer.status_code == 204, answer.text

    def staff(self, app: Flask, email: str, password: str = PASSWORD) -> ApiClient:
        """A client signed in as that member of staff, with its CSRF token."""
        client = ApiClient(app.test_client())
        if not self.provider:
            client.login(email, password)
            return client
        sub = DEMO_SUBJECTS.get(email) or _subject(email)
        answer = self._through_provider(client.raw, "/api/auth/oidc/login", sub)
        assert answer.status_code == 303 and answer.location == "/", answer.data[:300]
        # The session's token, as a password sign-in answers it (a test may send it by hand).
        client.csrf_token = client.raw.get("/api/auth/csrf").get_json()["csrf_token"]
        return client

    def staff_http(self, base: str, email: str) -> requests.Session:
        """A requests session signed in as that member of staff over real HTTP (the served
        app), sending the CSRF token on every call."""
        if not self.provider:
            return sign_in(base, email)
        http = requests.Session()
        sub = DEMO_SUBJECTS.get(email) or _subject(email)
        started = http.get(f"{base}/api/auth/oidc/login", allow_redirects=False, timeout=30)
        assert started.status_code == 303, started.text[:300]
        back = _pick(started.headers["Location"], sub)
        done = http.get(f"{base}{back}", allow_redirects=False, timeout=30)
        assert done.status_code == 303, done.text[:300]
        http.headers["X-CSRF-Token"] = http.get(f"{base}/api/auth/csrf", timeout=30).json()[
            "csrf_token"
        ]
        http.headers["Sync-Protocol"] = "1"
        return http

    def parent(self, app: Flask, who: str, link: str = "") -> FlaskClient:
        """A parent's phone that reads: through the personal ``link``, or signed in with
        MitID as ``who`` (a demo parent's first name, or a subject given to ``enrol_parent``)."""
        if not self.provider:
            client: FlaskClient = phone(app, link)
            return client
        client = app.test_client()
        answer = self._through_provider(client, "/p/login/start", PARENT_SUBJECTS.get(who, who))
        assert answer.status_code == 303 and answer.location == "/p/", answer.data[:300]
        self._keep("GET /p/", client.get("/p/"))
        return client

    def refused_parent(self, app: Flask, sub: str) -> Any:
        """A MitID sign-in the app refuses (loa Low, no custody): the answer."""
        return self._through_provider(app.test_client(), "/p/login/start", sub)

    def _through_provider(self, client: FlaskClient, start: str, sub: str) -> Any:
        started = self._keep(f"GET {start}", client.get(start))
        assert started.status_code == 303, started.data[:300]
        back = _pick(started.location, sub)
        return self._keep(f"GET {back.split('?')[0]}", client.get(back))

    def _keep(self, request: str, answer: Any) -> Any:
        self.answers.append((f"{request} → {answer.status_code}", answer.data))
        return answer


def _subject(email: str) -> str:
    return f"entra-{email.split('@')[0]}"


def _pick(authorize_url: str, sub: str) -> str:
    """Pick ``sub`` on the provider's sign-in page: the path and query it sends the browser
    back to."""
    picked = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert picked.status_code == 302, picked.text[:300]
    back = urlsplit(picked.headers["Location"])
    return f"{back.path}?{back.query}"


@contextmanager
def door(way: str) -> Iterator[Door]:
    """A door of that way, with a provider of its own running while the block lasts."""
    if way == PASSWORDS:
        yield Door(way)
        return
    with running_provider() as issuer:
        yield Door(way, issuer)
