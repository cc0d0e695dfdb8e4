"""Sign-in throttling for an office (issue 26, point 3): many tablets behind one address, and
the bounds that hold for every account wherever the guesses come from.

The store's clock is the test's (as in test_login_throttle.py): the attempts of "50 tablets
signing in together" all arrive at one instant of the store's clock, so the per-address
limit meets them exactly as it met the real office's ramp, without sleeping.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from flask import Flask

from server.auth import throttle_store
from server.auth.passwords import hash_password
from server.config import ConfigError
from server.extensions import db
from server.models import User
from tests.harness.fixtures import DEMO_PASSWORD
from tests.server.throttling import Clock, login

OFFICE = "198.51.100.7"  # the office's one public address, as the server sees it
TABLETS = 50


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle_store, "database_clock", fake)
    return fake


@pytest.fixture
def staff(app: Flask, demo: dict[str, Any]) -> list[str]:
    """Fifty members of staff, one tablet each, with the demo's password."""
    emails = [f"staff{i}@example.org" for i in range(TABLETS)]
    with app.app_context():
        hashed = hash_password(DEMO_PASSWORD)  # one hash: the users differ only by e-mail
        db.session.add_all(
            User(email=e, name=f"Medarbejder {i}", role="educator", password_hash=hashed)
            for i, e in enumerate(emails)
        )
        db.session.commit()
    return emails


def office_morning(app: Flask, staff: list[str]) -> Counter[int]:
    return Counter(login(app, e, DEMO_PASSWORD, OFFICE).status_code for e in staff)


def test_fifty_tablets_behind_one_address_are_throttled_per_address_without_the_setting(
    app: Flask, staff: list[str], clock: Clock
) -> None:
    """The issue's finding, kept as the guarantee it is for any other address: 30 a minute."""
    assert office_morning(app, staff) == {200: 30, 429: 20}


class TestOffice:
    @pytest.fixture
    def app_config(self, app_config: dict[str, Any]) -> dict[str, Any]:
        return {**app_config, "OFFICE_NETWORKS": "198.51.100.0/28, 2001:db8::/48"}

    def test_fifty_tablets_in_a_known_office_sign_in_together(
        self, app: Flask, staff: list[str], clock: Clock
    ) -> None:
        assert office_morning(app, staff) == {200: TABLETS}
        # An address outside the office network still meets the per-address limit.
        outside = [login(app, e, DEMO_PASSWORD, "198.51.100.77").status_code for e in staff]
        assert Counter(outside) == {200: 30, 429: 20}

    def test_staff_who_mistype_in_the_office_are_not_held_by_the_per_address_failures(
        self, app: Flask, staff: list[str], clock: Clock
    ) -> None:
        """One typo each for fifty people is more than the 30 failures an hour allowed from
        one address; in the office it holds nobody up."""
        typos = Counter(login(app, e, "forkert", OFFICE).status_code for e in staff)
        assert typos == {401: TABLETS}
        assert office_morning(app, staff) == {200: TABLETS}

    def test_guessing_one_account_from_the_office_is_bounded(
        self, app: Flask, staff: list[str], clock: Clock
    ) -> None:
        """Someone in the office guesses a colleague's password as fast as the answers let
        them, for an hour of the store's clock: they get what any one address gets on an
        account (``LOGIN_FAILURE_LIMIT``, 30 an hour), paced by the growing wait."""
        victim = staff[0]
        assert login(app, victim, DEMO_PASSWORD, OFFICE).status_code == 200  # their office
        started, answers = clock.now, Counter[int]()
        while clock.now - started < 3600:
            resp = login(app, victim, "gæt", OFFICE)
            answers[resp.status_code] += 1
            if resp.status_code == 429:
                clock.now += int(resp.headers["Retry-After"])
        # 30 at once, then one every 120 s (GCRA): what one address got before the setting.
        assert 30 <= answers[401] <= 2 * 30 + 1, answers
        # Another colleague's sign-in at the office is not held up by it.
        assert login(app, staff[3], DEMO_PASSWORD, OFFICE).status_code == 200
        # The colleague under attack, at the same address, waits for one place at most.
        resp = login(app, victim, DEMO_PASSWORD, OFFICE)
        if resp.status_code == 429:
            assert int(resp.headers["Retry-After"]) <= 3600 // 30
            clock.now += int(resp.headers["Retry-After"])
            resp = login(app, victim, DEMO_PASSWORD, OFFICE)
        assert resp.status_code == 200

    def test_addresses_taken_in_turn_inside_the_office_network_share_the_account_bound(
        self, app: Flask, staff: list[str], clock: Clock
    ) -> None:
        """A new address per guess, all inside the office network: each is new to the
        account, so the account's failures from new addresses bound them (50 an hour)."""
        answers = Counter(
            login(app, staff[1], f"gæt-{i}", f"2001:db8::{i + 1:x}").status_code for i in range(80)
        )
        assert answers == {401: 50, 429: 30}


def test_guessing_one_account_from_many_addresses_is_bounded_in_all(
    app: Flask, staff: list[str], clock: Clock
) -> None:
    """A hundred addresses, one guess each (no per-address limit meets them): the account
    takes 50 failures an hour from addresses it never signed in from, then refuses."""
    victim = staff[2]
    assert login(app, victim, DEMO_PASSWORD, "192.0.2.50").status_code == 200  # their home
    answers = Counter(
        login(app, victim, f"gæt-{i}", f"203.0.113.{i + 1}").status_code for i in range(100)
    )
    assert answers == {401: 50, 429: 50}
    refused = login(app, victim, DEMO_PASSWORD, "203.0.113.200")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= 3600 // 50  # the next place, not a lock
    # The real user at home, where they signed in before, is let in at once.
    assert login(app, victim, DEMO_PASSWORD, "192.0.2.50").status_code == 200
    # Once the attack pauses for the next place, a new address gets in with the right one.
    clock.now += int(refused.headers["Retry-After"])
    assert login(app, victim, DEMO_PASSWORD, "203.0.113.200").status_code == 200


def test_an_office_network_that_is_no_network_is_refused_at_start_up(
    app_config: dict[str, Any],
) -> None:
    from server import create_app

    with pytest.raises(ConfigError, match="OFFICE_NETWORKS"):
        create_app({**app_config, "OFFICE_NETWORKS": "198.51.100.0/33"})
