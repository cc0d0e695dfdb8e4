"""The relying party against a real provider over HTTP (oidc-provider-mock on 127.0.0.1):
PKCE, state, nonce, the code's single use on both sides, assurance level and CPR claims."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from server.identity.cpr import Cpr
from server.identity.errors import (
    CallbackReplayed,
    ClaimMissing,
    CodeExchangeFailed,
    LoaTooLow,
    ProviderRefused,
    SignInExpired,
    StateMismatch,
    TokenInvalid,
)
from server.identity.loa import NSIS_LOA_CLAIM, Loa
from server.identity.oidc import CPR_CLAIM, OidcClient
from tests.identity.conftest import CALLBACK, RecordingProvider, SignIn
from tests.identity.patterns import TEN_DIGITS


def test_a_parent_signs_in_with_cpr_and_assurance(
    parent_client: OidcClient, sign_in: SignIn
) -> None:
    url, pending = parent_client.begin()
    identity = parent_client.finish(sign_in(url, "mitid-mette"), pending)
    assert identity.subject == "mitid-mette"
    assert identity.issuer == parent_client.issuer
    assert identity.loa is Loa.SUBSTANTIAL
    assert identity.cpr == Cpr("010155-5001")
    assert identity.claims["name"] == "Mette Jensen"
    # The number is only in the masked value object, never in the claims or any printed form.
    assert CPR_CLAIM not in identity.claims
    assert not TEN_DIGITS.search(repr(identity)) and not TEN_DIGITS.search(str(identity))


def test_a_sign_in_writes_no_cpr_number_to_any_log(
    parent_client: OidcClient, sign_in: SignIn, caplog: pytest.LogCaptureFixture
) -> None:
    """Every logger, at DEBUG, through a sign-in and a refusal: HTTP clients, Authlib, the
    local provider in this process."""
    with caplog.at_level(logging.DEBUG):
        url, pending = parent_client.begin()
        parent_client.finish(sign_in(url, "mitid-mette"), pending)
        url, pending = parent_client.begin()
        with pytest.raises(LoaTooLow):
            parent_client.finish(sign_in(url, "mitid-mette-low"), pending)
    assert caplog.records  # the HTTP clients did log
    assert not TEN_DIGITS.search(caplog.text)
    # The fields a JSON log line carries too (the app's LOG_FORMAT=json writes extras).
    standard = set(vars(logging.makeLogRecord({})))  # created, thread…: numbers, not CPRs
    for record in caplog.records:
        extras = {k: v for k, v in vars(record).items() if k not in standard}
        assert not TEN_DIGITS.search(repr(extras)), record.name


def test_the_authorization_request_uses_pkce_s256_state_and_nonce(
    recording_provider: RecordingProvider, sign_in: SignIn
) -> None:
    client = OidcClient(
        recording_provider.issuer, "trivsel-parents", "s", CALLBACK, cpr_claim=CPR_CLAIM
    )
    url, pending = client.begin()
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    expected = (
        base64.urlsafe_b64encode(hashlib.sha256(pending.code_verifier.encode()).digest())
        .rstrip(b"=")
        .decode()
    )
    assert query["code_challenge"] == expected
    assert query["state"] == pending.state and query["nonce"] == pending.nonce
    assert query["redirect_uri"] == CALLBACK and "openid" in query["scope"].split()
    assert len(pending.code_verifier) >= 43
    # The verifier is sent with the code, and only then.
    client.finish(sign_in(url, "mitid-lars"), pending)
    [exchange] = recording_provider.token_requests
    assert exchange["code_verifier"] == pending.code_verifier
    assert exchange["grant_type"] == "authorization_code"


def test_each_sign_in_gets_fresh_secrets(parent_client: OidcClient) -> None:
    (_, one), (_, two) = parent_client.begin(), parent_client.begin()
    assert one.state != two.state and one.nonce != two.nonce
    assert one.code_verifier != two.code_verifier


# The level each demo person signs in at (server/identity/dev_provider.py).
SIGNS_IN_AT = {"mitid-mette-low": Loa.LOW, "mitid-mette": Loa.SUBSTANTIAL, "mitid-lars": Loa.HIGH}


@pytest.mark.parametrize(
    ("sub", "minimum", "allowed"),
    [
        ("mitid-mette-low", Loa.SUBSTANTIAL, False),
        ("mitid-mette", Loa.SUBSTANTIAL, True),
        ("mitid-lars", Loa.SUBSTANTIAL, True),
        ("mitid-mette", Loa.HIGH, False),
        ("mitid-lars", Loa.HIGH, True),
        ("mitid-mette-low", Loa.LOW, True),
    ],
)
def test_assurance_below_the_minimum_is_refused(
    issuer: str, sign_in: SignIn, sub: str, minimum: Loa, allowed: bool
) -> None:
    client = OidcClient(
        issuer, "trivsel-parents", "s", CALLBACK, min_loa=minimum, cpr_claim=CPR_CLAIM
    )
    url, pending = client.begin()
    args = sign_in(url, sub)
    if allowed:
        assert client.finish(args, pending).loa == SIGNS_IN_AT[sub]  # the level, as signed in
    else:
        with pytest.raises(LoaTooLow) as refused:
            client.finish(args, pending)
        assert refused.value.minimum == minimum.label


def test_a_missing_assurance_level_is_refused_when_a_minimum_is_set(
    issuer: str, parent_client: OidcClient, sign_in: SignIn
) -> None:
    answer = requests.put(f"{issuer}/users/no-loa", json={CPR_CLAIM: "0101555001"}, timeout=10)
    assert answer.status_code == 204
    url, pending = parent_client.begin()
    with pytest.raises(LoaTooLow):
        parent_client.finish(sign_in(url, "no-loa"), pending)


def test_the_assurance_claim_is_a_setting(issuer: str, sign_in: SignIn) -> None:
    """A staff provider that sends the level in ``acr`` (Entra ID with a claims mapping)."""
    requests.put(f"{issuer}/users/acr-staff", json={"acr": "Substantial"}, timeout=10)
    client = OidcClient(
        issuer, "trivsel-staff", "s", CALLBACK, loa_claim="acr", min_loa=Loa.SUBSTANTIAL
    )
    url, pending = client.begin()
    identity = client.finish(sign_in(url, "acr-staff"), pending)
    assert identity.loa is Loa.SUBSTANTIAL and identity.cpr is None


def test_a_missing_or_invalid_cpr_is_refused_where_one_is_required(
    issuer: str, parent_client: OidcClient, sign_in: SignIn
) -> None:
    loa = f"{NSIS_LOA_CLAIM}/High"
    requests.put(f"{issuer}/users/no-cpr", json={NSIS_LOA_CLAIM: loa}, timeout=10)
    requests.put(
        f"{issuer}/users/bad-cpr", json={NSIS_LOA_CLAIM: loa, CPR_CLAIM: "3102551234"}, timeout=10
    )
    for sub in ("no-cpr", "bad-cpr"):
        url, pending = parent_client.begin()
        with pytest.raises(ClaimMissing) as refused:
            parent_client.finish(sign_in(url, sub), pending)
        assert refused.value.claim == CPR_CLAIM
        assert "3102551234" not in str(refused.value)


def test_staff_roles_and_institution_arrive_as_claims(issuer: str, sign_in: SignIn) -> None:
    client = OidcClient(
        issuer, "trivsel-staff", "s", CALLBACK, ("openid", "email"), min_loa=Loa.SUBSTANTIAL
    )
    url, pending = client.begin()
    identity = client.finish(sign_in(url, "entra-peter"), pending)
    assert identity.claims["roles"] == ["trivsel-paedagog"]
    assert identity.claims["email"] == "paedagog@example.org"
    assert identity.claims["institution"]


def test_a_callback_with_another_state_is_refused(
    parent_client: OidcClient, sign_in: SignIn
) -> None:
    url, pending = parent_client.begin()
    args = sign_in(url, "mitid-mette")
    with pytest.raises(StateMismatch):
        # Another last character: "x" in place of an "x" would be the same state (1 in 64).
        other = args["state"][:-1] + ("y" if args["state"].endswith("x") else "x")
        parent_client.finish({**args, "state": other}, pending)
    with pytest.raises(StateMismatch):
        parent_client.finish({k: v for k, v in args.items() if k != "state"}, pending)


def test_a_callback_that_names_another_issuer_is_refused(
    parent_client: OidcClient, sign_in: SignIn
) -> None:
    """RFC 9207's mix-up defence: the callback came from another provider."""
    url, pending = parent_client.begin()
    args = sign_in(url, "mitid-mette")
    with pytest.raises(StateMismatch):
        parent_client.finish({**args, "iss": "https://login.example.dk"}, pending)
    # Named correctly, it goes on (the mock itself does not send it).
    identity = parent_client.finish({**args, "iss": parent_client.issuer}, pending)
    assert identity.subject == "mitid-mette"


