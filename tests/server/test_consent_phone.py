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


def test_the_consent_page_says_what_it_covers_and_asks_before_withdrawing(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """Issue 21: its own title; what is shared with whom, how long, how to withdraw, where to
    complain; withdrawing asks once (a page of its own, plain forms) before it happens."""
    import re

    from tests.server.reporting import form_token

    familie = as_user("familie")
    emma = demo["children"]["Emma"]
    mor_id = guardians(familie, emma)["mor"]["id"]
    consent = created(
        familie.post(
            "/api/consents",
            {"course_id": demo["course"], "guardian_id": mor_id, "status": "requested"},
        )
    )["id"]
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    mor = phone(app, invitation_links(app, emma)["mor"])
    page = mor.get("/p/consent").get_data(as_text=True)
    assert "<title>Samtykke til trivselsforløbet</title>" in page
    assert "Åbn rapporterne" not in page
    for said in (
        "Hvad deler vi, og med hvem?",
        "Familieindgangen, dagtilbuddet eller skolen og eventuelt en psykolog fra PPR",
        "bliver slettet 5 år efter, at forløbet er slut",
        "Du kan altid trække dit samtykke tilbage",
        "Du kan klage til Datatilsynet",
        "Carl Jacobsens Vej 35, 2500 Valby",
        'href="https://www.datatilsynet.dk"',
    ):
        assert said in page, said
    assert answer_consent(mor, consent, "grant").status_code == 303
    # The page's button asks; nothing has changed yet.
    asked = mor.post(
        f"/p/consent/{consent}",
        data={"answer": "ask", "csrf_token": form_token(mor.get("/p/consent"))},
    )
    text = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Vil du trække samtykket tilbage?" in text
    assert familie.get(f"/api/consents/{consent}").get_json()["status"] == "granted"
    assert 'href="/p/consent">Nej, behold samtykket' in text
    yes = re.search(r'<form method="post" action="(/p/consent/[^"]+)"[^>]*>', text)
    assert yes is not None
    resp = mor.post(yes.group(1), data={"answer": "withdraw", "csrf_token": form_token(asked)})
    assert resp.status_code == 303
    assert familie.get(f"/api/consents/{consent}").get_json()["status"] == "withdrawn"
    # Asking about a consent that is not given is the one refusal.
    token = form_token(mor.get("/p/consent"))
    refused = mor.post(f"/p/consent/{consent}", data={"answer": "ask", "csrf_token": token})
    assert refused.status_code == 404


def test_a_consent_requests_link_opens_on_a_page_about_consent(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    """The agenda letter's consent link: a page titled for consent, and the request comes
    before "Venlig hilsen"."""
    import re

    from sqlalchemy import select

    from server.extensions import db
    from server.models import OutboundMessage

    familie = as_user("familie")
    resp = familie.post(f"/api/meetings/{demo['meeting']}/agenda/send")
    assert resp.status_code == 200, resp.get_json()
    with app.app_context():
        bodies = list(db.session.scalars(select(OutboundMessage.body)))
    letter = next(b for b in bodies if "samtykke" in b)
    assert letter.index("Vi mangler dit samtykke") < letter.index("Venlig hilsen")
    assert "/p/invitation/" not in letter[letter.index("Venlig hilsen") :]  # the sign-off last
    link = re.search(r"http\S+/p/invitation/\S+", letter)
    assert link is not None
    page = app.test_client().get("/p/" + link.group(0).split("/p/", 1)[1])
    text = page.get_data(as_text=True)
    assert "<title>Svar på spørgsmålet om samtykke</title>" in text
    assert "Åbn rapporterne" not in text
