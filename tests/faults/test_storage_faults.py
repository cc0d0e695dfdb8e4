"""The object store (the S3 server of the two-instance test) stopped for a while as photos
are uploaded (issue 26, point 4): the server answers 503 with Retry-After, never a 500; the
tablet keeps each photo and sends it once the store is back; nothing is recorded for bytes
that were not stored; a parent's photo says, in Danish, that it cannot be shown now.

The store is moto's S3 server on a port of the test's own, stopped and started again at the
same address (moto keeps its buckets in the process, as a real store keeps them on disk).
The app runs in this process: the fault is the store's, not the database's. Bounded: the
store is away for ``OUTAGE_SECONDS``, each failed request costs a fraction of a second.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from moto.server import ThreadedMotoServer
from sqlalchemy import select

from server.extensions import db
from server.models import BlobUpload
from server.photos.store import blob_store
from tests.harness import ApiClient, free_port
from tests.s3server import s3_app_config
from tests.server.reporting import fill_meeting, invitation_links, phone, publish
from tests.server.world import created
from tests.sync.images import photo, sha

OUTAGE_SECONDS = 10.0
ROUND_SECONDS = 0.5  # the test tablet's pause between rounds (the PWA's backoff is longer)
# What the PWA's photo queue takes as a refusal for good (pwa/src/photos/sync.ts): anything
# else (a 5xx, no answer) leaves the photo queued for the next round.
REFUSED_FOR_GOOD = {400, 413, 415, 422}


class Store:
    """moto's S3 server at one address, to stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.server: ThreadedMotoServer | None = None

    def start(self) -> None:
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


class TabletPhotos:
    """A tablet's photo queue, as the PWA keeps it: photos wait in the queue until the
    server has their bytes; a refusal for good is failed, anything else goes again."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.queued: dict[str, bytes] = {}
        self.answers: Counter[int] = Counter()
        self.refused: list[str] = []

    def take(self, data: bytes) -> None:
        self.queued[sha(data)] = data

    def send_round(self) -> None:
        """Upload what is queued, in order; stop at the first fault (the next round tries
        again), as the PWA's engine does."""
        for digest, data in list(self.queued.items()):
            resp = self.client.put(
                f"/api/blobs/{digest}", data=data, headers={"Content-Type": "image/jpeg"}
            )
            self.answers[resp.status_code] += 1
            if resp.status_code == 200:
                del self.queued[digest]
            elif resp.status_code in REFUSED_FOR_GOOD:
                self.refused.append(digest)
                del self.queued[digest]
            else:
                body = resp.get_json()
                assert resp.status_code == 503, (resp.status_code, body)
                assert body["error"]["code"] == "store_unavailable"
                assert set(body["error"]) == {"code", "message", "fields"}
                assert int(resp.headers["Retry-After"]) > 0
                return


@pytest.fixture
def store() -> Iterator[Store]:
    started = Store()
    started.start()
    yield started
    started.stop()


@pytest.fixture
def app_config(app_config: dict[str, Any], store: Store) -> dict[str, Any]:
    return {**app_config, **s3_app_config(store.endpoint)}


def recorded(app: Flask, digests: list[str]) -> set[str]:
    with app.app_context():
        rows = db.session.scalars(
            select(BlobUpload.content_hash).where(BlobUpload.content_hash.in_(digests))
        )
        return set(rows)


def test_photos_taken_while_the_store_is_away_are_kept_and_sent_when_it_is_back(
    app: Flask, as_user: Any, demo: dict[str, Any], store: Store
) -> None:
    familie = as_user("familie")
    meeting = demo["meeting"]
    fill_meeting(familie, meeting)  # one photo stored while the store runs
    created(publish(familie, meeting))
    parent = phone(app, invitation_links(app, demo["children"]["Emma"])["mor"])
    [shown] = parent.get(f"/p/reports/{meeting}.json").get_json()["report"]["photos"]
    shown_url = f"/p/reports/{meeting}/photos/{shown['id']}"
    assert parent.get(shown_url).status_code == 200

    # Three tablets (the three roles that take photos), each taking a photo now and then
    # during the meeting and sending what it holds every round, at once; a parent's phone
    # reads the report's photo meanwhile.
    tablets = [
        TabletPhotos(familie),
        TabletPhotos(as_user("paedagog")),
        TabletPhotos(as_user("ppr")),
    ]
    images = [photo(size=(640, 480), seed=10 + 30 * i) for i in range(6)]  # JPEG keeps them apart
    digests = [sha(image) for image in images]
    store.stop()
    began = time.monotonic()

    failures: list[BaseException] = []

    def at_the_table(n: int, tablet: TabletPhotos) -> None:
        mine = images[2 * n : 2 * n + 2]
        try:
            while mine or time.monotonic() - began < OUTAGE_SECONDS:
                if mine:
                    tablet.take(mine.pop(0))
                tablet.send_round()
                time.sleep(ROUND_SECONDS)
        except BaseException as exc:  # an assertion in a thread must fail the test
            failures.append(exc)

    threads = [threading.Thread(target=at_the_table, args=(n, t)) for n, t in enumerate(tablets)]
    for t in threads:
        t.start()
    reads: Counter[int] = Counter()
    while any(t.is_alive() for t in threads):
        reads[parent.get(shown_url).status_code] += 1
        time.sleep(ROUND_SECONDS)
    for t in threads:
        t.join(timeout=60)
    assert failures == []
    # Away: every upload was a 503 (not a 500), each photo is still queued on its tablet,
    # and the server recorded none of them (no row names bytes it does not hold).
    for tablet in tablets:
        assert set(tablet.answers) == {503}, tablet.answers
    assert sorted(d for t in tablets for d in t.queued) == sorted(digests)
    assert recorded(app, digests) == set()
    assert set(reads) == {503}, reads
    # The parent's photo says it cannot be shown now, in Danish and as a picture (it sits
    # in an <img>); the page around it is still served.
    unavailable = parent.get(shown_url)
    assert unavailable.status_code == 503 and unavailable.mimetype == "image/svg+xml"
    assert "kan ikke vises lige nu" in unavailable.get_data(as_text=True)
    assert int(unavailable.headers["Retry-After"]) > 0
    assert parent.get(f"{shown_url}/view").status_code == 200
    # Staff reading a photo get the one JSON error shape, 503.
    staff_read = familie.get(f"/api/blobs/{shown['content_hash']}")
    assert staff_read.status_code == 503
    assert staff_read.get_json()["error"]["code"] == "store_unavailable"

    store.start()
    for tablet in tablets:
        tablet.send_round()
        assert tablet.queued == {} and tablet.refused == []
    assert recorded(app, digests) == set(digests)
    with app.app_context():
        photos = blob_store()
        for digest in digests:  # the photo and its copies, whole
            assert photos.get(digest, "thumb")[:2] == b"\xff\xd8", digest
            assert photos.get(digest)[:2] == b"\xff\xd8", digest
    assert parent.get(shown_url).status_code == 200
