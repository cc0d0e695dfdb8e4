"""The letter channel's settings: names, defaults and the check made at start (read by
server/config.py; meanings in docs/deploying.md, "Letters to parents")."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

MODES = ("digital_post", "email", "outbox")
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
}


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
    return mode
