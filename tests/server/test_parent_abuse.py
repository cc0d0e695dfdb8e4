"""Abuse of parents' links and phone sessions, tried as an attacker would: reuse, tampering,
expiry, another child's report, a revoked phone, custody removed and restored (by REST and by
sync), cross-site POSTs and guessed ids. Every failure gets the one refusal, byte for byte,
and no failed attempt uses anything up."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from server.extensions import db
from server.models import GuardianInvitation
from server.models._common import utcnow
from tests.harness import ApiClient
from tests.server.reporting import (
    answer_consent,
    fill_meeting,
    form_token,
    invitation_links,
    phone,
    publish,
    second_child_report,
)
from tests.server.syncclient import Device
from tests.server.world import created, new_uuid

FOREIGN = "https://evil.example"


class Refusals:
    """Collects every refusal of a test: each must be the same 404 page."""

    def __init__(self) -> None:
        self.first: bytes | None = None

    def check(self, resp: Any) -> None:
        assert resp.status_code == 404, (resp.status_code, resp.get_data(as_text=True)[:300])
        body = resp.get_data()
        assert b"Linket virker ikke" in body
        self.first = self.first or body
        assert body == self.first  # the same page for every way of failing
        assert (
            "Set-Cookie" not in resp.headers or "trivsel_parent" not in resp.headers["Set-Cookie"]
        )


@pytest.fixture
def refusals() -> Refusals:
    return Refusals()


@pytest.fixture
def published(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """Emma's report published: both parents have an unused link."""
    familie: ApiClient = as_user("familie")
    photo = fill_meeting(familie, demo["meeting"])["photo"]
    created(publish(familie, demo["meeting"]))
    guardians = {
        g["relation"]: g
        for g in familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    }
    return {
        "familie": familie,
        "links": invitation_links(app, demo["children"]["Emma"]),
        "guardians": guardians,
        "photo": photo,
        "report": f"/p/reports/{demo['meeting']}",
    }


def opened(client: FlaskClient, link: str) -> str:
    """The invitation page's CSRF token (the page a phone shows before its button)."""
    page = client.get(link)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return form_token(page)


