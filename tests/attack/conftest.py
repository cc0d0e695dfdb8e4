"""The attack tests use the harness's fixtures (a real database, the demo data), and
``live``: gunicorn serving the demo data over real HTTP.

Both ways in (issue 20, tests/attack/doors.py): a test that signs staff in through ``as_user``
(or a parent through ``parent_phone``) runs once with passwords and personal links and once
through the local identity provider with ``PASSWORD_LOGIN=0`` and MitID, the same
assertions. A module about passwords themselves sets ``PASSWORDS_ONLY = True``, with a comment
saying why."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from server.extensions import db
from server.identity.dev_provider import DEMO_PARENTS, running_provider
from server.models import Guardian
from tests.attack.doors import PASSWORDS, PROVIDER, WAYS, Door
from tests.attack.served import Served, served
from tests.harness import ApiClient
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.reporting import invitation_links

# What makes a test one that signs someone in, and so runs both ways.
SIGNS_IN = ("as_user", "parent_phone")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "passwords_only: an attack test about passwords or personal links themselves"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "way" not in metafunc.fixturenames or getattr(metafunc.module, "PASSWORDS_ONLY", False):
        return
    if metafunc.definition.get_closest_marker("passwords_only"):
        return
    if any(name in metafunc.fixturenames for name in SIGNS_IN):
        metafunc.parametrize("way", WAYS, indirect=True)


@pytest.fixture
def way(request: pytest.FixtureRequest) -> str:
    """The way in of this test: passwords unless it signs someone in (then both)."""
    return str(getattr(request, "param", PASSWORDS))


@pytest.fixture(scope="session")
def provider_issuer() -> Iterator[str]:
    """One local provider for the session's provider lane (its users are the demo's, plus
    whom a test enrols; subjects do not collide between tests)."""
    with running_provider() as issuer:
        yield issuer


@pytest.fixture
def way_in(way: str, request: pytest.FixtureRequest) -> Iterator[Door]:
    if way != PROVIDER:
        yield Door(way)
        return
    door = Door(way, request.getfixturevalue("provider_issuer"))
    yield door
    door.restore()


@pytest.fixture
def app_config(app_config: dict[str, Any], way_in: Door) -> dict[str, Any]:
    """The harness's settings, with the provider's when this test goes through it."""
    return {**app_config, **way_in.settings()}


@pytest.fixture
def as_user(app: Flask, demo: dict[str, Any], way_in: Door) -> Callable[[str], ApiClient]:
    """``as_user("familie")`` → a client signed in as that demo user, through this way in."""

    def sign_in(name: str) -> ApiClient:
        return way_in.staff(app, f"{name}@example.org", DEMO_PASSWORD)

    return sign_in


@pytest.fixture
def parent_phone(app: Flask, way_in: Door) -> Callable[[str, str], FlaskClient]:
    """``parent_phone(child_id, "mor")`` → that guardian's phone, reading: through the
    newest personal link, or signed in with MitID as the demo parent of that name."""

    def open_phone(child_id: str, relation: str) -> FlaskClient:
        if not way_in.provider:
            return way_in.parent(app, "", invitation_links(app, child_id)[relation])
        with app.app_context():
            name = db.session.scalars(
                select(Guardian.name).where(
                    Guardian.child_id == child_id, Guardian.relation == relation
                )
            ).one()
        sub = next(p.sub for p in DEMO_PARENTS if p.name == name and p.loa != "Low")
        return way_in.parent(app, sub)

    return open_phone


@pytest.fixture(scope="module", params=WAYS)
def live(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    """gunicorn with one worker (so its memory can be watched) on the demo data, once for
    each way in: ``live.sign_in`` goes through it."""
    way: str = request.param
    issuer = request.getfixturevalue("provider_issuer") if way == PROVIDER else ""
    way_in = Door(way, issuer)
    with served(
        tmp_path_factory.mktemp(f"live-{way}"), f"live-{way}", extra=way_in.settings()
    ) as server:
        server.signer = way_in.staff_http
        server.reset()
        yield server
