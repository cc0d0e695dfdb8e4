"""The notification outbox: messages are stored in the same transaction as their cause.

E-mails (with ``SMTP_HOST`` set) and Digital Post letters (``LETTERS=digital_post``,
``channel.py``) are sent after the request that made them, and again by ``flask outbox send``
(run from cron) or the ``flask jobs`` worker when sending failed; a Digital Post letter that
failed waits a growing while first (``backoff``). Without a mail server (development) e-mails
are kept, and the operator prints them with ``flask outbox print`` (a server command, not a
web page: the messages hold parents' links). Admins see delivery state only (``routes.py``).
"""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import Flask, Response, current_app, g
from sqlalchemy import ColumnElement, and_, or_, select, update

from server.extensions import db
from server.letters import print_address
from server.models import Guardian, OutboundMessage
from server.models._common import utcnow

MAX_ATTEMPTS = 5
# A claim older than this belongs to a sender that died (SMTP has a 10 s timeout per call).
CLAIM_TIMEOUT = timedelta(minutes=10)
# A Digital Post letter that failed for a passing reason waits 1, 2, 4, 8 … minutes, at most
# an hour, before its next attempt: a Serviceplatformen that is down is not hammered.
BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_MAX = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """How long a message that failed ``attempts`` times waits before the next attempt."""
    return min(BACKOFF_FIRST * (1 << max(attempts - 1, 0)), BACKOFF_MAX)


def sending(config: Mapping[str, Any]) -> bool:
    """Whether this app sends anything: a mail server, or letters by Digital Post."""
    return bool(config.get("SMTP_HOST")) or config.get("LETTERS") == "digital_post"


def queue(
    to: str,
    subject: str,
    body: str,
    guardian_id: str | None = None,
    course_id: str | None = None,
) -> OutboundMessage:
    """Add a message to the outbox; it is sent (or kept) once the transaction commits. A
    message about a course names it: retention deletes the message with the course."""
    status = "pending" if current_app.config.get("SMTP_HOST") else "kept"
    message = OutboundMessage(
        to_address=to,
        subject=subject,
        body=body,
        guardian_id=guardian_id,
        course_id=course_id,
        status=status,
    )
    db.session.add(message)
    g.trivsel_outbox_queued = True
    return message


def install(app: Flask) -> None:
    """Send what a request queued once its answer has gone out (the tablet never waits for
    the mail server; a failure is retried by ``flask outbox send``)."""

    @app.after_request
    def _send_after(resp: Response) -> Response:
        if g.pop("trivsel_outbox_queued", False) and sending(app.config):

            def send() -> None:
                with app.app_context():
                    send_pending()
                    db.session.remove()

            resp.call_on_close(send)
        return resp


def send_pending(limit: int = 50) -> tuple[int, int]:
    """Send pending (and earlier failed) messages over SMTP or Digital Post; (sent, failed).

    Each message is claimed before it is sent (``claim_next``), so the sender started after a
    request and ``flask outbox send`` from cron, running at once, never send one twice."""
    if not sending(current_app.config):
        return (0, 0)
    sent = failed = 0
    tried: set[str] = set()  # a message that fails now waits for the next run
    for _ in range(limit):
        row = claim_next(exclude=tried)
        if row is None:
            break
        tried.add(row.id)
        if row.channel == "digital_post":
            ok = _send_digital_post(row)
            sent, failed = sent + ok, failed + (not ok)
            continue
        message_id, body, mail = row.id, row.body, _compose(row)
        db.session.commit()  # no transaction (on SQLite: no write lock) while SMTP talks
        outcome: dict[str, object]
        try:
            _send(mail)
        except (OSError, smtplib.SMTPException) as exc:
            outcome = {"status": "failed", "last_error": mask_addresses(str(exc))[:500]}
            failed += 1
        else:
            # The kept copy loses the link's secret and the PDF (an agenda letter repeats the
            # board, the agreements, who comes and where): the guardian has them now, and a
            # copy here would outlive every later change to the course. The rest goes with
            # the course (retention).
            outcome = {
                "status": "sent",
                "sent_at": utcnow(),
                "last_error": "",
                "body": redact(body),
                "attachment": None,
            }
            sent += 1
        db.session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == message_id)
            .values(claimed_at=None, **outcome)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()  # one at a time: a crash loses at most the message in hand
    return (sent, failed)


