"""A CPR number never leaves the server (issue 20): with one set on every child and guardian
(tests/attack/seed.py), every route of the URL map is asked with real ids, by every method,
signed out, as every member of staff and from a parent's phone; no answer, no log line, no
stored text (the outbox, the audit log, tasks, the sync change log's documents) and no file
the app wrote holds one of those numbers. Only the masked ``DDMMYY-XXXX`` is ever shown.

Both ways in (tests/attack/doors.py): staff with passwords and the father through his
personal link; and staff through the municipality's identity provider (passwords off) and
the father with MitID. There the MitID callback, where a full CPR number arrives from
outside, is inside the search: its answers, and what it logged and stored, with the refused
sign-ins (a MitID at Low, a CPR without custody) beside it, and the provider's numbers among
those looked for.

The numbers looked for are the ones set, not any ten digits: a timestamp or a request id
cannot make this test fail by chance."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from lxml import etree
from sqlalchemy import LargeBinary, String, Text, select
from werkzeug.routing import Rule

from server.extensions import db
from server.identity.dev_provider import DEMO_PARENTS
from server.models import Child, Guardian
from tests.attack.doors import WAYS, Door, door
from tests.attack.route_walk import METHODS, NOT_ID_VALUES, NOT_IDS, fill, kind_of, random_id
from tests.attack.seed import pools, seed
from tests.attack.served import MANY_SIGN_INS, PASSWORD
from tests.harness import migrated_app, migrated_database_url, settings
from tests.identity.patterns import cpr_numbers_in, readable
from tests.server.reporting import invitation_links

# Admins last: their walk deletes and changes staff accounts, which would sign out whoever
# walked after them.
STAFF = ("familie", "familie2", "paedagog", "paedagog2", "ppr", "admin", "admin2")
# Ending the session would leave the rest of the walk signed out.
SIGN_OUT = ("/api/auth/logout", "/p/logout")


class Captured(logging.Handler):
    """Every log line, formatted as the app's handler would (with any traceback)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


# The provider's refusals: Mette at assurance Low, and a CPR number without custody.
REFUSED_PARENTS = ("mitid-mette-low", "mitid-uden")


@pytest.fixture(scope="module", params=WAYS)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Flask, Path, Door]]:
    tmp: Path = tmp_path_factory.mktemp(f"cprleak-{request.param}")
    with door(request.param) as way_in:
        app = migrated_app(
            settings(
                tmp,
                migrated_database_url(tmp, f"cprleak-{request.param}"),
                SECRET_KEY="cpr-leak",
                LOGIN_RATE_LIMIT=MANY_SIGN_INS,
                **way_in.settings(),
            ),
            demo_password=PASSWORD,
        )
        seed(app, way_in)
        way_in.answers.clear()  # the walk's own sign-ins are searched, from here on
        yield app, tmp, way_in
        with app.app_context():
            db.engine.dispose()


def _values(app: Flask, rule: Rule, ids: dict[str, list[str]], secret: str) -> dict[str, str]:
    values = {}
    for arg in rule.arguments:
        if arg == "secret":
            values[arg] = secret
        elif arg in NOT_IDS:
            values[arg] = NOT_ID_VALUES.get(arg, "index.html")
        else:
            kind = kind_of(rule, arg)
            values[arg] = (ids.get(kind) or [random_id(kind)])[0]
    return values


def _body(rule: Rule, method: str, app: Flask, url: str, numbers: dict[str, str]) -> Any:
    """A JSON body: the record's own number where the route takes one (sent back as it is
    stored, so the answer could echo it), else an empty object."""
    if method == "PUT" and rule.rule.endswith("/cpr"):
        return {"cpr": numbers.get(url.rsplit("/", 2)[-2], "0101104000")}
    return {}


def _walk(
    app: Flask,
    client: Any,
    token: str,
    ids: dict[str, list[str]],
    secret: str,
    numbers: dict[str, str],
) -> Iterator[tuple[str, bytes]]:
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    # Reads first: a DELETE later in the walk must not hide what a read would have shown.
    for wanted in (("GET",), tuple(m for m in METHODS if m != "GET")):
        for rule in rules:
            if rule.rule.startswith(SIGN_OUT):
                continue
            url = fill(rule, _values(app, rule, ids, secret))
            for method in sorted((rule.methods or set()) & set(wanted)):
                kwargs: dict[str, Any] = {"headers": {"X-CSRF-Token": token, "Sync-Protocol": "1"}}
                if method != "GET" and url.startswith("/api/"):
                    kwargs["json"] = _body(rule, method, app, url, numbers)
                answer = client.open(url, method=method, **kwargs)
                yield f"{method} {url} → {answer.status_code}", answer.data


