"""Issue 19, finding 7: every answer carries the security headers, and no answer with a
child's data may be kept by a browser's or a proxy's HTTP cache.

The attacks: another site frames the tablet app or a parent's report (clickjacking); an
injected script runs in a page; a parent's invitation secret leaks through a Referer; a
shared computer's disk cache, or a proxy, keeps a report PDF, a board photo or a sync page
after the session ended; a browser sniffs a stored document into HTML. The tests walk
``app.url_map`` so that a new route cannot slip past, and ask each class of route with real
data: the staff app and its assets, the API signed in, sync, photo bytes, the report and
agenda PDFs, the parents' pages, photos, documents and calendar file, error answers,
/healthz, and gunicorn's own refusals over real HTTP.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.test import TestResponse

from server import create_app
from server.identity.cpr_crypto import new_key_entry
from tests.attack.served import Served
from tests.documents import plain_pdf
from tests.harness import ApiClient
from tests.server.reporting import fill_meeting, publish
from tests.server.syncclient import SYNC
from tests.server.world import created
from tests.sync.images import sha

# The only endpoints whose answers may be cached: the app's build (no child's data in it).
# Written out here rather than imported, so the test states the rule on its own.
CACHEABLE = {"web.assets", "web.app_shell", "parent.service_worker"}
HTML_PAGE_TYPES = ("text/html",)


@pytest.fixture
def app_config(app_config: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """A small build of the app (the real one need not be built for these tests)."""
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text(
        '<!doctype html><title>Trivsel</title><script type="module" '
        'src="/assets/index-abc123.js"></script>'
    )
    (dist / "sw.js").write_text("self.addEventListener('install', () => {})")
    (dist / "manifest.webmanifest").write_text('{"name": "Trivsel"}')
    (dist / "assets" / "index-abc123.js").write_text("console.log(1)")
    return {**app_config, "PWA_DIST": str(dist)}


@pytest.fixture
def world(app: Flask, as_user: Any, demo: dict[str, Any], parent_phone: Any) -> dict[str, Any]:
    """Emma's finished meeting with a photo, published; a document shared with her parents;
    a consent request; her mother's phone signed in from her invitation link."""
    familie: ApiClient = as_user("familie")
    # Written minutes and scaling answers: the report page then has its style attributes.
    created(
        familie.post(
            "/api/minutes", {"meeting_id": demo["meeting"], "text": "Referat\nmed linjeskift"}
        )
    )
    for role, value in (("child", 6), ("educator", 4)):
        created(
            familie.post(
                "/api/scaling-answers",
                {"meeting_id": demo["meeting"], "role": role, "name": role, "value": value},
            )
        )
    filled = fill_meeting(familie, demo["meeting"])
    report = created(publish(familie, demo["meeting"]))
    document = created(
        familie.post(
            f"/api/courses/{demo['course']}/attachments",
            data={
                "file": (io.BytesIO(plain_pdf()), "topi.pdf"),
                "title": "TOPI",
                "kind": "topi",
                "shared_with_guardians": "true",
            },
            content_type="multipart/form-data",
        )
    )
    emma = demo["children"]["Emma"]
    guardian = familie.get(f"/api/children/{emma}/guardians").get_json()[0]
    created(
        familie.post(
            "/api/consents",
            {
                "course_id": demo["course"],
                "guardian_id": guardian["id"],
                "status": "requested",
                "channel": "letter",
            },
        )
    )
    mor = parent_phone(emma, "mor")
    return {
        "familie": familie,
        "mor": mor,
        "meeting": demo["meeting"],
        "report": report["id"],
        "photo": filled["photo"],
        "digest": sha(filled["image"]),
        "document": document["id"],
        "course": demo["course"],
        "child": emma,
        "guardian": guardian["id"],
        "institution": demo["institutions"]["Solsikken"],
        "user": demo["users"]["familie"],
    }


def directives(resp: TestResponse | requests.Response) -> dict[str, list[str]]:
    """The answer's Content-Security-Policy as {directive: [sources]}."""
    policy = resp.headers.get("Content-Security-Policy")
    assert policy, f"no Content-Security-Policy on {_what(resp)}"
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def _what(resp: TestResponse | requests.Response) -> str:
    url = getattr(resp, "url", None) or getattr(getattr(resp, "request", None), "path", "?")
    return f"{url} ({resp.status_code})"


