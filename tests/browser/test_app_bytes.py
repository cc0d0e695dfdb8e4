"""The tablet loads the real build from the real server compressed (pwa/scripts/precompress.mjs,
server/web/routes.py): what crosses the meeting room's link is a fraction of the files."""

from __future__ import annotations

from playwright.sync_api import Page, Response


def test_the_app_code_arrives_compressed_and_runs(watched_page: Page, live_server: str) -> None:
    page = watched_page
    assets: list[Response] = []
    page.on("response", lambda r: assets.append(r) if "/assets/" in r.url else None)
    page.goto(live_server)
    page.get_by_label("E-mail").wait_for()  # the app runs: it was decoded as it should be
    code = [r for r in assets if r.url.endswith((".js", ".css"))]
    assert code, [r.url for r in assets]
    for response in code:
        assert response.headers.get("content-encoding") == "br", response.url
    # Bytes on the wire against the files' own size, as the browser itself counted them.
    sizes = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/assets/'))
        .map(e => [e.name, e.encodedBodySize, e.decodedBodySize])""")
    entry = [s for s in sizes if "/assets/index-" in s[0] and s[0].endswith(".js")]
    assert entry, sizes
    for _, on_wire, decoded in entry:
        assert on_wire < 0.4 * decoded, (on_wire, decoded)
