"""The notification outbox: e-mails are stored in the same transaction as their cause.

With ``SMTP_HOST`` set they are sent after the request that made them, and again by
``flask outbox send`` (run from cron) when sending failed. Without it (development) they are
kept for an admin to read at ``/api/admin/outbox`` or print with ``flask outbox print``.
"""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage

from flask import Flask, Response, current_app, g
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from server.models._common import utcnow

MAX_ATTEMPTS = 5


def queue(to: str, subject: str, body: str, guardian_id: str | None = None) -> OutboundMessage:
    """Add a message to the outbox; it is sent (or kept) once the transaction commits."""
    status = "pending" if current_app.config.get("SMTP_HOST") else "kept"
    message = OutboundMessage(to_address=to, subject=subject, body=body,
                              guardian_id=guardian_id, status=status)
    db.session.add(message)
    g.trivsel_outbox_queued = True
    return message


def install(app: Flask) -> None:
    """Send what a request queued once its answer has gone out (the tablet never waits for
    the mail server; a failure is retried by ``flask outbox send``)."""

    @app.after_request
    def _send_after(resp: Response) -> Response:
        if g.pop("trivsel_outbox_queued", False) and app.config.get("SMTP_HOST"):
            def send() -> None:
                with app.app_context():
                    send_pending()
                    db.session.remove()

            resp.call_on_close(send)
        return resp


def send_pending(limit: int = 50) -> tuple[int, int]:
    """Send pending (and earlier failed) messages over SMTP; (sent, failed)."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        return (0, 0)
    rows = db.session.scalars(
        select(OutboundMessage).where(
            OutboundMessage.status.in_(("pending", "failed")),
            OutboundMessage.attempts < MAX_ATTEMPTS,
        ).order_by(OutboundMessage.created_at).limit(limit)
    ).all()
    sent = failed = 0
    for row in rows:
        row.attempts += 1
        try:
            _deliver(row)
        except (OSError, smtplib.SMTPException) as exc:
            row.status, row.last_error = "failed", str(exc)[:500]
            failed += 1
        else:
            row.status, row.sent_at, row.last_error = "sent", utcnow(), ""
            row.body = redact(row.body)
            sent += 1
        db.session.commit()  # one at a time: a crash never sends a message twice in a batch
    return (sent, failed)


_LINK_SECRET = re.compile(r"(/p/invitation/)[A-Za-z0-9_\-]+")


def redact(body: str) -> str:
    """A sent message's copy without the link's secret: once it has gone to the guardian,
    nobody with access to the outbox (an admin, a backup) can use the link instead."""
    return _LINK_SECRET.sub(r"\1…", body)


def _deliver(row: OutboundMessage) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message.set_content(row.body)
    if row.attachment is not None:
        message.add_attachment(row.attachment, maintype="application", subtype="pdf",
                               filename=row.attachment_name or "dokument.pdf")
    with smtplib.SMTP(config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=10) as smtp:
        if config.get("SMTP_STARTTLS"):
            smtp.starttls()
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
        smtp.send_message(message)