def assert_secured(resp: TestResponse | requests.Response) -> None:
    """Every header the finding asks for, on this answer."""
    what = _what(resp)
    csp = directives(resp)
    assert csp.get("default-src") == ["'self'"], what
    script = csp.get("script-src", [])
    assert script and script[0] == "'self'", what
    # Nothing that runs text as script: no inline scripts or handlers, no eval, no other
    # origin. WebAssembly compilation is the one thing allowed beyond files of this origin.
    for source in script:
        assert source in ("'self'", "'wasm-unsafe-eval'") or source.startswith("'sha256-"), (
            what,
            source,
        )
    assert "'unsafe-inline'" not in csp.get("style-src", []), what
    for name in ("frame-ancestors", "base-uri", "object-src"):
        assert csp.get(name) == ["'none'"], (what, name)
    assert csp.get("form-action") == ["'self'"], what
    assert csp.get("connect-src") == ["'self'"], what
    headers = resp.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("Referrer-Policy") == "no-referrer", what
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", what
    permissions = headers.get("Permissions-Policy", "")
    assert "camera=(self)" in permissions and "geolocation=()" in permissions, what


def assert_not_kept(resp: TestResponse | requests.Response) -> None:
    """No browser or proxy cache may keep this answer."""
    cache = resp.headers.get("Cache-Control", "")
    assert "no-store" in [d.strip() for d in cache.split(",")], (_what(resp), cache)
    assert "max-age" not in cache or "max-age=0" in cache, (_what(resp), cache)


def _ids(world: dict[str, Any]) -> dict[str, str]:
    """A real id for each path parameter, by its name or by the collection it follows."""
    return {
        "meeting_id": world["meeting"],
        "photo_id": world["photo"],
        "attachment_id": world["document"],
        "course_id": world["course"],
        "guardian_id": world["guardian"],
        "institution_id": world["institution"],
        "user_id": world["user"],
        "digest": world["digest"],
        "children": world["child"],
        "courses": world["course"],
        "meetings": world["meeting"],
        "photos": world["photo"],
        "reports": world["report"],
        "attachments": world["document"],
        "guardians": world["guardian"],
        "institutions": world["institution"],
        "users": world["user"],
    }


def _url(rule: Any, ids: dict[str, str]) -> str:
    """The rule's path with each parameter filled in from the world (a fresh id where the
    world has none: the refusal must carry the headers too)."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(2)
        if name in ("path", "filename"):
            return "index-abc123.js" if rule.endpoint == "web.assets" else "moeder/1"
        before = rule.rule[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        return ids.get(name) or ids.get(before) or str(uuid.uuid4())

    return re.sub(r"<(?:(\w+):)?(\w+)>", fill, rule.rule)


def test_every_route_answers_with_the_headers_and_child_data_is_never_kept(
    app: Flask, world: dict[str, Any]
) -> None:
    """Walk every rule of the app: each GET answer (data, page or refusal) carries every
    header, and every answer but the app's build files is no-store."""
    ids = _ids(world)
    asked: dict[str, int] = {}
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()):
            continue
        url = _url(rule, ids)
        client = world["mor"] if rule.rule.startswith("/p/") else world["familie"]
        resp = client.get(url, headers=SYNC)
        asked[url] = resp.status_code
        assert_secured(resp)
        if rule.endpoint not in CACHEABLE or resp.status_code >= 400:
            assert_not_kept(resp)
    # The walk reached real data, not only refusals: the classes below answered 200.
    for url in (
        f"/api/courses/{world['course']}",
        f"/api/blobs/{world['digest']}",
        f"/api/reports/{world['report']}/pdf",
        f"/api/meetings/{world['meeting']}/agenda.pdf",
        f"/api/attachments/{world['document']}/file",
        f"/p/reports/{world['meeting']}",
        f"/p/reports/{world['meeting']}.pdf",
        f"/p/reports/{world['meeting']}.ics",
        f"/p/reports/{world['meeting']}/photos/{world['photo']}",
        f"/p/attachments/{world['document']}",
        "/p/",
        "/p/consent",
        "/p/access",
        "/api/sync/pull",
        "/healthz",
        "/",
        "/assets/index-abc123.js",
    ):
        assert asked.get(url) == 200, (url, asked.get(url))


