"""Schemas of the sign-in endpoints."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, pre_load, validate


class LoginSchema(Schema):
    """Credentials for POST /api/auth/login."""

    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500))

    @pre_load
    def strip_email(self, data: Any, **_: Any) -> Any:
        """Tablet keyboards and autofill add stray spaces; they are never part of an address."""
        if isinstance(data, dict) and isinstance(data.get("email"), str):
            return {**data, "email": data["email"].strip()}
        return data


# Answers only (never loaded): "required" says every answer carries the field, which the API
# document and the tablet's generated types (server/contract.py) show.
class SessionUserSchema(Schema):
    """The signed-in user as the app sees it."""

    id = fields.String(dump_only=True, required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    role = fields.String(required=True)
    institution_id = fields.String(required=True, allow_none=True)


class SessionSchema(Schema):
    """Who is signed in, with the CSRF token for state-changing requests."""

    user = fields.Nested(SessionUserSchema, required=True)
    csrf_token = fields.String(required=True)


class CsrfSchema(Schema):
    """A CSRF token to send in the X-CSRF-Token header."""

    csrf_token = fields.String()


class SignInMethodsSchema(Schema):
    """How staff sign in on this server (GET /api/auth/methods)."""

    password = fields.Boolean(metadata={"description": "e-mail and password (PASSWORD_LOGIN)"})
    oidc = fields.Boolean(
        metadata={
            "description": "the municipality's identity provider (STAFF_OIDC_ISSUER); with it, "
            "accounts, roles and institutions come from there"
        }
    )
    oidc_login_url = fields.String(
        allow_none=True, metadata={"description": "where the browser goes to sign in through it"}
    )
