"""The identity settings: read by server/config.py, checked, and turned into clients."""

from __future__ import annotations

from typing import Any

import pytest

from server.config import DEV_CPR_KEY, Config, ConfigError
from server.identity.cpr import Cpr
from server.identity.cpr_crypto import new_key_entry
from server.identity.custody import CprCustody, ManualCustody
from server.identity.errors import NoStaffRole
from server.identity.loa import Loa, parse_minimum
from server.identity.oidc import CPR_CLAIM
from server.identity.settings import (
    IDENTITY_DEFAULTS,
    custody_source,
    oidc_client,
    parse_staff_roles,
    problems,
    staff_role,
)
from tests.identity.conftest import CALLBACK

ROLES = ("admin", "family_unit", "educator", "psychologist")


def _config(**changes: str) -> dict[str, Any]:
    return {**IDENTITY_DEFAULTS, **changes}


def test_config_reads_every_identity_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARENT_MIN_LOA", "High")
    monkeypatch.setenv("CUSTODY_SOURCE", "cpr")
    values = Config({"TRIVSEL_ENV": "testing"}).as_flask_config()
    assert values["PARENT_MIN_LOA"] == "High" and values["CUSTODY_SOURCE"] == "cpr"
    assert values["PARENT_CPR_CLAIM"] == CPR_CLAIM
    assert values["STAFF_ROLE_CLAIM"] == "roles" and values["PARENT_OIDC_ISSUER"] == ""
    assert set(IDENTITY_DEFAULTS) <= set(values)


def test_the_defaults_describe_a_development_run() -> None:
    assert problems(_config(), production=False) == []
    assert any("CPR_KEY" in p for p in problems(_config(), production=True))
    assert problems(_config(CPR_KEY=new_key_entry("k1")), production=True) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"PARENT_OIDC_ISSUER": "https://broker.example.dk"}, "PARENT_OIDC_CLIENT_ID"),
        ({"PARENT_MIN_LOA": "Medium"}, "PARENT_MIN_LOA"),
        (
            {
                "STAFF_OIDC_ISSUER": "https://login.example.dk",
                "STAFF_OIDC_CLIENT_ID": "c",
                "STAFF_OIDC_CLIENT_SECRET": "s",
            },
            "STAFF_ROLES",
        ),
        (
            {
                "STAFF_OIDC_ISSUER": "https://login.example.dk",
                "STAFF_OIDC_CLIENT_ID": "c",
                "STAFF_OIDC_CLIENT_SECRET": "s",
                "STAFF_ROLES": "g=janitor",
            },
            "janitor",
        ),
        ({"CPR_KEY": "k1:short"}, "CPR_KEY"),
        ({"CUSTODY_SOURCE": "registry"}, "CUSTODY_SOURCE"),
        ({"CUSTODY_SOURCE": "cpr"}, "CUSTODY_CPR_URL"),
    ],
)
def test_a_setting_that_cannot_work_is_named(changes: dict[str, str], words: str) -> None:
    found = problems(_config(**changes), production=False, known_roles=ROLES)
    assert any(words in p for p in found), found


def test_staff_roles_map_groups_to_roles() -> None:
    mapping = parse_staff_roles("trivsel-paedagog=educator, trivsel-admin=admin,", ROLES)
    assert mapping == {"trivsel-paedagog": "educator", "trivsel-admin": "admin"}
    assert staff_role({"roles": ["other", "trivsel-paedagog"]}, "roles", mapping) == "educator"
    assert staff_role({"roles": "trivsel-admin"}, "roles", mapping) == "admin"
    for claims in (
        {"roles": ["kantine"]},
        {},
        {"roles": 7},
        {"roles": ["trivsel-paedagog", "trivsel-admin"]},
    ):
        with pytest.raises(NoStaffRole):
            staff_role(claims, "roles", mapping)
    for bad in ("trivsel-paedagog", "=educator", "g=educator,g=admin"):
        with pytest.raises(ValueError, match="STAFF_ROLES"):
            parse_staff_roles(bad, ROLES)


def test_the_minimum_assurance_setting() -> None:
    assert parse_minimum("Substantial") is Loa.SUBSTANTIAL
    assert parse_minimum("https://data.gov.dk/concept/core/nsis/loa/High") is Loa.HIGH
    assert Loa.LOW < Loa.SUBSTANTIAL < Loa.HIGH
    with pytest.raises(ValueError):
        parse_minimum("")


def test_clients_from_settings(issuer: str) -> None:
    assert oidc_client(_config(), "PARENT", CALLBACK) is None
    parents = oidc_client(
        _config(
            PARENT_OIDC_ISSUER=issuer, PARENT_OIDC_CLIENT_ID="p", PARENT_OIDC_CLIENT_SECRET="s"
        ),
        "PARENT",
        CALLBACK,
    )
    assert parents is not None
    assert parents.min_loa is Loa.SUBSTANTIAL and parents.cpr_claim == CPR_CLAIM
    staff = oidc_client(
        _config(
            STAFF_OIDC_ISSUER=issuer,
            STAFF_OIDC_CLIENT_ID="t",
            STAFF_OIDC_CLIENT_SECRET="s",
            STAFF_LOA_CLAIM="acr",
        ),
        "STAFF",
        CALLBACK,
    )
    assert staff is not None and staff.cpr_claim is None and staff.loa_claim == "acr"
    assert "email" in staff.scopes


def test_custody_source_from_settings() -> None:
    child = Cpr("150357-5101")
    manual = custody_source(_config(), lambda _child: [Cpr("010155-5001")])
    assert isinstance(manual, ManualCustody) and manual.holders(child) == {Cpr("010155-5001")}
    remote = custody_source(
        _config(CUSTODY_SOURCE="cpr", CUSTODY_CPR_URL="https://cpr.example.dk"), lambda _: []
    )
    assert isinstance(remote, CprCustody)


@pytest.mark.parametrize("env", ["production", "staging"])
def test_outside_development_the_app_does_not_start_without_a_usable_cpr_key(env: str) -> None:
    base = {"TRIVSEL_ENV": env, "SECRET_KEY": "s" * 32}
    with pytest.raises(ConfigError, match="CPR_KEY must be set"):
        Config(base).as_flask_config()
    short = "k1:" + "A" * 20  # a key of 15 bytes: its id may show, the key never
    with pytest.raises(ConfigError, match="CPR_KEY") as refused:
        Config({**base, "CPR_KEY": short}).as_flask_config()
    assert "A" * 20 not in str(refused.value)
    with pytest.raises(ConfigError, match="id:base64key"):
        Config({**base, "CPR_KEY": "no-colon-here"}).as_flask_config()
    key = new_key_entry("k2") + "," + new_key_entry("k1")
    assert Config({**base, "CPR_KEY": key}).as_flask_config()["CPR_KEY"] == key


def test_development_and_tests_get_the_public_development_key() -> None:
    assert Config({"TRIVSEL_ENV": "testing"}).as_flask_config()["CPR_KEY"] == DEV_CPR_KEY
