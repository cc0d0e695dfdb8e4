"""Filing through SF2900, KOMBIT's Fordelingskomponent: FordelingsobjektAfsend (issue 22).

The Fordelingskomponent routes a document to the municipality's case system by KLE number
and action facet (RoutingKLEEmneHandling), so Trivsel needs to know neither the case system
nor its API. python-serviceplatformen (used for Digital Post) has no SF2900, so the SOAP call
is built here, element for element, against the published contract: DistributionService
version 3 (``FordelingsobjektAfsendRequest``, whose ``anmodning`` is DistributionService 2's
``anmodRequestType``). tests/server/sf2900_fake.py validates every request against that XSD.

- **Idempotent**: the transaction id (AnvenderTransaktionsID) and the document's ID are the
  filing's id, so a filing sent again is the same transaction to the Fordelingskomponent,
  never a second document.
- **Acknowledged**: the answer's business receipt (ForretningsKvittering) says ACCEPTERET or
  AFLEVERET: the case system has the document. MODTAGET: the Fordelingskomponent has it
  but the case system has not said so; the filing stays "sent" and the filing job asks again
  with the same transaction. AFVIST and FEJLET, a SOAP fault (TransportKvittering), an HTTP
  error or no answer: not filed, tried again.
- **The files**: the zip (the folder exporter's) is put in the object store under the same
  key, uploaded whole to Serviceplatformen's SFTP service (server/filing/sftp.py) *before*
  the call, and named in DokumentFilNavn and in each part's Location. A failed upload is
  not filed and no call is made.
- **Authentication**: the OCES3 system certificate in the TLS handshake
  (``FILING_SF2900_CERT_FILE``/``_KEY_FILE``, Digital Post's by default).

The CPR number is in the request (the document's primary party, ``urn:oio:cpr-nr:``), as
the contract wants; it is never in an error message, log line or the filing's fields.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from xml.etree import ElementTree as ET

import requests
from lxml import etree

from server.filing.archive import FiledFile, Package
from server.filing.exporters import NotFiled, Receipt
from server.filing.sftp import SftpTarget, upload
from server.models import Filing
from server.models._common import utcnow
from server.photos.storage.base import StoreError
from server.photos.store import object_store

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
V3 = "http://serviceplatformen.dk/xml/wsdl/soap11/DistributionService/3/types"
V2 = "http://serviceplatformen.dk/xml/wsdl/soap11/DistributionService/2/types"
AUTHORITY = "http://serviceplatformen.dk/xml/schemas/AuthorityContext/1/"
ACTION = (
    "http://serviceplatformen.dk/xml/wsdl/soap11/DistributionService/3/port/FordelingsobjektAfsend"
)
# Who registered the document (RegistreringItSystem, and the actor of every Virkning).
SYSTEM_URN = "urn:trivsel:filing"
TIMEOUT = 10  # seconds: the first attempt is made in the request; a slow answer is retried
ACKNOWLEDGED = ("ACCEPTERET", "AFLEVERET")
WAITING = ("MODTAGET",)

# The answer is read without entities, DTDs or the network (an answer is untrusted input).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)

for _prefix, _ns in (("soap", SOAP), ("fk", V3), ("fd", V2), ("auth", AUTHORITY)):
    ET.register_namespace(_prefix, _ns)


class Sf2900Exporter:
    """Sends a filing to the Fordelingskomponent and reads its business receipt."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.url = str(config["FILING_SF2900_URL"])
        self.cvr = str(config["FILING_SF2900_CVR"])
        cert, key = config["FILING_SF2900_CERT_FILE"], config["FILING_SF2900_KEY_FILE"]
        self.cert: Any = (cert, key) if cert and key else (cert or None)
        self.sftp = SftpTarget.from_config(config)

    def send(self, filing: Filing, package: Package) -> Receipt:
        store = object_store()
        archive = package.zip()
        try:
            store.put(package.key, archive, "application/zip")
        except (OSError, StoreError) as exc:
            raise NotFiled(
                f"sf2900: the archive could not be stored ({type(exc).__name__})"
            ) from exc
        # The file first: the call names it, and the Fordelingskomponent may fetch it at once.
        upload(self.sftp, file_name(package), archive)
        body = request_xml(filing, package, self.cvr)
        try:
            resp = requests.post(
                self.url,
                data=body,
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": ACTION},
                cert=self.cert,
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            raise NotFiled(f"sf2900: no answer ({type(exc).__name__})") from exc
        code, reason = business_receipt(resp)
        location = f"sf2900:{filing.id}"
        if code in ACKNOWLEDGED:
            return Receipt(location, acknowledged=True)
        if code in WAITING:
            return Receipt(location, acknowledged=False, note=f"sf2900: {code}")
        raise NotFiled(f"sf2900: {code} {reason}".strip())


def business_receipt(resp: requests.Response) -> tuple[str, str]:
    """The answer's ForretningsValideringsKode and Begrundelse; NotFiled for a fault, an
    HTTP error or an answer that is not a receipt."""
    try:
        root = etree.fromstring(resp.content, _PARSER)
    except etree.XMLSyntaxError:
        if resp.status_code >= 400:
            raise NotFiled(f"sf2900: HTTP {resp.status_code}") from None
        raise NotFiled(f"sf2900: HTTP {resp.status_code}, not a SOAP answer") from None
    fault = _first(root, "TransportValideringsKode")
    if resp.status_code >= 400 or _first(root, "Fault") is not None:
        return_code = fault.text if fault is not None else f"HTTP {resp.status_code}"
        raise NotFiled(f"sf2900: transport {return_code} {_text(root, 'Begrundelse')}".strip())
    code = _first(root, "ForretningsValideringsKode")
    if code is None or not code.text:
        raise NotFiled("sf2900: the answer holds no business receipt")
    return code.text.strip(), _text(root, "Begrundelse")


def _first(root: Any, local: str) -> Any:
    return next(
        (e for e in root.iter() if isinstance(e.tag, str) and e.tag.rsplit("}", 1)[-1] == local),
        None,
    )


def _text(root: Any, local: str) -> str:
    found = _first(root, local)
    # The receiving side's reason, cut short: it is kept on the filing and logged.
    return (found.text or "").strip()[:200] if found is not None else ""


def file_name(package: Package) -> str:
    """The zip's name on the SFTP server and in DokumentFilNavn (the filing's id is in it)."""
    return package.key.rsplit("/", 1)[-1]


def request_xml(filing: Filing, package: Package, cvr: str) -> bytes:
    """The SOAP envelope of FordelingsobjektAfsend for ``filing``."""
    case = package.case
    when = _moment(filing.filed_at or utcnow())
    envelope = ET.Element(f"{{{SOAP}}}Envelope")
    ET.SubElement(envelope, f"{{{SOAP}}}Header")
    body = ET.SubElement(envelope, f"{{{SOAP}}}Body")
    req = ET.SubElement(body, f"{{{V3}}}FordelingsobjektAfsendRequest")
    authority = ET.SubElement(req, f"{{{AUTHORITY}}}AuthorityContext")
    _el(authority, f"{{{AUTHORITY}}}MunicipalityCVR", cvr)
    anmodning = ET.SubElement(req, f"{{{V3}}}anmodning")

    context = _v2(anmodning, "DistributionContext")
    _v2(context, "AnvenderTransaktionsID", filing.id)
    _v2(context, "AfsendendeMyndighed", cvr)
    _v2(context, "RoutingMyndighed", cvr)
    routing = _v2(_v2(context, "RoutingValg"), "RoutingKLEEmneHandling")
    _v2(routing, "RoutingKLEEmne", case.kle)
    if case.facet:
        _v2(routing, "RoutingHandlingFacet", case.facet)
    _v2(context, "DokumentFilNavn", file_name(package))

    objekt = _v2(anmodning, "DistributionObject")
    _v2(objekt, "ObjektType", "DOKUMENT")
    dokument = _v2(_v2(objekt, "ObjektIndhold"), "DistributionDokument")
    _v2(dokument, "ID", filing.id)
    _v2(dokument, "KLEEmneForslag", case.kle)
    if case.facet:
        _v2(dokument, "HandlingFacetForslag", case.facet)
    registrering = _v2(dokument, "Registrering")
    _v2(registrering, "FraTidsPunkt", when)
    _v2(registrering, "LivscyklusKode", "Oprettet")
    _v2(_v2(registrering, "RegistreringItSystem"), "URN", SYSTEM_URN)
    relations = _v2(registrering, "RelationListe")
    variants = _v2(relations, "VariantListe")
    for n, part in enumerate(package.files(), start=1):
        _variant(variants, n, part, package.key, when)
    if case.cpr is not None:
        party = _v2(_v2(relations, "DokumentPartListe"), "DokumentPart")
        _virkning(party, when)
        _v2(party, "Rolle", "PrimaerPart")
        _v2(party, "Indeks", "1")
        who = _v2(party, "Part")
        _v2(who, "ObjektType", "Person")
        _v2(_v2(who, "ReferenceID"), "URN", f"urn:oio:cpr-nr:{case.cpr.digits}")
    state = _v2(_v2(registrering, "TilstandsListe"), "Tilstand")
    _v2(state, "Fremdrift", "Endeligt")
    _virkning(state, when)
    attributes = _v2(_v2(registrering, "AttributListe"), "Attributter")
    _v2(attributes, "BrugervendtNoegleTekst", case.course_reference)
    _v2(attributes, "TitelTekst", case.title)
    _v2(attributes, "BeskrivelseTekst", case.description)
    _v2(attributes, "Dokumenttype", "Rapport")
    _v2(attributes, "Retning", "Udgaaende")  # published to the parents
    _v2(attributes, "Brevdato", case.document_date.isoformat())
    _virkning(attributes, when)
    return bytes(ET.tostring(envelope, encoding="utf-8", xml_declaration=True))


def _variant(parent: ET.Element, n: int, part: FiledFile, key: str, when: str) -> None:
    """One file of the filing: the PDF is the production variant, photos are appendices."""
    variant = _v2(parent, "Variant")
    _virkning(variant, when)
    _v2(variant, "Rolle", "Variant")
    _v2(variant, "Indeks", str(n))
    _v2(_v2(variant, "VariantAttributter"), "VariantType", "Produktion" if n == 1 else "Bilag")
    part_attributes = _v2(variant, "DelAttributter")
    _v2(part_attributes, "DelTekst", part.name)
    _v2(part_attributes, "Indeks", str(n))
    _v2(part_attributes, "Filstoerrelse", str(len(part.data)))
    _v2(part_attributes, "MimeType", part.content_type)
    _v2(part_attributes, "Location", f"{key.rsplit('/', 1)[-1]}#{part.name}")


def _virkning(parent: ET.Element, when: str) -> None:
    virkning = _v2(parent, "Virkning")
    _v2(virkning, "FraTidspunkt", when)
    _v2(_v2(virkning, "Aktoer"), "URN", SYSTEM_URN)
    _v2(virkning, "AktoerType", "ItSystem")


def _v2(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    return _el(parent, f"{{{V2}}}{name}", text)


def _el(parent: ET.Element, tag: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, tag)
    if text is not None:
        element.text = text
    return element


def _moment(when: datetime) -> str:
    return when.isoformat(timespec="seconds")
