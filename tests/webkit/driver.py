"""The WebKit lane's browser: Debian's WebKitWebDriver (webkit2gtk-driver) under xvfb-run,
driving our own WebKitGTK browser (webkit_browser.py) through selenium, and the few steps
the walk takes in the page (found by label, as the Chromium tests do with Playwright).

Playwright's WebKit build cannot be downloaded on these machines; Debian's WebKitGTK is the
engine Safari uses, a few releases apart (docs/browsers.md says what that does and does not
prove)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.file_detector import UselessFileDetector
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.webkitgtk.options import Options

from tests.harness.served import free_port, stop

HERE = Path(__file__).parent
BROWSER = HERE / "webkit_browser.py"
BROWSER_NAME = "trivsel-webkit"  # what webkit_browser.py names its automation session
# The lane's bound: the driver, the X server and every browser they started end after this,
# whatever a hung test does (timeout signals its whole process group).
LANE_SECONDS = 900
DEBS = "webkit2gtk-driver xvfb gir1.2-webkit2-4.1 python3-gi"


def missing() -> str | None:
    """What of the lane's Debian packages is not installed (`make browsers` installs them)."""
    for tool in ("WebKitWebDriver", "xvfb-run"):
        if shutil.which(tool) is None:
            return tool
    probe = "import gi; gi.require_version('WebKit2', '4.1'); from gi.repository import WebKit2"
    if subprocess.run(["/usr/bin/python3", "-c", probe], capture_output=True).returncode != 0:
        return "gir1.2-webkit2-4.1 / python3-gi"
    return None


@contextmanager
def webkit_driver() -> Iterator[str]:
    """WebKitWebDriver on a free port inside a virtual X display; yields its URL."""
    if (what := missing()) is not None:
        pytest.fail(f"{what} is missing: apt-get install {DEBS} (make browsers does)")
    port = free_port()
    proc = subprocess.Popen(
        [
            # timeout outermost: it is the process group stop() ends (and what it ends at
            # LANE_SECONDS), driver included. Inside xvfb-run it made a group of its own,
            # which outlived stop(): each test run left its drivers behind for 15 minutes.
            *("timeout", str(LANE_SECONDS), "xvfb-run", "-a", "-s", "-screen 0 1280x1280x24"),
            *("WebKitWebDriver", f"--port={port}", "--host=127.0.0.1"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{url}/status", timeout=5)
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("WebKitWebDriver did not start")
                time.sleep(0.2)
        yield url
    finally:
        stop(proc)


class Tablet:
    """One WebKit window: a persistent profile in ``profile``, or a private session."""

    def __init__(
        self, driver_url: str, profile: Path | None, size: str = "820x1180", init_script: str = ""
    ) -> None:
        options = Options()
        options.binary_location = str(BROWSER)
        options.set_capability("browserName", BROWSER_NAME)
        options.add_argument(f"--size={size}")
        if init_script:  # run before the app's own scripts (webkit_browser.py)
            options.add_argument(f"--init-script={init_script}")
        options.add_argument(f"--profile={profile}" if profile else "--private")
        self.driver = webdriver.Remote(command_executor=driver_url, options=options)
        # The driver runs on this machine: a file input takes the path itself (the default
        # detector uploads the file through a Selenium Grid command WebKitWebDriver lacks).
        self.driver.file_detector = UselessFileDetector()
        self.driver.set_script_timeout(30)
        self.driver.set_page_load_timeout(30)

    def close(self) -> None:
        with contextlib.suppress(WebDriverException):  # the browser is gone already
            self.driver.quit()

    def go(self, url: str) -> None:
        self.driver.get(url)

    def reload(self) -> None:
        self.driver.refresh()

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def wait_js(self, script: str, *args: Any) -> Any:
        """An async script: its promise's value (selenium's callback is the last argument)."""
        wrapped = (
            "const done = arguments[arguments.length - 1];"
            f"Promise.resolve((async () => {{ {script} }})()).then(done, e => done('error: ' + e));"
        )
        return self.driver.execute_async_script(wrapped, *args)

    def until(
        self,
        check: Callable[[], Any],
        what: str,
        seconds: float = 30,
        describe: Callable[[], str] | None = None,
    ) -> Any:
        """Poll ``check`` until it gives something true (``describe`` says what was instead)."""
        deadline = time.monotonic() + seconds
        last_error: WebDriverException | None = None
        while True:
            try:
                value = check()
            except WebDriverException as error:  # the page is between documents (a reload)
                value, last_error = None, error
            if value:
                return value
            if time.monotonic() > deadline:
                seen = self._seen(describe, last_error)
                pytest.fail(f"not true after {seconds} s in WebKit: {what} ({seen})")
            time.sleep(0.2)

    def _seen(self, describe: Callable[[], str] | None, error: WebDriverException | None) -> str:
        """What the page showed instead: a failure in CI has only this to go by."""
        try:
            seen = describe() if describe else "page: " + " | ".join(self.text().split("\n"))[:600]
        except WebDriverException as now:
            seen = f"the page cannot be read: {now.msg}"
        return seen + (f"; last driver error: {error.msg}" if error else "")

    def text(self) -> str:
        return str(self.js("return document.body ? document.body.innerText : ''"))

    def shows(self, text: str, seconds: float = 30) -> None:
        self.until(lambda: text in self.text(), f"the page shows {text!r}", seconds)

    def field(self, label: str) -> WebElement:
        """The control a <label> (or aria-label) names, once it is on the page."""
        find = """
          const want = arguments[0];
          for (const l of document.querySelectorAll('label')) {
            if (l.textContent.trim() !== want) continue;
            const el = l.htmlFor ? document.getElementById(l.htmlFor)
              : l.querySelector('input,textarea,select');
            if (el) return el;
          }
          return document.querySelector(`[aria-label="${CSS.escape(want)}"]`);"""
        found: WebElement = self.until(lambda: self.js(find, label), f"a field {label!r}")
        return found

    def button(self, name: str) -> WebElement:
        # Words in order, spaces optional: a button's parts are spans without spaces between.
        find = """const words = arguments[0].split(' ')
            .map(w => w.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&'));
          const pattern = new RegExp(words.join('\\\\s*'));
          return [...document.querySelectorAll('button')].find(b => pattern.test(b.textContent))"""
        found: WebElement = self.until(lambda: self.js(find, name), f"a button {name!r}")
        return found

    def click(self, name: str) -> None:
        button = self.button(name)
        self.js("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()

    def type(self, label: str, text: str, enter: bool = False) -> None:
        field = self.field(label)
        self.js("arguments[0].scrollIntoView({block: 'center'})", field)
        field.clear()
        field.send_keys(text + (Keys.ENTER if enter else ""))
