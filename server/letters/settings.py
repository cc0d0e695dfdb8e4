"""The letter channel's settings: names, defaults and the check made at start (read by
server/config.py; meanings in docs/deploying.md, "Letters to parents")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

MODES = ("digital_post", "email", "outbox")
# Who chooses between Digital Post and paper (SF1601's KombiValgKode): "automatic" lets
# Digital Post choose per recipient, so a citizen exempt from Digital Post gets the letter on
# paper (fjernprint); "digital_only" sends to Digital Post alone (no fjernprint agreement).
CHANNEL_CHOICES = ("automatic", "digital_only")
MIN_SECRET = 32

# Name -> default; every one a string, as the environment gives it.
DIGITAL_POST_DEFAULTS: dict[str, str] = {
    # The sender: the municipality (its CVR) and the name Digital Post shows.
    "DIGITAL_POST_SENDER_CVR": "",
    "DIGITAL_POST_SENDER_NAME": "",
    # The OCES3 system certificate registered for Trivsel at Serviceplatformen (PEM), and its
    # key (empty when the certificate file holds the key too).
    "DIGITAL_POST_CERT_FILE": "",
    "DIGITAL_POST_KEY_FILE": "",
    # The certificate-based token exchange: the security token service (STS) issues a SAML
    # token for the service's entity id, which the access token service exchanges for a bearer
    # token. Production's addresses are the defaults; KOMBIT's external test has its own.
    "DIGITAL_POST_STS_URL": (
        "https://n2adgangsstyring.stoettesystemerne.dk/runtime/api/rest/wstrust/v1/issue"
    ),
    "DIGITAL_POST_TOKEN_URL": "https://prod.serviceplatformen.dk/service/AccessTokenService_1/token",
    "DIGITAL_POST_ENTITY_ID": "http://entityid.kombit.dk/service/kombipostafsend/1",
    # Serviceplatformen's base address; SF1601 is service/KombiPostAfsend_1/memos under it.
    "DIGITAL_POST_URL": "https://prod.serviceplatformen.dk/",
    # Delivery receipts are pushed by KOMBIT's Beskedfordeler to /beskedfordeler/
    # PostStatusBeskedModtag through the proxy that checks its client certificate and adds
    # this secret (server/letters/receipt_routes.py, docs/deploying.md). Empty: no such
    # endpoint, and a letter stays "sent".
    "BESKEDFORDELER_SECRET": "",
    # Paper for citizens exempt from Digital Post (server/letters/fjernprint.py): the choice,
    # the print's ForsendelseTypeIdentifikator (a number KOMBIT gives with the municipality's
    # fjernprint agreement) and where the recipient's postal address is asked for (the
    # municipality's CPR integration, POST …/postal-address; empty: CUSTODY_CPR_URL, with its
    # certificate, CA and token).
    "DIGITAL_POST_CHANNEL_CHOICE": "automatic",
    "DIGITAL_POST_PRINT_TYPE_ID": "",
    "DIGITAL_POST_ADDRESS_URL": "",
}


def address_url(values: Mapping[str, Any]) -> str:
    """The CPR integration asked for a recipient's postal address (empty: none)."""
    return str(values.get("DIGITAL_POST_ADDRESS_URL") or values.get("CUSTODY_CPR_URL") or "")


def letters_mode(values: Mapping[str, Any]) -> str:
    """The channel in force: the setting, or e-mail where a mail server is set, else the
    outbox. Refuses (ValueError, which server/config.py turns into its ConfigError) a mode
    it does not know or one missing what it needs."""
    mode = str(values.get("LETTERS") or ("email" if values.get("SMTP_HOST") else "outbox"))
    if mode not in MODES:
        raise ValueError(f"LETTERS={mode!r}: choose one of {', '.join(MODES)}.")
    if mode == "email" and not values.get("SMTP_HOST"):
        raise ValueError("LETTERS=email needs SMTP_HOST.")
    if mode == "digital_post":
        missing = [
            name
            for name in ("DIGITAL_POST_SENDER_CVR", "DIGITAL_POST_CERT_FILE", "DIGITAL_POST_URL")
            if not values.get(name)
        ]
        if missing:
            raise ValueError(f"LETTERS=digital_post needs {', '.join(missing)}.")
        for name in ("DIGITAL_POST_CERT_FILE", "DIGITAL_POST_KEY_FILE"):
            if values.get(name) and not Path(str(values[name])).is_file():
                raise ValueError(f"{name}={values[name]!r} is not a file.")
        secret = str(values.get("BESKEDFORDELER_SECRET") or "")
        if secret and len(secret) < MIN_SECRET:
            # It is all that stands between the open internet and the letters' states.
            raise ValueError(f"BESKEDFORDELER_SECRET needs at least {MIN_SECRET} characters.")
        _check_choice(values)
    return mode


def _check_choice(values: Mapping[str, Any]) -> None:
    choice = str(values.get("DIGITAL_POST_CHANNEL_CHOICE") or "automatic")
    if choice not in CHANNEL_CHOICES:
        raise ValueError(
            f"DIGITAL_POST_CHANNEL_CHOICE={choice!r}: choose one of {', '.join(CHANNEL_CHOICES)}."
        )
    if choice == "digital_only":
        return
    # Without these an exempt citizen's letter could not be printed: refuse now, not when
    # the first paper letter fails.
    type_id = str(values.get("DIGITAL_POST_PRINT_TYPE_ID") or "")
    if not type_id.isdigit():
        raise ValueError(
            "DIGITAL_POST_CHANNEL_CHOICE=automatic (paper for citizens exempt from Digital "
            "Post) needs DIGITAL_POST_PRINT_TYPE_ID, the number from the fjernprint agreement; "
            "or set DIGITAL_POST_CHANNEL_CHOICE=digital_only."
        )
    if not address_url(values):
        raise ValueError(
            "DIGITAL_POST_CHANNEL_CHOICE=automatic needs DIGITAL_POST_ADDRESS_URL (or "
            "CUSTODY_CPR_URL): a paper letter carries the recipient's address from CPR."
        )
