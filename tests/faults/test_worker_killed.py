"""A gunicorn worker SIGKILLed while it answers a push (issue 26, point 4): the master starts
another, the tablet got no answer and sends the same mutations again; nothing is lost or
applied twice, and no client sees a 500 (the other clients' requests go to the other
workers)."""

from __future__ import annotations

from tests.faults.load import STAFF, Load, Served, Tablet, assert_unharmed
from tests.faults.workers import BATCH, kill_during_push, workers
from tests.harness import wait_until


def test_a_worker_killed_while_answering_a_push_loses_and_doubles_nothing(
    app_served: Served,
) -> None:
    before = {w.pid for w in workers(app_served)}
    mark = app_served.log_mark()
    with Load(app_served) as load:
        victim = Tablet(
            "tablet-victim", app_served.base, STAFF[0], app_served.world.meeting_id, load.recorder
        )
        victim.sign_in()
        load.run_for(2)
        load.fault()
        kills = [kill_during_push(app_served, victim) for _ in range(2)]
        victim.flush(30)  # as the tablet's next rounds would
        load.run_for(4)
    outcome = load.outcome
    assert outcome is not None
    # Each push's worker was found and killed before it answered.
    assert all(k.pid is not None and k.status == 0 for k in kills), kills
    assert_unharmed(outcome, app_served.world.app)
    # The victim's notes are all on the server, once (assert_unharmed checked them).
    victims = [n for n in outcome.notes.values() if n.startswith("tablet-victim ")]
    assert len(victims) == victim.counter >= 2 * BATCH
    # gunicorn replaced the killed workers: as many as before, the killed ones gone.
    killed = {k.pid for k in kills}
    wait_until(
        lambda: (
            len(workers(app_served)) == len(before)
            and not {w.pid for w in workers(app_served)} & killed
        ),
        30,
        "gunicorn replaced the killed workers",
    )
    logged = app_served.log_since(mark)
    assert logged.count("was sent SIGKILL") >= len(kills), logged[-3000:]
    assert "Unhandled error" not in logged
