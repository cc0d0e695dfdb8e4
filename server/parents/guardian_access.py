"""Parents' access: an e-mailed single-use link, or a MitID sign-in where
``PARENT_OIDC_ISSUER`` is set, becomes a session on that phone.

Only SHA-256 digests of the secrets are stored, so a copy of the database opens nothing.
A phone may hold sessions for several guardians (a parent of two children gets two links, or
one MitID sign-in gives a session per child's guardian row); the cookie carries each session's
secret. With MitID on, only sessions a MitID sign-in began count ("via"): a link's session,
up to GUARDIAN_SESSION_DAYS old, gives nothing any more.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from flask import abort, current_app, g, has_request_context, request
from sqlalchemy import Connection, bindparam, event, inspect, select, update
from sqlalchemy.orm import Mapper
from werkzeug.wrappers import Response

from server import audit
from server.auth.tokens import token_hash
from server.extensions import db
from server.letters import channel
from server.models import Child, Guardian, GuardianInvitation, GuardianSession, User
from server.models._common import utcnow
from server.parents import sender
from server.text import catalogue

COOKIE = "trivsel_parent"
MAX_SESSIONS_PER_PHONE = 5


def mitid_on() -> bool:
    """Parents sign in with MitID (``PARENT_OIDC_ISSUER`` set), not by personal links."""
    return bool(current_app.config["PARENT_OIDC_ISSUER"])


class SignInNeeded(Exception):
    """With MitID on, a parents' page without a live session: ``ended`` when the phone's
    cookie names a session that was ended (custody ended, guardian deleted, logged out,
    revoked), which gets the one no-access page; otherwise (no cookie, expired) the sign-in
    page. Answered by server/parents/mitid_routes.py."""

    def __init__(self, ended: bool) -> None:
        super().__init__("a MitID sign-in is needed")
        self.ended = ended


def issue(guardian: Guardian, by: User | None, about: str | None = None) -> str:
    """A new invitation for ``guardian``; returns the link (its secret is not stored).
    ``about``: the meeting whose report the message is about; the link then leads there
    (server/parents/routes.py), on the first tap and on every later one."""
    secret = secrets.token_urlsafe(32)
    days = current_app.config["INVITATION_DAYS"]
    db.session.add(
        GuardianInvitation(
            token_hash=token_hash(secret),
            guardian_id=guardian.id,
            created_by_id=by.id if by is not None else None,
            expires_at=utcnow() + timedelta(days=days),
            meeting_id=about,
        )
    )
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}/p/invitation/{secret}"


def invite(
    guardian: Guardian,
    by: User | None,
    meeting_at: datetime | None = None,
    course_id: str | None = None,
    about: str | None = None,
) -> bool:
    """Send a guardian a personal link (about a new report of ``course_id`` when
    ``meeting_at`` is given; ``about``: the meeting the link leads to), on the letter
    channel (server/letters/channel.py), in the guardian's language.

    Only custody holders the channel reaches get one; False when none was sent. A notice
    about a course's report names the course, and retention deletes it with the course."""
    if not channel.reachable(guardian):
        return False
    child = db.session.get(Child, guardian.child_id)
    assert child is not None
    # With MitID a link grants nothing: the message leads to the parents' pages, which ask
    # for MitID, and no invitation (a credential if MitID were switched off again) is made.
    if mitid_on():
        link = str(current_app.config["PUBLIC_URL"]).rstrip("/") + "/p/"
    else:
        link = issue(guardian, by, about)
    words = catalogue(guardian.language)
    expires = words.day(utcnow() + timedelta(days=current_app.config["INVITATION_DAYS"]))
    values = {
        "name": guardian.name,
        "child": child.first_name,
        "link": link,
        "expires": expires,
        "when": words.day(meeting_at),
        "signature": sender.signature(
            sender.of_course(course_id or sender.newest_course(child.id)), guardian.language
        ),
    }
    if meeting_at is not None:
        subject, body = words.T["mail_subject"], words.T["mail_body"]
    else:
        subject, body = words.T["mail_invite_subject"], words.T["mail_invite_body"]
    letter = channel.Letter(
        kind="report" if meeting_at is not None else "invitation",
        subject=subject.format(**values),
        body=body.format(**values),
        link=link,
        signature=values["signature"],
    )
    # A report notice is about its meeting: the tablet shows it with the meeting's letters.
    # Digital Post reaches no one without a CPR number: the row says why, and staff are not
    # told a letter went.
    return channel.deliver(guardian, letter, course_id, about).status != "unaddressable"


