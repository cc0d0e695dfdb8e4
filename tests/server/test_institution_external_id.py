"""An institution's external id (issue 20): the id the municipality's login names it by,
which places staff signing in there. Set by admins, unique where set; and the demo's and
the local provider's agree."""

from __future__ import annotations

from typing import Any

from flask import Flask

from server.demo import DEMO_INSTITUTIONS
from server.identity.cpr_crypto import new_key_entry


def test_an_admin_sets_changes_and_clears_an_external_id(
    as_user: Any, demo: dict[str, Any]
) -> None:
    admin = as_user("admin")
    sol, skov = demo["institutions"]["Solsikken"], demo["institutions"]["Skovbørnehaven"]
    listed = {i["name"]: i["external_id"] for i in admin.get("/api/institutions").get_json()}
    assert listed["Solsikken"] == DEMO_INSTITUTIONS["Solsikken"]
    changed = admin.patch(f"/api/institutions/{sol}", {"external_id": " 5798000000001 "})
    assert (changed.status_code, changed.get_json()["external_id"]) == (200, "5798000000001")
    clash = admin.patch(f"/api/institutions/{skov}", {"external_id": "5798000000001"})
    assert clash.status_code == 409
    assert clash.get_json()["error"]["code"] == "external_id_taken"
    assert "external_id" in clash.get_json()["error"]["fields"]
    cleared = admin.patch(f"/api/institutions/{sol}", {"external_id": ""})
    assert cleared.get_json()["external_id"] is None
    also = admin.patch(f"/api/institutions/{skov}", {"external_id": None})
    assert also.get_json()["external_id"] is None  # two without an id do not clash
    made = admin.post(
        "/api/institutions",
        {"name": "Mælkebøtten", "kind": "daycare", "external_id": "5798000000001"},
    )
    assert (made.status_code, made.get_json()["external_id"]) == (201, "5798000000001")


def test_only_an_admin_sets_an_external_id(as_user: Any, demo: dict[str, Any]) -> None:
    sol = demo["institutions"]["Solsikken"]
    for name in ("familie", "paedagog", "ppr"):
        answer = as_user(name).patch(f"/api/institutions/{sol}", {"external_id": "x"})
        assert answer.status_code == 403, name


def test_the_demo_prints_the_test_identities_of_the_local_provider(app: Flask) -> None:
    output = app.test_cli_runner().invoke(args=["demo"]).output
    assert "Test identities at the local identity provider" in output
    for sub in ("entra-anna", "entra-frida", "entra-peter", "entra-rolf"):
        assert sub in output


def test_the_local_provider_command_refuses_production(app_config: dict[str, Any]) -> None:
    from server import create_app

    app = create_app({**app_config, "TRIVSEL_ENV": "production", "CPR_KEY": new_key_entry("k1")})
    result = app.test_cli_runner().invoke(args=["identity", "dev-provider"])
    assert result.exit_code != 0
    assert "development only" in result.output


def test_an_operator_links_a_local_account_to_a_subject(
    app_config: dict[str, Any], demo: dict[str, Any]
) -> None:
    """For a provider that does not mark e-mails verified: the refused sign-in logs the
    subject, the operator links the account by hand, once."""
    from sqlalchemy import select

    from server import create_app
    from server.extensions import db
    from server.models import User

    issuer = "https://login.kommune.example"
    app = create_app(
        {
            **app_config,
            "STAFF_OIDC_ISSUER": issuer,
            "STAFF_OIDC_CLIENT_ID": "c",
            "STAFF_OIDC_CLIENT_SECRET": "s",
            "STAFF_ROLES": "g=educator",
        }
    )
    runner = app.test_cli_runner()
    done = runner.invoke(args=["identity", "link", "PPR@example.org", "oid-123"])
    assert done.exit_code == 0, done.output
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == "ppr@example.org")).one()
        assert (user.oidc_issuer, user.oidc_subject) == (issuer, "oid-123")
    again = runner.invoke(args=["identity", "link", "familie@example.org", "oid-123"])
    assert again.exit_code != 0 and "linked to ppr@example.org" in again.output
    twice = runner.invoke(args=["identity", "link", "ppr@example.org", "oid-456"])
    assert twice.exit_code != 0 and "linked already" in twice.output
