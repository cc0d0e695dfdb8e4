"""Digital Post's receipts as KOMBIT's Beskedfordeler pushes them (SF1461, "BeskedFåTilsendt").

NgDP's post component reports each MeMo message's fate as a ``PKO_PostStatus`` business
message. The Beskedfordeler wraps it, base64-encoded, in a ``Haendelsesbesked`` of its own
envelope and POSTs a ``ModtagBeskedInput`` to the endpoint the municipality subscribed for
Trivsel (receipt_routes.py); the endpoint answers a ``ModtagBeskedOutput`` whose
``StatusKode`` 20 means taken. The shape follows what public clients of the same contract
read (docs/deploying.md, "Delivery receipts", names them): the envelope of
itk-dev/beskedfordeler-drupal's sample messages, the PKO_PostStatus fields os2forms and
OpenPostbud read, and the event names KOMBIT's PKO_PostStatus appendix gives.

Both layers come from outside, so both are parsed by defusedxml with DTDs forbidden: no
entity expansion, no external reference, no document type at all (a Beskedfordeler message
never has one).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

STS = "urn:oio:sts:1.0.0"
KUVERT = "urn:oio:besked:kuvert:1.0"
SAGDOK = "urn:oio:sagdok:3.0.0"
BESKED = "urn:besked:kuvert:1.0"
PKO = "http://serviceplatformen.dk/xml/print/PKO_PostStatus/1/types"
NS = {"sts": STS, "k": KUVERT, "s": SAGDOK, "b": BESKED, "p": PKO}

# TransaktionsStatusKode -> our state; None: a step on the way, the letter stays "sent".
# The names are the same on both channels except "Fejlet", which ends either, so the status
# alone says which way a letter went: Digital Post's mailbox, or fjernprint's paper letter
# (the recipient is exempt from Digital Post and KombiPostAfsend printed it instead).
EVENTS: dict[str, str | None] = {
    "afleveret digital post": "delivered",  # in the recipient's mailbox
    "modtaget digital post": None,  # taken by Digital Post, not yet in the mailbox
    "afsendt": None,  # fjernprint: made for the print provider
    "modtaget fjern-print": None,
    "modtaget fjernprint": None,
    "klar": None,  # waiting to be printed
    "afleveret til print og kuvertering": "printed",
    "modtaget post danmark": "printed",
    "opdatering fra post danmark": None,  # returned mail, new address: for the case worker
    "tilbagekaldt": "failed",  # recalled: Trivsel never recalls, so nobody will get it
    "fejlet": "failed",
}


class Malformed(ValueError):
    """Not a Beskedfordeler message this endpoint can read (bad XML, a DTD, bad base64)."""


@dataclass(frozen=True)
class PostStatus:
    """One PKO_PostStatus, as read: ``status`` is ours (delivered, printed, failed) or None
    for a step that changes nothing."""

    besked_id: str
    message_uuid: str
    event: str
    status: str | None
    at: datetime
    reason: str
    authorities: frozenset[str]  # the CVR numbers the envelope names as its recipients


def _xml(data: bytes) -> Element:
    try:
        root: Element = fromstring(data, forbid_dtd=True)
    except (ParseError, DefusedXmlException) as exc:
        raise Malformed(f"{type(exc).__name__}: {exc}") from exc
    return root


def _text(node: Element, path: str) -> str:
    return (node.findtext(path, "", NS) or "").strip()


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise Malformed(f"not a time: {text[:40]!r}") from exc
    # A time without a zone is taken as UTC (the database keeps aware times).
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse(body: bytes) -> list[PostStatus]:
    """The receipts in one ``ModtagBeskedInput`` (bare, as the Beskedfordeler posts it, or in
    a SOAP body); ``Malformed`` if it is not one. A Haendelsesbesked of another kind than
    PKO_PostStatus is passed over."""
    root = _xml(body)
    request = (
        root
        if root.tag == f"{{{STS}}}ModtagBeskedInput"
        else root.find(".//sts:ModtagBeskedInput", NS)
    )
    if request is None:
        raise Malformed(f"not a ModtagBeskedInput: {root.tag[:80]}")
    found = []
    for besked in request.iterfind("k:Haendelsesbesked", NS):
        data = _text(besked, "k:Beskeddata/b:Base64")
        try:
            status = _xml(base64.b64decode(data, validate=True))
        except (binascii.Error, ValueError) as exc:  # ValueError: characters beyond ASCII
            raise Malformed("Beskeddata is not base64") from exc
        if status.tag != f"{{{PKO}}}PKO_PostStatus":
            continue
        found.append(_post_status(besked, status))
    return found


def _post_status(besked: Element, status: Element) -> PostStatus:
    event = _text(status, "p:TransaktionsStatusKode")
    code, text = (
        _text(status, "p:FejlDetaljer/p:FejlKode"),
        _text(status, "p:FejlDetaljer/p:FejlTekst"),
    )
    ours = EVENTS.get(" ".join(event.lower().split()))
    if code or text:
        ours = "failed"  # whatever the event is called, error details end the letter
    filters = "k:Beskedkuvert/k:Filtreringsdata"
    urns = [
        node.text or ""
        for path in (
            f"{filters}/k:TilladtModtager/s:URNIdentifikator",
            f"{filters}/k:ObjektRegistrering/k:ObjektAnsvarligMyndighed/s:URNIdentifikator",
        )
        for node in besked.iterfind(path, NS)
    ]
    when = _text(status, "p:TransaktionsDatoTid") or _text(
        besked, "k:Beskedkuvert/k:Leveranceinformation/k:Dannelsestidspunkt/s:TidsstempelDatoTid"
    )
    return PostStatus(
        besked_id=_text(besked, "k:BeskedId/s:UUIDIdentifikator"),
        message_uuid=_text(status, "p:MessageUUID").lower(),
        event=event,
        status=ours,
        at=_moment(when),
        reason=": ".join(part for part in (event, code, text) if part),
        authorities=frozenset(
            urn.strip().removeprefix("urn:oio:cvr:") for urn in urns if "cvr:" in urn
        ),
    )
