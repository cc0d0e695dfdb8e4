"""A parent's phone whose access has ended is told to forget, on every page of the parents'
app (issue 19, finding 4): the answer carries ``Trivsel-Access: ended`` (the service worker
and the pages' script empty every cache of the app) and Clear-Site-Data. "Glem denne
telefon" ends the phone's sessions on the server and answers the same way. The browser side
is tests/browser/test_phone_forgets.py.

Attacked as well: the signal must be no oracle (a live phone asking a guessed id is not told
to forget, and the refusal stays the one page), and it must not become a weapon: a foreign
page or a parents' page opened on a staff tablet must not empty the origin's storage, where
the staff app keeps a meeting's unsent notes and photos."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from server.extensions import db
from server.models import AuditEntry, AuthSession, GuardianSession
from server.models._common import utcnow
from tests.attack.doors import Door
from tests.documents import plain_pdf
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.reporting import fill_meeting, form_token, invitation_links, publish
from tests.server.world import created

ENDED = "ended"
EVERYTHING = '"cache"'  # never "storage": that would empty the staff app's unsent work too


@pytest.fixture
def world(
    app: Flask, as_user: Any, demo: dict[str, Any], parent_phone: Any, way_in: Door
) -> dict[str, Any]:
    """Emma's report with a board photo, a shared document and a consent request; the
    mother's phone has read them all."""
    familie: ApiClient = as_user("familie")
    emma = demo["children"]["Emma"]
    guardians = {
        g["relation"]: g for g in familie.get(f"/api/children/{emma}/guardians").get_json()
    }
    created(
        familie.post(
            "/api/consents",
            {
                "course_id": demo["course"],
                "guardian_id": guardians["mor"]["id"],
                "status": "requested",
                "channel": "letter",
            },
        )
    )
    document = created(
        familie.post(
            f"/api/courses/{demo['course']}/attachments",
            data={
                "file": (io.BytesIO(plain_pdf()), "res.pdf"),
                "title": "Ressourcevurdering",
                "kind": "topi",
                "shared_with_guardians": "true",
            },
            content_type="multipart/form-data",
        )
    )
    photo_id = fill_meeting(familie, demo["meeting"])["photo"]
    created(publish(familie, demo["meeting"]))
    mor = parent_phone(emma, "mor")
    report = f"/p/reports/{demo['meeting']}"
    urls = [
        "/p/",
        report,
        f"{report}.json",
        f"{report}.pdf",
        f"{report}.ics",
        f"{report}/photos/{photo_id}",
        f"{report}/photos/{photo_id}?full=1",
        f"{report}/photos/{photo_id}/view",
        "/p/access",
        "/p/consent",
        "/p/attachments",
        f"/p/attachments/{document['id']}",
    ]
    for url in urls:
        assert mor.get(url).status_code == 200, url
    return {
        "familie": familie,
        "mor": mor,
        "guardians": guardians,
        "links": {} if way_in.provider else invitation_links(app, emma),
        "urls": urls,
        "report": report,
    }


def _session_of(app: Flask, guardian_id: str) -> GuardianSession:
    with app.app_context():
        row = db.session.scalars(
            select(GuardianSession).where(GuardianSession.guardian_id == guardian_id)
        ).one()
        db.session.expunge(row)
        return row


def _end(how: str, app: Flask, world: dict[str, Any]) -> None:
    familie: ApiClient = world["familie"]
    guardian = world["guardians"]["mor"]
    if how == "revoked":
        session = familie.get(f"/api/guardians/{guardian['id']}/sessions").get_json()[0]
        assert familie.post(f"/api/guardian-sessions/{session['id']}/revoke").status_code == 200
    elif how == "custody":
        resp = familie.patch(f"/api/guardians/{guardian['id']}", {"has_custody": False})
        assert resp.status_code == 200, resp.get_json()
    else:  # the session's time ran out
        with app.app_context():
            db.session.execute(
                update(GuardianSession)
                .where(GuardianSession.guardian_id == guardian["id"])
                .values(expires_at=utcnow() - timedelta(minutes=1))
            )
            db.session.commit()


