"""An OpenID Connect relying party on Authlib: the parents' MitID broker and the
municipality's staff login use the same class with different settings.

``begin`` gives the provider's authorization URL (code flow, PKCE S256, state, nonce) and the
``PendingSignIn`` the caller keeps (a signed cookie: server/identity/pending.py); ``finish``
takes the callback's query and that pending sign-in and gives a ``VerifiedIdentity`` or raises
one of server/identity/errors.py. Authlib makes the authorization URL, exchanges the code and
checks the ID token's claims (issuer, audience, expiry, nonce, azp, at_hash); joserfc, which
Authlib itself uses, checks the signature against the provider's published keys."""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
from authlib.common.security import generate_token, is_secure_transport
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from server.identity.cpr import CPR_CLAIM, Cpr, InvalidCpr
from server.identity.errors import (
    CallbackReplayed,
    ClaimMissing,
    CodeExchangeFailed,
    DiscoveryFailed,
    LoaTooLow,
    ProviderRefused,
    SignInExpired,
    StateMismatch,
    TokenInvalid,
)
from server.identity.loa import NSIS_LOA_CLAIM, Loa
from server.identity.pending import (
    PENDING_MAX_SECONDS,
    MemoryReplayGuard,
    PendingSignIn,
    ReplayGuard,
)

__all__ = ["CPR_CLAIM", "OidcClient", "VerifiedIdentity"]

