"""Pull cursors: opaque to the client, signed so a client cannot forge its way into data.

A cursor says "everything in these scopes up to this sequence number has been sent". The
scopes matter: when a user gains a scope, it is not in the cursor yet, so the next pull sends
the whole scope; when a user loses one, the cursor still names it, so the pull tells the
client to purge it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass


class BadCursor(ValueError):
    """The cursor was not made by this server (or with another key), or is malformed."""


@dataclass(frozen=True)
class Cursor:
    """A position in the change sequence and the scopes it covers."""

    seq: int
    scopes: frozenset[str]

    @classmethod
    def start(cls) -> Cursor:
        return cls(seq=0, scopes=frozenset())


def encode(cursor: Cursor, key: bytes) -> str:
    """An opaque, signed string."""
    body = json.dumps({"v": 1, "s": cursor.seq, "sc": sorted(cursor.scopes)},
                      separators=(",", ":")).encode()
    payload = base64.urlsafe_b64encode(body).rstrip(b"=")
    sig = base64.urlsafe_b64encode(_sign(payload, key)).rstrip(b"=")
    return f"{payload.decode()}.{sig.decode()}"


def decode(text: str | None, key: bytes) -> Cursor:
    """The cursor in ``text``; an empty one means "from the beginning"."""
    if not text:
        return Cursor.start()
    try:
        payload, sig = text.encode("ascii").split(b".")
        expected = base64.urlsafe_b64encode(_sign(payload, key)).rstrip(b"=")
        if not hmac.compare_digest(sig, expected):
            raise BadCursor("cursor signature does not match")
        body = json.loads(base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4)))
        seq, scopes = body["s"], body["sc"]
        if body.get("v") != 1 or not isinstance(seq, int) or seq < 0:
            raise BadCursor("unknown cursor format")
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise BadCursor("unknown cursor format")
    except (ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise BadCursor(str(exc)) from exc
    return Cursor(seq=seq, scopes=frozenset(scopes))


def _sign(payload: bytes, key: bytes) -> bytes:
    return hmac.new(key, b"trivsel-cursor:" + payload, hashlib.sha256).digest()
