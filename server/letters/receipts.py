"""Digital Post's receipts recorded on the outbox: a sent letter becomes delivered, printed
(fjernprint: the recipient is exempt from Digital Post and gets paper through the same
service) or failed.

The receipts arrive from KOMBIT's Beskedfordeler (receipt_routes.py, beskedfordeler.py). A
receipt is applied to a letter at most once in each state: the same receipt pushed twice
changes nothing, and one for a message Trivsel does not have (its course deleted, another
system's or another authority's message) is logged and passed over.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from sqlalchemy import select, update

from server.extensions import db
from server.letters.beskedfordeler import PostStatus
from server.letters.outbox import MAX_ATTEMPTS, mask_cpr, redact
from server.models import OutboundMessage

# Which states a receipt may move a letter from: a paper letter may follow a "delivered"
# that could not be (the recipient's mailbox closed), nothing goes back to "sent".
_FROM = {
    "delivered": ("sent", "sending", "failed"),
    "printed": ("sent", "sending", "failed", "delivered"),
    "failed": ("sent", "sending"),
}


def record(receipts: Iterable[PostStatus]) -> int:
    """Record the receipts meant for this municipality; how many letters changed state."""
    cvr = current_app.config["DIGITAL_POST_SENDER_CVR"]
    log = current_app.logger
    changed = 0
    for receipt in receipts:
        if cvr not in receipt.authorities:
            # The subscription's filter should never let it through; it is not ours to apply.
            log.warning("Beskedfordeler %s: a receipt for another authority", receipt.besked_id)
            continue
        if receipt.status is None:
            log.info("Beskedfordeler %s: %s", receipt.besked_id, receipt.event)
            continue
        done = _apply(receipt, receipt.status)
        if not done:
            log.info(
                "Beskedfordeler %s: %s for message %s changes no letter",
                receipt.besked_id,
                receipt.status,
                receipt.message_uuid,
            )
        changed += done
    db.session.commit()
    return changed


def _apply(receipt: PostStatus, status: str) -> int:
    values: dict[str, object] = {"status": status}
    if status == "failed":
        # Digital Post gave up on it: no attempts left, the reason kept for the operator.
        values.update(attempts=MAX_ATTEMPTS, last_error=mask_cpr(receipt.reason)[:500])
    else:
        # Delivered (or printed) after a passing fault kept its copy for the next try: the
        # letter is with the guardian now, so the PDF and the link's secret go from here.
        body = db.session.scalar(
            select(OutboundMessage.body).where(OutboundMessage.id == receipt.message_uuid)
        )
        values.update(delivered_at=receipt.at, last_error="", attachment=None)
        if body:
            values["body"] = redact(body)
    done = db.session.execute(
        update(OutboundMessage)
        .where(
            OutboundMessage.id == receipt.message_uuid,
            OutboundMessage.channel == "digital_post",
            OutboundMessage.status.in_(_FROM[status]),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0))
