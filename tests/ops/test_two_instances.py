"""Two instances, one truth (issue 13): what docs/deploying.md's reference setup promises.

Two gunicorn processes on their own ports share one PostgreSQL database and one S3 bucket
(tests/ops/cluster.py). A tablet syncs through one; a second tablet and a parent read
through the other; a photo uploaded to one is served by the other; the sign-in throttle
counts attempts made on both together; an outbox message is sent once however many senders
run. Several instances need PostgreSQL (SQLite is one machine's file), so on SQLite these
tests are skipped.
"""

from __future__ import annotations

import json
import signal
import subprocess
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from tests.harness import HttpClient, demo_ids, is_postgres, wait_until
from tests.ops.cluster import SIGN_IN_LIMIT, Cluster, client_at, sign_in, two_instances
from tests.server.records import COURSES, open_courses
from tests.server.reporting import CSRF_FIELD, invitation_links, publish
from tests.server.syncclient import Device
from tests.server.world import created
from tests.sync.images import photo, sha

pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("gunicorn"),
    pytest.mark.skipif(
        not is_postgres(),
        reason=(
            "several app instances share one PostgreSQL database: set TEST_DATABASE_URL "
            "(.ci/run does) to run the two-instance tests"
        ),
    ),
]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, s3_endpoint: str) -> Iterator[Cluster]:
    with two_instances(tmp_path_factory.mktemp("two-instances"), s3_endpoint) as started:
        yield started


@pytest.fixture(scope="module")
def ids(cluster: Cluster) -> dict[str, Any]:
    with cluster.app.app_context():
        found = demo_ids()
        db.session.remove()
        return found


MESSAGES = 60


def versions(device: Device) -> dict[tuple[str, str], int]:
    return {key: record["version"] for key, record in device.records.items()}


def test_a_tablet_on_one_instance_and_a_tablet_and_a_parent_on_the_other_see_one_truth(
    cluster: Cluster, ids: dict[str, Any]
) -> None:
    meeting = ids["meeting"]
    familie = sign_in(client_at(cluster.a, "198.51.100.11"), "familie@example.org")
    paedagog = sign_in(client_at(cluster.b, "198.51.100.12"), "paedagog@example.org")
    tablet, other = Device(familie), Device(paedagog)  # the sync client, over HTTP
    tablet.pull()
    other.pull()

    # The tablet works through A: notes and a board photo, its bytes uploaded to A.
    image = photo(size=(2400, 1800), seed=131, with_gps=False)
    photo_id, notes = str(uuid.uuid4()), [str(uuid.uuid4()) for _ in range(3)]
    for note_id, column in zip(notes, ("worries", "working", "next_steps"), strict=True):
        tablet.upsert(
            "board_note",
            note_id,
            meeting_id=meeting,
            column=column,
            text=f"Skrevet ved bordet ({column})",
        )
    tablet.upsert(
        "board_photo",
        photo_id,
        meeting_id=meeting,
        content_hash=sha(image),
        size=len(image),
        content_type="image/jpeg",
        caption="Tavlen",
    )
    upload = familie.put(
        f"/api/blobs/{sha(image)}", data=image, headers={"Content-Type": "image/jpeg"}
    )
    assert upload.status_code == 200, upload.get_json()
    assert {r["status"] for r in tablet.push()} == {"applied"}

    # The other tablet, through B, receives all of it; the bytes come from B.
    other.pull()
    assert {("board_note", n) for n in notes} <= set(other.records)
    assert other.records[("board_photo", photo_id)]["fields"]["uploaded"] is True
    for size in ("", "?size=thumb", "?size=display"):
        from_a = familie.get(f"/api/blobs/{sha(image)}{size}")
        from_b = paedagog.get(f"/api/blobs/{sha(image)}{size}")
        assert from_a.status_code == from_b.status_code == 200, size
        assert from_b.data == from_a.data and from_b.data[:2] == b"\xff\xd8", size

    # An edit through B reaches the tablet on A; both hold what the server holds.
    other.upsert("board_note", notes[1], text="Emma leger med Ida hver dag")
    assert [r["status"] for r in other.push()] == ["applied"]
    tablet.pull()
    other.pull()
    assert tablet.records[("board_note", notes[1])]["fields"]["text"] == (
        "Emma leger med Ida hver dag"
    )
    for device, http in ((tablet, familie.via(cluster.b)), (other, paedagog.via(cluster.a))):
        fresh = Device(http)  # a new device, on the other instance
        fresh.pull()
        assert versions(fresh) == versions(device)

    # Finished and published through A; the parent reads through B.
    starts = datetime.fromisoformat(familie.get(f"/api/meetings/{meeting}").get_json()["starts_at"])
    created(
        familie.post(
            "/api/agreements",
            {"meeting_id": meeting, "what": "Leg hver dag", "owner": "institution"},
        )
    )
    finished = familie.patch(
        f"/api/meetings/{meeting}",
        {
            "status": "finished",
            "child_participation": "whole",
            "next_meeting_at": (starts + timedelta(days=28)).astimezone(UTC).isoformat(),
        },
    )
    assert finished.status_code == 200, finished.get_json()
    created(publish(familie, meeting))
    link = invitation_links(cluster.app, ids["children"]["Emma"])["mor"]
    phone = HttpClient(cluster.a)
    page = phone.get(link)  # the link opened on one instance, its button pressed on the other
    found = CSRF_FIELD.search(page.resp.text)
    assert page.status_code == 200 and found
    redeemed = phone.via(cluster.b).post(
        link,
        data={"csrf_token": found.group(1)},
        allow_redirects=False,
        headers={"Sec-Fetch-Site": "same-origin", "Origin": "null"},
    )
    assert redeemed.status_code == 303, redeemed.resp.text[:300]
    report = phone.via(cluster.b).get(f"/p/reports/{meeting}.json")
    assert report.status_code == 200
    assert "Emma leger med Ida hver dag" in report.resp.text
    [shown] = report.get_json()["report"]["photos"]
    for base in (cluster.b, cluster.a):
        copy = phone.via(base).get(f"/p/reports/{meeting}/photos/{shown['id']}")
        assert copy.status_code == 200
        assert copy.data == familie.get(f"/api/blobs/{sha(image)}?size=display").data


