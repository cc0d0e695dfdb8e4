"""The server goes down in the middle of sending and comes back: everything arrives, once."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, expect

from tests.browser.live import DEMO_PASSWORD, api_session, copy_of_dist
from tests.browser.steps import sign_in
from tests.harness import Gunicorn, migrated_app, migrated_database_url, settings


def noisy_photo(seed: int) -> bytes:
    """A photo that does not compress much, so its upload takes a while on a slow link."""
    img = Image.effect_noise((1600, 1000), 60 + seed).convert("RGB")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_sending_survives_a_server_restart(browser: Browser, tmp_path: Path) -> None:
    env = settings(
        tmp_path, migrated_database_url(tmp_path, "restart"), PWA_DIST=str(copy_of_dist(tmp_path))
    )
    migrated_app(env, demo_password=DEMO_PASSWORD)
    tag = uuid.uuid4().hex[:6]
    photos = []
    for seed in range(3):
        path = tmp_path / f"board-{seed}.jpg"
        path.write_bytes(noisy_photo(seed))
        photos.append(path)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.set_default_timeout(20_000)
    page = context.new_page()
    server = Gunicorn(env, workers=2)
    base = server.start()
    try:
        page.goto(base)
        sign_in(page, "familie@example.org")
        expect(page.get_by_role("status")).to_contain_text("Alt er sendt")
        page.get_by_role("button", name=re.compile("Emma Opstartsmøde")).click()
        context.set_offline(True)
        for i in range(5):
            field = page.get_by_label("Ny note i «Det der fungerer»")
            field.fill(f"Note {i} {tag}")
            field.press("Enter")
            expect(page.get_by_text(f"Note {i} {tag}")).to_be_visible()
        page.get_by_label("Tag billede af tavlen").set_input_files(photos)
        # Three photos encoded by the WebAssembly codec: seconds on a loaded 2-core machine.
        expect(page.get_by_role("img", name="Billede af tavlen")).to_have_count(3, timeout=30_000)
        context.set_offline(False)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 50,
                "downloadThroughput": 2_000_000,
                "uploadThroughput": 400_000,
            },
        )  # a slow daycare uplink: ~3 s a photo
        page.get_by_role("button", name="Send nu").click()
        expect(page.get_by_role("status")).to_contain_text("Sender billede 2 af 3", timeout=60_000)
        server.kill()  # mid-upload, without a goodbye
        server.start()  # the same address, the same database
        cdp.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        expect(page.get_by_role("status")).to_contain_text("Alt er sendt", timeout=60_000)
        api = api_session(base, "familie@example.org")
        course = api.get(f"{base}/api/courses", timeout=30).json()[0]
        meeting = api.get(f"{base}/api/courses/{course['id']}/meetings", timeout=30).json()[0]
        notes = [n["text"] for n in api.get(f"{base}/api/meetings/{meeting['id']}/notes").json()]
        assert sorted(n for n in notes if tag in n) == [f"Note {i} {tag}" for i in range(5)]
        photo_records = api.get(f"{base}/api/meetings/{meeting['id']}/photos").json()
        assert len(photo_records) == 3
        assert all(p["uploaded"] for p in photo_records)
    finally:
        server.stop()
        context.close()