# Clock skew between Trivsel and the provider that an ID token's exp/iat may show.
LEEWAY_SECONDS = 60
# How long discovery and the signing keys are kept before they are read again (a key the
# provider rotated in is fetched at once on an unknown key id, whatever this says).
METADATA_SECONDS = 3600
HTTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the provider vouched for. ``claims`` are the ID token's claims without the CPR
    claim, which is only in ``cpr`` (a ``Cpr`` masks itself when printed)."""

    issuer: str
    subject: str
    loa: Loa | None
    cpr: Cpr | None
    claims: Mapping[str, Any] = field(repr=False)


@dataclass
class _Metadata:
    document: dict[str, Any]
    keys: dict[str, Any] | None = None
    fetched_at: float = 0.0


class OidcClient:
    """One relying party registration at one provider."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        redirect_uri: str,
        scopes: Sequence[str] = ("openid",),
        *,
        min_loa: Loa | None = None,
        loa_claim: str = NSIS_LOA_CLAIM,
        cpr_claim: str | None = None,
        replay_guard: ReplayGuard | None = None,
        extra_authorize_params: Mapping[str, str] | None = None,
        http: requests.Session | None = None,
        pending_max_seconds: int = PENDING_MAX_SECONDS,
    ) -> None:
        if "openid" not in scopes:
            raise ValueError("an OpenID Connect sign-in asks for the 'openid' scope")
        for url in (issuer, redirect_uri):
            # Authlib's rule: https, or http to this machine's loopback (tests, make run).
            if not is_secure_transport(url):
                raise ValueError(f"{url!r} must be https (http only on 127.0.0.1)")
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.scopes = tuple(scopes)
        self.min_loa = min_loa
        self.loa_claim = loa_claim
        self.cpr_claim = cpr_claim
        # One process's memory is enough for tests and a single-process server; the app
        # passes a guard every worker shares (docs/identity.md).
        self.replay_guard: ReplayGuard = replay_guard or MemoryReplayGuard()
        self._extra = dict(extra_authorize_params or {})
        self._http = http or requests.Session()
        self._pending_max = pending_max_seconds
        self._metadata: _Metadata | None = None

    def __repr__(self) -> str:  # the secret stays out of logs
        return f"OidcClient(issuer={self.issuer!r}, client_id={self.client_id!r})"

    # -- discovery -------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document, read once an hour."""
        return self._load_metadata().document

    def _load_metadata(self) -> _Metadata:
        now = time.time()
        if self._metadata is None or now - self._metadata.fetched_at > METADATA_SECONDS:
            url = f"{self.issuer}/.well-known/openid-configuration"
            document = self._get_json(url)
            # OpenID Connect Discovery §4.3: the document must name the issuer it was read
            # from, or a provider could speak for another.
            if str(document.get("issuer", "")).rstrip("/") != self.issuer:
                raise DiscoveryFailed("the discovery document names another issuer")
            for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                if not is_secure_transport(str(document.get(name, ""))):
                    raise DiscoveryFailed(f"the discovery document's {name} is not https")
            self._metadata = _Metadata(document=document, fetched_at=now)
        return self._metadata

    def _key_set(self, *, refresh: bool = False) -> KeySet:
        meta = self._load_metadata()
        if meta.keys is None or refresh:
            meta.keys = self._get_json(str(meta.document["jwks_uri"]))
        return KeySet.import_key_set(meta.keys)  # type: ignore[arg-type]  # a JWKS as read

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = self._http.get(url, timeout=HTTP_TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise DiscoveryFailed(f"could not read {url}") from exc
        if not isinstance(document, dict):
            raise DiscoveryFailed(f"{url} is not a JSON object")
        return document

    # -- the two steps ---------------------------------------------------------------------

    def begin(self) -> tuple[str, PendingSignIn]:
        """The URL to send the browser to, and what to keep until the callback."""
        endpoint = str(self.metadata()["authorization_endpoint"])
        pending = PendingSignIn(
            state=generate_token(43),
            nonce=generate_token(43),
            # RFC 7636: 43-128 characters of high entropy.
            code_verifier=generate_token(64),
            redirect_uri=self.redirect_uri,
            started_at=time.time(),
        )
        with self._session() as session:
            url, _ = session.create_authorization_url(
                endpoint,
                state=pending.state,
                code_verifier=pending.code_verifier,
                nonce=pending.nonce,
                **self._extra,
            )
        return str(url), pending

    def finish(self, callback_args: Mapping[str, str], pending: PendingSignIn) -> VerifiedIdentity:
        """Check the callback against the pending sign-in, exchange its code once and verify
        the ID token; the identity it vouches for, or a SignInError."""
        code = self._check_callback(callback_args, pending)
        token = self._exchange(code, pending)
        claims = self._verify_id_token(token, pending)
        return self._identity(claims)

    # -- steps of finish -------------------------------------------------------------------

    def _check_callback(self, args: Mapping[str, str], pending: PendingSignIn) -> str:
        """The callback's code, once it is known to be this sign-in's and used once."""
        if time.time() - pending.started_at > self._pending_max:
            raise SignInExpired("the sign-in took too long")
        state = args.get("state", "")
        if not state or not hmac.compare_digest(state.encode(), pending.state.encode()):
            raise StateMismatch("the callback's state is not this sign-in's")
        # RFC 9207: a provider that names itself in the callback must name this one (a
        # callback from the other sign-in's provider, a mix-up, is not this sign-in's).
        named = args.get("iss")
        if named is not None and named.rstrip("/") != self.issuer:
            raise StateMismatch("the callback names another issuer")
        if named is None and self.metadata().get("authorization_response_iss_parameter_supported"):
            raise StateMismatch("the callback does not name its issuer, as its provider does")
        # Claimed before anything else is done with the callback: of two racing or replayed
        # callbacks, one goes on and the other is refused, whatever the provider would do.
        if not self.replay_guard.claim(pending.state, pending.started_at + self._pending_max):
            raise CallbackReplayed("this sign-in's callback was already used")
        if "error" in args:
            raise ProviderRefused(args["error"], args.get("error_description", ""))
        code = args.get("code")
        if not code:
            raise CodeExchangeFailed("the callback carries no code")
        return code

    def _session(self) -> Any:
        return OAuth2Session(
            client_id=self.client_id,
            client_secret=self._client_secret,
            redirect_uri=self.redirect_uri,
            scope=" ".join(self.scopes),
            code_challenge_method="S256",
        )

    def _exchange(self, code: str, pending: PendingSignIn) -> dict[str, Any]:
        endpoint = str(self.metadata()["token_endpoint"])
        with self._session() as session:
            try:
                token = session.fetch_token(
                    endpoint,
                    grant_type="authorization_code",
                    code=code,
                    code_verifier=pending.code_verifier,
                    redirect_uri=pending.redirect_uri,
                    timeout=HTTP_TIMEOUT_SECONDS,
                )
            except (OAuthError, requests.RequestException, ValueError) as exc:
                raise CodeExchangeFailed("the provider did not exchange the code") from exc
        return dict(token)

    def _verify_id_token(self, token: Mapping[str, Any], pending: PendingSignIn) -> CodeIDToken:
        raw = token.get("id_token")
        if not isinstance(raw, str):
            raise TokenInvalid("the token answer carries no ID token")
        algorithms = [
            alg
            for alg in self.metadata().get("id_token_signing_alg_values_supported", ["RS256"])
            if alg != "none"
        ]
        registry = JWSRegistry(algorithms=algorithms)
        try:
            try:
                decoded = jwt.decode(raw, self._key_set(), registry=registry)
            except InvalidKeyIdError:
                # The provider rotated its keys since we read them: read them once more.
                decoded = jwt.decode(raw, self._key_set(refresh=True), registry=registry)
            claims = CodeIDToken(
                decoded.claims,
                decoded.header,
                options={
                    "iss": {"essential": True, "value": self.issuer},
                    "aud": {"essential": True, "value": self.client_id},
                    "exp": {"essential": True},
                    "nonce": {"essential": True, "value": pending.nonce},
                },
                params={
                    "nonce": pending.nonce,
                    "client_id": self.client_id,
                    "access_token": token.get("access_token"),
                },
            )
            claims.validate(leeway=LEEWAY_SECONDS)
        except (JoseError, ValueError) as exc:
            raise TokenInvalid(f"the ID token does not hold: {type(exc).__name__}") from exc
        return claims

    def _identity(self, claims: Mapping[str, Any]) -> VerifiedIdentity:
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            raise ClaimMissing("sub")
        loa = Loa.parse(claims.get(self.loa_claim))
        if self.min_loa is not None and (loa is None or loa < self.min_loa):
            raise LoaTooLow(loa.label if loa else None, self.min_loa.label)
        cpr: Cpr | None = None
        if self.cpr_claim is not None:
            try:
                cpr = Cpr(str(claims[self.cpr_claim]))
            except (KeyError, InvalidCpr):
                raise ClaimMissing(self.cpr_claim) from None
        rest = {k: v for k, v in claims.items() if k != self.cpr_claim}
        return VerifiedIdentity(issuer=self.issuer, subject=subject, loa=loa, cpr=cpr, claims=rest)