def find(secret: str) -> GuardianInvitation | None:
    """The invitation with this secret, used, expired or not (where a link leads)."""
    return db.session.scalar(
        select(GuardianInvitation).where(GuardianInvitation.token_hash == token_hash(secret))
    )


def peek(secret: str) -> GuardianInvitation | None:
    """The invitation if it can still be used (unused, unexpired, guardian still entitled)."""
    invitation = db.session.scalar(
        select(GuardianInvitation).where(GuardianInvitation.token_hash == token_hash(secret))
    )
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    guardian = db.session.get(Guardian, invitation.guardian_id)
    if guardian is None or guardian.deleted_at is not None or not guardian.has_custody:
        return None
    return invitation


def redeem(secret: str) -> str | None:
    """Use an invitation once: a new session's secret, or None (the same for every failure)."""
    invitation = peek(secret)
    if invitation is None:
        return None
    now = utcnow()
    # Claimed with one conditional UPDATE: of two phones opening the link at the same moment,
    # only one gets a session.
    claimed = db.session.execute(
        update(GuardianInvitation)
        .where(GuardianInvitation.id == invitation.id, GuardianInvitation.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        return None
    session_secret = secrets.token_urlsafe(32)
    db.session.add(
        GuardianSession(
            token_hash=token_hash(session_secret),
            guardian_id=invitation.guardian_id,
            last_seen_at=now,
            expires_at=now + timedelta(days=current_app.config["GUARDIAN_SESSION_DAYS"]),
            user_agent=request.headers.get("User-Agent", "")[:200],
        )
    )
    db.session.flush()
    return session_secret


def start_mitid_sessions(guardians: list[Guardian]) -> list[str]:
    """A MitID sign-in's sessions, one per guardian row it speaks for (at most
    MAX_SESSIONS_PER_PHONE), each PARENT_SESSION_HOURS long; their secrets for the cookie.
    The sessions name guardian rows, never the CPR number: custody that ends or a guardian
    deleted ends them (the mapper event below), and each request reads them again."""
    now = utcnow()
    hours = int(current_app.config["PARENT_SESSION_HOURS"])
    found: list[str] = []
    for guardian in guardians[:MAX_SESSIONS_PER_PHONE]:
        secret = secrets.token_urlsafe(32)
        db.session.add(
            GuardianSession(
                token_hash=token_hash(secret),
                guardian_id=guardian.id,
                last_seen_at=now,
                expires_at=now + timedelta(hours=hours),
                user_agent=request.headers.get("User-Agent", "")[:200],
                via="mitid",
            )
        )
        found.append(secret)
    db.session.flush()
    return found


def set_cookie(resp: Response, held: list[str]) -> None:
    """The phone's cookie: the secrets of the sessions it holds (at most five), kept as long
    as a session of the mode lasts (a MitID sign-in's hours, a link's days)."""
    if mitid_on():
        seconds = int(current_app.config["PARENT_SESSION_HOURS"]) * 3600
    else:
        seconds = int(current_app.config["GUARDIAN_SESSION_DAYS"]) * 86400
    resp.set_cookie(
        COOKIE,
        ".".join(held[:MAX_SESSIONS_PER_PHONE]),
        path="/p/",
        httponly=True,
        samesite="Lax",
        secure=current_app.config["TRIVSEL_ENV"] not in ("development", "testing"),
        max_age=seconds,
    )


def cookie_secrets() -> list[str]:
    """The session secrets this phone holds."""
    raw = request.cookies.get(COOKIE, "")
    return [part for part in raw.split(".") if part][:MAX_SESSIONS_PER_PHONE]


@dataclass(frozen=True)
class Reader:
    """A phone's live sessions: the guardians it speaks for and their children."""

    guardians: tuple[Guardian, ...]

    @property
    def child_ids(self) -> frozenset[str]:
        return frozenset(guardian.child_id for guardian in self.guardians)

    def guardian_of(self, child_id: str) -> Guardian | None:
        return next((gd for gd in self.guardians if gd.child_id == child_id), None)

    def guardian_by_id(self, guardian_id: str) -> Guardian | None:
        return next((gd for gd in self.guardians if gd.id == guardian_id), None)


# Built once: every parents' page asks it, and building the statement cost more than
# running it (SQLAlchemy caches the SQL, not the statement object).
_LIVE_SESSIONS = (
    select(GuardianSession.id, GuardianSession.last_seen_at, GuardianSession.token_hash, Guardian)
    .join(Guardian, Guardian.id == GuardianSession.guardian_id)
    .where(
        GuardianSession.token_hash.in_(bindparam("hashes", expanding=True)),
        GuardianSession.revoked_at.is_(None),
        GuardianSession.expires_at > bindparam("now"),
        Guardian.deleted_at.is_(None),
        Guardian.has_custody.is_(True),
    )
)


# The same, for MitID mode: a link's session gives nothing there.
_LIVE_MITID_SESSIONS = _LIVE_SESSIONS.where(GuardianSession.via == "mitid")


def current_reader() -> Reader:
    """The guardians whose live sessions this request carries (memoised per request).

    Only reads: sessions not seen for a while are noted in ``g`` and ``touch_sessions``
    records that they were used, in the request's write phase."""
    cached: Reader | None = g.get("trivsel_reader")
    if cached is not None:
        return cached
    held = cookie_secrets()
    hashes = [token_hash(secret) for secret in held]
    now = utcnow()
    statement = _LIVE_MITID_SESSIONS if mitid_on() else _LIVE_SESSIONS
    rows = db.session.execute(statement, {"hashes": hashes, "now": now}).all() if hashes else []
    # Written at most every ten minutes: report views must not each cost a write.
    g.trivsel_stale_sessions = [
        sid for sid, seen, _h, _g in rows if now - seen > timedelta(minutes=10)
    ]
    live = {stored for _sid, _seen, stored, _g in rows}
    g.trivsel_live_secrets = [s for s, h in zip(held, hashes, strict=True) if h in live]
    # A session the phone holds has ended (revoked, custody ended, expired), even if others
    # live on: what the phone kept may be that child's, so it must forget (access_state).
    if len(g.trivsel_live_secrets) < len(held):
        g.trivsel_access_ended = True
    reader = Reader(tuple(guardian for _sid, _seen, _h, guardian in rows))
    g.trivsel_reader = reader
    return reader


def required_reader() -> Reader:
    """The phone's reader; without a live session, the parents' plain 404 refusal (and the
    phone is told to forget what it kept: access_state)."""
    reader = current_reader()
    if not reader.guardians:
        g.trivsel_access_ended = True
        if mitid_on():
            raise SignInNeeded(ended=_held_session_ended())
        abort(404)
    return reader


def _held_session_ended() -> bool:
    """Whether the phone's cookie names a session that was ended before its time (custody
    ended, the guardian deleted, logged out or revoked by staff), not merely one that ran out
    or that the server never knew."""
    hashes = [token_hash(secret) for secret in cookie_secrets()]
    if not hashes:
        return False
    ended = db.session.scalar(
        select(GuardianSession.id)
        .join(Guardian, Guardian.id == GuardianSession.guardian_id)
        .where(
            GuardianSession.token_hash.in_(hashes),
            (GuardianSession.revoked_at.is_not(None))
            | Guardian.has_custody.is_(False)
            | Guardian.deleted_at.is_not(None),
        )
        .limit(1)
    )
    return ended is not None


def access_state() -> Literal["live", "ended"] | None:
    """What this request showed of the phone's access, for the answer's headers: "ended"
    when it was refused for want of a live session or one of its sessions has ended; "live"
    when it was answered for a live session; None when it did not ask (an invitation, the
    offline page). It depends only on the phone's own cookie, never on the record asked
    for, so it tells nothing about which ids exist."""
    if g.get("trivsel_access_ended"):
        return "ended"
    reader: Reader | None = g.get("trivsel_reader")
    if reader is not None and reader.guardians:
        return "live"
    return None


def live_secrets() -> list[str]:
    """The secrets of this phone's cookie whose sessions are live (after current_reader)."""
    return list(g.get("trivsel_live_secrets", []))


def end_phone() -> None:
    """The parent's "Glem denne telefon": every live session this phone holds ends now, and
    the guardian's audit trail says so (part of the caller's transaction)."""
    reader = current_reader()
    g.trivsel_access_ended = True  # the answer tells the phone to forget (access_state)
    hashes = [token_hash(secret) for secret in live_secrets()]
    if not hashes:
        return
    ended = db.session.scalars(
        select(GuardianSession).where(
            GuardianSession.token_hash.in_(hashes), GuardianSession.revoked_at.is_(None)
        )
    ).all()
    now = utcnow()
    for session in ended:
        session.revoked_at = now  # revoked_by_id stays empty: the parent ended it
        guardian = next((gd for gd in reader.guardians if gd.id == session.guardian_id), None)
        if guardian is not None:
            audit.record_guardian(
                guardian.id,
                actor_name(guardian),
                "delete",
                "guardian_session",
                session.id,
                guardian.child_id,
            )


def label(guardian: Guardian) -> str:
    """How staff see a guardian in receipts: the relation ("mor"), else the name."""
    return guardian.relation or guardian.name


def actor_name(guardian: Guardian) -> str:
    """How a guardian appears in the audit log."""
    return f"{guardian.name} ({label(guardian)})"


def touch_sessions() -> None:
    """Record that this request's sessions were used (part of the caller's transaction)."""
    stale = g.pop("trivsel_stale_sessions", [])
    if stale:
        db.session.execute(
            update(GuardianSession)
            .where(GuardianSession.id.in_(stale))
            .values(last_seen_at=utcnow())
        )


def revoke(session: GuardianSession, by: User) -> None:
    """End a phone's access at once."""
    if session.revoked_at is None:
        session.revoked_at = utcnow()
        session.revoked_by_id = by.id


@event.listens_for(Guardian, "after_update")
def _end_access_when_custody_ends(
    _mapper: Mapper[Guardian], connection: Connection, guardian: Guardian
) -> None:
    """Custody removed, the guardian deleted or its CPR number changed: every phone session
    of that guardian ends for good and unused links stop working, so restoring custody later
    brings nothing back (a new invitation is needed).

    A mapper event in the flush's transaction: it sees the change however it arrives — a
    REST PATCH or DELETE, or a ``guardian`` mutation in a sync push — as long as it is made
    on the ORM object, which the change log (``sync/changelog.py``) relies on as well."""
    state = inspect(guardian)
    custody = state.attrs.has_custody.history
    deleted = state.attrs.deleted_at.history
    # A CPR number corrected or removed: whoever signed in with the old one is no longer this
    # guardian (a number equal to the old, as a key rotation writes, is no change).
    number = state.attrs.cpr.history
    renumbered = any(old is not None and old != guardian.cpr for old in number.deleted)
    ended = (
        (custody.has_changes() and not guardian.has_custody)
        or (deleted.has_changes() and guardian.deleted_at is not None)
        or renumbered
    )
    if ended:
        end_parent_access(guardian, connection)


def end_parent_access(guardian: Guardian, connection: Connection | None = None) -> None:
    """End every way ``guardian`` reaches the parents' pages, for good: phone sessions and
    unused links (and, with MitID, the guardian's sign-in sessions). The one place both a
    custody change by staff (the mapper event above) and one from the CPR service
    (server/identity/custody_refresh.py, through the same event) end it; ``connection`` is
    the flush's, so it happens in the transaction that took custody away."""
    execute = connection.execute if connection is not None else db.session.execute
    now = utcnow()
    user = g.get("user") if has_request_context() else None
    execute(
        update(GuardianSession)
        .where(GuardianSession.guardian_id == guardian.id, GuardianSession.revoked_at.is_(None))
        .values(revoked_at=now, revoked_by_id=user.id if user is not None else None)
    )
    execute(
        update(GuardianInvitation)
        .where(
            GuardianInvitation.guardian_id == guardian.id,
            GuardianInvitation.used_at.is_(None),
            GuardianInvitation.expires_at > now,
        )
        .values(expires_at=now)
    )