def test_no_answer_log_line_or_stored_text_holds_a_cpr_number(
    world: tuple[Flask, Path, Door],
) -> None:
    app, tmp, way_in = world
    ids = pools(app)
    # The provider's numbers too: the refused parents' are in no row of the app's.
    numbers = sorted({*ids["cpr"], *(p.cpr.replace("-", "") for p in DEMO_PARENTS)})
    with app.app_context():
        rows = [
            *db.session.execute(select(Child.id, Child.cpr)),
            *db.session.execute(select(Guardian.id, Guardian.cpr)),
        ]
        by_record = {row_id: cpr.digits for row_id, cpr in rows if cpr is not None}
        emma = db.session.scalars(select(Child.id).where(Child.first_name == "Emma")).one()
        db.session.remove()
    assert len(ids["cpr"]) == len(by_record) >= 9  # every child and guardian has one
    # With MitID no personal link exists: a path's secret is then any string.
    link = "" if way_in.provider else invitation_links(app, emma)["far"]
    secret = link.rsplit("/", 1)[1] if link else random_id("invitation")
    captured = Captured()
    root = logging.getLogger()
    root.addHandler(captured)
    # Every line, debug included: a library's debug line (a token's claims) would leak
    # wherever an operator turns debugging on.
    level = root.level
    root.setLevel(logging.DEBUG)
    leaks: list[str] = []
    seen = 0
    try:
        clients: list[tuple[str, Any, str]] = [
            ("signed out", app.test_client(), ""),
            ("father's phone", way_in.parent(app, "Lars", link), ""),
        ]
        if way_in.provider:
            for sub in REFUSED_PARENTS:
                assert way_in.refused_parent(app, sub).status_code == 403
        for name in STAFF:
            staff = way_in.staff(app, f"{name}@example.org")
            clients.append((name, staff.raw, staff._token()))
        # The masked form is what staff of the course see.
        masked = clients[2][1].get(f"/api/children/{emma}/cpr").get_json()["cpr_masked"]
        assert masked == f"{by_record[emma][:6]}-XXXX"
        for who, client, token in clients:
            for request, body in _walk(app, client, token, ids, secret, by_record):
                seen += 1
                if found := cpr_numbers_in(body, numbers):
                    leaks.append(f"{who}: {request} holds {len(found)} CPR number(s)")
    finally:
        root.removeHandler(captured)
        root.setLevel(level)
    assert seen > 500 and captured.lines  # the walk did walk, and the app did log
    # The sign-ins' own answers (the MitID callback's among them).
    leaks += [
        f"sign-in: {request} holds a CPR number"
        for request, body in way_in.answers
        if cpr_numbers_in(body, numbers)
    ]
    assert not way_in.provider or any("/p/login/callback" in r for r, _ in way_in.answers)
    leaks += [f"log: {line[:120]}" for line in captured.lines if cpr_numbers_in(line, numbers)]
    leaks += _stored_text(app, numbers) + _written_files(tmp, numbers)
    assert leaks == []


def _stored_text(app: Flask, numbers: list[str]) -> list[str]:
    """Every text column of every table (the outbox, the audit log, tasks, the sync change
    log's documents ...), except the CPR columns themselves, which hold ciphertext."""
    found = []
    with app.app_context():
        for table in db.metadata.sorted_tables:
            columns = [
                c
                for c in table.columns
                if isinstance(c.type, String | Text | LargeBinary)
                and c.name not in ("cpr", "cpr_lookup")
            ]
            if not columns:
                continue
            for row in db.session.execute(select(*columns)):
                # Bytes (an outbox letter's PDF) are read as a person would read them.
                for value in row:
                    if value is not None and cpr_numbers_in(
                        value if isinstance(value, bytes) else str(value), numbers
                    ):
                        found.append(f"table {table.name}: a CPR number in {str(value)[:80]!r}")
        db.session.remove()
    return found


def _written_files(tmp: Path, numbers: list[str]) -> list[str]:
    """The files the app wrote (filed reports, documents, photos)."""
    return [
        f"file {path.relative_to(tmp)}"
        for path in tmp.rglob("*")
        if path.is_file()
        and path.suffix not in (".sqlite3", ".db")
        and cpr_numbers_in(_as_searched(path, tmp), numbers)
    ]


def _as_searched(path: Path, tmp: Path) -> bytes | str:
    """The file's bytes; a filed archive's without the one number it carries by design.

    A filing carries the child's CPR number so the case system can place it (issue 22), in
    the metadata's ``case.cpr`` (metadata.json) and ``<case><cpr>`` (metadata.xml) and
    nowhere else: those two values are taken out, and every other member — the report's
    PDF, the photos, the rest of the metadata — is searched as it stands."""
    data = path.read_bytes()
    if path.suffix != ".zip" or "filing" not in path.relative_to(tmp).parts:
        return data
    members = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            member = archive.read(name)
            if name == "metadata.json":
                metadata = json.loads(member)
                metadata["case"].pop("cpr")
                members.append(json.dumps(metadata, ensure_ascii=False))
            elif name == "metadata.xml":
                root = etree.fromstring(member)
                for cpr in root.findall("case/cpr"):
                    cpr.getparent().remove(cpr)
                members.append(etree.tostring(root, encoding="unicode"))
            else:
                members.append(readable(member))
    return "\n".join(members)
