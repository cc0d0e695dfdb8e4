"""A parent's personal link has no dead ends (issue 21 point 2): a phone with access that
opens any of its links goes to what the link was about; a phone without gets a page saying
what to do and whom to call. And the parents' pages can go on a phone's home screen."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, form_token, invitation_links, phone, publish
from tests.server.world import created


@pytest.fixture
def report(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, str]:
    """Emma's published report and the links its message sent her parents."""
    familie: ApiClient = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    return {"meeting": demo["meeting"], **invitation_links(app, demo["children"]["Emma"])}


def test_a_link_tapped_again_lands_on_the_report_it_was_about(
    app: Flask, report: dict[str, str]
) -> None:
    mother = app.test_client()
    page = mother.get(report["mor"])
    pressed = mother.post(report["mor"], data={"csrf_token": form_token(page)})
    assert (pressed.status_code, pressed.headers["Location"]) == (303, "/p/")
    # The message tapped again, its link used: the same report, not "Siden kan ikke vises".
    again = mother.get(report["mor"])
    assert (again.status_code, again.headers["Location"]) == (
        303,
        f"/p/reports/{report['meeting']}",
    )
    assert mother.get(again.headers["Location"]).status_code == 200
    # The button of a page kept open, pressed after the link was used: the same.
    twice = mother.post(report["mor"], data={"csrf_token": form_token(page)})
    assert twice.headers["Location"] == f"/p/reports/{report['meeting']}"


def test_another_link_on_a_phone_with_access_leads_to_the_list_and_uses_nothing(
    app: Flask, report: dict[str, str]
) -> None:
    """The father's unused link opened on the mother's phone: her list, and his link still
    works for him (a phone with access need not use up someone else's link)."""
    mother = phone(app, report["mor"])
    fathers = mother.get(report["far"])
    assert fathers.status_code == 200  # his link's button: the phone does not read for him
    assert mother.get("/p/invitation/not-a-link").headers["Location"] == "/p/"
    assert phone(app, report["far"]).get(f"/p/reports/{report['meeting']}").status_code == 200


def test_a_used_link_on_a_phone_without_access_says_what_to_do_and_whom_to_call(
    app: Flask, report: dict[str, str]
) -> None:
    phone(app, report["mor"])
    other = app.test_client().get(report["mor"])
    assert other.status_code == 404
    text = other.get_data(as_text=True)
    assert "Siden kan ikke vises" in text
    assert "ringe til familieindgangen" in text
    assert "samme browser" in text


def test_the_parents_pages_have_a_web_app_manifest_and_icons(
    app: Flask, report: dict[str, str]
) -> None:
    mother = phone(app, report["mor"])
    for path in ("/p/", f"/p/reports/{report['meeting']}"):
        page = mother.get(path).get_data(as_text=True)
        assert '<link rel="manifest" href="/p/manifest.webmanifest">' in page, path
        assert '<link rel="apple-touch-icon" href="/p/apple-touch-icon.png">' in page, path
    client = app.test_client()
    answer = client.get("/p/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.mimetype == "application/manifest+json"
    manifest = json.loads(answer.get_data(as_text=True))
    assert (manifest["start_url"], manifest["scope"], manifest["lang"]) == ("/p/", "/p/", "da")
    assert "default-src 'self'" in answer.headers["Content-Security-Policy"]
    for icon in manifest["icons"]:
        got = client.get(icon["src"])
        assert (got.status_code, got.mimetype) == (200, icon["type"]), icon["src"]
    touch = client.get("/p/apple-touch-icon.png")
    assert (touch.status_code, touch.mimetype) == (200, "image/png")