@pytest.mark.parametrize(
    "path",
    [
        "/api/courses/{course}",
        "/api/courses",
        "/api/children/{child}/guardians",
        "/api/meetings/{meeting}/photos",
        "/api/blobs/{digest}?size=thumb",
        "/api/blobs/{digest}?size=original",
        "/api/reports/{report}/pdf",
        "/api/reports/{report}/snapshot",
        "/api/meetings/{meeting}/agenda.pdf",
        "/api/meetings/{meeting}/report-preview",
        "/api/attachments/{document}/file",
    ],
)
def test_staff_answers_with_a_childs_data_are_never_kept(world: dict[str, Any], path: str) -> None:
    resp = world["familie"].get(path.format(**world))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert_secured(resp)
    assert_not_kept(resp)


def test_sync_pull_and_push_answers_are_never_kept(world: dict[str, Any]) -> None:
    familie = world["familie"]
    pulled = familie.post("/api/sync/pull", {"cursor": "", "limit": 500}, headers=SYNC)
    assert pulled.status_code == 200 and pulled.get_json()["changes"], pulled.get_json()
    pushed = familie.post(
        "/api/sync/push",
        {
            "client_id": str(uuid.uuid4()),
            "mutations": [
                {
                    "id": str(uuid.uuid4()),
                    "entity": "board_note",
                    "record_id": str(uuid.uuid4()),
                    "op": "upsert",
                    "fields": {
                        "meeting_id": world["meeting"],
                        "column": "worries",
                        "text": "Sover dårligt",
                    },
                    "base_version": None,
                    "clock": "1795000000000:00000:tablet",
                }
            ],
        },
        headers=SYNC,
    )
    assert pushed.status_code == 200, pushed.get_json()
    for resp in (pulled, pushed):
        assert_secured(resp)
        assert_not_kept(resp)


@pytest.mark.parametrize(
    "path",
    [
        "/p/",
        "/p/reports/{meeting}",
        "/p/reports/{meeting}.json",
        "/p/reports/{meeting}.pdf",
        "/p/reports/{meeting}.ics",
        "/p/reports/{meeting}/photos/{photo}",
        "/p/reports/{meeting}/photos/{photo}?full=1",
        "/p/reports/{meeting}/photos/{photo}/view",
        "/p/attachments",
        "/p/attachments/{document}",
        "/p/consent",
        "/p/access",
    ],
)
def test_parents_answers_are_never_kept(world: dict[str, Any], path: str) -> None:
    """The phone's photos were kept for a day (max-age=86400) in its HTTP cache; the parents'
    service worker keeps what the phone reads offline in its own cache instead."""
    resp = world["mor"].get(path.format(**world))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    assert_secured(resp)
    assert_not_kept(resp)