def test_a_callback_from_another_browsers_sign_in_is_refused(
    parent_client: OidcClient, sign_in: SignIn
) -> None:
    """Login CSRF: an attacker's own callback sent to a victim's browser."""
    _, victims = parent_client.begin()
    attackers_url, _ = parent_client.begin()
    with pytest.raises(StateMismatch):
        parent_client.finish(sign_in(attackers_url, "mitid-uden"), victims)


def test_a_replayed_callback_is_refused_by_trivsel(
    parent_client: OidcClient, sign_in: SignIn
) -> None:
    url, pending = parent_client.begin()
    args = sign_in(url, "mitid-mette")
    parent_client.finish(args, pending)
    with pytest.raises(CallbackReplayed):
        parent_client.finish(args, pending)


def test_a_replayed_callback_is_refused_before_the_code_reaches_the_provider(
    recording_provider: RecordingProvider, sign_in: SignIn
) -> None:
    client = OidcClient(recording_provider.issuer, "c", "s", CALLBACK)
    url, pending = client.begin()
    args = sign_in(url, "mitid-mette")
    client.finish(args, pending)
    with pytest.raises(CallbackReplayed):
        client.finish(args, pending)
    assert len(recording_provider.token_requests) == 1


def test_the_provider_refuses_a_used_code(
    parent_client: OidcClient, issuer: str, sign_in: SignIn
) -> None:
    """The second line of defence: where Trivsel's guard did not see the first use (another
    worker with its own memory), the provider still exchanges a code only once."""
    url, pending = parent_client.begin()
    args = sign_in(url, "mitid-mette")
    parent_client.finish(args, pending)
    other_worker = OidcClient(
        issuer,
        "trivsel-parents",
        "parents-secret",
        CALLBACK,
        min_loa=Loa.SUBSTANTIAL,
        cpr_claim=CPR_CLAIM,
    )
    with pytest.raises(CodeExchangeFailed):
        other_worker.finish(args, pending)
    # And at the token endpoint itself, whoever asks.
    again = requests.post(
        f"{issuer}/oauth2/token",
        timeout=10,
        data={
            "grant_type": "authorization_code",
            "code": args["code"],
            "redirect_uri": CALLBACK,
            "client_id": "trivsel-parents",
            "client_secret": "parents-secret",
            "code_verifier": pending.code_verifier,
        },
    )
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"


