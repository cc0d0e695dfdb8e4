"""Storage that holds (issue 23 part 3), each caused for real in Chromium: the browser asked
once to keep the data and the leader told once when it will not; the database closed under
the app and opened again; a full disk met while saving, with the work saved before it kept."""

from __future__ import annotations

import uuid
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser.steps import add_note, camera_photo, sign_in, synced
from tests.browser.tablet import course_on_tablet

NOT_PERSISTENT = "Browseren kan slette det, der er gemt på tabletten"

# The browser's answer to persist(), chosen by the test; the calls counted across reloads.
PERSIST_ANSWER = """answer => {
  const calls = () => Number(localStorage.getItem('persistCalls') || 0);
  navigator.storage.persist = async () => {
    localStorage.setItem('persistCalls', String(calls() + 1));
    return answer;
  };
  navigator.storage.persisted = async () => answer;
}"""


def with_persist_answer(browser: Browser, answer: bool) -> BrowserContext:
    ctx = browser.new_context(locale="da-DK", viewport={"width": 1024, "height": 768})
    ctx.set_default_timeout(15_000)
    ctx.add_init_script(f"({PERSIST_ANSWER})({'true' if answer else 'false'})")
    return ctx


def test_persistence_is_asked_once_and_a_refusal_is_told_once(
    browser: Browser, live_server: str
) -> None:
    ctx = with_persist_answer(browser, answer=False)
    try:
        page = ctx.new_page()
        page.goto(live_server)
        sign_in(page, "familie@example.org")
        notice = page.locator(".storage-notice", has_text=NOT_PERSISTENT)
        expect(notice).to_contain_text("hjemmeskærmen")
        page.get_by_role("button", name="Forstået").click()
        expect(notice).to_have_count(0)
        synced(page)
        page.reload()
        synced(page)
        expect(page.get_by_text(NOT_PERSISTENT)).to_have_count(0)  # told once
        assert page.evaluate("localStorage.getItem('persistCalls')") == "1"  # asked once
    finally:
        ctx.close()

    granted = with_persist_answer(browser, answer=True)
    try:
        page = granted.new_page()
        page.goto(live_server)
        sign_in(page, "familie@example.org")
        synced(page)
        expect(page.get_by_text(NOT_PERSISTENT)).to_have_count(0)
    finally:
        granted.close()


# Another connection asks for a newer version: the browser tells the app's connection to
# close (versionchange), as another tab with a newer app would.
CLOSE_UNDER_THE_APP = """async () => {
  const version = await new Promise(r => {
    const q = indexedDB.open('trivsel');
    q.onsuccess = () => { r(q.result.version); q.result.close(); };
  });
  await new Promise((resolve, reject) => {
    const q = indexedDB.open('trivsel', version + 1);
    q.onsuccess = () => { q.result.close(); resolve(); };
    q.onerror = () => reject(q.error);
  });
  return version;
}"""


def test_the_database_closed_under_the_app_is_opened_again(page: Page, live_server: str) -> None:
    tag = uuid.uuid4().hex[:6]
    world = course_on_tablet(page, live_server, f"Luk{tag}")
    add_note(page, "Det der bekymrer", f"Før lukningen {tag}")
    page.evaluate(CLOSE_UNDER_THE_APP)
    add_note(page, "Det der fungerer", f"Efter lukningen {tag}")
    synced(page)
    page.reload()
    for text in (f"Før lukningen {tag}", f"Efter lukningen {tag}"):
        expect(page.get_by_text(text)).to_be_visible()
    notes = world["api"].get(f"{live_server}/api/meetings/{world['meeting']['id']}/notes")
    assert {f"Før lukningen {tag}", f"Efter lukningen {tag}"} <= {n["text"] for n in notes.json()}


QUOTA = 12_000_000
# Another database takes the room that is left, in ever smaller pieces, until even 2 KB do
# not fit; what it wrote (bytes) is returned.
FILL_THE_DISK = """async () => {
  const db = await new Promise(r => {
    const q = indexedDB.open('filler', 1);
    q.onupgradeneeded = () => q.result.createObjectStore('s', { autoIncrement: true });
    q.onsuccess = () => r(q.result);
  });
  const put = (size) => new Promise(r => {
    const t = db.transaction('s', 'readwrite');
    t.objectStore('s').add(new Blob([new Uint8Array(size)]));
    t.oncomplete = () => r(true); t.onabort = t.onerror = () => r(false);
  });
  let written = 0;
  for (let size = 1 << 20; size >= 2048; size = size >> 2) {
    while (await put(size)) written += size;
  }
  db.close();
  return written;
}"""


def test_a_full_disk_keeps_what_was_saved_and_says_what_to_do(
    context: BrowserContext, page: Page, live_server: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    # A small disk: Chromium reads an origin's quota when its storage is first used, so the
    # override comes before the app starts; the disk is then filled up (FILL_THE_DISK).
    cdp = context.new_cdp_session(page)
    origin = live_server.rstrip("/")
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": origin, "quotaSize": QUOTA})
    world = course_on_tablet(page, live_server, f"Fuld{tag}")  # a meeting with no photos yet
    context.set_offline(True)  # the note waits in the outbox: saved on the device only
    add_note(page, "Det der bekymrer", f"Gemt før pladsen slap op {tag}")
    assert page.evaluate(FILL_THE_DISK) > 0
    photo = tmp_path / "board.jpg"
    camera_photo(photo)
    page.get_by_label("Tag billede af tavlen").set_input_files(photo)
    alert = page.get_by_role("alert").filter(has_text="Tabletten har ikke mere plads")
    expect(alert).to_contain_text("Send nu", timeout=30_000)
    expect(alert).to_contain_text("slet gamle billeder")
    expect(page.get_by_text("Billedet kunne ikke læses")).to_have_count(0)
    expect(page.get_by_role("img", name="Billede af tavlen")).to_have_count(0)
    page.reload()
    expect(page.get_by_text(f"Gemt før pladsen slap op {tag}")).to_be_visible()
    page.evaluate("indexedDB.deleteDatabase('filler')")  # room again
    context.set_offline(False)
    page.get_by_role("button", name="Send nu").click()
    synced(page)
    notes = world["api"].get(f"{live_server}/api/meetings/{world['meeting']['id']}/notes")
    assert f"Gemt før pladsen slap op {tag}" in [n["text"] for n in notes.json()]
