"""The signed-in user of this request, and role guards."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import g

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
