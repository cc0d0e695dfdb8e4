"""A local fake of KOMBIT's Serviceplatformen for Digital Post, over real HTTP on 127.0.0.1:
the certificate-based token exchange (STS, then the access token service), SF1601
KombiPostAfsend (``memos``: a MeMo message alone; ``kombi``: with KombiValgKode "Automatisk
Valg", the message and its print, fjernprint). (Delivery receipts come from the
Beskedfordeler: beskedfordeler_fake.py; ``receipt`` makes the one Digital Post would send.)

It checks what the real one would refuse (a call without the bearer token it issued, a token
asked for without the certificate's key in UseKey, "Automatisk Valg" without a print or a
print without its required parts), keeps every MeMo message it took, and validates each
against the MeMo XSD (tests/server/memo_schema/). A test makes it fail (``fail_next``). Citizens
in ``exempt`` are exempt from Digital Post: "Automatisk Valg" goes to paper for them.

Beside it, at ``/cpr``, the municipality's CPR integration answers postal addresses
(docs/identity.md's contract, ``POST /cpr/postal-address``): every CPR number has one but
those in ``no_address``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from flask import Flask, Response, abort, jsonify, request
from lxml import etree

from tests.harness.served import free_port
from tests.harness.threaded import served_on_thread
from tests.server import beskedfordeler_fake

MEMO = "https://DigitalPost.dk/MeMo-1"
FP = "urn:oio:fjernprint:1.0.0"
NS = {
    "memo": MEMO,
    "fp": FP,
    "dkal": "urn:oio:dkal:1.0.0",
    "sagdok": "urn:oio:sagdok:3.0.0",
    "itst": "http://rep.oio.dk/itst.dk/xml/schemas/2006/01/17/",
    "dkcc5": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2005/03/15/",
    "dkcc3": "http://rep.oio.dk/ebxml/xml/schemas/dkcc/2003/02/13/",
    "dagpenge": "urn:oio:adir:dagpenge:2009.07.01",
}
PRINT_TYPE_ID = "4711"
# What the fake CPR integration answers for a CPR number (the name is the test's own).
ADDRESS = {
    "name": "Test Testesen",
    "street": "Skolevej",
    "building": "12A",
    "floor": "2",
    "suite": "tv",
    "postcode": "8000",
    "district": "Aarhus C",
}
# The print's parts KOMBIT's schema requires (ForsendelseI), as paths under it.
PRINT_REQUIRED = (
    "fp:AfsendelseIdentifikator",
    "dkal:FilformatNavn",
    "dkal:MeddelelseIndholdData",
    "fp:DokumentParametre/sagdok:TitelTekst",
    "fp:ForsendelseModtager/fp:ModtagerAdresse/itst:PersonName",
    "fp:ForsendelseModtager/fp:ModtagerAdresse/dkcc3:CountryIdentificationCode",
)
SCHEMA_FILE = Path(__file__).parent / "memo_schema" / "MeMo_core.xsd"
_SCHEMA: list[etree.XMLSchema] = []


def memo_schema() -> etree.XMLSchema:
    """The MeMo 1.1 schema (parsed once)."""
    if not _SCHEMA:
        _SCHEMA.append(etree.XMLSchema(etree.parse(str(SCHEMA_FILE))))
    return _SCHEMA[0]


@dataclass
class Received:
    """One MeMo message KombiPostAfsend took."""

    transaction_id: str
    kombi_valg: str
    message: etree._Element
    valid: bool
    errors: str
    # The print (ForsendelseI) beside the message, and what Digital Post chose.
    print: etree._Element | None = None
    channel: str = "Digital Post"

    def text(self, path: str) -> str:
        found = self.message.find(path, NS)
        return "" if found is None or found.text is None else found.text

    @property
    def uuid(self) -> str:
        return self.text("memo:MessageHeader/memo:messageUUID")

    @property
    def recipient(self) -> str:
        return self.text("memo:MessageHeader/memo:Recipient/memo:recipientID")

    @property
    def title(self) -> str:
        return self.text("memo:MessageHeader/memo:label")

    @property
    def notification(self) -> str:
        return self.text("memo:MessageHeader/memo:notification")

    def print_text(self, path: str) -> str:
        found = None if self.print is None else self.print.find(path, NS)
        return "" if found is None or found.text is None else found.text

    def print_documents(self) -> list[bytes]:
        """The print's PDFs: the one printed first, then its attachments (Bilag) in order."""
        assert self.print is not None
        first = base64.b64decode(self.print_text("dkal:MeddelelseIndholdData"))
        attachments = sorted(
            self.print.iterfind("fp:BilagSamling/fp:Bilag", NS),
            key=lambda b: int(b.findtext("fp:BilagSorteringsIndeksIdentifikator", "0", NS)),
        )
        return [first] + [
            base64.b64decode(b.findtext("dkal:VedhaeftningIndholdData", "", NS))
            for b in attachments
        ]

    def documents(self) -> list[tuple[str, bytes]]:
        """(file name, bytes) of every file: the main document first."""
        return [
            (
                f.findtext("memo:filename", "", NS),
                base64.b64decode(f.findtext("memo:content", "", NS)),
            )
            for f in self.message.iterfind(".//memo:File", NS)
        ]


