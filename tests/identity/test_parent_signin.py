"""Parents sign in with MitID at /p/ (issue 20): the real app on 127.0.0.1 over real HTTP, on a
migrated database with the demo's data (children and guardians with test CPR numbers) and two
published reports, Emma's and Noah's, against the local provider (oidc-provider-mock) as the
MitID broker; a phone stand-in with its own cookie jar follows the redirects."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.models import Child, Guardian, GuardianInvitation, GuardianSession, OutboundMessage
from server.models._common import utcnow
from server.parents import guardian_access
from tests.identity.parents_live import Live, parents_live
from tests.identity.patterns import TEN_DIGITS

CALLBACK = "/p/login/callback"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with parents_live(tmp_path_factory.mktemp("parent-signin")) as served:
        yield served


def _through_provider(live: Live, phone: requests.Session, sub: str) -> str:
    """From /p/ to the sign-in page, to the provider, pick ``sub``: the callback URL."""
    asked = phone.get(f"{live.url}/p/", allow_redirects=False, timeout=10)
    assert (asked.status_code, asked.headers["Location"]) == (303, "/p/login")
    page = phone.get(f"{live.url}/p/login", timeout=10)
    assert "Log ind med MitID" in page.text
    started = phone.get(f"{live.url}/p/login/start", allow_redirects=False, timeout=10)
    assert started.status_code == 303
    assert started.headers["Location"].startswith(live.issuer)
    picked = requests.post(
        started.headers["Location"], data={"sub": sub}, allow_redirects=False, timeout=10
    )
    assert picked.status_code == 302
    callback: str = picked.headers["Location"]
    assert callback.startswith(f"{live.url}{CALLBACK}?")
    return callback


def sign_in(live: Live, sub: str) -> tuple[requests.Session, requests.Response]:
    """A whole sign-in on a phone of its own: the phone and the callback's answer."""
    phone = requests.Session()
    answer = phone.get(_through_provider(live, phone, sub), allow_redirects=False, timeout=10)
    return phone, answer


def signed_in(live: Live, sub: str) -> requests.Session:
    phone, answer = sign_in(live, sub)
    assert answer.status_code == 303, answer.text
    assert answer.headers["Location"] == "/p/"
    return phone


def _get(live: Live, phone: requests.Session, path: str) -> requests.Response:
    return phone.get(f"{live.url}{path}", allow_redirects=False, timeout=10)


def _refusal(live: Live, sub: str) -> requests.Response:
    phone, answer = sign_in(live, sub)
    assert answer.status_code == 403
    assert "trivsel_parent" not in phone.cookies  # no session of any kind
    return answer


def test_every_parents_page_without_a_session_asks_for_mitid(live: Live) -> None:
    phone = requests.Session()
    for path in ("/p/", "/p/access", "/p/consent", f"/p/reports/{live.emma_meeting}"):
        answer = _get(live, phone, path)
        assert (answer.status_code, answer.headers["Location"]) == (303, "/p/login"), path
    page = _get(live, phone, "/p/login")
    assert page.status_code == 200
    assert 'href="/p/login/start"' in page.text