def test_a_code_issued_to_another_client_is_refused(
    issuer: str, parent_client: OidcClient, sign_in: SignIn
) -> None:
    url, pending = parent_client.begin()
    args = sign_in(url, "mitid-mette")
    staff = OidcClient(issuer, "trivsel-staff", "s", CALLBACK)
    with pytest.raises(CodeExchangeFailed):
        staff.finish(args, pending)


def test_a_nonce_that_does_not_match_is_refused(parent_client: OidcClient, sign_in: SignIn) -> None:
    url, pending = parent_client.begin()
    args = sign_in(url, "mitid-mette")
    with pytest.raises(TokenInvalid):
        parent_client.finish(args, dataclasses.replace(pending, nonce="not-the-one-sent"))


def test_a_cancelled_sign_in_is_the_providers_refusal(
    parent_client: OidcClient, sign_in: SignIn
) -> None:
    url, pending = parent_client.begin()
    denied = sign_in(url, deny=True)
    assert denied["error"] == "access_denied"
    # The mock leaves the state out of its refusal (RFC 6749 §4.1.2.1 asks for it): an error
    # that names no sign-in is refused as a stranger's callback, before anything else.
    with pytest.raises(StateMismatch):
        parent_client.finish(denied, pending)
    with pytest.raises(ProviderRefused) as refused:
        parent_client.finish({**denied, "state": pending.state}, pending)
    assert refused.value.error == "access_denied"


def test_a_sign_in_left_too_long_is_refused(parent_client: OidcClient, sign_in: SignIn) -> None:
    url, pending = parent_client.begin()
    args = sign_in(url, "mitid-mette")
    stale = dataclasses.replace(pending, started_at=time.time() - 11 * 60)
    with pytest.raises(SignInExpired):
        parent_client.finish(args, stale)


def test_an_insecure_issuer_or_callback_is_refused() -> None:
    with pytest.raises(ValueError, match="https"):
        OidcClient("http://broker.example.dk", "c", "s", CALLBACK)
    with pytest.raises(ValueError, match="https"):
        OidcClient("https://broker.example.dk", "c", "s", "http://trivsel.example.dk/cb")
    with pytest.raises(ValueError, match="openid"):
        OidcClient("https://broker.example.dk", "c", "s", CALLBACK, scopes=("profile",))


def test_the_client_secret_is_not_in_its_repr(parent_client: OidcClient) -> None:
    assert "parents-secret" not in repr(parent_client)