def test_sign_in_attempts_made_on_both_instances_count_together(cluster: Cluster) -> None:
    attacker = client_at(cluster.a, "203.0.113.66")
    token = attacker.get("/api/auth/csrf").get_json()["csrf_token"]
    answers = []
    for i in range(SIGN_IN_LIMIT + 2):  # A, B, A, B, …: each instance sees half
        base = (cluster.a, cluster.b)[i % 2]
        resp = attacker.via(base).post(
            "/api/auth/login",
            {"email": f"guess{i}@example.org", "password": "forkert"},
            headers={"X-CSRF-Token": token},
        )
        answers.append(resp.status_code)
    # Counted per instance, each would have allowed SIGN_IN_LIMIT; together they allow it
    # once, and then both refuse.
    assert answers == [401] * SIGN_IN_LIMIT + [429, 429], answers
    # Another client (another address) is let in at once, on either instance.
    for base in (cluster.a, cluster.b):
        sign_in(client_at(base, "198.51.100.44"), "paedagog@example.org")


def sent_by(cluster: Cluster, name: str) -> int:
    """How many messages a command reports it sent (its JSON log lines, or its last line)."""
    total = 0
    for line in cluster.log(name).read_text().splitlines():
        if line.startswith("{") and json.loads(line).get("job") == "outbox":
            total += int(json.loads(line)["sent"])
        elif line.startswith("Sent "):
            total += int(line.split()[1].rstrip(","))
    return total


