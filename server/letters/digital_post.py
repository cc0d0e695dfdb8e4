"""Digital Post through KOMBIT's Serviceplatformen: SF1601 KombiPostAfsend with a MeMo message.

The MeMo model, its XML and the SF1601 call are python-serviceplatformen's (ITK Development,
Aarhus). What is ours: the token exchange at addresses from settings (the library fixes
production's and the external test's, so neither a local fake nor a municipality's proxy
could be used), the client certificate and key as two files, and the MeMo version.

MeMo 1.1: the last version Digitaliseringsstyrelsen published an XSD for (1.2 has none; it is
checked only by Digital Post's test environment), and one Digital Post takes beside 1.2. The
elements Trivsel uses are the same in both; tests validate every message against the 1.1
schema (tests/server/memo_schema/).

The message's UUID is the outbox row's id: a message sent again after an answer that never
arrived is the same message to Digital Post, which refuses a UUID it has already taken.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import current_app
from python_serviceplatformen import digital_post as sf1601
from python_serviceplatformen.authentication import KombitAccess
from python_serviceplatformen.models import message as memo
from python_serviceplatformen.models.xml_util import dataclass_to_xml

from server.extensions import db
from server.identity.cpr import Cpr
from server.letters import fjernprint
from server.letters.print_address import PostalAddress
from server.models import Guardian, OutboundMessage
from server.models._common import utcnow
from server.reports.pdf import print_context
from server.reports.pdf_kit import making, render_pdf
from server.text import catalogue

TIMEOUT = 10  # seconds, as the library's own calls


class Message(memo.Message):  # type: ignore[misc]  # the library ships no type hints
    """The library's MeMo message, declared as version 1.1 (see the module's docstring). The
    class keeps the name ``Message``: the library names the XML element after the class."""

    __attributes__ = {"memoVersion": "1.1", "memoSchVersion": "1.1.0"}


class Transient(Exception):
    """Serviceplatformen could not take the message now (no answer, 5xx, 429): try later."""


class Refused(Exception):
    """Serviceplatformen refused the message (4xx): sending it again would not help."""


@dataclass
class _Token:
    value: str
    expires: datetime


class Access(KombitAccess):  # type: ignore[misc]  # the library ships no type hints
    """The library's access object, with the certificate-based token exchange at the
    configured addresses: the STS issues a SAML token for the service's entity id against
    the system certificate, and the access token service exchanges it for a bearer token."""

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(cvr=config["DIGITAL_POST_SENDER_CVR"], cert_path="", test=False)
        cert, key = config["DIGITAL_POST_CERT_FILE"], config["DIGITAL_POST_KEY_FILE"]
        # requests' client certificate: one PEM holding both, or certificate and key.
        self.cert_path = (cert, key) if key else cert
        self.certificate_file = cert
        self.environment = config["DIGITAL_POST_URL"]
        self.sts_url = config["DIGITAL_POST_STS_URL"]
        self.token_url = config["DIGITAL_POST_TOKEN_URL"]
        self.tokens: dict[str, _Token] = {}

    def get_access_token(self, entity_id: str) -> str:
        """A bearer token for ``entity_id`` (kept until five minutes before it expires)."""
        kept = self.tokens.get(entity_id)
        if kept is not None and utcnow() < kept.expires:
            return kept.value
        saml = _post(
            self.sts_url,
            self.cert_path,
            json={
                "TokenType": "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0",
                "RequestType": "http://docs.oasis-open.org/ws-sx/ws-trust/200512/Issue",
                "KeyType": "http://docs.oasis-open.org/ws-sx/ws-trust/200512/PublicKey",
                "AnvenderKontekst": {"Cvr": self.cvr},
                "UseKey": _certificate_line(self.certificate_file),
                "AppliesTo": {"EndpointReference": {"Address": entity_id}},
                "OnBehalfOf": None,
            },
        )["RequestedSecurityToken"]["Assertion"]
        answer = _post(self.token_url, self.cert_path, data={"saml-token": saml})
        token = _Token(
            f"{answer['token_type']} {answer['access_token']}",
            utcnow() + timedelta(seconds=int(answer["expires_in"])) - timedelta(minutes=5),
        )
        self.tokens[entity_id] = token
        return token.value


def _post(url: str, cert: Any, **body: Any) -> dict[str, Any]:
    try:
        resp = requests.post(url, cert=cert, timeout=TIMEOUT, **body)
    except requests.RequestException as exc:
        raise Transient(f"token exchange at {url}: {type(exc).__name__}") from exc
    _raise_for(resp, "token exchange")
    answer: dict[str, Any] = resp.json()
    return answer


def _raise_for(resp: requests.Response, what: str, quote: bool = True) -> None:
    """Transient or Refused by the answer's status. ``quote``: the answer's words go into the
    error (kept on the letter, shown to staff); not for a letter's sending, whose fault may
    quote the guardian's name and address from the print."""
    if resp.status_code >= 500 or resp.status_code == 429:
        raise Transient(f"{what}: HTTP {resp.status_code}")
    if resp.status_code >= 400:
        said = f" {resp.text[:300]}" if quote else ""
        raise Refused(f"{what}: HTTP {resp.status_code}{said}")


