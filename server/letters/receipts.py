"""Digital Post's receipts: a sent letter becomes delivered, printed (fjernprint: the
recipient is exempt from Digital Post and gets paper through the same service) or failed.

Read by the outbox job after each round of sending (server/ops/jobs.py) and by
``flask outbox receipts``. A receipt is applied to a letter at most once in each state: the
same receipt read twice changes nothing, and one for a message Trivsel no longer has (its
course deleted) is passed over.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select, update

from server.extensions import db
from server.letters.outbox import MAX_ATTEMPTS, mask_cpr, redact
from server.models import OutboundMessage

# Which states a receipt may move a letter from: a paper letter may follow a "delivered"
# that could not be (the recipient's mailbox closed), nothing goes back to "sent".
_FROM = {
    "delivered": ("sent", "sending", "failed"),
    "printed": ("sent", "sending", "failed", "delivered"),
    "failed": ("sent", "sending"),
}


def apply_receipts() -> int:
    """Fetch the waiting receipts and record them; how many letters changed state."""
    if current_app.config["LETTERS"] != "digital_post":
        return 0
    from server.letters import digital_post

    try:
        receipts = digital_post.fetch_receipts()
    except (digital_post.Transient, digital_post.Refused) as exc:
        # Asked again at the next round; the letters stay "sent" meanwhile.
        current_app.logger.warning("Digital Post receipts not read: %s", mask_cpr(str(exc)))
        return 0
    changed = 0
    for receipt in receipts:
        values: dict[str, object] = {"status": receipt.status}
        if receipt.status == "failed":
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
                OutboundMessage.status.in_(_FROM[receipt.status]),
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        changed += getattr(done, "rowcount", 0)
    db.session.commit()
    return changed
