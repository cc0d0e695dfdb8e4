"""Guardians answer the consent request from their phone; staff and tablets see it."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.server.reporting import (
    answer_consent,
    fill_meeting,
    invitation_links,
    phone,
    publish,
)
from tests.server.syncclient import Device
from tests.server.world import created


def guardians(client: Any, child_id: str) -> dict[str, dict[str, Any]]:
    return {g["relation"]: g for g in client.get(f"/api/children/{child_id}/guardians").get_json()}


def test_consent_given_and_withdrawn_on_the_phone_reaches_staff(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    emma = demo["children"]["Emma"]
    by_relation = guardians(familie, emma)
    requests = {
        relation: created(
            familie.post(
                "/api/consents",
                {
                    "course_id": demo["course"],
                    "guardian_id": g["id"],
                    "status": "requested",
                    "channel": "letter",
                },
            )
        )["id"]
        for relation, g in by_relation.items()
    }
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, emma)["mor"])
    page = mor.get("/p/consent").get_data(as_text=True)
    assert "Du er blevet bedt om dit samtykke." in page and "Emma" in page
    # Only her own request is hers to answer: the father's is refused like any stranger.
    assert answer_consent(mor, requests["far"], "grant").status_code == 404
    resp = answer_consent(mor, requests["mor"], "grant")
    assert resp.status_code == 303
    assert "Du har givet samtykke" in mor.get("/p/consent?saved=1").get_data(as_text=True)
    consents = {
        c["id"]: c for c in familie.get(f"/api/courses/{demo['course']}/consents").get_json()
    }
    assert consents[requests["mor"]]["status"] == "granted"
    mine = consents[requests["mor"]]
    assert mine["granted_at"] and mine["channel"] == "phone"
    assert consents[requests["far"]]["status"] == "requested"
    # A tablet learns it through sync.
    tablet = Device(familie)
    tablet.pull()
    assert tablet.records[("consent", requests["mor"])]["fields"]["status"] == "granted"
    # Withdrawn later, from the same phone.
    assert answer_consent(mor, requests["mor"], "withdraw").status_code == 303
    withdrawn = familie.get(f"/api/consents/{requests['mor']}").get_json()
    assert withdrawn["status"] == "withdrawn" and withdrawn["withdrawn_at"]


def test_without_a_session_consent_cannot_be_touched(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    g = guardians(familie, demo["children"]["Emma"])["mor"]
    consent = created(
        familie.post(
            "/api/consents",
            {"course_id": demo["course"], "guardian_id": g["id"], "status": "requested"},
        )
    )["id"]
    stranger = app.test_client()
    assert stranger.get("/p/consent").status_code == 404
    token = stranger.get("/api/auth/csrf").get_json()["csrf_token"]  # a valid token, no session
    assert (
        stranger.post(
            f"/p/consent/{consent}", data={"answer": "grant", "csrf_token": token}
        ).status_code
        == 404
    )
    assert familie.get(f"/api/consents/{consent}").get_json()["status"] == "requested"
