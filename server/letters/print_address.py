"""A guardian's postal address for a paper letter (fjernprint), asked of the municipality's CPR
integration when the letter is sent: never stored, logged or kept on the outbox row.

Fjernprint does not look the address up itself: the sender gives it in the print's
``ModtagerAdresse`` (itk-dev/os2forms_digital_post's ForsendelseHelper does the same from its
CPR lookup; python-serviceplatformen's ``create_physical_mail`` likewise). The contract is the
small JSON one of docs/identity.md beside custody: ``POST {url}/postal-address`` with the CPR
number in the body (a URL ends up in access logs), 200 with the address, 404 when CPR holds
none (emigrated, no fixed abode).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from server.identity.cpr import Cpr
from server.letters.settings import address_url

ADDRESS_PATH = "/postal-address"
TIMEOUT = 10  # seconds


class AddressUnavailable(Exception):
    """The CPR integration did not answer as documented: try the letter again later."""


@dataclass(frozen=True)
class PostalAddress:
    """A Danish postal address as CPR gives it: the parts fjernprint's envelope takes (the
    post code names the town; nothing more is asked)."""

    name: str
    street: str
    building: str
    postcode: str
    floor: str = ""
    suite: str = ""
    co: str = ""


def lookup(cpr: Cpr, config: dict[str, Any]) -> PostalAddress | None:
    """The address CPR holds for ``cpr``; None when it holds none. ``AddressUnavailable``
    when the integration cannot say."""
    headers = {"Accept": "application/json"}
    if config.get("CUSTODY_CPR_TOKEN"):
        headers["Authorization"] = f"Bearer {config['CUSTODY_CPR_TOKEN']}"
    cert, key = config.get("CUSTODY_CPR_CERT_FILE"), config.get("CUSTODY_CPR_KEY_FILE")
    try:
        resp = requests.post(
            address_url(config).rstrip("/") + ADDRESS_PATH,
            json={"cpr": cpr.digits},
            headers=headers,
            cert=(cert, key) if cert and key else (cert or None),
            verify=config.get("CUSTODY_CPR_CA_FILE") or True,
            timeout=TIMEOUT,
        )
    except requests.RequestException as exc:
        # Its text may quote the request: only its kind goes on.
        raise AddressUnavailable(f"address lookup: {type(exc).__name__}") from None
    if resp.status_code == 404:
        return None
    if resp.status_code != 200:
        raise AddressUnavailable(f"address lookup: HTTP {resp.status_code}")
    try:
        body = resp.json()
        if Cpr(str(body["cpr"])) != cpr:
            raise AddressUnavailable("address lookup: the answer is for another person")
        found = PostalAddress(
            **{name: str(body.get(name) or "").strip() for name in PostalAddress.__annotations__}
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        raise AddressUnavailable("address lookup: not the documented contract") from None
    # A letter cannot go without a street, a number and a post code: as good as none.
    if not (found.name and found.street and found.building and found.postcode):
        return None
    return found