def _certificate_line(pem_file: str) -> str:
    """The first certificate of the file, base64 DER on one line (the STS's UseKey)."""
    with open(pem_file, "rb") as handle:
        cert = x509.load_pem_x509_certificate(handle.read())
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def access() -> Access:
    """This app's access object (one per app: its tokens are reused until they expire)."""
    found = current_app.extensions.get("trivsel_digital_post")
    if found is None:
        found = current_app.extensions["trivsel_digital_post"] = Access(dict(current_app.config))
    assert isinstance(found, Access)
    return found


def cover_pdf(body: str, lang: str = "da") -> bytes:
    """The letter's own text as a PDF (a notice, or the words that go with an agenda)."""
    with making("letter"):
        return render_pdf(
            "documents/letter.html",
            **print_context(_no_sender(), catalogue(lang).LETTERS["title"], lang),
            body=body,
        )


def _no_sender() -> dict[str, Any]:
    """A letter's own words carry no letterhead nor contact block: the words end with the
    sender's signature already (server/parents/sender.py: signature)."""
    return {"municipality": {"name": "", "privacy_url": ""}, "leader": None}


def _file(name: str, pdf: bytes, lang: str = "da") -> Any:
    return memo.File(
        encodingFormat="application/pdf",
        filename=name,
        language=lang,
        content=base64.b64encode(pdf).decode(),
    )


def _language(row: OutboundMessage) -> str:
    """The language of the guardian a message goes to (issue 21): title, notification and
    cover letter are in it, as the letter is."""
    guardian = db.session.get(Guardian, row.guardian_id) if row.guardian_id else None
    return guardian.language if guardian is not None else "da"


def compose(row: OutboundMessage, cpr: Cpr, config: dict[str, Any]) -> Message:
    """The MeMo message for an outbox row: the PDF is the main document (the letter's own text
    the main one when there is no PDF, else an additional one)."""
    lang = _language(row)
    words = catalogue(lang).LETTERS
    cover = _file(words["cover_name"], cover_pdf(row.body, lang), lang)
    if row.attachment is not None:
        main = memo.MainDocument(
            files=(_file(row.attachment_name or words["cover_name"], row.attachment, lang),)
        )
        additional: tuple[Any, ...] | None = (
            memo.AdditionalDocument(label=words["cover_label"], files=(cover,)),
        )
    else:
        main, additional = memo.MainDocument(files=(cover,)), None
    return Message(
        messageHeader=memo.MessageHeader(
            messageType="DIGITALPOST",
            messageUUID=row.id,
            label=words["title"],
            notification=words["notification"],
            mandatory=False,
            legalNotification=False,
            sender=memo.Sender(
                senderID=config["DIGITAL_POST_SENDER_CVR"],
                idType="CVR",
                label=config["DIGITAL_POST_SENDER_NAME"] or "Familieindgangen",
            ),
            recipient=memo.Recipient(recipientID=cpr.digits, idType="CPR"),
        ),
        messageBody=memo.MessageBody(
            createdDateTime=utcnow(), mainDocument=main, additionalDocuments=additional
        ),
    )


def memo_xml(message: Message) -> bytes:
    """The message as XML, as the library sends it inside the kombi_request."""
    return ElementTree.tostring(dataclass_to_xml(message))


def automatic(config: dict[str, Any]) -> bool:
    """Digital Post chooses between Digital Post and paper (DIGITAL_POST_CHANNEL_CHOICE)."""
    return bool(config.get("DIGITAL_POST_CHANNEL_CHOICE", "automatic") != "digital_only")


def print_of(message: Message, address: PostalAddress, config: dict[str, Any]) -> Any:
    """The paper letter of a composed message (fjernprint): the same title and PDFs, the
    letter's own words first, as a paper letter is read."""
    body, header = message.messageBody, message.messageHeader
    files = [
        *(f for doc in body.additionalDocuments or () for f in doc.files),
        *body.mainDocument.files,
    ]
    return fjernprint.forsendelse(
        header.messageUUID,
        header.label,
        [(f.filename, base64.b64decode(f.content)) for f in files],
        address,
        int(config["DIGITAL_POST_PRINT_TYPE_ID"]),
    )


def send(message: Message, print_: Any = None) -> str:
    """Send one message by SF1601: with its print, KombiValgKode "Automatisk Valg" (Digital
    Post or paper, as the recipient is registered), else "Digital Post". Its transaction id;
    ``Transient`` or ``Refused`` else."""
    try:
        if print_ is None:
            return str(sf1601.send_message("Digital Post", message, access()))
        resp = fjernprint.post(fjernprint.kombi_request(message, print_), access())
        _raise_for(resp, "KombiPostAfsend", quote=False)
        resp.raise_for_status()
        return str(resp.request.headers["X-TransaktionsId"])
    except requests.HTTPError as exc:
        _raise_for(exc.response, "KombiPostAfsend", quote=False)
        raise Refused(f"KombiPostAfsend: {exc}") from exc
    except requests.RequestException as exc:
        raise Transient(f"KombiPostAfsend: {type(exc).__name__}") from exc