@dataclass
class FakeServiceplatformen:
    base: str
    cvr: str
    received: list[Received] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    fail_next: int = 0
    tokens_issued: int = 0
    exempt: set[str] = field(default_factory=set)
    no_address: set[str] = field(default_factory=set)
    address_lookups: list[str] = field(default_factory=list)
    address_fail_next: int = 0
    # The next message is refused (400) with these words, as a validation fault that quotes
    # the request would be.
    refuse_next_with: str = ""
    _tokens: set[str] = field(default_factory=set)

    def receipt(self, message: Received) -> bytes:
        """The receipt Digital Post would push for a message it took: printed when it chose
        paper, failed for an exempt citizen reached by Digital Post alone, else delivered."""
        if message.channel == "Fysisk Post":
            event = "printed"
        elif message.recipient in self.exempt:
            event = "failed"
        else:
            event = "delivered"
        return beskedfordeler_fake.post_status(message.uuid, event, self.cvr)

    def app(self) -> Flask:
        app = Flask("fake_serviceplatformen")

        @app.post("/sts")
        def sts() -> Response:
            body = request.get_json()
            if not body.get("UseKey") or body["AnvenderKontekst"]["Cvr"] != self.cvr:
                abort(400)
            x509.load_der_x509_certificate(base64.b64decode(body["UseKey"]))
            entity = body["AppliesTo"]["EndpointReference"]["Address"]
            expires = datetime.now(UTC) + timedelta(hours=8)
            return jsonify(
                RequestedSecurityToken={"Assertion": f"saml-for:{entity}"},
                Lifetime=f"{expires:%m/%d/%Y %H:%M:%S}",
            )

        @app.post("/token")
        def token() -> Response:
            if not request.form.get("saml-token", "").startswith("saml-for:"):
                abort(400)
            self.tokens_issued += 1
            value = f"token-{self.tokens_issued}"
            self._tokens.add(value)
            return jsonify(token_type="Holder-of-key", access_token=value, expires_in=3600)

        def authorised() -> None:
            kind, _, value = request.headers.get("Authorization", "").partition(" ")
            if kind != "Holder-of-key" or value not in self._tokens:
                abort(401)

        @app.post("/service/KombiPostAfsend_1/memos")
        @app.post("/service/KombiPostAfsend_1/kombi")
        def kombi_post_afsend() -> Response:
            authorised()
            if self.fail_next > 0:
                self.fail_next -= 1
                self.refused.append(503)
                abort(503)
            if self.refuse_next_with:
                said, self.refuse_next_with = self.refuse_next_with, ""
                self.refused.append(400)
                return Response(said, status=400, mimetype="text/plain")
            root = etree.fromstring(request.get_data())
            message = root.find("memo:Message", NS)
            assert message is not None, "a kombi_request holds a MeMo Message"
            kombi_valg = root.findtext("KombiValgKode", "")
            print_ = root.find("fp:ForsendelseISamling/fp:ForsendelseI", NS)
            if kombi_valg not in ("Digital Post", "Automatisk Valg"):
                abort(400)
            if kombi_valg == "Automatisk Valg" and (
                not request.path.endswith("/kombi")
                or print_ is None
                or any(print_.find(path, NS) is None for path in PRINT_REQUIRED)
            ):
                abort(400)  # Digital Post could not print it for an exempt citizen
            schema = memo_schema()
            valid = schema.validate(message)
            received = Received(
                request.headers["X-TransaktionsId"],
                kombi_valg,
                message,
                valid,
                str(schema.error_log),
                print_,
            )
            if kombi_valg == "Automatisk Valg" and received.recipient in self.exempt:
                received.channel = "Fysisk Post"
            self.received.append(received)
            return Response(status=200)

        @app.post("/cpr/postal-address")
        def postal_address() -> Response:
            cpr = str(request.get_json()["cpr"])
            self.address_lookups.append(cpr)
            if self.address_fail_next > 0:
                self.address_fail_next -= 1
                abort(503)
            if cpr in self.no_address:
                abort(404)
            return jsonify(cpr=cpr, **ADDRESS)

        return app


def client_certificate(folder: Path) -> tuple[str, str]:
    """A self-signed system certificate and its key, as two PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Trivsel test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "system.crt", folder / "system.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_file), str(key_file)


@contextmanager
def serviceplatformen(cvr: str) -> Iterator[FakeServiceplatformen]:
    """The fake, served on a free loopback port until the block ends."""
    port = free_port()
    fake = FakeServiceplatformen(f"http://127.0.0.1:{port}", cvr)
    with served_on_thread(fake.app(), port):
        yield fake


def settings(
    fake: FakeServiceplatformen, folder: Path, choice: str = "digital_only"
) -> dict[str, Any]:
    """The app's settings for Digital Post through the fake. ``choice`` is
    DIGITAL_POST_CHANNEL_CHOICE: ``digital_only`` (what the tests of Digital Post alone were
    written for) or ``automatic`` (the app's default: paper for the exempt)."""
    cert, key = client_certificate(folder)
    return {
        "DIGITAL_POST_CHANNEL_CHOICE": choice,
        "DIGITAL_POST_PRINT_TYPE_ID": PRINT_TYPE_ID,
        "DIGITAL_POST_ADDRESS_URL": f"{fake.base}/cpr",
        "LETTERS": "digital_post",
        "DIGITAL_POST_SENDER_CVR": fake.cvr,
        "DIGITAL_POST_SENDER_NAME": "Testkommune",
        "DIGITAL_POST_CERT_FILE": cert,
        "DIGITAL_POST_KEY_FILE": key,
        "DIGITAL_POST_STS_URL": f"{fake.base}/sts",
        "DIGITAL_POST_TOKEN_URL": f"{fake.base}/token",
        "DIGITAL_POST_URL": f"{fake.base}/",
        "BESKEDFORDELER_SECRET": beskedfordeler_fake.SECRET,
    }