def _told_to_forget(resp: Any, clear: str = EVERYTHING) -> None:
    assert resp.headers.get("Trivsel-Access") == ENDED, (resp.status_code, dict(resp.headers))
    assert resp.headers.get("Clear-Site-Data") == clear


# Passwords only: the refusal asserted is the personal links' one (404, "Glem denne telefon",
# "nyt link"); with MitID an ended session gets the no-access page (403) or the sign-in, and
# "Log ud" ends it, which tests/browser/test_parent_signin.py asserts.
@pytest.mark.passwords_only
@pytest.mark.parametrize("how", ["revoked", "custody", "expired"])
def test_every_answer_to_an_ended_phone_tells_it_to_forget(
    app: Flask, world: dict[str, Any], how: str
) -> None:
    """Access closed by staff, custody ended, or the session's time run out: whatever the
    phone asks next under /p/ (a page, the photo, the document, the PDF, the online check),
    the answer is the one refusal and tells it to forget."""
    _end(how, app, world)
    mor: FlaskClient = world["mor"]
    first_refusal = None
    for url in world["urls"]:
        resp = mor.get(url)
        assert resp.status_code == 404, url
        first_refusal = first_refusal or resp.get_data()
        assert resp.get_data() == first_refusal  # still the one refusal, byte for byte
        _told_to_forget(resp)
        assert "trivsel_parent" not in resp.headers.get("Set-Cookie", "")
    check = mor.head("/p/online")
    assert check.status_code == 204
    _told_to_forget(check)
    # The check tidies the dead cookie away; afterwards the phone holds no parents' cookie,
    # and refusals still say "ended" (the worker forgets) but clear only the HTTP cache.
    assert "trivsel_parent=;" in check.headers["Set-Cookie"]
    _told_to_forget(mor.get(world["report"]), clear='"cache"')


def test_a_live_phone_is_told_it_is_live_and_how_long_it_may_keep_pages(
    app: Flask, world: dict[str, Any]
) -> None:
    """Not an oracle: a live phone asking a guessed or foreign id gets the one refusal and is
    not told to forget; its answers name the offline bound (PARENT_OFFLINE_DAYS)."""
    mor: FlaskClient = world["mor"]
    page = mor.get("/p/")
    assert page.headers["Trivsel-Access"] == "live"
    assert page.headers["Trivsel-Offline-Seconds"] == str(app.config["PARENT_OFFLINE_DAYS"] * 86400)
    assert "Clear-Site-Data" not in page.headers
    for url in (
        f"/p/reports/{uuid.uuid4()}",
        f"/p/attachments/{uuid.uuid4()}",
        "/p/reports/not-an-id",
    ):
        resp = mor.get(url)
        assert resp.status_code == 404
        assert "Clear-Site-Data" not in resp.headers
        assert resp.headers["Trivsel-Access"] == "live"
    assert mor.get(world["report"]).status_code == 200  # nothing was ended by guessing


# Passwords only: the refusal asserted is the personal links' one (404, "Glem denne telefon",
# "nyt link"); with MitID an ended session gets the no-access page (403) or the sign-in, and
# "Log ud" ends it, which tests/browser/test_parent_signin.py asserts.
@pytest.mark.passwords_only
def test_glem_denne_telefon_ends_the_session_and_empties_the_phone(
    app: Flask, world: dict[str, Any]
) -> None:
    mor: FlaskClient = world["mor"]
    start = mor.get("/p/")
    assert "Glem denne telefon" in start.get_data(as_text=True)
    token = form_token(start)
    cookie = mor.get_cookie("trivsel_parent", path="/p/")
    assert cookie is not None
    # Without the page's token, or from another site, nothing ends.
    assert mor.post("/p/forget").status_code == 404
    assert (
        mor.post(
            "/p/forget", data={"csrf_token": token}, headers={"Origin": "https://evil.example"}
        ).status_code
        == 404
    )
    assert mor.get("/p/").status_code == 200
    resp = mor.post("/p/forget", data={"csrf_token": token})
    assert resp.status_code == 200
    text = resp.get_data(as_text=True)
    assert "Telefonen er glemt" in text and "nyt link" in text and "data-forget" in text
    _told_to_forget(resp)
    assert "trivsel_parent=;" in resp.headers["Set-Cookie"]
    # The session is over on the server, not only on this phone: a copy of the cookie is
    # refused, and the audit trail says the parent ended it.
    copy = app.test_client()
    copy.set_cookie("trivsel_parent", cookie.value, path="/p/")
    assert copy.get(world["report"]).status_code == 404
    session = _session_of(app, world["guardians"]["mor"]["id"])
    assert session.revoked_at is not None and session.revoked_by_id is None
    with app.app_context():
        assert (
            db.session.scalar(
                select(AuditEntry.id).where(
                    AuditEntry.entity == "guardian_session",
                    AuditEntry.record_id == session.id,
                    AuditEntry.actor_type == "guardian",
                )
            )
            is not None
        )