def test_a_parent_at_substantial_reads_exactly_the_reports_of_their_child(
    live: Live, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    phone = signed_in(live, "mitid-mette")
    listing = _get(live, phone, "/p/")
    assert listing.status_code == 200
    assert f"/p/reports/{live.emma_meeting}" in listing.text
    assert f"/p/reports/{live.noah_meeting}" not in listing.text
    assert "Log ud" in listing.text
    assert _get(live, phone, f"/p/reports/{live.emma_meeting}").status_code == 200
    assert _get(live, phone, f"/p/reports/{live.noah_meeting}").status_code == 404
    # The session names the guardian row; no CPR number in a log line.
    assert not [r.getMessage() for r in caplog.records if TEN_DIGITS.search(r.getMessage())]


def test_another_parents_cpr_reads_the_other_child_only(live: Live) -> None:
    phone = signed_in(live, "mitid-sara")
    listing = _get(live, phone, "/p/")
    assert f"/p/reports/{live.noah_meeting}" in listing.text
    assert f"/p/reports/{live.emma_meeting}" not in listing.text
    assert _get(live, phone, f"/p/reports/{live.noah_meeting}").status_code == 200
    assert _get(live, phone, f"/p/reports/{live.emma_meeting}").status_code == 404


def test_the_session_lasts_parent_session_hours_and_then_asks_again(live: Live) -> None:
    phone, answer = sign_in(live, "mitid-ali")
    hours = int(live.app.config["PARENT_SESSION_HOURS"])
    assert f"Max-Age={hours * 3600}" in answer.headers["Set-Cookie"]
    rows = live.db(
        lambda: [
            (s.via, (s.expires_at - s.created_at).total_seconds())
            for s in db.session.scalars(
                select(GuardianSession)
                .join(Guardian)
                .where(Guardian.name == "Ali Hansen", GuardianSession.revoked_at.is_(None))
            )
        ]
    )
    assert rows and all(via == "mitid" for via, _ in rows)
    assert all(abs(length - hours * 3600) < 60 for _, length in rows)

    def expire() -> None:
        for session in db.session.scalars(select(GuardianSession)):
            if session.via == "mitid" and session.revoked_at is None:
                session.expires_at = session.created_at

    live.db(expire)
    answer = _get(live, phone, "/p/")  # ran out: the sign-in page, not a refusal
    assert (answer.status_code, answer.headers["Location"]) == (303, "/p/login")


def _set_custody(name: str, custody: bool) -> Callable[[], None]:
    def change() -> None:
        guardian = db.session.scalars(select(Guardian).where(Guardian.name == name)).one()
        guardian.has_custody = custody

    return change


def test_low_no_custody_and_ended_custody_get_the_same_refusal(live: Live) -> None:
    low = _refusal(live, "mitid-mette-low")
    no_custody = _refusal(live, "mitid-uden")
    phone = signed_in(live, "mitid-lars")
    assert _get(live, phone, f"/p/reports/{live.emma_meeting}").status_code == 200
    live.db(_set_custody("Lars Jensen", False))
    try:
        ended = _get(live, phone, "/p/")  # the very next request
        ended_report = _get(live, phone, f"/p/reports/{live.emma_meeting}")
        again = _refusal(live, "mitid-lars")  # and signing in again
    finally:
        live.db(_set_custody("Lars Jensen", True))
    assert ended.status_code == ended_report.status_code == 403
    assert ended.headers["Trivsel-Access"] == "ended"  # the phone forgets what it kept
    assert low.content == no_custody.content == ended.content == ended_report.content
    assert again.content == low.content
    assert "Du har ikke adgang" in low.text and "familieindgangen" in low.text
    # Custody given back does not bring the ended session back: a new sign-in does.
    assert _get(live, phone, "/p/").status_code == 403
    assert _get(live, signed_in(live, "mitid-lars"), "/p/").status_code == 200


def test_a_replayed_callback_is_refused(live: Live) -> None:
    phone = requests.Session()
    callback = _through_provider(live, phone, "mitid-ida")
    captured = phone.cookies.get("trivsel_signin_parent", path=CALLBACK)
    assert captured is not None
    assert phone.get(callback, allow_redirects=False, timeout=10).status_code == 303
    attacker = requests.Session()
    attacker.cookies.set("trivsel_signin_parent", captured, path=CALLBACK)
    replayed = attacker.get(callback, allow_redirects=False, timeout=10)
    assert replayed.status_code == 403
    assert "Login lykkedes ikke" in replayed.text
    assert "trivsel_parent" not in attacker.cookies
    assert _get(live, attacker, "/p/").headers["Location"] == "/p/login"


def test_log_out_ends_the_session_and_the_old_cookie_is_refused(live: Live) -> None:
    phone = signed_in(live, "mitid-jonas")
    listing = _get(live, phone, "/p/")
    old = phone.cookies.get("trivsel_parent", path="/p/")
    assert old
    token = CSRF_FIELD.search(listing.text)
    assert token
    out = phone.post(
        f"{live.url}/p/logout",
        data={"csrf_token": token.group(1)},
        headers={"Origin": live.url, "Sec-Fetch-Site": "same-origin"},
        allow_redirects=False,
        timeout=10,
    )
    assert out.status_code == 200
    assert "Du er logget ud" in out.text
    assert out.headers["Trivsel-Access"] == "ended"
    assert out.headers["Clear-Site-Data"] == '"cache"'
    assert "data-forget" in out.text  # the page's script empties the parents' caches
    assert "trivsel_parent" not in phone.cookies
    replay = requests.Session()
    replay.cookies.set("trivsel_parent", old, path="/p/")
    assert _get(live, replay, "/p/").status_code == 403
    assert _get(live, replay, f"/p/reports/{live.emma_meeting}").status_code == 403


def test_with_mitid_on_a_personal_link_grants_nothing(live: Live) -> None:
    emma = live.db(lambda: db.session.scalar(select(Child.id).where(Child.first_name == "Emma")))
    # The messages of a MitID deployment lead to /p/ and make no invitation at all ...
    with live.app.app_context():
        bodies = db.session.scalars(
            select(OutboundMessage.body).join(Guardian).where(Guardian.child_id == emma)
        ).all()
        assert bodies and all(f"{live.url}/p/" in body for body in bodies)
        assert not any("/p/invitation/" in body for body in bodies)
        assert db.session.scalar(select(func.count()).select_from(GuardianInvitation)) == 0

    # ... and a link left from before MitID was switched on opens nothing.
    def old_link() -> str:
        mother = db.session.scalars(select(Guardian).where(Guardian.name == "Mette Jensen")).one()
        return urlsplit(guardian_access.issue(mother, None)).path

    link = live.db(old_link)
    phone = requests.Session()
    opened = _get(live, phone, link)
    assert (opened.status_code, opened.headers["Location"]) == (303, "/p/")
    pressed = phone.post(f"{live.url}{link}", allow_redirects=False, timeout=10)
    assert pressed.status_code == 404  # no page of today's has given it a CSRF token
    assert "trivsel_parent" not in phone.cookies
    assert _get(live, phone, "/p/").headers["Location"] == "/p/login"


def test_a_guardian_deleted_by_staff_is_refused_at_the_next_request(live: Live) -> None:
    phone = signed_in(live, "mitid-ida")
    assert _get(live, phone, "/p/").status_code == 200

    def delete(deleted: bool) -> Callable[[], None]:
        def change() -> None:
            ida = db.session.scalars(select(Guardian).where(Guardian.name == "Ida Nielsen")).one()
            ida.deleted_at = utcnow() if deleted else None

        return change

    live.db(delete(True))
    try:
        refused = _get(live, phone, "/p/")
        again = _refusal(live, "mitid-ida")
    finally:
        live.db(delete(False))
    assert refused.status_code == 403
    assert refused.content == again.content == _refusal(live, "mitid-uden").content


def test_a_guardians_cpr_number_corrected_by_staff_ends_the_old_numbers_sessions(
    live: Live,
) -> None:
    """Staff typed someone else's number and fix it: the person who signed in with the old
    number reads that child no longer, from the very next request."""
    phone = signed_in(live, "mitid-ida")
    assert _get(live, phone, "/p/").status_code == 200

    def renumber(to: Cpr | None) -> Callable[[], None]:
        def change() -> None:
            ida = db.session.scalars(select(Guardian).where(Guardian.name == "Ida Nielsen")).one()
            old = ida.cpr
            set_cpr(ida, to)
            kept.append(old)

        return change

    kept: list[Cpr | None] = []
    live.db(renumber(Cpr("0101104000")))
    try:
        refused = _get(live, phone, "/p/")
    finally:
        live.db(renumber(kept[0]))
    assert refused.status_code == 403
    assert refused.content == _refusal(live, "mitid-uden").content
