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
    settings = {"DIGITAL_POST_SENDER_CVR": "29189846", "DIGITAL_POST_CERT_FILE": str(cert)}
    assert resolved(LETTERS="digital_post", **settings) == "digital_post"