def test_the_apps_build_keeps_its_caching_and_gets_the_headers(app: Flask) -> None:
    client = app.test_client()
    asset = client.get("/assets/index-abc123.js")
    assert asset.status_code == 200
    assert "max-age=31536000" in asset.headers["Cache-Control"]
    assert "immutable" in asset.headers["Cache-Control"]
    for url in ("/", "/moeder/123", "/sw.js", "/manifest.webmanifest", "/p/sw.js"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert "no-cache" in resp.headers["Cache-Control"], url  # an update must arrive
        assert_secured(resp)
    for resp in (asset, client.get("/")):
        assert_secured(resp)
    # The photo codecs compile WebAssembly in a worker loaded from /assets/.
    csp = directives(client.get("/"))
    assert "'wasm-unsafe-eval'" in csp["script-src"]
    assert csp["worker-src"] == ["'self'"]


def test_refusals_and_errors_carry_the_headers(
    app_config: dict[str, Any], client: ApiClient
) -> None:
    answers = [
        client.get("/api/courses"),  # 401
        client.get(f"/api/courses/{uuid.uuid4()}"),  # 401 / 404
        client.get("/api/nothing-here"),  # 404 JSON
        client.get("/assets/missing-123.js"),  # 404 text
        client.raw.delete("/api/auth/csrf"),  # 405
        client.raw.post("/api/auth/login", json={}),  # 400 (CSRF)
        client.get("/p/reports/not-a-meeting"),  # the parents' refusal page
        client.get("/healthz"),
    ]
    statuses = [resp.status_code for resp in answers]
    assert statuses[2:6] == [404, 404, 405, 400] and statuses[6] == 404, statuses
    assert statuses[7] == 200
    for resp in answers:
        assert_secured(resp)
        assert_not_kept(resp)
    # An unexpected error (a 500) too: a route that fails, on an app built the same way.
    failing = create_app(app_config)

    # Outside /api/: signed out, an /api/ route is refused before its view runs.
    @failing.get("/explode")
    def explode() -> str:
        raise RuntimeError("boom")

    resp = failing.test_client().get("/explode")
    assert resp.status_code == 500 and resp.get_json()["error"]["code"] == "server_error"
    assert_secured(resp)
    assert_not_kept(resp)


def test_hsts_outside_development_and_over_https(app_config: dict[str, Any]) -> None:
    testing = create_app(app_config).test_client()
    assert "Strict-Transport-Security" not in testing.get("/healthz").headers
    https = testing.get("/healthz", base_url="https://trivsel.example")
    assert https.headers["Strict-Transport-Security"] == "max-age=31536000"
    production_config = {**app_config, "TRIVSEL_ENV": "production", "CPR_KEY": new_key_entry("k1")}
    production = create_app(production_config).test_client()
    # The load balancer ends TLS: the app sees plain HTTP and must send HSTS all the same.
    resp = production.get("/healthz")
    assert resp.headers["Strict-Transport-Security"] == "max-age=31536000"
    short = create_app({**production_config, "HSTS_MAX_AGE": 600})
    assert short.test_client().get("/healthz").headers["Strict-Transport-Security"] == "max-age=600"


class _Inline(HTMLParser):
    """Every piece of a page that runs or styles without a file of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.style_attributes: list[str] = []
        self.handlers: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
        if named.get("style") is not None:
            self.style_attributes.append(named["style"] or "")
        if tag == "script" and "src" not in named:
            self._open = "script"
            self.scripts.append("")
        elif tag == "style":
            self._open = "style"
            self.styles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            self.scripts[-1] += data
        elif self._open == "style":
            self.styles[-1] += data


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def assert_page_runs_under_its_policy(resp: TestResponse) -> None:
    """Each inline script, style block and style attribute of the page is one its own CSP
    admits by hash: the page works with the policy, and nothing else inline would."""
    inline = _Inline()
    inline.feed(resp.get_data(as_text=True))
    csp = directives(resp)
    assert inline.handlers == [], (_what(resp), inline.handlers)
    for script in inline.scripts:
        assert _hash(script) in csp["script-src"], (_what(resp), script[:80])
    for style in inline.styles:
        assert _hash(style) in csp["style-src"], (_what(resp), style[:80])
    for attribute in inline.style_attributes:
        assert "'unsafe-hashes'" in csp["style-src"], _what(resp)
        assert _hash(attribute) in csp["style-src"], (_what(resp), attribute)


def test_server_pages_run_under_their_policy(app: Flask, world: dict[str, Any]) -> None:
    """The parents' pages (a report with its minutes and scaling table) and the API reference
    page: their inline blocks are admitted by hash, so a page published and kept today
    (server/reports/frozen.py) keeps working, and nothing injected would run."""
    mor = world["mor"]
    pages = [
        mor.get(f"/p/reports/{world['meeting']}"),
        mor.get("/p/"),
        mor.get("/p/consent"),
        mor.get("/p/access"),
        mor.get("/p/attachments"),
        mor.get("/p/offline"),
        mor.get(f"/p/reports/{world['meeting']}/photos/{world['photo']}/view"),
        app.test_client().get("/p/reports/nothing"),
        app.test_client().get("/api/docs"),
    ]
    report_page = pages[0].get_data(as_text=True)
    assert "med linjeskift" in report_page and 'class="swatch"' in report_page
    for resp in pages:
        assert resp.mimetype in HTML_PAGE_TYPES, _what(resp)
        assert_secured(resp)
        assert_page_runs_under_its_policy(resp)


def test_gunicorns_own_refusals_carry_the_headers(live: Served) -> None:
    """Over real HTTP: an answer of the app, and one gunicorn makes itself (a request line
    too long for it), which the app never sees."""
    ok = requests.get(f"{live.base}/healthz", timeout=30)
    assert ok.status_code == 200
    long = requests.get(f"{live.base}/api/courses?{'x=' + 'y' * 100_000}", timeout=60)
    assert long.status_code == 414, long.text[:200]
    for resp in (ok, long):
        assert_secured(resp)
        assert_not_kept(resp)
