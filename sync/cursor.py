"""Pull cursors: opaque to the client, signed so a client cannot forge its way into data.

A cursor says "everything in these scopes up to this sequence number of this change
history has been sent". The scopes matter: when a user gains a scope, it is not in the
cursor yet, so the next pull sends the whole scope; when a user loses one, the cursor still
names it, so the pull tells the client to purge it. The history matters after a restore
(``sync/history.py``): numbers of another history mean other changes.

The cursor travels in a pull's JSON body (``POST /api/sync/pull``), where no proxy limits its
length: it grows with the scopes (two per readable course), about 60 bytes per course once
compressed (12.7 kB for 210 courses; the random ids do not compress further). Version 1
cursors (no history, not compressed) are still read: a tablet that updates keeps its place.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass

_MAX_INFLATED = 4 * 1024 * 1024  # ~50,000 courses' scopes: far beyond any user's


class BadCursor(ValueError):
    """The cursor was not made by this server (or with another key), or is malformed."""


@dataclass(frozen=True)
class Cursor:
    """A position in the change sequence of one history, and the scopes it covers."""

    seq: int
    scopes: frozenset[str]
    history: int = 0

    @classmethod
    def start(cls) -> Cursor:
        return cls(seq=0, scopes=frozenset())

    @property
    def is_start(self) -> bool:
        """Nothing has been sent yet: any history's numbers are news to it."""
        return self.seq == 0 and not self.scopes


def encode(cursor: Cursor, key: bytes) -> str:
    """An opaque, signed string."""
    body = json.dumps(
        {"v": 2, "s": cursor.seq, "h": cursor.history, "sc": sorted(cursor.scopes)},
        separators=(",", ":"),
    ).encode()
    payload = b"z" + base64.urlsafe_b64encode(zlib.compress(body, 9)).rstrip(b"=")
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
        body = json.loads(_body(payload))
        seq, scopes, history = body["s"], body["sc"], body.get("h", 0)
        if body.get("v") not in (1, 2) or not isinstance(seq, int) or seq < 0:
            raise BadCursor("unknown cursor format")
        if not isinstance(history, int):
            raise BadCursor("unknown cursor format")
        if not isinstance(scopes, list) or not all(isinstance(s, str) for s in scopes):
            raise BadCursor("unknown cursor format")
    except (ValueError, KeyError, TypeError, UnicodeError, zlib.error) as exc:
        raise BadCursor(str(exc)) from exc
    return Cursor(seq=seq, scopes=frozenset(scopes), history=history)


def _body(payload: bytes) -> bytes:
    """The JSON inside a (signed, so trusted) payload: "z" + deflated (v2), or plain (v1)."""
    if payload.startswith(b"z"):
        raw = payload[1:]
        inflater = zlib.decompressobj()
        body = inflater.decompress(
            base64.urlsafe_b64decode(raw + b"=" * (-len(raw) % 4)), _MAX_INFLATED
        )
        if inflater.unconsumed_tail:
            raise BadCursor("cursor too large")
        return body
    return base64.urlsafe_b64decode(payload + b"=" * (-len(payload) % 4))


def _sign(payload: bytes, key: bytes) -> bytes:
    return hmac.new(key, b"trivsel-cursor:" + payload, hashlib.sha256).digest()
