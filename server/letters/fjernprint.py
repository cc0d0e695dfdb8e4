"""Paper for citizens exempt from Digital Post: SF1601 KombiPostAfsend with KombiValgKode
"Automatisk Valg", the MeMo message and, beside it, the print (fjernprint) of the same letter.

Digital Post chooses per recipient: the MeMo message to a citizen's Digital Post, or the
print to one who is exempt (fritaget), which KOMBIT's print provider prints, envelopes and
posts; Digital Post's receipt then says "Afleveret til print og kuvertering" and the tablet
"Sendt som papirbrev". The request's shape is KOMBIT's ``kombi_request`` as
itk-dev/serviceplatformen's SF1601 builds it (``KombiValgKode``, ``memo:Message``,
``ForsendelseISamling``/``ForsendelseI`` in ``urn:oio:fjernprint:1.0.0``) and sends it to
``KombiPostAfsend_1/kombi``; the print's parts are python-serviceplatformen's models, filled
as itk-dev/os2forms_digital_post's ForsendelseHelper fills them.

What the print says of the letter: its title is the MeMo message's (it names neither the child
nor anything from the board), its documents the same PDFs, the cover letter first (read first on
paper). Its recipient is the address CPR gives (server/letters/print_address.py); the CPR
number itself is ``0000000000`` there, as KOMBIT's field description asks when the address is
given (both public clients above cite it), so the number goes only in the MeMo message.
"""

from __future__ import annotations

import base64
import urllib.parse
import uuid
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

import requests
from defusedxml.ElementTree import fromstring
from python_serviceplatformen.date_helper import format_datetime
from python_serviceplatformen.models import physical_mail as fp
from python_serviceplatformen.models.xml_util import dataclass_to_xml
from xsdata.formats.dataclass.serializers import XmlSerializer
from xsdata.formats.dataclass.serializers.config import SerializerConfig

from server.letters.print_address import PostalAddress

AUTOMATIC = "Automatisk Valg"
DIGITAL_ONLY = "Digital Post"
PATH = "service/KombiPostAfsend_1/kombi"
ENTITY_ID = "http://entityid.kombit.dk/service/kombipostafsend/1"
NO_CPR = "0000000000"  # the address is given: no number (KOMBIT's field description)
TIMEOUT = 10  # seconds, as the library's own calls


def _recipient(address: PostalAddress) -> fp.ForsendelseModtager:
    def optional(kind: Any, value: str) -> Any:
        return kind(value=value) if value else None

    return fp.ForsendelseModtager(
        afsendelse_modtager=fp.AfsendelseModtager(
            cpr_nummer_identifikator=fp.CPRnummerIdentifikator(value=NO_CPR)
        ),
        modtager_adresse=fp.ModtagerAdresse(
            person_name=fp.PersonName(value=address.name),
            co_navn=optional(fp.CoNavn, address.co),
            street_name=fp.StreetName(value=address.street),
            street_building_identifier=fp.StreetBuildingIdentifier(value=address.building),
            floor_identifier=optional(fp.FloorIdentifier, address.floor),
            suite_identifier=optional(fp.SuiteIdentifier, address.suite),
            post_code_identifier=fp.PostCodeIdentifier(value=address.postcode),
            country_identification_code=fp.CountryIdentificationCode(
                value="DK", scheme=fp.CountryIdentificationSchemeType.ISO3166_ALPHA2
            ),
        ),
    )


def forsendelse(
    letter_id: str,
    title: str,
    documents: list[tuple[str, bytes]],
    address: PostalAddress,
    type_id: int,
) -> fp.ForsendelseI:
    """The print of one letter: ``documents`` are (name, PDF), the first printed first.

    ``AfsendelseIdentifikator`` is the outbox row's id, as the MeMo message's UUID is: the
    print sent again after a lost answer is the same print to Digital Post."""
    (_first_name, first), *rest = documents
    attachments = [
        fp.Bilag(
            bilag_navn=fp.BilagNavn(value=name[:300]),
            filformat_navn=fp.FilformatNavn(value="PDF"),
            bilag_sorterings_indeks_identifikator=fp.BilagSorteringsIndeksIdentifikator(value=n),
            vedhaeftning_indhold_data=fp.VedhaeftningIndholdData(value=pdf),
        )
        for n, (name, pdf) in enumerate(rest, start=1)
    ]
    return fp.ForsendelseI(
        afsendelse_identifikator=fp.AfsendelseIdentifikator(value=letter_id),
        forsendelse_type_identifikator=fp.ForsendelseTypeIdentifikator(value=type_id),
        forsendelse_modtager=_recipient(address),
        filformat_navn=fp.FilformatNavn(value="PDF"),
        meddelelse_indhold_data=fp.MeddelelseIndholdData(value=base64.b64encode(first).decode()),
        transaktions_parametre_i=fp.TransaktionsParametreI(),
        dokument_parametre=fp.DokumentParametre(titel_tekst=fp.TitelTekst(value=title)),
        post_parametre=fp.PostParametre(
            post_kategori_kode=fp.PostKategoriKode(value=fp.PostKategoriKodeType.PRIORITAIRE)
        ),
        bilag_samling=fp.BilagSamling(bilag=attachments) if attachments else None,
    )


def kombi_request(message: Any, print_: fp.ForsendelseI | None) -> bytes:
    """The request body: "Automatisk Valg" with the print, or "Digital Post" without one."""
    root = ElementTree.Element("kombi_request")
    ElementTree.SubElement(root, "KombiValgKode").text = AUTOMATIC if print_ else DIGITAL_ONLY
    root.append(dataclass_to_xml(message))
    if print_ is not None:
        serializer = XmlSerializer(config=SerializerConfig(xml_declaration=False))
        samling = fp.ForsendelseISamling(forsendelse_i=print_)
        # Our own XML, but parsed the one way the project parses XML.
        root.append(fromstring(serializer.render(samling)))
    body: bytes = ElementTree.tostring(root, encoding="utf-8")
    return body


def post(body: bytes, access: Any) -> requests.Response:
    """POST a kombi_request as the library posts its own (headers, token, certificate)."""
    return requests.post(
        urllib.parse.urljoin(access.environment, PATH),
        headers={
            "X-TransaktionsId": str(uuid.uuid4()),
            "X-TransaktionsTid": format_datetime(datetime.now()),
            "authorization": access.get_access_token(ENTITY_ID),
            "Content-Type": "application/xml",
        },
        data=body,
        cert=access.cert_path,
        timeout=TIMEOUT,
    )
