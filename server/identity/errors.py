"""Typed refusals of a sign-in, so that a route can answer each the way the issue asks
(the same refusal page for a LoA too low and a CPR without custody, a 403 for a staff role)."""

from __future__ import annotations


class SignInError(Exception):
    """A sign-in that must not give a session. Messages never carry a CPR number."""


class StateMismatch(SignInError):
    """The callback's ``state`` is not the one this browser's sign-in began with (a forged or
    crossed callback: login CSRF)."""


class SignInExpired(SignInError):
    """The pending sign-in is missing, too old or its cookie was tampered with."""


class CallbackReplayed(SignInError):
    """This callback (its ``state``) was already used once: a replayed code is refused here
    even where the provider would accept it twice."""


class ProviderRefused(SignInError):
    """The provider answered the callback with an error (the user cancelled, or it refused)."""

    def __init__(self, error: str, description: str = "") -> None:
        super().__init__(f"{error}: {description}" if description else error)
        self.error = error
        self.description = description


class CodeExchangeFailed(SignInError):
    """The token endpoint did not exchange the code (a used, expired or foreign code)."""


class TokenInvalid(SignInError):
    """The ID token's signature, issuer, audience, expiry or nonce does not hold."""


class LoaTooLow(SignInError):
    """The assurance level is missing, unknown or below the minimum the setting asks for."""

    def __init__(self, got: str | None, minimum: str) -> None:
        super().__init__(f"assurance level {got or 'missing'} is below {minimum}")
        self.got = got
        self.minimum = minimum


class ClaimMissing(SignInError):
    """A claim the relying party was configured to require is absent or malformed."""

    def __init__(self, claim: str) -> None:
        super().__init__(f"claim {claim!r} is missing or malformed")
        self.claim = claim


class DiscoveryFailed(SignInError):
    """The issuer's discovery document could not be read or does not name this issuer."""


class NoStaffRole(SignInError):
    """The staff login vouched for someone whose groups map to no Trivsel role (or to two):
    a 403 naming whom to ask, never a guess."""