# Passwords only: two sessions on one phone come from two personal links; with MitID a phone
# holds the session of the one person who signed in.
@pytest.mark.passwords_only
def test_a_phone_forgets_a_child_whose_access_ended_while_another_lives_on(
    app: Flask, world: dict[str, Any]
) -> None:
    """A phone holding two sessions (mother and father here; two children alike): one is
    closed. What the phone kept may be from the closed one, so it is told to forget, once:
    its cookie keeps only the live session, and the next answers are live again."""
    mor: FlaskClient = world["mor"]
    token = form_token(mor.get(world["links"]["far"]))
    assert mor.post(world["links"]["far"], data={"csrf_token": token}).status_code == 303
    assert mor.get("/p/").headers["Trivsel-Access"] == "live"
    _end("revoked", app, world)
    resp = mor.get("/p/")
    assert resp.status_code == 200  # the father's session still reads
    _told_to_forget(resp)
    kept = mor.get_cookie("trivsel_parent", path="/p/")
    assert kept is not None and "." not in kept.value  # only the live secret is left
    again = mor.get(world["report"])
    assert again.status_code == 200 and again.headers["Trivsel-Access"] == "live"
    assert "Clear-Site-Data" not in again.headers


# Passwords only: the refusal asserted is the personal links' one (404, "Glem denne telefon",
# "nyt link"); with MitID an ended session gets the no-access page (403) or the sign-in, and
# "Log ud" ends it, which tests/browser/test_parent_signin.py asserts.
@pytest.mark.passwords_only
def test_no_foreign_page_and_no_parents_page_can_empty_a_staff_tablet(
    app: Flask, world: dict[str, Any], as_user: Any
) -> None:
    """Clear-Site-Data "storage" empties the whole origin, the staff app's outbox of unsent
    notes and photos included. So: nothing to clear when another site makes the request
    (an <img src=/p/...> on a foreign page), and only the HTTP cache when the browser holds
    no parents' cookie or a staff sign-in; the service worker forgets the parents' caches."""
    mor: FlaskClient = world["mor"]
    _end("revoked", app, world)
    foreign = mor.get(world["report"], headers={"Sec-Fetch-Site": "cross-site"})
    assert foreign.status_code == 404 and "Clear-Site-Data" not in foreign.headers
    tablet: ApiClient = as_user("paedagog")
    _told_to_forget(tablet.get("/p/", headers={"Sec-Fetch-Site": "same-origin"}), clear='"cache"')
    # A staff member who once opened a parent's link on the tablet: still not the storage.
    both = ApiClient(app.test_client())
    both.raw.set_cookie("trivsel_parent", "dead-secret", path="/p/")
    both.login("familie@example.org", DEMO_PASSWORD)
    _told_to_forget(both.get("/p/"), clear='"cache"')
    # ... and once that staff sign-in has lapsed (idle, or ended from another device): the
    # tablet's outbox of unsent work is still in the origin's storage.
    with app.app_context():
        db.session.execute(update(AuthSession).values(revoked_at=datetime.now(UTC)))
        db.session.commit()
    _told_to_forget(both.get("/p/"), clear='"cache"')