def test_cross_site_redeem_is_refused_and_uses_nothing_up(
    app: Flask, published: dict[str, Any], refusals: Refusals
) -> None:
    """Login CSRF: another site makes a victim's phone redeem the attacker's link."""
    link = published["links"]["mor"]
    victim = app.test_client()
    token = opened(victim, link)
    refusals.check(victim.post(link))  # no token (a foreign page cannot read it)
    refusals.check(victim.post(link, data={"csrf_token": "forged"}))
    refusals.check(victim.post(link, data={"csrf_token": token}, headers={"Origin": FOREIGN}))
    refusals.check(
        victim.post(
            link,
            data={"csrf_token": token},
            headers={"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        )
    )
    refusals.check(
        victim.post(link, data={"csrf_token": token}, headers={"Sec-Fetch-Site": "cross-site"})
    )
    refusals.check(
        victim.post(link, data={"csrf_token": token}, headers={"Sec-Fetch-Site": "same-site"})
    )
    refusals.check(victim.get(published["report"]))  # no session was made
    # A token from another browser's session is no use either.
    refusals.check(victim.post(link, data={"csrf_token": opened(app.test_client(), link)}))
    # Nothing was used up: the mother's own tap, from the page, still works.
    # (Chromium sends Origin "null" from a page whose Referrer-Policy is no-referrer.)
    resp = victim.post(
        link,
        data={"csrf_token": token},
        headers={"Origin": "null", "Sec-Fetch-Site": "same-origin"},
    )
    assert resp.status_code == 303
    assert victim.get(published["report"]).status_code == 200


def test_cross_site_consent_answers_are_refused_and_change_nothing(
    app: Flask, published: dict[str, Any], demo: dict[str, Any], refusals: Refusals
) -> None:
    familie = published["familie"]
    consent = created(
        familie.post(
            "/api/consents",
            {
                "course_id": demo["course"],
                "guardian_id": published["guardians"]["mor"]["id"],
                "status": "requested",
            },
        )
    )["id"]
    mor = phone(app, published["links"]["mor"])
    token = form_token(mor.get("/p/consent"))
    url = f"/p/consent/{consent}"
    refusals.check(mor.post(url, data={"answer": "grant"}))
    refusals.check(mor.post(url, data={"answer": "grant", "csrf_token": "x" * 40}))
    refusals.check(
        mor.post(url, data={"answer": "grant", "csrf_token": token}, headers={"Origin": FOREIGN})
    )
    refusals.check(
        mor.post(
            url,
            data={"answer": "decline", "csrf_token": token},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
    )
    assert familie.get(f"/api/consents/{consent}").get_json()["status"] == "requested"
    assert answer_consent(mor, consent, "grant").status_code == 303
    assert familie.get(f"/api/consents/{consent}").get_json()["status"] == "granted"


def test_reused_tampered_expired_and_guessed_links_get_one_refusal(
    app: Flask, published: dict[str, Any], refusals: Refusals
) -> None:
    links = published["links"]
    mor = phone(app, links["mor"])
    other = app.test_client()
    token = other.get("/api/auth/csrf").get_json()["csrf_token"]  # a valid token, no link
    secret = links["far"].rsplit("/", 1)[1]
    for link in (
        links["mor"],  # used already
        links["far"][:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB"),
        links["far"] + "x",
        "/p/invitation/" + new_uuid(),
        "/p/invitation/%00",
    ):
        refusals.check(other.get(link))
        refusals.check(other.post(link, data={"csrf_token": token}))
    # The father's link is still unused: tampering with it used nothing up ...
    far = phone(app, links["far"])
    assert far.get(published["report"]).status_code == 200
    # ... and reusing the mother's link did not end her phone's access.
    assert mor.get(published["report"]).status_code == 200
    # An expired link is refused the same way.
    familie = published["familie"]
    assert (
        familie.post(
            f"/api/guardians/{published['guardians']['far']['id']}/invitations"
        ).status_code
        == 201
    )
    fresh = invitation_links(app, published["guardians"]["far"]["child_id"])["far"]
    with app.app_context():
        db.session.execute(
            update(GuardianInvitation)
            .where(GuardianInvitation.used_at.is_(None))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    refusals.check(other.get(fresh))
    refusals.check(other.post(fresh, data={"csrf_token": token}))


def test_guessed_ids_and_another_childs_report_get_one_refusal(
    app: Flask, as_user: Any, published: dict[str, Any], demo: dict[str, Any], refusals: Refusals
) -> None:
    meeting_b = second_child_report(
        as_user("paedagog"), published["familie"], demo["children"]["Noah"]
    )
    mor = phone(app, published["links"]["mor"])
    base_b = f"/p/reports/{meeting_b}"
    report = published["report"]
    for url in (
        base_b,
        f"{base_b}.json",
        f"{base_b}.pdf",
        f"{base_b}.ics",
        f"/p/reports/{new_uuid()}",
        f"/p/reports/{new_uuid()}.json",
        "/p/reports/1",
        f"{report}/photos/{new_uuid()}",
        f"{report}/photos/{new_uuid()}/view",
        f"/p/attachments/{new_uuid()}",
        "/p/attachments/not-a-uuid",
    ):
        refusals.check(mor.get(url))
    token = mor.get("/api/auth/csrf").get_json()["csrf_token"]  # this phone's valid token
    refusals.check(
        mor.post(f"/p/consent/{new_uuid()}", data={"answer": "grant", "csrf_token": token})
    )
    assert mor.get(report).status_code == 200  # guessing ended nothing


def test_a_revoked_phone_gets_the_refusal(
    app: Flask, published: dict[str, Any], refusals: Refusals
) -> None:
    familie = published["familie"]
    mor = phone(app, published["links"]["mor"])
    guardian = published["guardians"]["mor"]
    session = familie.get(f"/api/guardians/{guardian['id']}/sessions").get_json()[0]
    assert familie.post(f"/api/guardian-sessions/{session['id']}/revoke").status_code == 200
    for url in (published["report"], "/p/", "/p/consent", "/p/access", "/p/attachments"):
        refusals.check(mor.get(url))


@pytest.mark.parametrize("how", ["rest", "sync"])
def test_custody_removed_ends_the_phone_for_good(
    app: Flask, published: dict[str, Any], refusals: Refusals, how: str
) -> None:
    """Custody removed, then restored: the old phone stays out and the old unused link stays
    dead; only a new invitation gives access again. Through REST and through a sync push."""
    familie = published["familie"]
    guardian = published["guardians"]["mor"]
    mor = phone(app, published["links"]["mor"])
    assert familie.post(f"/api/guardians/{guardian['id']}/invitations").status_code == 201
    spare_link = invitation_links(app, guardian["child_id"])["mor"]  # sent, not yet opened
    assert mor.get(published["report"]).status_code == 200
    set_custody(familie, guardian["id"], False, how)
    refusals.check(mor.get(published["report"]))
    set_custody(familie, guardian["id"], True, how)
    refusals.check(mor.get(published["report"]))
    refusals.check(app.test_client().get(spare_link))
    sessions = familie.get(f"/api/guardians/{guardian['id']}/sessions").get_json()
    assert sessions and all(s["revoked_at"] for s in sessions)
    # A new invitation is the way back.
    assert familie.post(f"/api/guardians/{guardian['id']}/invitations").status_code == 201
    again = phone(app, invitation_links(app, guardian["child_id"])["mor"])
    assert again.get(published["report"]).status_code == 200


@pytest.mark.parametrize("how", ["rest", "sync"])
def test_a_deleted_guardian_stays_out_when_restored(
    app: Flask, published: dict[str, Any], refusals: Refusals, how: str
) -> None:
    familie = published["familie"]
    guardian = published["guardians"]["far"]
    far = phone(app, published["links"]["far"])
    tablet = Device(familie)
    tablet.pull()
    if how == "rest":
        assert familie.delete(f"/api/guardians/{guardian['id']}").status_code == 204
    else:
        tablet.delete("guardian", guardian["id"])
        assert tablet.push()[0]["status"] == "applied"
    refusals.check(far.get(published["report"]))
    tablet.pull()
    tablet.restore("guardian", guardian["id"])
    assert tablet.push()[0]["status"] in ("applied", "merged")
    assert familie.get(f"/api/guardians/{guardian['id']}").status_code == 200
    refusals.check(far.get(published["report"]))


def set_custody(familie: ApiClient, guardian_id: str, custody: bool, how: str) -> None:
    if how == "rest":
        resp = familie.patch(f"/api/guardians/{guardian_id}", {"has_custody": custody})
        assert resp.status_code == 200, resp.get_json()
        return
    tablet = Device(familie)
    tablet.pull()
    tablet.upsert("guardian", guardian_id, has_custody=custody)
    result = tablet.push()[0]
    assert result["status"] in ("applied", "merged"), result
