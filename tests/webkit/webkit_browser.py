#!/usr/bin/python3
"""A small WebKitGTK browser for WebKitWebDriver (the WebKit lane, tests/webkit/).

Run by Debian's python3 with its `gi` (python3-gi, gir1.2-webkit2-4.1), not by the project's
virtual environment, which has no GObject bindings. MiniBrowser's `--automation` mode always
uses an ephemeral (private) session, so a service worker, IndexedDB and the photos in it
would never outlive the window; this browser keeps them in ``--profile=DIR`` unless started
with ``--private``, which is how the private-browsing test gets Safari's Private Browsing.

WebKitWebDriver starts it with ``--automation`` (and the args of
``webkitgtk:browserOptions``); the name given to the automation session below is what the
driver compares with the ``browserName`` capability (tests/webkit/driver.py: BROWSER_NAME).
"""

from __future__ import annotations

import sys

import gi  # type: ignore[import-not-found]  # Debian's python3-gi, not in the venv

gi.require_version("Gtk", "3.0")
gi.require_version("WebKit2", "4.1")
from gi.repository import Gtk, WebKit2  # type: ignore[import-not-found]  # noqa: E402

NAME = "trivsel-webkit"


def option(name: str, default: str) -> str:
    prefix = f"--{name}="
    return next((a[len(prefix) :] for a in sys.argv if a.startswith(prefix)), default)


def main() -> None:
    profile = option("profile", "")
    width, height = (int(v) for v in option("size", "820x1180").split("x"))
    if "--private" in sys.argv or not profile:
        data = WebKit2.WebsiteDataManager.new_ephemeral()
    else:
        data = WebKit2.WebsiteDataManager(
            base_data_directory=f"{profile}/data", base_cache_directory=f"{profile}/cache"
        )
    context = WebKit2.WebContext.new_with_website_data_manager(data)
    context.set_automation_allowed(True)
    windows: list[object] = []  # kept alive while shown
    # A script run before the app's own (as Playwright's add_init_script in the Chromium
    # tests): the test-only switches of pwa/src/db/crypt.ts and main.tsx, given with
    # --init-script=JS by a test that needs them (the disk search and its control run).
    scripts = WebKit2.UserContentManager()
    if init := option("init-script", ""):
        scripts.add_script(
            WebKit2.UserScript.new(
                init,
                WebKit2.UserContentInjectedFrames.ALL_FRAMES,
                WebKit2.UserScriptInjectionTime.START,
                None,
                None,
            )
        )

    def new_view(_session: object) -> object:
        view = WebKit2.WebView(
            web_context=context, user_content_manager=scripts, is_controlled_by_automation=True
        )
        window = Gtk.Window()
        window.set_default_size(width, height)
        window.add(view)
        window.connect("destroy", lambda _w: Gtk.main_quit())
        window.show_all()
        windows.append(window)
        return view

    def started(_context: object, session: object) -> None:
        info = WebKit2.ApplicationInfo()
        info.set_name(NAME)
        info.set_version(1, 0, 0)
        session.set_application_info(info)  # type: ignore[attr-defined]
        session.connect("create-web-view", new_view)  # type: ignore[attr-defined]

    context.connect("automation-started", started)
    Gtk.main()


if __name__ == "__main__":
    main()
