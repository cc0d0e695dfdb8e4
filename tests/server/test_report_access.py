"""Parents' access: only guardian A reaches A's child's report, by every URL, and every way
of failing looks the same."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from server.extensions import db
from server.models import GuardianInvitation
from server.models._common import utcnow
from tests.harness import ApiClient
from tests.server.reporting import (
    fill_meeting,
    invitation_links,
    phone,
    publish,
    second_child_report,
)
from tests.server.world import created, new_uuid


@pytest.fixture
def world(app: Flask, as_user: Any, demo: dict[str, Any]) -> dict[str, Any]:
    """Emma's report (child A) and Noah's (child B), both published, with their phones."""
    familie: ApiClient = as_user("familie")
    photo_a = fill_meeting(familie, demo["meeting"], "A")["photo"]
    created(publish(familie, demo["meeting"]))
    meeting_b = second_child_report(as_user("paedagog"), familie, demo["children"]["Noah"])
    photo_b = familie.get(f"/api/meetings/{meeting_b}/photos").get_json()[0]["id"]
    return {
        "A": {"meeting": demo["meeting"], "photo": photo_a},
        "B": {"meeting": meeting_b, "photo": photo_b},
        "phone_A": phone(app, invitation_links(app, demo["children"]["Emma"])["mor"]),
        "phone_B": phone(app, invitation_links(app, demo["children"]["Noah"])["mor"]),
        "familie": familie,
    }


def urls(report: dict[str, str]) -> list[str]:
    m, p = report["meeting"], report["photo"]
    base = f"/p/reports/{m}"
    return [
        base,
        f"{base}.json",
        f"{base}.pdf",
        f"{base}.ics",
        f"{base}/photos/{p}",
        f"{base}/photos/{p}?full=1",
        f"{base}/photos/{p}/view",
    ]


REFUSAL = "Linket virker ikke"


def refused(resp: Any) -> bool:
    return resp.status_code == 404 and REFUSAL in resp.get_data(as_text=True)


def test_each_guardian_reaches_only_their_own_childs_report(
    app: Flask, as_user: Any, world: dict[str, Any]
) -> None:
    staff_without_access = as_user("paedagog2").raw  # a staff session is no parent session
    no_session = app.test_client()
    for url in urls(world["A"]):
        assert world["phone_A"].get(url).status_code == 200, url
        for other in (world["phone_B"], staff_without_access, no_session):
            assert refused(other.get(url)), url
    for url in urls(world["B"]):
        assert world["phone_B"].get(url).status_code == 200, url
        assert refused(world["phone_A"].get(url)), url
    assert refused(no_session.get("/p/")) and refused(no_session.get("/p/access"))
    assert world["A"]["meeting"] in world["phone_A"].get("/p/").get_data(as_text=True)
    assert world["B"]["meeting"] not in world["phone_A"].get("/p/").get_data(as_text=True)


def test_guessed_ids_get_the_same_refusal(world: dict[str, Any]) -> None:
    phone_a = world["phone_A"]
    m = world["A"]["meeting"]
    for url in (
        f"/p/reports/{new_uuid()}",
        "/p/reports/not-a-uuid",
        f"/p/reports/{m}/photos/{new_uuid()}",
        f"/p/reports/{m}/photos/{new_uuid()}/view",
    ):
        assert refused(phone_a.get(url)), url


def test_staff_api_of_reports_is_checked_per_record(as_user: Any, world: dict[str, Any]) -> None:
    report = world["familie"].get(f"/api/meetings/{world['A']['meeting']}/reports").get_json()[0]
    outsider = as_user("paedagog2")
    for url in (
        f"/api/reports/{report['id']}",
        f"/api/reports/{report['id']}/snapshot",
        f"/api/reports/{report['id']}/pdf",
        f"/api/meetings/{world['A']['meeting']}/report-preview",
        f"/api/meetings/{world['A']['meeting']}/report-readings",
    ):
        assert outsider.get(url).status_code == 404, url
        assert world["familie"].get(url).status_code == 200, url


def test_reused_expired_and_tampered_links_are_refused(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    links = invitation_links(app, demo["children"]["Emma"])
    first_phone = phone(app, links["mor"])
    assert first_phone.get(f"/p/reports/{demo['meeting']}").status_code == 200
    forwarded = app.test_client()
    assert refused(forwarded.get(links["mor"]))  # used once already
    assert refused(forwarded.post(links["mor"]))
    assert refused(forwarded.post(links["far"][:-3] + "abc"))  # tampered
    with app.app_context():  # the father's link expires unused
        db.session.execute(
            update(GuardianInvitation).values(expires_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
    assert refused(forwarded.get(links["far"])) and refused(forwarded.post(links["far"]))
    assert refused(forwarded.get(f"/p/reports/{demo['meeting']}"))


def test_staff_can_revoke_a_phone_and_invite_again(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    guardians = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    mor = next(g for g in guardians if g["relation"] == "mor")
    mor_phone = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    sessions = familie.get(f"/api/guardians/{mor['id']}/sessions").get_json()
    assert len(sessions) == 1 and sessions[0]["revoked_at"] is None
    assert as_user("paedagog2").get(f"/api/guardians/{mor['id']}/sessions").status_code == 404
    assert (
        as_user("paedagog").post(f"/api/guardian-sessions/{sessions[0]['id']}/revoke").status_code
        == 403
    )
    revoked = familie.post(f"/api/guardian-sessions/{sessions[0]['id']}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["revoked_at"]
    assert refused(mor_phone.get(f"/p/reports/{demo['meeting']}"))
    # A new invitation gives the phone access again.
    assert familie.post(f"/api/guardians/{mor['id']}/invitations").status_code == 201
    again = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    assert again.get(f"/p/reports/{demo['meeting']}").status_code == 200


def test_a_guardian_without_custody_gets_no_invitation(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    guardians = familie.get(f"/api/children/{demo['children']['Emma']}/guardians").get_json()
    far = next(g for g in guardians if g["relation"] == "far")
    assert familie.patch(f"/api/guardians/{far['id']}", {"has_custody": False}).status_code == 200
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    assert set(invitation_links(app, demo["children"]["Emma"])) == {"mor"}
    resp = familie.post(f"/api/guardians/{far['id']}/invitations")
    assert resp.status_code == 422 and resp.get_json()["error"]["fields"]["email"]


def test_a_link_opened_on_two_phones_at_once_gives_one_session(
    app: Flask, as_user: Any, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One phone has read the link as unused when the other claims it: no second session."""
    from sqlalchemy import create_engine, func, select

    from server.models import GuardianSession
    from server.parents import guardian_access

    familie = as_user("familie")
    fill_meeting(familie, demo["meeting"])
    created(publish(familie, demo["meeting"]))
    secret = invitation_links(app, demo["children"]["Emma"])["mor"].rsplit("/", 1)[1]
    with app.test_request_context(f"/p/invitation/{secret}", method="POST"):
        stale = guardian_access.peek(secret)  # this phone sees it unused ...
        assert stale is not None
        db.session.expunge(stale)
        db.session.rollback()
        other = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
        with other.begin() as conn:  # ... and the other phone claims it just then
            conn.execute(update(GuardianInvitation).values(used_at=utcnow()))
        other.dispose()
        monkeypatch.setattr(guardian_access, "peek", lambda _secret: stale)
        assert guardian_access.redeem(secret) is None
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(GuardianSession)) == 0
