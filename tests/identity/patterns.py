"""What a CPR number looks like in text, for the tests that grep answers and logs for one."""

import io
import re
import zipfile
from collections.abc import Iterable

from pypdf import PdfReader

# Ten digits (or six, a hyphen, four) standing as a token of their own: not inside a longer
# run of letters and digits such as a request id's hex or a UUID's last group, which can hold
# ten decimal digits in a row by chance (it made the log grep fail about once in a few runs).
TEN_DIGITS = re.compile(r"(?<![0-9A-Za-z])\d{6}-?\d{4}(?![0-9A-Za-z])")


def cpr_numbers_in(text: str | bytes, numbers: Iterable[str]) -> list[str]:
    """Which of ``numbers`` ``text`` holds, as ``DDMMYYSSSS`` or ``DDMMYY-SSSS``, anywhere
    (inside a URL's query or a longer token too). The numbers are ones a test set on
    purpose: the chance that one of them stands in a timestamp or an id by accident is nil,
    which the bare TEN_DIGITS pattern cannot say of a request id's hex."""
    haystack = readable(text) if isinstance(text, bytes) else text
    return sorted(n for n in numbers if n in haystack or f"{n[:6]}-{n[6:]}" in haystack)


def readable(data: bytes) -> str:
    """The text a person could read out of ``data``: a PDF's page streams are compressed and a
    zip's members too, so a number printed in a report or filed in an archive would not show
    in the raw bytes; these are opened, everything else is decoded as it stands."""
    raw = data.decode("utf-8", "replace")
    if data.startswith(b"%PDF"):
        pages = PdfReader(io.BytesIO(data)).pages
        return raw + "\n" + "\n".join(page.extract_text() for page in pages)
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [readable(archive.read(name)) for name in archive.namelist()]
        return raw + "\n" + "\n".join(members)
    return raw
