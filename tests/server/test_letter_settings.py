"""The LETTERS setting: which channel is in force when it is not set, and a start refused
for a channel that cannot work (server/letters/settings.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from server.config import Config, ConfigError


def resolved(**overrides: Any) -> str:
    values = Config({"TRIVSEL_ENV": "testing", **overrides}).as_flask_config()
    return str(values["LETTERS"])


def test_unset_it_is_email_with_a_mail_server_and_kept_without() -> None:
    assert resolved(LETTERS="", SMTP_HOST="smtp.kommune.dk") == "email"
    assert resolved(LETTERS="", SMTP_HOST="") == "outbox"


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"LETTERS": "brevdue"}, "choose one of digital_post, email, outbox"),
        ({"LETTERS": "email", "SMTP_HOST": ""}, "needs SMTP_HOST"),
        ({"LETTERS": "digital_post"}, "DIGITAL_POST_SENDER_CVR, DIGITAL_POST_CERT_FILE"),
        (
            {
                "LETTERS": "digital_post",
                "DIGITAL_POST_SENDER_CVR": "29189846",
                "DIGITAL_POST_CERT_FILE": "/nowhere/oces3.pem",
            },
            "is not a file",
        ),
        (
            {
                "LETTERS": "digital_post",
                "DIGITAL_POST_SENDER_CVR": "29189846",
                "DIGITAL_POST_CERT_FILE": __file__,  # a file: only the secret is wrong
                "BESKEDFORDELER_SECRET": "kort",
            },
            "BESKEDFORDELER_SECRET needs at least 32 characters",
        ),
    ],
)
def test_a_channel_that_cannot_work_is_refused_at_start(
    overrides: dict[str, str], words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        resolved(**overrides)


def test_digital_post_with_its_settings_starts(tmp_path: Path) -> None:
    cert = tmp_path / "oces3.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = {
        "DIGITAL_POST_SENDER_CVR": "29189846",
        "DIGITAL_POST_CERT_FILE": str(cert),
        # Paper for the exempt (the default choice) needs the print's two settings.
        "DIGITAL_POST_PRINT_TYPE_ID": "4711",
        "DIGITAL_POST_ADDRESS_URL": "https://cpr-adapter.kommune.internal",
    }
    assert resolved(LETTERS="digital_post", **settings) == "digital_post"


def _digital_post(tmp_path: Path, **more: str) -> str:
    cert = tmp_path / "oces3.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    return resolved(
        LETTERS="digital_post",
        DIGITAL_POST_SENDER_CVR="29189846",
        DIGITAL_POST_CERT_FILE=str(cert),
        **more,
    )


@pytest.mark.parametrize(
    ("more", "words"),
    [
        ({}, "needs DIGITAL_POST_PRINT_TYPE_ID"),  # the default is paper for the exempt
        ({"DIGITAL_POST_PRINT_TYPE_ID": "fire"}, "needs DIGITAL_POST_PRINT_TYPE_ID"),
        ({"DIGITAL_POST_PRINT_TYPE_ID": "4711"}, "needs DIGITAL_POST_ADDRESS_URL"),
        ({"DIGITAL_POST_CHANNEL_CHOICE": "brevdue"}, "choose one of automatic, digital_only"),
    ],
)
def test_paper_for_the_exempt_cannot_start_without_what_a_print_needs(
    tmp_path: Path, more: dict[str, str], words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        _digital_post(tmp_path, **more)


def test_digital_only_or_the_custody_integrations_address_starts(tmp_path: Path) -> None:
    assert _digital_post(tmp_path, DIGITAL_POST_CHANNEL_CHOICE="digital_only") == "digital_post"
    # The CPR integration custody already asks is where addresses are asked too.
    assert (
        _digital_post(
            tmp_path,
            DIGITAL_POST_PRINT_TYPE_ID="4711",
            CUSTODY_SOURCE="cpr",
            CUSTODY_CPR_URL="https://cpr-adapter.kommune.internal",
        )
        == "digital_post"
    )