def test_an_outbox_message_is_sent_once_by_every_sender_at_once(
    cluster: Cluster, ids: dict[str, Any]
) -> None:
    already = len(cluster.inbox.received)
    # Both instances' job workers (each sends every second), running before the messages
    # exist, so that they start on them together.
    workers = [cluster.flask(f"jobs-{n}", "jobs") for n in ("a", "b")]
    senders = list(workers)
    try:
        wait_until(
            lambda: all(
                cluster.log(f"jobs-{n}").exists()
                and "jobs worker started" in cluster.log(f"jobs-{n}").read_text()
                for n in ("a", "b")
            ),
            60,
            "the job workers to start",
        )
        with cluster.app.app_context():
            db.session.add_all(
                [
                    OutboundMessage(
                        to_address=f"foraelder{i}@example.net",
                        subject=f"Besked {i}",
                        body="Se rapporten",
                        status="pending",
                    )
                    for i in range(MESSAGES)
                ]
            )
            db.session.commit()
        # The operator's `flask outbox send`, and the sender after a request on each instance
        # (a new invitation queues a message there), at the same time.
        senders.append(cluster.flask("outbox-send", "outbox", "send"))
        for base, address in ((cluster.a, "198.51.100.51"), (cluster.b, "198.51.100.52")):
            familie = sign_in(client_at(base, address), "familie@example.org")
            guardian = next(
                g
                for g in familie.get(
                    f"/api/children/{ids['children']['Emma']}/guardians"
                ).get_json()
                if g["relation"] == "far"
            )
            resp = familie.post(f"/api/guardians/{guardian['id']}/invitations", {})
            assert resp.status_code in (200, 201), resp.get_json()

        def all_sent() -> bool:
            with cluster.app.app_context():
                statuses = set(db.session.scalars(select(OutboundMessage.status)))
                db.session.remove()
            return statuses == {"sent"}

        wait_until(all_sent, 90, "every message to be sent")
        assert senders[2].wait(timeout=60) == 0
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for proc in senders:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert [worker.returncode for worker in workers] == [0, 0]
    by_command = {name: sent_by(cluster, name) for name in ("jobs-a", "jobs-b", "outbox-send")}
    # The processes did compete (the instances' after-request senders took the rest).
    assert sum(by_command.values()) > 0, by_command
    with cluster.app.app_context():
        sent = db.session.scalars(select(OutboundMessage)).all()
        db.session.remove()
    # Every message the outbox holds (these, and those of the earlier tests) arrived exactly
    # once: as many as there are, and no two alike (the invitations' links differ).
    assert len(cluster.inbox.received) - already == MESSAGES + 2, by_command
    assert len(cluster.inbox.received) == len(sent)
    arrived = Counter(
        (str(m["To"]), str(m["Subject"]), str(m.get_payload())) for m in cluster.inbox.received
    )
    assert max(arrived.values()) == 1, [k[:2] for k, n in arrived.items() if n > 1]


def test_a_user_who_may_read_hundreds_of_courses_syncs_through_either_instance(
    cluster: Cluster, ids: dict[str, Any]
) -> None:
    educator = sign_in(client_at(cluster.a, "198.51.100.61"), "paedagog@example.org")
    leader = sign_in(client_at(cluster.b, "198.51.100.62"), "familie@example.org")
    courses = open_courses(educator, leader, ids, COURSES)
    ppr = sign_in(client_at(cluster.a, "198.51.100.63"), "ppr@example.org")
    tablet = Device(ppr)
    tablet.pull()
    assert {r["id"] for r in tablet.records.values() if r["entity"] == "course"} >= set(courses)
    # The cursor in a request line: gunicorn refuses it (why it travels in the body).
    assert (
        ppr.via(cluster.b).get("/api/sync/pull", params={"cursor": tablet.cursor}).status_code
        == 414
    )
    meeting = created(
        leader.post(
            "/api/meetings",
            {"course_id": courses[7], "kind": "start", "starts_at": "2030-01-07T09:00:00+00:00"},
        )
    )
    tablet.api = ppr.via(cluster.b)
    # (a start meeting comes with the people expected at it: server/meetings/attendance.py)
    expected = leader.get(f"/api/meetings/{meeting['id']}/participants").get_json()
    assert sorted((c["entity"], c["id"]) for c in tablet.pull()) == sorted(
        [("meeting", meeting["id"])] + [("participant", p["id"]) for p in expected]
    )


def test_both_instances_are_ready_on_the_shared_database_and_bucket(cluster: Cluster) -> None:
    for base in (cluster.a, cluster.b):
        resp = HttpClient(base).get("/readyz")
        assert resp.status_code == 200
        assert resp.get_json()["checks"] == {"database": "ok", "store": "ok"}
