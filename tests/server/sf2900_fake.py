"""A local fake of SF2900, KOMBIT's Fordelingskomponent, over real HTTP on 127.0.0.1:
FordelingsobjektAfsend as DistributionService 3's SOAP binding has it.

It validates every request against the published contract (tests/server/sf2900_schema/)
and answers an invalid one with a SOAP fault (TransportKvittering FEJL), as the real one
does. It keeps one document per transaction id (AnvenderTransaktionsID): a request sent
again is answered with the document's current receipt, never stored twice. A test sets the
answer (``answer``: ACCEPTERET, MODTAGET, AFVIST ...), makes the next calls fail
(``fail_next`` with an HTTP status or a business code), and gives a document its receipt
later (``receipt``).

With ``inbox`` set (the SFTP fake's folder, tests/server/sftp_fake.py) it checks, when the
call comes, that the file DokumentFilNavn names is there, and keeps what it found
(``Document.file``); a call whose file is missing is refused with a SOAP fault.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, Response, request
from lxml import etree

from tests.harness.served import free_port
from tests.harness.threaded import served_on_thread

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
V3 = "http://serviceplatformen.dk/xml/wsdl/soap11/DistributionService/3/types"
V2 = "http://serviceplatformen.dk/xml/wsdl/soap11/DistributionService/2/types"
NS = {"soap": SOAP, "fk": V3, "fd": V2}
ACTION = (
    "http://serviceplatformen.dk/xml/wsdl/soap11/DistributionService/3/port/FordelingsobjektAfsend"
)
SCHEMA_FILE = Path(__file__).parent / "sf2900_schema" / "FordelingsobjektAfsend.xsd"
_SCHEMA: list[etree.XMLSchema] = []


def schema() -> etree.XMLSchema:
    """The request's schema (parsed once)."""
    if not _SCHEMA:
        _SCHEMA.append(etree.XMLSchema(etree.parse(str(SCHEMA_FILE))))
    return _SCHEMA[0]


@dataclass
class Document:
    """One document the Fordelingskomponent took, by its transaction id."""

    transaction_id: str
    request: etree._Element
    status: str
    raw: bytes = b""  # the first request as it came, with its headers
    headers: dict[str, str] = field(default_factory=dict)
    sends: int = 1
    file: bytes | None = None  # the named file as it was on the SFTP server at the call

    def text(self, path: str) -> str:
        return str(self.request.findtext(path, "", NS))

    def texts(self, path: str) -> list[str]:
        return [e.text or "" for e in self.request.iterfind(path, NS)]


@dataclass
class FakeFordelingskomponent:
    base: str
    cvr: str
    answer: str = "ACCEPTERET"
    documents: dict[str, Document] = field(default_factory=dict)
    # What the next calls get instead of an answer: an HTTP status (int) or a business
    # receipt code (str), first in first out.
    failures: list[int | str] = field(default_factory=list)
    calls: int = 0
    invalid: list[str] = field(default_factory=list)
    inbox: Path | None = None  # where DokumentFilNavn's file must be when the call comes

    @property
    def url(self) -> str:
        return f"{self.base}/service/SP/Distribution/3"

    def fail_next(self, *how: int | str) -> None:
        self.failures.extend(how)

    def receipt(self, transaction_id: str, status: str) -> None:
        """The case system's later receipt for a document (read at its next send)."""
        self.documents[transaction_id].status = status

    def app(self) -> Flask:
        app = Flask("fake_sf2900")

        @app.post("/service/SP/Distribution/3")
        def afsend() -> Response:
            self.calls += 1
            if request.headers.get("SOAPAction", "").strip('"') != ACTION:
                return _fault("FEJL", "unknown SOAPAction")
            if self.failures and isinstance(self.failures[0], int):
                return Response("busy", status=self.failures.pop(0))
            envelope = etree.fromstring(request.get_data())
            req = envelope.find("soap:Body/fk:FordelingsobjektAfsendRequest", NS)
            if req is None:
                return _fault("FEJL", "no FordelingsobjektAfsendRequest")
            checker = schema()
            if not checker.validate(req):
                self.invalid.append(str(checker.error_log))
                return _fault("FEJL", "the request does not follow the schema")
            anmodning = req.find("fk:anmodning", NS)
            assert anmodning is not None
            tid = anmodning.findtext("fd:DistributionContext/fd:AnvenderTransaktionsID", "", NS)
            arrived: bytes | None = None
            if self.inbox is not None:
                name = anmodning.findtext("fd:DistributionContext/fd:DokumentFilNavn", "", NS)
                named = self.inbox / name
                if not name or "/" in name or not named.is_file():
                    return _fault("FEJL", "DokumentFilNavn is not on the SFTP server")
                arrived = named.read_bytes()
            if self.failures:  # a business refusal: nothing is kept
                return _receipt(str(self.failures.pop(0)), "refused by the test", anmodning)
            kept = self.documents.get(tid)
            if kept is None:
                kept = self.documents[tid] = Document(
                    tid,
                    anmodning,
                    self.answer,
                    request.get_data(),
                    {k: request.headers[k] for k in ("Content-Type", "SOAPAction")},
                    file=arrived,
                )
            else:
                kept.sends += 1
            return _receipt(kept.status, "", anmodning)

        return app


def _receipt(code: str, reason: str, anmodning: etree._Element) -> Response:
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP, "fk": V3, "fd": V2})
    body = etree.SubElement(envelope, f"{{{SOAP}}}Body")
    answer = etree.SubElement(body, f"{{{V3}}}FordelingsobjektAfsendResponse")
    kvittering = etree.SubElement(answer, f"{{{V3}}}ForretningsKvittering")
    etree.SubElement(kvittering, f"{{{V2}}}ForretningsValideringsKode").text = code
    etree.SubElement(kvittering, f"{{{V2}}}Kvitteringstype").text = "Forretning"
    if reason:
        etree.SubElement(kvittering, f"{{{V2}}}Begrundelse").text = reason
    context = anmodning.find("fd:DistributionContext", NS)
    if context is not None:
        copied = etree.SubElement(answer, f"{{{V3}}}DistributionContext")
        copied.extend(copy.deepcopy(list(context)))  # lxml would move them
    return Response(
        etree.tostring(envelope, xml_declaration=True, encoding="utf-8"), mimetype="text/xml"
    )


def _fault(code: str, reason: str) -> Response:
    envelope = etree.Element(f"{{{SOAP}}}Envelope", nsmap={"soap": SOAP, "fk": V3})
    fault = etree.SubElement(etree.SubElement(envelope, f"{{{SOAP}}}Body"), f"{{{SOAP}}}Fault")
    etree.SubElement(fault, "faultcode").text = "soap:Client"
    etree.SubElement(fault, "faultstring").text = reason
    detail = etree.SubElement(etree.SubElement(fault, "detail"), f"{{{V3}}}TransportKvittering")
    etree.SubElement(detail, f"{{{V3}}}TransportValideringsKode").text = code
    etree.SubElement(detail, f"{{{V3}}}Begrundelse").text = reason
    return Response(
        etree.tostring(envelope, xml_declaration=True, encoding="utf-8"),
        status=500,
        mimetype="text/xml",
    )


@contextmanager
def fordelingskomponent(cvr: str) -> Iterator[FakeFordelingskomponent]:
    """The fake, served on a free loopback port until the block ends."""
    port = free_port()
    fake = FakeFordelingskomponent(f"http://127.0.0.1:{port}", cvr)
    with served_on_thread(fake.app(), port):
        yield fake
