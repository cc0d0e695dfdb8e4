"""Filing's settings: names, defaults and the check made at start (read by server/config.py;
meanings in docs/deploying.md, "Filing in the case system")."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

# The exporters FILING_EXPORTER may name: each is a module in server/filing/ registered in
# server/filing/exporters.py (a test checks the two lists agree; docs/architecture.md says
# how to add one).
EXPORTER_NAMES = ("folder", "sf2900")

# Name -> default; every one a string, as the environment gives it. FILING_EXPORTER and
# FILING_DIR are read by server/config.py beside these.
FILING_DEFAULTS: dict[str, str] = {
    # Where the case system places the document: the KLE subject number and the action
    # facet (handlingsfacet) of this kind of case. 27.24.00 / G01 are placeholders the
    # municipality replaces with its own plan's (docs/deploying.md).
    "FILING_KLE": "27.24.00",
    "FILING_FACET": "G01",
    # SF2900 (KOMBIT's Fordelingskomponent): the service's address, the authority the
    # document is routed to (the municipality's CVR; empty: DIGITAL_POST_SENDER_CVR), and
    # the OCES3 system certificate and key (empty: Digital Post's).
    "FILING_SF2900_URL": "https://prod.serviceplatformen.dk/service/SP/Distribution/3",
    "FILING_SF2900_CVR": "",
    "FILING_SF2900_CERT_FILE": "",
    "FILING_SF2900_KEY_FILE": "",
    # Serviceplatformen's SFTP file transfer, where SF2900 takes the file DokumentFilNavn
    # names: host and port, the user KOMBIT created for Trivsel's system, the private key
    # (OpenSSH/PEM file) whose public half KOMBIT registered for it, the folder, and the
    # server's host key pinned ("<type> <base64>"; no other key is accepted).
    "FILING_SFTP_HOST": "",
    "FILING_SFTP_PORT": "22",
    "FILING_SFTP_USER": "",
    "FILING_SFTP_KEY_FILE": "",
    "FILING_SFTP_FOLDER": ".",
    "FILING_SFTP_HOST_KEY": "",
    # Seconds between the filing job's rounds (resending what is not acknowledged; 0: off).
    "FILING_RETRY_SECONDS": "300",
}

_SFTP_NEEDED = (
    "FILING_SFTP_HOST",
    "FILING_SFTP_USER",
    "FILING_SFTP_KEY_FILE",
    "FILING_SFTP_HOST_KEY",
)
_KLE = re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}")
_FACET = re.compile(r"[A-ZÆØÅ][0-9]{2}")


def check_filing(values: dict[str, Any], exporters: Collection[str]) -> None:
    """Refuse (ValueError, which server/config.py turns into its ConfigError) an exporter it
    does not know, a KLE number or facet SF2900 would refuse, or sf2900 without what it
    needs. Fills the SF2900 settings left empty from Digital Post's."""
    exporter = str(values.get("FILING_EXPORTER") or "folder")
    if exporter not in exporters:
        raise ValueError(f"FILING_EXPORTER={exporter!r}: choose one of {', '.join(exporters)}.")
    if not _KLE.fullmatch(str(values["FILING_KLE"])):
        raise ValueError(f"FILING_KLE={values['FILING_KLE']!r} is not a KLE number (NN.NN.NN).")
    if values["FILING_FACET"] and not _FACET.fullmatch(str(values["FILING_FACET"])):
        raise ValueError(f"FILING_FACET={values['FILING_FACET']!r} is not a facet (e.g. G01).")
    for own, shared in (
        ("FILING_SF2900_CVR", "DIGITAL_POST_SENDER_CVR"),
        ("FILING_SF2900_CERT_FILE", "DIGITAL_POST_CERT_FILE"),
        ("FILING_SF2900_KEY_FILE", "DIGITAL_POST_KEY_FILE"),
    ):
        values[own] = values.get(own) or values.get(shared, "")
    if exporter != "sf2900":
        return
    needed = ("FILING_SF2900_CVR", "FILING_SF2900_URL", *_SFTP_NEEDED)
    missing = [n for n in needed if not values.get(n)]
    if missing:
        raise ValueError(f"FILING_EXPORTER=sf2900 needs {', '.join(missing)}.")
    if not re.fullmatch(r"[0-9]{8}", str(values["FILING_SF2900_CVR"])):
        raise ValueError("FILING_SF2900_CVR must be a CVR number (eight digits).")
    for name in ("FILING_SF2900_CERT_FILE", "FILING_SF2900_KEY_FILE"):
        if values.get(name) and not Path(str(values[name])).is_file():
            raise ValueError(f"{name}={values[name]!r} is not a file.")
    if not str(values["FILING_SFTP_PORT"]).isdigit():
        raise ValueError("FILING_SFTP_PORT must be a port number.")
    if not Path(str(values["FILING_SFTP_KEY_FILE"])).is_file():
        raise ValueError(f"FILING_SFTP_KEY_FILE={values['FILING_SFTP_KEY_FILE']!r} is not a file.")
    # Imported here: paramiko and the exporters are loaded only where SF2900 is chosen.
    from server.filing.sftp import pinned_key

    try:
        pinned_key(str(values["FILING_SFTP_HOST_KEY"]))
    except ValueError as exc:
        raise ValueError(f"FILING_SFTP_HOST_KEY {exc}.") from None
