"""Who holds custody of a child: asked of a ``CustodySource`` chosen by ``CUSTODY_SOURCE``.

``manual`` answers from what staff ticked (today's ``has_custody``, read by a function the app
gives it); ``cpr`` asks the municipality's CPR service through Serviceplatformen, over the
small JSON contract of docs/identity.md. Neither is ever asked with a child's name: only CPR
numbers go in and out, and only in request bodies (a URL ends up in access logs)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, Protocol

import requests

from server.identity.cpr import Cpr, InvalidCpr

CUSTODY_PATH = "/custody-holders"


class CustodyError(Exception):
    """The source could not answer; the caller keeps what it knew (access is not widened)."""


class ChildUnknown(CustodyError):
    """The source knows no child with this CPR number."""


class CustodySource(Protocol):
    """The custody holders of a child, by CPR number."""

    def holders(self, child: Cpr) -> frozenset[Cpr]:
        """The CPR numbers of the child's current custody holders (empty: none)."""
        ...


def holds_custody(source: CustodySource, guardian: Cpr, child: Cpr) -> bool:
    """True when the source names ``guardian`` among the child's current custody holders."""
    return guardian in source.holders(child)


class ManualCustody:
    """Custody as staff recorded it: ``lookup`` gives the CPR numbers of the guardians whose
    custody box is ticked for the child (the app reads them from its guardians' table)."""

    def __init__(self, lookup: Callable[[Cpr], Iterable[Cpr]]) -> None:
        self._lookup = lookup

    def holders(self, child: Cpr) -> frozenset[Cpr]:
        """The guardians ticked as holding custody."""
        return frozenset(self._lookup(child))


class CprCustody:
    """The CPR service's answer: ``POST {base_url}/custody-holders`` with the child's number.

    Serviceplatformen authenticates the municipality by its function certificate (OCES/FOCES):
    ``client_cert`` is the ``(certificate, key)`` file pair, ``ca_file`` the CA the service's
    certificate is checked against; ``token`` a bearer token where a gateway asks for one."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str = "",
        client_cert: tuple[str, str] | None = None,
        ca_file: str = "",
        timeout: float = 10.0,
        http: requests.Session | None = None,
    ) -> None:
        self._url = base_url.rstrip("/") + CUSTODY_PATH
        self._token = token
        self._cert = client_cert
        self._verify: bool | str = ca_file or True
        self._timeout = timeout
        self._http = http or requests.Session()

    def __repr__(self) -> str:
        return f"CprCustody({self._url!r})"

    def holders(self, child: Cpr) -> frozenset[Cpr]:
        """The current custody holders; ChildUnknown or CustodyError where there is no answer."""
        headers = {"Accept": "application/json"}
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        try:
            response = self._http.post(
                self._url,
                json={"child_cpr": child.digits},
                headers=headers,
                cert=self._cert,
                verify=self._verify,
                timeout=self._timeout,
            )
        except requests.RequestException as exc:
            # The exception's text may hold the request; only its kind goes on.
            raise CustodyError(f"the CPR service did not answer ({type(exc).__name__})") from None
        if response.status_code == 404:
            raise ChildUnknown("the CPR service knows no such child")
        if response.status_code != 200:
            raise CustodyError(f"the CPR service answered {response.status_code}")
        return _parse(response, child)


def _parse(response: requests.Response, child: Cpr) -> frozenset[Cpr]:
    try:
        body: Any = response.json()
        if Cpr(str(body["child_cpr"])) != child:
            raise CustodyError("the CPR service answered for another child")
        today = date.today()
        holders = set()
        for holder in body["custody_holders"]:
            # A custody that ended (or has not begun) holds no access, whatever the list says.
            since, until = holder.get("since"), holder.get("until")
            if since and date.fromisoformat(since) > today:
                continue
            if until and date.fromisoformat(until) <= today:
                continue
            holders.add(Cpr(str(holder["cpr"])))
        return frozenset(holders)
    except (ValueError, KeyError, TypeError, AttributeError, InvalidCpr):
        raise CustodyError("the CPR service's answer is not the documented contract") from None
