"""Staff accounts the way the app makes them (issue 19): one admin asks, a second approves,
and the person chooses a password through the link e-mailed to them (read here from the
outbox, as ``flask outbox print`` shows it in development)."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import select

from server.extensions import db
from server.models import OutboundMessage
from tests.harness import ApiClient

LINK_SECRET = re.compile(r"/adgangskode#([A-Za-z0-9_\-]+)")


def link_secrets(app: Flask, email: str) -> list[str]:
    """The password-link secrets in messages to ``email``, oldest first."""
    with app.app_context():
        bodies = db.session.scalars(
            select(OutboundMessage.body)
            .where(OutboundMessage.to_address == email)
            .order_by(OutboundMessage.created_at)
        ).all()
    return [m.group(1) for body in bodies for m in LINK_SECRET.finditer(body)]


def choose_password(app: Flask, email: str, password: str) -> None:
    """The person opens the newest link sent to them and chooses ``password``."""
    secret = link_secrets(app, email)[-1]
    resp = ApiClient(app.test_client()).post(
        "/api/auth/password-link", {"token": secret, "password": password}
    )
    assert resp.status_code == 204, resp.get_json()


def approve(approver: ApiClient, change_id: str) -> dict[str, Any]:
    resp = approver.post(f"/api/users/changes/{change_id}/approve")
    assert resp.status_code == 200, resp.get_json()
    body: dict[str, Any] = resp.get_json()
    return body


def new_staff(
    app: Flask, requester: ApiClient, approver: ApiClient, body: dict[str, Any], password: str
) -> dict[str, Any]:
    """Ask for an account as ``requester``, approve it as ``approver``, set its password
    through the welcome link; returns the account."""
    resp = requester.post("/api/users", body)
    assert resp.status_code == 201, resp.get_json()
    user: dict[str, Any] = resp.get_json()
    approve(approver, user["pending_change"]["id"])
    choose_password(app, body["email"], password)
    return user


def change(
    app: Flask, requester: ApiClient, approver: ApiClient, user_id: str, body: dict[str, Any]
) -> dict[str, Any]:
    """A change of access, asked for and approved (it waits until then)."""
    resp = requester.patch(f"/api/users/{user_id}", body)
    assert resp.status_code == 200, resp.get_json()
    pending = resp.get_json()["pending_change"]
    assert pending is not None, resp.get_json()
    return approve(approver, pending["id"])
