"""The signed-in user of this request, and role guards."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import g, request

from server.errors import ApiError
from server.models import User

P = ParamSpec("P")
R = TypeVar("R")


def current_user() -> User:
    """The signed-in staff user; 401 when nobody is signed in."""
    user: User | None = g.get("user")
    if user is None:
        raise ApiError(401, "Sign in to continue.", "unauthorized")
    return user


# The routes under /api/ that answer without a signed-in user. Every other one refuses a
# signed-out request before its view runs (issue 19, finding 8): views look a record up
# before they ask who is calling, and answered a signed-out caller 401 for an id that exists
# and 404 for one that does not. A new public API route is added here, deliberately.
PUBLIC_API_ENDPOINTS = frozenset(
    {
        "auth.Csrf",
        "auth.Login",
        "auth.Logout",
        "api-docs.openapi_json",
        "web.api_docs",
        # A person with no password yet chooses one through the single-use link e-mailed to them.
        "passwords.PasswordFromLink",
        # Signing in through the municipality's identity provider, and which ways are on.
        "oidc.OidcLogin",
        "oidc.OidcCallback",
        "oidc.SignInMethods",
    }
)


def require_sign_in() -> None:
    """``before_request``: 401 for a signed-out request to a non-public API route.

    Requests no route takes (``request.url_rule`` is None) go on to their 404/405, which
    name no record; an OPTIONS request is answered by Flask from the route alone."""
    rule = request.url_rule  # the route's own path: the app shell's /<path> is not the API
    if (
        g.get("user") is None
        and rule is not None
        and rule.rule.startswith("/api/")
        and request.method != "OPTIONS"
        and request.endpoint not in PUBLIC_API_ENDPOINTS
    ):
        raise ApiError(401, "Sign in to continue.", "unauthorized")


def require_roles(*roles: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Allow a view only for the given roles; others get 403 (the endpoint itself is no secret)."""

    def decorate(view: Callable[P, R]) -> Callable[P, R]:
        @wraps(view)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            user = current_user()
            if user.role not in roles:
                raise ApiError(403, "Your role may not do this.", "forbidden")
            return view(*args, **kwargs)

        return wrapper

    return decorate
