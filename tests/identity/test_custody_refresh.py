"""``flask identity refresh-custody`` against a local fake of the CPR service over real HTTP
(pytest-httpserver on 127.0.0.1): custody moved ends the former holder's phone at once, the
new holder gets custody, a holder Trivsel does not know becomes a task, and a service that
does not answer changes nothing."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from server.extensions import db
from server.identity.cpr import Cpr
from server.identity.cpr_store import set_cpr
from server.identity.custody import CUSTODY_PATH
from server.models import Child, Guardian, Task
from tests.harness import ApiClient
from tests.identity.patterns import TEN_DIGITS
from tests.server.reporting import invitation_links, phone

EMMA, METTE, LARS = Cpr("010320-4234"), Cpr("010155-5001"), Cpr("020255-5002")
ULLA = Cpr("070755-1007")  # named by the service, not a guardian in Trivsel
REFUSAL = "Linket virker ikke"


def _holders(*holders: Cpr) -> dict[str, Any]:
    return {"child_cpr": EMMA.digits, "custody_holders": [{"cpr": h.digits} for h in holders]}


def _answers(server: HTTPServer, *holders: Cpr) -> None:
    server.clear()
    server.expect_request(
        CUSTODY_PATH, method="POST", json={"child_cpr": EMMA.digits}
    ).respond_with_json(_holders(*holders))


def _guardians(app: Flask, child_id: str) -> dict[str, Guardian]:
    with app.app_context():
        rows = db.session.scalars(select(Guardian).where(Guardian.child_id == child_id)).all()
        for row in rows:
            db.session.expunge(row)
        return {g.relation: g for g in rows}


@pytest.fixture
def emma(app: Flask, demo: dict[str, Any], httpserver: HTTPServer) -> str:
    """Emma, her mother and father with CPR numbers; custody from the fake CPR service."""
    child_id = str(demo["children"]["Emma"])
    with app.app_context():
        child = db.session.get(Child, child_id)
        assert child is not None
        set_cpr(child, EMMA)
        for guardian in db.session.scalars(select(Guardian).where(Guardian.child_id == child_id)):
            set_cpr(guardian, METTE if guardian.relation == "mor" else LARS)
        db.session.commit()
    app.config.update(CUSTODY_SOURCE="cpr", CUSTODY_CPR_URL=httpserver.url_for("/"))
    return child_id


def _phones(app: Flask, familie: ApiClient, child_id: str) -> dict[str, Any]:
    for guardian in _guardians(app, child_id).values():
        assert familie.post(f"/api/guardians/{guardian.id}/invitations").status_code == 201
    phones = {rel: phone(app, link) for rel, link in invitation_links(app, child_id).items()}
    for handset in phones.values():
        assert handset.get("/p/").status_code == 200
    return phones


def _refresh(app: Flask) -> str:
    result = app.test_cli_runner().invoke(args=["identity", "refresh-custody"])
    assert result.exit_code == 0, result.output
    assert not TEN_DIGITS.search(result.output)
    return result.output


def test_custody_moved_ends_the_former_holders_phone_at_once(
    app: Flask, emma: str, as_user: Any, httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    familie = as_user("familie")
    phones = _phones(app, familie, emma)
    _answers(httpserver, METTE, ULLA)
    with caplog.at_level(logging.DEBUG):
        output = _refresh(app)
    assert "custody_ended: 1" in output and "holders_missing: 1" in output
    guardians = _guardians(app, emma)
    assert guardians["mor"].has_custody and not guardians["far"].has_custody
    far = phones["far"].get("/p/")
    assert far.status_code == 404 and REFUSAL in far.get_data(as_text=True)
    assert phones["mor"].get("/p/").status_code == 200
    with app.app_context():  # the unknown holder: a task for the leader, not a guardian row
        tasks = db.session.scalars(select(Task).where(Task.kind == "custody_holder")).all()
        assert len(tasks) == 1 and "070755" in tasks[0].title
        assert not TEN_DIGITS.search(tasks[0].title)
    assert len(_guardians(app, emma)) == 2
    # The tablets learn the new value through sync, as any change.
    pulled = familie.get(f"/api/guardians/{guardians['far'].id}").get_json()
    assert pulled["has_custody"] is False
    # Custody back: the father holds it again, but the ended phone stays ended (a new
    # link or sign-in is needed), and the task is not made twice.
    _answers(httpserver, METTE, LARS, ULLA)
    assert "custody_given: 1" in _refresh(app)
    assert _guardians(app, emma)["far"].has_custody
    assert phones["far"].get("/p/").status_code == 404
    with app.app_context():
        assert len(db.session.scalars(select(Task).where(Task.kind == "custody_holder")).all()) == 1
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert not TEN_DIGITS.search(logged)


@pytest.mark.parametrize("failure", ["down", "error", "nonsense", "unknown"])
def test_a_service_that_does_not_answer_changes_nothing(
    app: Flask,
    emma: str,
    as_user: Any,
    httpserver: HTTPServer,
    caplog: pytest.LogCaptureFixture,
    failure: str,
) -> None:
    phones = _phones(app, as_user("familie"), emma)
    httpserver.clear()
    if failure == "down":
        app.config["CUSTODY_CPR_URL"] = "http://127.0.0.1:9"  # nothing listens there
    elif failure == "error":
        httpserver.expect_request(CUSTODY_PATH).respond_with_data("busy", status=503)
    elif failure == "nonsense":  # the father left out, but not in the documented shape
        httpserver.expect_request(CUSTODY_PATH).respond_with_json({"holders": [METTE.digits]})
    else:
        httpserver.expect_request(CUSTODY_PATH).respond_with_data("", status=404)
    with caplog.at_level(logging.INFO):
        output = _refresh(app)
    assert "custody_ended: 0" in output and "children: 0" in output
    assert all(g.has_custody for g in _guardians(app, emma).values())
    assert all(handset.get("/p/").status_code == 200 for handset in phones.values())
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "custody unchanged" in logged or "unchanged" in logged
    assert not TEN_DIGITS.search(logged)


def test_with_manual_custody_there_is_nothing_to_refresh(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["identity", "refresh-custody"])
    assert result.exit_code != 0 and "manual" in result.output


def test_the_worker_refreshes_custody_only_from_the_cpr_service(
    app: Flask, emma: str, httpserver: HTTPServer
) -> None:
    from server.ops.jobs import configured_jobs

    _answers(httpserver, METTE)
    with app.app_context():
        jobs = {job.name: job for job in configured_jobs()}
        assert jobs["custody"].every_seconds == 24 * 3600
        assert jobs["custody"].run(threading.Event())["custody_ended"] == 1
    assert not _guardians(app, emma)["far"].has_custody
    app.config["CUSTODY_SOURCE"] = "manual"
    with app.app_context():
        assert "custody" not in {job.name for job in configured_jobs()}
