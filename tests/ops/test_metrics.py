"""/metrics in one process: who may read it, and that its figures are the app's real ones.
(Several gunicorn workers adding up: test_metrics_gunicorn.py.)"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from prometheus_client.parser import text_string_to_metric_families

from server import create_app
from server.config import ConfigError
from server.extensions import db
from server.models import OutboundMessage
from server.models._common import utcnow
from server.ops import queues
from server.photos.store import blob_store
from tests.server.reporting import upload
from tests.server.syncclient import Device
from tests.server.world import created
from tests.sync.images import photo, sha

TOKEN = "metrics-token-for-the-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "METRICS_TOKEN": TOKEN}


def scrape(app: Flask) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of one scrape, keyed by (name, labels)."""
    resp = app.test_client().get("/metrics", headers=AUTH, buffered=True)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(resp.get_data(as_text=True))
        for s in family.samples
    }


def value(
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


def test_metrics_are_off_without_a_token(app_config: dict[str, Any]) -> None:
    app = create_app({**app_config, "METRICS_TOKEN": ""})
    assert app.test_client().get("/metrics", headers=AUTH).status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        f"Bearer {TOKEN[:-1]}",
        f"Bearer {TOKEN}x",
        TOKEN,
        f"Basic {TOKEN}",
        f"bearer  {TOKEN}",
    ],
)
def test_only_the_bearer_of_the_token_reads_the_metrics(app: Flask, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    resp = app.test_client().get("/metrics", headers=headers)
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert "trivsel_" not in resp.get_data(as_text=True)


def test_the_bearer_gets_prometheus_text_never_cached(app: Flask) -> None:
    resp = app.test_client().get("/metrics", headers=AUTH)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/plain; version=")
    assert resp.headers["Cache-Control"] == "no-store"


def test_a_short_token_is_refused_at_start(app_config: dict[str, Any]) -> None:
    with pytest.raises(ConfigError, match="METRICS_TOKEN"):
        create_app({**app_config, "METRICS_TOKEN": "short"})


def test_requests_are_counted_by_route_template_method_and_status(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    familie = as_user("familie")
    name = "trivsel_http_requests_total"
    before = scrape(app)
    client = app.test_client()
    for _ in range(3):
        client.get("/api/auth/me", buffered=True)
    for _ in range(2):  # two different ids, one route: ids never become labels
        familie.raw.get(f"/api/meetings/{uuid.uuid4()}", buffered=True)
    familie.raw.get(f"/api/meetings/{demo['meeting']}", buffered=True)
    after = scrape(app)
    assert (
        value(after, name, route="/api/auth/me", method="GET", status="401")
        - value(before, name, route="/api/auth/me", method="GET", status="401")
        == 3
    )
    meeting = {"route": "/api/meetings/<record_id>", "method": "GET"}
    assert (
        value(after, name, **meeting, status="404") - value(before, name, **meeting, status="404")
        == 2
    )
    assert (
        value(after, name, **meeting, status="200") - value(before, name, **meeting, status="200")
        == 1
    )
    count = "trivsel_http_request_duration_seconds_count"
    assert value(after, count, **meeting) - value(before, count, **meeting) == 3
    assert not any(demo["meeting"] in str(labels) for _, labels in after)


def test_sync_pushes_and_pulls_are_counted_by_result(
    app: Flask, as_user: Any, demo: dict[str, Any]
) -> None:
    tablet = Device(as_user("familie"))
    before = scrape(app)
    for text in ("en", "to"):
        tablet.upsert(
            "board_note", str(uuid.uuid4()), meeting_id=demo["meeting"], column="working", text=text
        )
    tablet.upsert("no_such_kind", str(uuid.uuid4()), text="x")
    sent = list(tablet.outbox)
    assert [r["status"] for r in tablet.push()] == ["applied", "applied", "rejected"]
    tablet.outbox = sent[:1]
    assert [r["status"] for r in tablet.push()] == ["duplicate"]
    changes = tablet.pull()
    after = scrape(app)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    pushed = "trivsel_sync_push_mutations_total"
    assert delta(pushed, status="applied") == 2
    assert delta(pushed, status="rejected") == 1
    assert delta(pushed, status="duplicate") == 1
    assert delta("trivsel_sync_push_rejections_total", code="unknown_entity") == 1
    assert len(changes) > 2
    assert delta("trivsel_sync_pull_changes_total", kind="record") == len(changes)


def test_queue_sizes_are_read_from_the_database_when_scraped(
    app: Flask, as_user: Any, demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queues, "PHOTO_CHECK_SECONDS", 0.0)  # every scrape asks the store
    with app.app_context():
        an_hour_ago = utcnow() - timedelta(hours=1)
        db.session.add_all(
            [
                OutboundMessage(
                    to_address="a@example.org",
                    subject="s",
                    body="b",
                    status="pending",
                    created_at=an_hour_ago,
                ),
                OutboundMessage(
                    to_address="b@example.org", subject="s", body="b", status="pending"
                ),
                OutboundMessage(
                    to_address="c@example.org", subject="s", body="b", status="failed", attempts=5
                ),
                OutboundMessage(to_address="d@example.org", subject="s", body="b", status="sent"),
                OutboundMessage(to_address="e@example.org", subject="s", body="b", status="kept"),
            ]
        )
        db.session.commit()
    familie = as_user("familie")
    images = [photo(seed=s, with_gps=False) for s in (10, 60)]
    for image in images:
        upload(familie, image)
        created(
            familie.post(
                "/api/photos",
                {"meeting_id": demo["meeting"], "content_hash": sha(image), "size": len(image)},
            )
        )
    with app.app_context():  # one photo's file is lost (a database restored without files)
        blob_store().delete(sha(images[1]))
    samples = scrape(app)
    for status, count in (("pending", 2), ("failed", 1), ("sent", 1), ("kept", 1)):
        assert value(samples, "trivsel_outbox_messages", status=status) == count, status
    assert value(samples, "trivsel_outbox_given_up") == 1
    assert 3590 <= value(samples, "trivsel_outbox_oldest_waiting_seconds") <= 3700
    assert value(samples, "trivsel_photos_missing_bytes") == 1
    upload(familie, images[1])  # the bytes are put back: nothing is missing any more
    assert value(scrape(app), "trivsel_photos_missing_bytes") == 0
