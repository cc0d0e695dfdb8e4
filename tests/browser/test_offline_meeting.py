"""The board at the meeting table, offline: captured, kept across reloads, sent once online."""

from __future__ import annotations

import io
import re
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import create_engine, text

from tests.browser.live import LIVE_ENV, api_session
from tests.browser.steps import (
    COLUMNS,
    add_note,
    eventually,
    notes_on_server,
    open_demo_meeting,
    sign_in,
    synced,
    wait_until_installed,
)
from tests.sync.images import has_gps, photo


def test_a_whole_meeting_held_offline_survives_reloads_and_arrives_once(
    context: BrowserContext, page: Page, live_server: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:6]
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    wait_until_installed(page)
    # Photos other tests on this server left on the shared demo meeting (the order tests run
    # in is not this test's to choose): this test's two come on top of them.
    before = len(_start_photos(live_server))
    context.set_offline(True)
    page.reload()  # the app starts from the cache, the data from the device
    expect(page.get_by_role("button", name=re.compile("Emma Opstartsmøde"))).to_contain_text(
        "møde 1 af 5"
    )
    open_demo_meeting(page)
    # attendance: the mother is here, and a colleague from PPR joins
    page.get_by_role("checkbox", name=re.compile("Mette Jensen")).check()
    page.get_by_label("Navn").fill(f"Pia PPR {tag}")
    page.get_by_label("Rolle").select_option("psychologist")
    page.get_by_role("button", name="Tilføj deltager").click()
    texts = {column: f"{title} {tag}" for column, title in COLUMNS.items()}
    for column, title in COLUMNS.items():
        add_note(page, title, texts[column])
    photos = []
    for seed in (1, 2):
        path = tmp_path / f"board-{seed}.jpg"
        path.write_bytes(photo(size=(3000, 2000), seed=seed))  # carries EXIF GPS
        photos.append(path)
    page.get_by_label("Tag billede af tavlen").set_input_files(photos)
    # Encoding two camera photos takes seconds on a busy machine (photo_kept allows 30 s).
    expect(page.get_by_role("img", name="Billede af tavlen")).to_have_count(
        before + 2, timeout=30_000
    )
    page.get_by_label("Hvad").fill(f"Emma får en fast voksen {tag}")
    page.get_by_label("Hvem").select_option("institution")
    page.get_by_role("button", name="Tilføj aftale").click()
    page.get_by_label("En del af mødet").click()  # a controlled radio: checked once stored
    expect(page.get_by_label("En del af mødet")).to_be_checked()
    page.get_by_label("Barnets perspektiv").fill(f"Emma tegnede sin dag {tag}")
    page.get_by_label("Barnets perspektiv").blur()
    page.get_by_role("button", name="Afslut mødet").click()
    expect(page.get_by_role("alert")).to_contain_text("Aftal datoen for næste møde")
    next_at = (datetime.now() + timedelta(days=42)).replace(hour=10, minute=0)
    page.get_by_label("Næste møde", exact=True).fill(next_at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Afslut mødet").click()
    expect(page.get_by_text("Mødet er afsluttet.")).to_be_visible()
    page.reload()  # still offline: everything is on the device
    for note in texts.values():
        expect(page.get_by_text(note)).to_be_visible()
    expect(page.get_by_role("img", name="Billede af tavlen")).to_have_count(before + 2)
    expect(page.get_by_text(f"Emma får en fast voksen {tag}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Offline")
    context.set_offline(False)
    page.get_by_role("button", name="Send nu").click()
    synced(page)
    expect(page.get_by_text("Ikke sendt endnu")).to_have_count(0)
    _assert_server_holds_the_meeting(live_server, tag, texts, before)


def _start_photos(base: str) -> list[dict[str, object]]:
    api = api_session(base, "familie@example.org")
    course = api.get(f"{base}/api/courses", timeout=30).json()[0]
    meetings = api.get(f"{base}/api/courses/{course['id']}/meetings", timeout=30).json()
    start = next(m for m in meetings if m["kind"] == "start")
    photos: list[dict[str, object]] = api.get(f"{base}/api/meetings/{start['id']}/photos").json()
    return photos


def _assert_server_holds_the_meeting(
    base: str, tag: str, texts: dict[str, str], before: int
) -> None:
    api = api_session(base, "familie@example.org")
    course = api.get(f"{base}/api/courses", timeout=30).json()[0]
    meetings = api.get(f"{base}/api/courses/{course['id']}/meetings", timeout=30).json()
    start = next(m for m in meetings if m["kind"] == "start")
    assert start["status"] == "finished"
    assert start["child_participation"] == "part"
    assert [m["kind"] for m in meetings].count("follow_up") == 1  # the next meeting, once
    notes = [n["text"] for n in api.get(f"{base}/api/meetings/{start['id']}/notes").json()]
    for note in texts.values():
        assert notes.count(note) == 1, notes
    people = api.get(f"{base}/api/meetings/{start['id']}/participants").json()
    assert [p["name"] for p in people].count(f"Pia PPR {tag}") == 1
    assert any(p["name"] == "Mette Jensen" and p["present"] for p in people)
    agreements = api.get(f"{base}/api/meetings/{start['id']}/agreements").json()
    assert [a["what"] for a in agreements].count(f"Emma får en fast voksen {tag}") == 1
    photos = api.get(f"{base}/api/meetings/{start['id']}/photos").json()
    assert len(photos) == before + 2 and all(p["uploaded"] for p in photos)
    for p in photos:
        data = api.get(f"{base}/api/blobs/{p['content_hash']}", timeout=30).content
        assert not has_gps(data)
        with Image.open(io.BytesIO(data)) as img:
            assert max(img.size) <= 2560


def test_two_tablets_edit_one_note_offline_and_the_loser_can_restore(
    browser: Browser, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    tablets = []
    for email in ("familie@example.org", "paedagog@example.org"):
        ctx = browser.new_context(viewport={"width": 1024, "height": 768})
        ctx.set_default_timeout(15_000)
        page = ctx.new_page()
        page.goto(live_server)
        sign_in(page, email)
        synced(page)
        open_demo_meeting(page)
        tablets.append((ctx, page))
    (ctx_a, a), (ctx_b, b) = tablets
    add_note(a, COLUMNS["working"], f"Original {tag}")
    synced(a)
    b.get_by_role("button", name="Send nu").click()
    expect(b.get_by_text(f"Original {tag}")).to_be_visible()
    ctx_a.set_offline(True)
    ctx_b.set_offline(True)
    for page, version in ((a, f"Fra familieindgangen {tag}"), (b, f"Fra pædagogen {tag}")):
        page.locator(".note", has_text=f"Original {tag}").get_by_role("button", name="Ret").click()
        page.get_by_role("textbox", name="Ret").fill(version)  # the one note being edited
        page.get_by_role("button", name="Gem").click()
        expect(page.get_by_text(version)).to_be_visible()
    ctx_a.set_offline(False)
    a.get_by_role("button", name="Send nu").click()
    synced(a)
    ctx_b.set_offline(False)
    b.get_by_role("button", name="Send nu").click()
    synced(b)  # b edited last: b's text wins
    a.get_by_role("button", name="Send nu").click()
    synced(a)
    conflict = a.get_by_role("alert").filter(has_text="blev samtidig ændret")
    expect(conflict).to_contain_text(f"Fra familieindgangen {tag}")
    expect(conflict).to_contain_text(f"Fra pædagogen {tag}")
    conflict.get_by_role("button", name="Gendan min ændring").click()
    expect(a.get_by_role("alert").filter(has_text="blev samtidig ændret")).to_have_count(0)
    expect(a.get_by_text(f"Fra familieindgangen {tag}")).to_be_visible()
    synced(a)
    assert f"Fra familieindgangen {tag}" in notes_on_server(live_server)
    for ctx, _ in tablets:
        ctx.close()


def test_an_expired_session_keeps_the_queue_until_signing_in_again(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    note = f"Efter nyt login {uuid.uuid4().hex[:6]}"
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    open_demo_meeting(page)
    context.set_offline(True)
    add_note(page, COLUMNS["next_steps"], note)
    _expire_all_sessions()
    context.set_offline(False)  # the app notices the network and sends by itself
    status = page.get_by_role("status")
    expect(status).to_contain_text("Log ind igen for at sende 1 ændring")
    expect(page.get_by_text(note)).to_be_visible()
    status.get_by_role("button", name="Log ind").click()
    sign_in(page, "familie@example.org")
    synced(page)
    assert notes_on_server(live_server).count(note) == 1


def _expire_all_sessions() -> None:
    """What a long offline meeting does to a sign-in: the server no longer knows it."""
    url = LIVE_ENV["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE auth_session SET revoked_at = CURRENT_TIMESTAMP"))
    engine.dispose()


def test_an_agreement_edited_while_deleted_elsewhere_can_be_brought_back(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    a, ctx_a = page, context
    a.goto(live_server)
    sign_in(a, "familie@example.org")
    synced(a)
    open_demo_meeting(a)
    a.get_by_label("Hvad").fill(f"Mor ringer til PPR {tag}")
    a.get_by_role("button", name="Tilføj aftale").click()
    expect(a.get_by_text(f"Mor ringer til PPR {tag}")).to_be_visible()
    eventually(lambda: _agreement_ids(live_server, f"Mor ringer til PPR {tag}") != [], 15)
    (agreement_id,) = _agreement_ids(live_server, f"Mor ringer til PPR {tag}")
    # a goes offline first (else a background pull could take the agreement away before it
    # is ticked); b deletes it through the API (as another screen would); a ticks it done
    ctx_a.set_offline(True)
    api = api_session(live_server, "paedagog@example.org")
    assert api.delete(f"{live_server}/api/agreements/{agreement_id}", timeout=30).status_code == 204
    done = a.get_by_label(re.compile(f"Mor ringer til PPR {tag}"))
    done.click()  # a controlled checkbox: checked once stored on the tablet
    expect(done).to_be_checked()
    ctx_a.set_offline(False)
    a.get_by_role("button", name="Send nu").click()
    synced(a)
    a.get_by_role("button", name="Send nu").click()  # pull the conflict
    problem = a.get_by_role("alert").filter(has_text="slettet på en anden enhed")
    expect(problem).to_contain_text("en aftale", timeout=20_000)
    problem.get_by_role("button", name="Gendan min ændring").click()
    expect(a.get_by_role("alert").filter(has_text="slettet på en anden enhed")).to_have_count(0)
    url = f"{live_server}/api/agreements/{agreement_id}"
    eventually(lambda: api.get(url, timeout=30).status_code == 200, 15)
    assert api.get(url, timeout=30).json()["done"] is True


def _agreement_ids(base: str, what: str) -> list[str]:
    """Ids of the agreements with this text, on any meeting of the demo course."""
    api = api_session(base, "familie@example.org")
    course = api.get(f"{base}/api/courses", timeout=30).json()[0]
    return [
        str(agreement["id"])
        for meeting in api.get(f"{base}/api/courses/{course['id']}/meetings").json()
        for agreement in api.get(f"{base}/api/meetings/{meeting['id']}/agreements").json()
        if agreement["what"] == what
    ]


def test_notes_are_reordered_and_the_order_is_kept(
    context: BrowserContext, page: Page, live_server: str
) -> None:
    tag = uuid.uuid4().hex[:6]
    page.goto(live_server)
    sign_in(page, "paedagog@example.org")
    synced(page)
    open_demo_meeting(page)
    title = COLUMNS["next_steps"]
    for n in (1, 2, 3):
        add_note(page, title, f"Skridt {n} {tag}")
    column = page.locator(".column-next_steps")
    third = column.locator(".note", has_text=f"Skridt 3 {tag}")
    for _ in range(2):  # one place up, twice ("Flyt til …": for those who do not drag)
        third.get_by_role("button", name="Flyt til …").click()
        page.get_by_role("dialog").get_by_role("button", name="Op i kolonnen").click()
    ours = column.locator(".note-text", has_text=tag)
    expect(ours).to_have_text([f"Skridt 3 {tag}", f"Skridt 1 {tag}", f"Skridt 2 {tag}"])
    page.reload()
    expect(ours).to_have_text([f"Skridt 3 {tag}", f"Skridt 1 {tag}", f"Skridt 2 {tag}"])


def test_signing_out_warns_about_unsent_changes_and_then_wipes_the_tablet(
    page: Page, live_server: str
) -> None:
    page.goto(live_server)
    sign_in(page, "ppr@example.org")  # not on any course: only what this test makes
    synced(page)
    page.route("**/api/sync/push", lambda route: route.abort())  # sending keeps failing
    page.evaluate("""async () => {
        const open = indexedDB.open('trivsel');
        await new Promise(r => open.onsuccess = r);
        const tx = open.result.transaction('outbox', 'readwrite');
        tx.objectStore('outbox').add({id: crypto.randomUUID(), entity: 'board_note',
          recordId: crypto.randomUUID(), op: 'upsert', fields: {text: 'x'}, baseVersion: null,
          clock: '0000000000001:00000:test', status: 'pending'});
        await new Promise(r => tx.oncomplete = r);
    }""")
    # The confirm dialog is answered by a handler as it opens: a click does not return while
    # a dialog is open, so answering after the click could wait forever.
    messages: list[str] = []

    def answer(accept: bool) -> Any:
        def handle(dialog: Any) -> None:
            messages.append(dialog.message)
            dialog.accept() if accept else dialog.dismiss()

        return handle

    page.once("dialog", answer(False))
    with page.expect_event("dialog"):  # waits for it; the handler above answers it
        page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Logget ind som")).to_be_visible()  # dismissed: still signed in
    assert len(messages) == 1 and "1 ændring er ikke sendt" in messages[0]
    page.once("dialog", answer(True))
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_role("heading", name="Log ind")).to_be_visible()
    assert len(messages) == 2
    left = page.evaluate("""async () => {
        const open = indexedDB.open('trivsel');
        await new Promise(r => open.onsuccess = r);
        const count = (name) => new Promise(r => {
          const q = open.result.transaction(name).objectStore(name).count();
          q.onsuccess = () => r(q.result); });
        return [await count('outbox'), await count('records'), await count('meta')];
    }""")
    assert left == [0, 0, 0]
