"""A local fake of KOMBIT's Serviceplatformen for Digital Post, over real HTTP on 127.0.0.1:
the certificate-based token exchange (STS, then the access token service), SF1601
KombiPostAfsend. (Delivery receipts come from the Beskedfordeler: beskedfordeler_fake.py.)

It checks what the real one would refuse (a call without the bearer token it issued, a token
asked for without the certificate's key in UseKey), keeps every MeMo message it took, and
validates each against the MeMo XSD (tests/server/memo_schema/). A test makes it fail
(``fail_next``).
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
NS = {"memo": MEMO}
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
    _tokens: set[str] = field(default_factory=set)

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
        def kombi_post_afsend() -> Response:
            authorised()
            if self.fail_next > 0:
                self.fail_next -= 1
                self.refused.append(503)
                abort(503)
            root = etree.fromstring(request.get_data())
            message = root.find("memo:Message", NS)
            assert message is not None, "a kombi_request holds a MeMo Message"
            schema = memo_schema()
            valid = schema.validate(message)
            self.received.append(
                Received(
                    request.headers["X-TransaktionsId"],
                    root.findtext("KombiValgKode", ""),
                    message,
                    valid,
                    str(schema.error_log),
                )
            )
            return Response(status=200)

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


def settings(fake: FakeServiceplatformen, folder: Path) -> dict[str, Any]:
    """The app's settings for Digital Post through the fake."""
    cert, key = client_certificate(folder)
    return {
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
