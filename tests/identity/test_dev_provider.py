"""The local identity provider of development and tests: its demo users and its runner."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest
import requests

from server.demo import DEMO_STAFF as DEMO_ACCOUNTS
from server.identity.cpr import Cpr
from server.identity.dev_provider import (
    DEMO_CHILDREN,
    DEMO_PARENTS,
    DEMO_STAFF,
    DEMO_STAFF_ROLES,
    logins,
)
from server.identity.settings import parse_staff_roles, staff_role
from tests.harness import free_port, wait_for

ROLES = ("admin", "family_unit", "educator", "psychologist")


def test_the_demo_cpr_numbers_are_valid_and_belong_to_no_one() -> None:
    """Born in the 2050s: valid by the CPR office's table, and no living person's."""
    numbers = [Cpr(p.cpr) for p in DEMO_PARENTS] + [Cpr(c) for c in DEMO_CHILDREN.values()]
    assert all(n.birth_date > date(2050, 1, 1) for n in numbers)
    children = {Cpr(c) for c in DEMO_CHILDREN.values()}
    assert all(Cpr(c) in children for p in DEMO_PARENTS for c in p.children)


def test_the_demo_staff_are_the_demo_accounts_with_their_roles() -> None:
    """Signing in through the provider lands on the same accounts `flask demo` made."""
    mapping = parse_staff_roles(DEMO_STAFF_ROLES, ROLES)
    roles = {email: role for email, _, role, _ in DEMO_ACCOUNTS}
    for staff in DEMO_STAFF:
        if staff.email in roles:
            assert staff_role({"roles": list(staff.roles)}, "roles", mapping) == roles[staff.email]
    assert set(roles) <= {s.email for s in DEMO_STAFF}


def test_the_printed_logins_name_every_demo_user() -> None:
    printed = "\n".join(logins())
    assert all(p.sub in printed for p in DEMO_PARENTS)
    assert all(s.email in printed for s in DEMO_STAFF)


@pytest.mark.slow  # a Python process of its own: seconds, on this machine
def test_python_m_runs_the_provider() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "server.identity.dev_provider", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/.well-known/openid-configuration", 30, process)
        assert (
            requests.get(f"{base}/.well-known/openid-configuration", timeout=10).json()["issuer"]
            == base
        )
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert "mitid-mette" in output and "paedagog@example.org" in output
