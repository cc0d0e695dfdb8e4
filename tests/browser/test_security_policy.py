"""The Content-Security-Policy (server/web/headers.py) in real Chromium: the tablet app and
the parents' pages work under it with not one violation, and it does refuse what it must.

Every violation is caught twice: the page's ``securitypolicyviolation`` events (recorded by
a script Playwright adds before the page's own, which CSP does not govern) and Chromium's
console, where it reports violations of workers too ("Refused to ...").
"""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.browser.report_world import fill_and_publish, invitation_link, new_course
from tests.browser.steps import (
    camera_photo,
    open_demo_meeting,
    sign_in,
    synced,
    take_photo,
    wait_until,
    wait_until_installed,
)

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${where}`);
});
"""
# What injected markup would try: an inline script and an inline event handler. (eval is not
# tried here: Playwright's evaluate runs through DevTools, which CSP lets eval; the header
# test asserts that script-src admits no 'unsafe-eval'.)
INJECT = """() => {
  const s = document.createElement('script');
  s.textContent = 'window.__injected = true';
  document.body.appendChild(s);
  const img = document.createElement('img');
  img.setAttribute('onerror', 'window.__handler = true');
  img.src = '/nothing-here.png';
  document.body.appendChild(img);
  return new Promise((r) => setTimeout(r, 500));
}"""


class Watch:
    """The CSP violations and page errors one page reports."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

    def _console(self, message: ConsoleMessage) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.console.append(text)

    def violations(self) -> list[str]:
        events: list[str] = self.page.evaluate("window.__csp || []")
        return events + self.console

    def assert_clean(self, where: str) -> None:
        assert self.violations() == [], where
        assert self.errors == [], where

    def assert_injection_refused(self) -> None:
        """The attacker's part: an injected script and handler do not run, and the page
        reports each as a violation (so the listeners above do see violations)."""
        self.page.evaluate(INJECT)
        ran = self.page.evaluate("[window.__injected === true, window.__handler === true]")
        assert ran == [False, False]
        directives = " ".join(self.violations())
        assert "script-src" in directives, self.violations()


def test_the_tablet_app_works_under_its_policy_and_refuses_injected_script(
    context: BrowserContext, live_server: str, tmp_path: Path
) -> None:
    """Sign in, sync, install the service worker, take a board photo through the WebAssembly
    encoder in its worker, and read a published report's panel: no violation anywhere."""
    tag = uuid.uuid4().hex[:6]
    name = f"Csp{tag}"
    world = new_course(live_server, name)
    fill_and_publish(live_server, world, tag)
    page = context.new_page()
    watch = Watch(page)
    page.goto(live_server)
    sign_in(page, "familie@example.org")
    synced(page)
    wait_until_installed(page)
    open_demo_meeting(page)
    camera_photo(tmp_path / "board.jpg", seed=53)
    take_photo(page, tmp_path / "board.jpg", 1)  # encoded by the codecs' worker (WebAssembly)
    synced(page)
    # The app shell again, now from the service worker's precache (with the headers it was
    # fetched with), and the published report's panel with the photo from the server.
    page.goto(live_server)
    page.get_by_role("button", name=re.compile(f"{name} Opstartsmøde")).click()
    expect(page.get_by_text(re.compile("Udgivet .* af Frida Familieindgang"))).to_be_visible()
    # The report's PDF opens in Chromium's own viewer under the same policy (object-src
    # 'none' and frame-ancestors 'none' once broke it; they no longer do).
    with context.expect_page() as opened:
        page.get_by_role("link", name="Se rapporten (PDF)").click()
    pdf = opened.value
    pdf_watch = Watch(pdf)
    pdf.wait_for_load_state()
    assert pdf.evaluate("document.contentType") == "application/pdf"
    for _ in range(200):  # the viewer's frame comes a moment after the load
        if any(f.url.startswith("chrome-extension://") for f in pdf.frames):
            break
        pdf.wait_for_timeout(100)
    else:
        pytest.fail(f"no PDF viewer in {[f.url for f in pdf.frames]}")
    assert pdf_watch.console == [] and pdf_watch.errors == []
    pdf.close()
    watch.assert_clean("tablet")
    watch.assert_injection_refused()


def test_the_parents_pages_work_under_their_policy_and_refuse_injected_script(
    browser: Browser, live_server: str
) -> None:
    """Open the invitation, read the report with its photo at full size, the documents, the
    consent page and the access log on a phone; then offline from the service worker."""
    tag = uuid.uuid4().hex[:6]
    name = f"Csq{tag}"
    world = new_course(live_server, name)
    fill_and_publish(live_server, world, tag)
    link = invitation_link(live_server, f"maria.{name.lower()}@example.net")
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="da-DK"
    )
    phone.set_default_timeout(15_000)
    try:
        mobile = phone.new_page()
        watch = Watch(mobile)
        mobile.goto(live_server + urlsplit(link).path)
        mobile.get_by_role("button", name="Åbn på denne telefon").click()
        # The link leads straight to the report its message was about (issue 21).
        expect(mobile.get_by_text(f"working {tag}")).to_be_visible()
        wait_until(mobile, "document.querySelector('figure img').naturalWidth > 0")
        # The page's own script ran: it registered the service worker and asked /p/online.
        wait_until(mobile, "navigator.serviceWorker.getRegistration('/p/').then(r => r != null)")
        expect(mobile.locator("#offline")).to_be_hidden()
        mobile.get_by_role("link", name="Vis billedet i fuld størrelse").click()
        wait_until(mobile, "document.querySelector('#full').naturalWidth > 0")
        mobile.get_by_role("link", name="Tilbage til rapporten").click()
        expect(mobile.get_by_text(f"working {tag}")).to_be_visible()
        for path in ("/p/attachments", "/p/consent", "/p/access", "/p/"):
            mobile.goto(live_server + path)
            expect(mobile.locator("main")).to_be_visible()
        # The style block and attributes apply (admitted by hash): the page is styled.
        assert mobile.evaluate("getComputedStyle(document.body).margin") == "0px"
        # Offline, the pages come from the parents' service worker with the headers they
        # were fetched with.
        mobile.goto(live_server + f"/p/reports/{world['meeting']['id']}")
        wait_until(mobile, "navigator.serviceWorker.controller !== null")
        mobile.reload()
        phone.set_offline(True)
        mobile.reload()
        expect(mobile.get_by_text(f"working {tag}")).to_be_visible()
        expect(mobile.get_by_text("Du er offline")).to_be_visible()
        # The photo too, though it was answered no-store: the worker keeps its own copy.
        wait_until(
            mobile,
            "document.querySelector('figure img').naturalWidth > 0",
            what="the board photo shown offline",
        )
        watch.assert_clean("parents' pages")
        phone.set_offline(False)
        mobile.reload()
        watch.assert_injection_refused()
    finally:
        phone.close()
