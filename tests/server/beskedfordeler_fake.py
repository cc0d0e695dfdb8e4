"""A local fake of KOMBIT's Beskedfordeler pushing Digital Post's receipts (SF1461
"BeskedFåTilsendt") to the app served over real HTTP, as the municipality's proxy hands them
on: the ``ModtagBeskedInput`` envelope with one ``Haendelsesbesked`` whose ``Beskeddata``
holds a base64 ``PKO_PostStatus`` (the shape of the sample messages in
itk-dev/beskedfordeler-drupal, resources/messages/sf1601/), and the secret header the proxy
adds once it has checked the Beskedfordeler's client certificate.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree.ElementTree import Element, SubElement, tostring

import requests
from defusedxml.ElementTree import fromstring

from server.letters.beskedfordeler import BESKED, KUVERT, PKO, SAGDOK, STS

SECRET = "beskedfordeler-proxy-secret-for-the-tests-0123456789"
PATH = "/beskedfordeler/PostStatusBeskedModtag"
AT = datetime(2026, 12, 7, 10, 5, tzinfo=UTC)
# Digital Post's sender (BeskedAnsvarligAktoer) and event ids (ObjektHandling), from KOMBIT's
# PKO_PostStatus appendix as OpenPostbud's worker lists them.
DIGITAL_POST = "96514e13-afdd-44d6-95a8-adc2ca19b127"
EVENT_IDS = {
    "Afleveret Digital Post": "f7161a89-5068-4023-bc80-d7f4daad2a2e",
    "Modtaget Digital Post": "eb866ca2-b871-4387-b501-12cde577bd58",
    "Afleveret til print og kuvertering": "e3c0a021-2070-40d4-b7b7-754aeba762e9",
    "Fejlet": "e225a75c-4b63-46c4-9423-77f5c8762445",
}
# Our words for the events a test names.
EVENTS = {
    "delivered": "Afleveret Digital Post",
    "printed": "Afleveret til print og kuvertering",
    "failed": "Fejlet",
    "received": "Modtaget Digital Post",
}


def _el(parent: Element, ns: str, name: str, text: str | None = None) -> Element:
    node = SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        node.text = text
    return node


def _id(parent: Element, name: str, value: str, kind: str = "UUIDIdentifikator") -> Element:
    node = _el(parent, KUVERT, name)
    _el(node, SAGDOK, kind, value)
    return node


def post_status(
    message_uuid: str, event: str, cvr: str, error: tuple[str, str] = ("", "")
) -> bytes:
    """A PKO_PostStatus for one message, by our word for the event or its own name."""
    name = EVENTS.get(event, event)
    status = Element(f"{{{PKO}}}PKO_PostStatus")
    for field, value in (
        ("TransmissionId", str(uuid.uuid4())),
        ("MessageUUID", message_uuid),
        ("MessageId", str(uuid.uuid4())),
        ("KanalKode", "Digital Post"),
        ("TransaktionsDatoTid", AT.isoformat().replace("+00:00", "Z")),
        ("TransaktionsStatusKode", name),
        ("CorrelationId", str(uuid.uuid4())),
    ):
        _el(status, PKO, field, value)
    details = _el(status, PKO, "FejlDetaljer")
    if any(error):
        _el(details, PKO, "FejlKode", error[0])
        _el(details, PKO, "FejlTekst", error[1])
    return envelope(
        tostring(status, encoding="utf-8"), cvr, EVENT_IDS.get(name, EVENT_IDS["Fejlet"])
    )


def envelope(data: bytes, cvr: str, event_id: str = EVENT_IDS["Fejlet"]) -> bytes:
    """A ModtagBeskedInput carrying ``data`` (base64) for the authority ``cvr``."""
    root = Element(f"{{{STS}}}ModtagBeskedInput")
    besked = _el(root, KUVERT, "Haendelsesbesked")
    _id(besked, "BeskedId", str(uuid.uuid4()))
    _el(besked, KUVERT, "BeskedVersion", "1.0")
    kuvert = _el(besked, KUVERT, "Beskedkuvert")
    filters = _el(kuvert, KUVERT, "Filtreringsdata")
    _id(filters, "Beskedtype", "d2bed63c-4853-4008-b6e0-a74c15b15fbf")  # PKO_PostStatus
    _id(filters, "BeskedAnsvarligAktoer", DIGITAL_POST)
    _id(filters, "TilladtModtager", f"urn:oio:cvr:{cvr}", "URNIdentifikator")
    registration = _el(filters, KUVERT, "ObjektRegistrering")
    _id(registration, "ObjektAnsvarligMyndighed", f"urn:oio:cvr:{cvr}", "URNIdentifikator")
    _id(registration, "ObjektHandling", event_id)
    delivery = _el(kuvert, KUVERT, "Leveranceinformation")
    made = _el(delivery, KUVERT, "Dannelsestidspunkt")
    _el(made, SAGDOK, "TidsstempelDatoTid", AT.isoformat())
    payload = _el(_el(besked, KUVERT, "Beskeddata"), BESKED, "Base64")
    payload.set("content-type", "application/xml")
    payload.text = base64.b64encode(data).decode()
    body: bytes = tostring(root, encoding="utf-8", xml_declaration=True)
    return body


@dataclass
class FakeBeskedfordeler:
    """Pushes to the app at ``base`` through the proxy: with the secret unless told not to."""

    base: str
    secret: str | None = SECRET

    def push(self, body: bytes, secret: str | None = None) -> requests.Response:
        headers = {"Content-Type": "application/xml"}
        given = secret if secret is not None else self.secret
        if given:
            headers["X-Beskedfordeler-Secret"] = given
        return requests.post(f"{self.base}{PATH}", data=body, headers=headers, timeout=10)


def status_code(answer: requests.Response) -> str:
    """The ModtagBeskedOutput's StatusKode (20: taken)."""
    root = fromstring(answer.content)
    return root.findtext(f".//{{{SAGDOK}}}StatusKode", "")