def _send_digital_post(row: OutboundMessage) -> bool:
    """Send a claimed Digital Post letter and record the outcome; True when it went."""
    from server.letters import digital_post  # the library is needed only in this mode

    guardian = db.session.get(Guardian, row.guardian_id) if row.guardian_id else None
    entitled = guardian is not None and guardian.deleted_at is None and guardian.has_custody
    cpr = guardian.cpr if guardian is not None else None
    message_id, attempts, body = row.id, row.attempts, row.body
    outcome: dict[str, object]
    if not entitled:
        # Custody ended (or the guardian was deleted) since the letter was queued: a letter
        # about the child must not reach them now. Nothing of it is kept.
        outcome = {
            "status": "failed",
            "attempts": MAX_ATTEMPTS,
            "last_error": "The guardian no longer holds custody: the letter was not sent.",
            "body": "",
            "attachment": None,
        }
    elif cpr is None:  # the CPR number was removed since the letter was queued
        outcome = {"status": "unaddressable", "last_error": "The guardian has no CPR number."}
        outcome.update(body="", attachment=None)
    else:
        try:
            config = dict(current_app.config)
            message = digital_post.compose(row, cpr, config)
            db.session.commit()  # no transaction while Serviceplatformen talks
            print_ = None
            if digital_post.automatic(config):
                # Digital Post may choose paper for this guardian: the print must carry the
                # address, asked of CPR now and never kept.
                address = print_address.lookup(cpr, config)
                if address is not None:
                    print_ = digital_post.print_of(message, address, config)
                else:
                    # No address to print on: the letter still goes to Digital Post, where
                    # most guardians read it; for one exempt from it, Digital Post's receipt
                    # says it failed and the tablet shows that. Withholding it would fail all.
                    current_app.logger.warning(
                        "digital post: letter %s goes without a print: CPR holds no address",
                        message_id,
                    )
            digital_post.send(message, print_)
        except (digital_post.Transient, print_address.AddressUnavailable) as exc:
            outcome = {
                "status": "failed",
                "last_error": mask_cpr(str(exc))[:500],
                "next_attempt_at": utcnow() + backoff(attempts),
            }
        except digital_post.Refused as exc:
            # Sending it again would be refused again: no attempts left, the operator sees why.
            outcome = {
                "status": "failed",
                "last_error": mask_cpr(str(exc))[:500],
                "attempts": MAX_ATTEMPTS,
            }
        except Exception as exc:  # one letter's fault must not stop the run
            # An answer of a shape the contract does not describe, a certificate file gone, a
            # cover page that would not render: tried again later like a passing fault, with
            # its kind (never its text, which may quote the message) for the operator.
            db.session.rollback()
            current_app.logger.exception("digital post: letter %s not sent", message_id)
            outcome = {
                "status": "failed",
                "last_error": f"Unexpected error ({type(exc).__name__}).",
                "next_attempt_at": utcnow() + backoff(attempts),
            }
        else:
            # The letter is in Digital Post now: its copy here goes (as a sent e-mail's PDF).
            outcome = {
                "status": "sent",
                "sent_at": utcnow(),
                "last_error": "",
                "next_attempt_at": None,
                "body": redact(body),
                "attachment": None,
            }
    db.session.execute(
        update(OutboundMessage)
        # Still this sender's: a receipt read meanwhile (delivered, printed) is not undone.
        .where(OutboundMessage.id == message_id, OutboundMessage.status == "sending")
        .values(claimed_at=None, **outcome)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return outcome["status"] == "sent"


_TEN_DIGITS = re.compile(r"\b\d{6}-?\d{4}\b")


def mask_cpr(text: str) -> str:
    """An error without a CPR number (a refusal may quote the recipient)."""
    return _TEN_DIGITS.sub("…", text)


def _sendable(now: datetime, exclude: Collection[str] = ()) -> ColumnElement[bool]:
    """Waiting, or failed with attempts left and its backoff over, or claimed by a sender
    that has since died."""
    stale = now - CLAIM_TIMEOUT
    return and_(
        OutboundMessage.attempts < MAX_ATTEMPTS,
        OutboundMessage.id.not_in(list(exclude)),
        or_(OutboundMessage.next_attempt_at.is_(None), OutboundMessage.next_attempt_at <= now),
        or_(
            OutboundMessage.status.in_(("pending", "failed")),
            and_(OutboundMessage.status == "sending", OutboundMessage.claimed_at < stale),
        ),
    )


def claim_next(exclude: Collection[str] = ()) -> OutboundMessage | None:
    """Claim the oldest sendable message for this sender (committed), or None.

    PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` — a row another sender is claiming is
    passed over, not waited for. SQLite (one writer at a time): a conditional UPDATE that
    only one sender can win. Either way the row leaves with ``status = "sending"``; if its
    sender dies, the claim is taken over after ``CLAIM_TIMEOUT`` (at-least-once: a sender that
    died after the mail server took the message but before recording it sends it again)."""
    now = utcnow()
    _give_up_abandoned(now)
    if db.session.get_bind().dialect.name == "postgresql":
        row = db.session.scalars(
            select(OutboundMessage)
            .where(_sendable(now, exclude))
            .order_by(OutboundMessage.created_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is not None:
            row.status, row.claimed_at, row.attempts = "sending", now, row.attempts + 1
        db.session.commit()
        return row
    candidates = db.session.scalars(
        select(OutboundMessage.id)
        .where(_sendable(now, exclude))
        .order_by(OutboundMessage.created_at)
        .limit(20)
    ).all()
    for message_id in candidates:
        won = db.session.execute(
            update(OutboundMessage)
            .where(OutboundMessage.id == message_id, _sendable(now))
            .values(status="sending", claimed_at=now, attempts=OutboundMessage.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        if getattr(won, "rowcount", 0) == 1:
            return db.session.get(OutboundMessage, message_id)
    return None


def _give_up_abandoned(now: datetime) -> None:
    """A claim that timed out with no attempts left is a failure the operator must see."""
    db.session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.status == "sending",
            OutboundMessage.claimed_at < now - CLAIM_TIMEOUT,
            OutboundMessage.attempts >= MAX_ATTEMPTS,
        )
        .values(
            status="failed",
            claimed_at=None,
            last_error="The sender stopped while sending; no attempts left.",
        )
        .execution_options(synchronize_session=False)
    )


_ADDRESS = re.compile(r"[^\s<>\"'(),;:\[\]]+@([A-Za-z0-9.-]+)")


def mask_addresses(text: str) -> str:
    """An error message without the recipient's address (SMTP errors often quote it): what
    an admin may read names no family."""
    return _ADDRESS.sub(r"…@\1", text)


# Parents' invitations and staff members' password links (server/users/links.py).
_LINK_SECRET = re.compile(r"(/p/invitation/|/adgangskode#)[A-Za-z0-9_\-]+")


def redact(body: str) -> str:
    """A sent message's copy without the link's secret: once it has gone to the guardian,
    nobody with access to the outbox (an admin, a backup) can use the link instead."""
    return _LINK_SECRET.sub(r"\1…", body)


def _compose(row: OutboundMessage) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message.set_content(row.body)
    if row.attachment is not None:
        message.add_attachment(
            row.attachment,
            maintype="application",
            subtype="pdf",
            filename=row.attachment_name or "dokument.pdf",
        )
    return message


def _send(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            # The relay's certificate and name are checked (smtplib checks neither without a
            # context): the relay's password and parents' personal links cross this hop, and
            # an unchecked TLS session would hand them to whoever answers in its place.
            context = ssl.create_default_context(cafile=config.get("SMTP_CA_FILE") or None)
            try:
                smtp.starttls(context=context)
            except ssl.SSLCertVerificationError as exc:
                current_app.logger.error(
                    "The mail relay %s:%s was not trusted (%s): nothing was sent. If it uses "
                    "the municipality's own CA, set SMTP_CA_FILE to that CA's certificate.",
                    config["SMTP_HOST"],
                    config["SMTP_PORT"],
                    exc.verify_message,
                )
                raise
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
