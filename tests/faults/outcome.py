"""What the fault suite asserts of a load (issue 26's "done when"): no 500 reached a client;
every acknowledged write is on the server afterwards, once; each client recovered (had a
successful answer) within ``RECOVERY_SECONDS`` of a failed one."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy import select

from server.extensions import db

# A client has a successful answer within this long of a failed one (a restart of the
# database takes about a second here, a worker gunicorn replaces about two; the rest is the
# client's own wait and a loaded machine's slowness).
RECOVERY_SECONDS = 15.0


@dataclass(frozen=True)
class Answer:
    """One request and what came of it."""

    client: str
    what: str  # "push", "pull", "report", "access", "sign-in"
    status: int  # 0: no answer
    started: float  # time.monotonic()
    ended: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


@dataclass
class Outcome:
    """What the load saw; the suite's assertions read it."""

    answers: list[Answer]
    acknowledged: dict[str, str]
    notes: dict[str, str]
    fault_at: float | None = None  # when the fault was injected (time.monotonic())

    def server_errors(self) -> list[Answer]:
        """Answers with a 5xx other than 503 (a 503 says: try again; the tablet does)."""
        return [a for a in self.answers if a.status >= 500 and a.status != 503]

    def of(self, what: str) -> list[Answer]:
        return [a for a in self.answers if a.what == what]

    def slowest_recovery(self) -> float:
        """The longest a client waited from a failed answer (none, or a 5xx) to its next
        successful one; infinity when a client's last answer failed."""
        slowest = 0.0
        by_client: dict[str, list[Answer]] = {}
        for answer in sorted(self.answers, key=lambda a: a.started):
            by_client.setdefault(answer.client, []).append(answer)
        for answers in by_client.values():
            failed_at: float | None = None
            for answer in answers:
                if answer.ok and failed_at is not None:
                    slowest = max(slowest, answer.ended - failed_at)
                    failed_at = None
                elif not answer.ok:
                    failed_at = answer.started if failed_at is None else failed_at
            if failed_at is not None:
                return float("inf")
        return slowest

    def missing_or_doubled(self, app: Flask) -> dict[str, str]:
        """Acknowledged notes the server lacks or holds with another text, or applied more
        than once (version above 1: each note was written by one mutation)."""
        from server.models import BoardNote

        wrong: dict[str, str] = {}
        with app.app_context():
            rows = {
                note.id: note
                for note in db.session.scalars(
                    select(BoardNote).where(BoardNote.id.in_(list(self.notes)))
                )
            }
            for record_id, text in self.notes.items():
                row = rows.get(record_id)
                if row is None:
                    wrong[record_id] = "missing"
                elif row.text != text:
                    wrong[record_id] = f"text {row.text!r}"
                elif row.version != 1:
                    wrong[record_id] = f"version {row.version}"
            db.session.remove()
            db.engine.dispose()
        return wrong

    def summary(self) -> str:
        """One line per kind of request: how many, by status (for assertion messages)."""
        lines = []
        for what in sorted({a.what for a in self.answers}):
            statuses: dict[int, int] = {}
            for answer in self.of(what):
                statuses[answer.status] = statuses.get(answer.status, 0) + 1
            lines.append(f"{what}: {dict(sorted(statuses.items()))}")
        return "; ".join(lines)


def assert_unharmed(outcome: Outcome, app: Flask, recovery: float = RECOVERY_SECONDS) -> None:
    """The issue's three promises: no 500 reached a client; every acknowledged write is on
    the server, once; every client recovered within ``recovery`` seconds."""
    assert not outcome.server_errors(), (outcome.server_errors()[:5], outcome.summary())
    assert outcome.acknowledged, outcome.summary()
    assert not outcome.missing_or_doubled(app), outcome.missing_or_doubled(app)
    assert outcome.slowest_recovery() <= recovery, (outcome.slowest_recovery(), outcome.summary())
