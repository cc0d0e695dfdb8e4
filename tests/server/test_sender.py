"""Who sent this and whom to call (issue 21, point 3), as a parent would notice it: every
parents' page, e-mail, agenda letter and report PDF names the municipality and, where it is
about a course, the course leader with a phone and an e-mail, and links to how the
municipality handles personal data."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from server import create_app
from server.config import DEMO_MUNICIPALITY, ConfigError
from server.demo import DEMO_CONTACT
from server.extensions import db
from server.models import OutboundMessage
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, invitation_links, pdf_text, phone, publish
from tests.server.world import created

TOWN = DEMO_MUNICIPALITY["MUNICIPALITY_NAME"]
TOWN_PHONE = DEMO_MUNICIPALITY["MUNICIPALITY_PHONE"]
PRIVACY = DEMO_MUNICIPALITY["MUNICIPALITY_PRIVACY_URL"]
LEADER = "Frida Familieindgang"
LEADER_PHONE = DEMO_CONTACT["familie@example.org"]["work_phone"]
LEADER_EMAIL = DEMO_CONTACT["familie@example.org"]["work_email"]


@pytest.fixture
def sent(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """The agenda sent (with the consent request), the meeting held and its report shared."""
    familie: ApiClient = as_user("familie")
    assert familie.post(f"/api/meetings/{demo['meeting']}/agenda/send").status_code == 200
    filled = fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    links = invitation_links(app, demo["children"]["Emma"])
    return {"familie": familie, "mor": phone(app, links["mor"]), "photo": filled["photo"]}


def _names_the_leader(text: str) -> bool:
    return LEADER in text and LEADER_PHONE in text and LEADER_EMAIL in text


def test_every_page_about_a_course_names_its_leader_and_the_municipality(
    sent: dict[str, Any], demo: dict[str, Any]
) -> None:
    mor, meeting = sent["mor"], demo["meeting"]
    for path in (
        f"/p/reports/{meeting}",
        f"/p/reports/{meeting}/photos/{sent['photo']}/view",
        "/p/consent",
    ):
        page = mor.get(path)
        assert page.status_code == 200, path
        html = page.get_data(as_text=True)
        assert _names_the_leader(html), path
        assert f'href="tel:{LEADER_PHONE.replace(" ", "")}"' in html, path
        assert f'href="mailto:{LEADER_EMAIL}"' in html, path
        assert TOWN in html and TOWN_PHONE in html and f'href="{PRIVACY}"' in html, path
        assert 'src="/p/logo"' in html, path


def test_a_page_without_a_course_names_the_municipality_and_its_phone(
    app: Flask, sent: dict[str, Any]
) -> None:
    stranger = app.test_client()
    pages = {
        "list": sent["mor"].get("/p/"),
        "access log": sent["mor"].get("/p/access"),
        "documents": sent["mor"].get("/p/attachments"),
        "refused": stranger.get("/p/reports/not-a-meeting"),
        "offline": stranger.get("/p/offline"),
    }
    for name, page in pages.items():
        html = page.get_data(as_text=True)
        assert TOWN in html and TOWN_PHONE in html, name
        assert f'href="{PRIVACY}"' in html, name
        assert LEADER_PHONE not in html, name  # no course, no leader to name
    logo = stranger.get("/p/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png"


def test_the_emails_the_agenda_letter_and_the_report_pdf_say_who_sent_them(
    app: Flask, sent: dict[str, Any], demo: dict[str, Any]
) -> None:
    with app.app_context():
        bodies = list(db.session.scalars(select(OutboundMessage.body)))
    assert len(bodies) >= 4  # the agenda to both parents, then the report to both
    for body in bodies:
        assert _names_the_leader(body), body
        assert TOWN in body and TOWN_PHONE in body and PRIVACY in body, body
    letter = pdf_text(sent["familie"].get(f"/api/meetings/{demo['meeting']}/agenda.pdf").data)
    report = pdf_text(sent["mor"].get(f"/p/reports/{demo['meeting']}.pdf").data)
    for text in (letter, report):
        flat = " ".join(text.split())
        assert _names_the_leader(flat), flat
        assert TOWN in flat and TOWN_PHONE in flat and PRIVACY in flat, flat


def test_the_leader_sets_their_own_contact_an_admin_may_too_and_both_are_checked(
    as_user: Any, demo: dict[str, Any]
) -> None:
    familie: ApiClient = as_user("familie")
    bad = familie.patch("/api/auth/me/contact", {"work_phone": "12", "work_email": "frida@"})
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["fields"]) == {"work_phone", "work_email"}
    ok = familie.patch(
        "/api/auth/me/contact", {"work_phone": "+4570102099", "work_email": " Frida@Trivsby.DK "}
    )
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json() == {"work_phone": "70 10 20 99", "work_email": "frida@trivsby.dk"}
    assert familie.get("/api/auth/me/contact").get_json()["work_phone"] == "70 10 20 99"
    admin: ApiClient = as_user("admin")
    user_id = demo["users"]["familie"]
    changed = admin.patch(f"/api/users/{user_id}", {"work_phone": "+46 8 123 456 78"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["work_phone"] == "+46 8 123 456 78"
    assert admin.patch(f"/api/users/{user_id}", {"work_phone": "nej"}).status_code == 422
    history = [e["detail"] for e in familie.get("/api/auth/me/history").get_json()]
    assert any("work_phone" in line and "+46 8 123 456 78" in line for line in history)
    # Staff without a course of their own set theirs too (anyone may be a course's leader).
    assert as_user("ppr").patch("/api/auth/me/contact", {"work_phone": ""}).status_code == 200


def test_the_logo_is_never_another_sites(app_config: dict[str, Any]) -> None:
    for outside in ("https://cdn.example/logo.png", "//cdn.example/logo.png"):
        with pytest.raises(ConfigError, match="MUNICIPALITY_LOGO"):
            create_app({**app_config, "MUNICIPALITY_LOGO": outside})


def test_without_the_settings_nothing_empty_is_shown(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Production before the operator sets MUNICIPALITY_*: no empty header, heading or link."""
    for name in DEMO_MUNICIPALITY:
        monkeypatch.setitem(app.config, name, "")
    html = app.test_client().get("/p/offline").get_data(as_text=True)
    assert 'id="municipality"' not in html and 'id="sender"' not in html
    assert "<h1>" in html
