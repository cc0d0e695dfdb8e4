"""Cursors (sync/cursor.py): what the server signs it reads back, and nothing else."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
import zlib

import pytest

from sync.cursor import BadCursor, Cursor, decode, encode

KEY = b"cursor:test-key"


def scopes(courses: int) -> frozenset[str]:
    ids = [uuid.uuid4() for _ in range(courses)]
    return frozenset([f"course:{i}" for i in ids] + [f"child:{uuid.uuid4()}" for _ in ids])


@pytest.mark.parametrize("courses", [0, 1, 210])
def test_a_cursor_reads_back_as_it_was_made(courses: int) -> None:
    cursor = Cursor(seq=987_654, scopes=scopes(courses), history=2**61 + 5)
    assert decode(encode(cursor, KEY), KEY) == cursor


def test_an_empty_cursor_is_the_start_and_only_it() -> None:
    assert decode("", KEY).is_start and decode(None, KEY).is_start
    assert not Cursor(seq=0, scopes=frozenset({"user:u"})).is_start
    assert not Cursor(seq=3, scopes=frozenset()).is_start


@pytest.mark.parametrize("tamper", ["payload", "signature", "key"])
def test_a_changed_cursor_or_another_servers_is_refused(tamper: str) -> None:
    text = encode(Cursor(seq=5, scopes=frozenset({"course:a"})), KEY)
    payload, sig = text.split(".")
    if tamper == "payload":
        text = f"{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}.{sig}"
    elif tamper == "signature":
        text = f"{payload}.{sig[:-1]}{'A' if sig[-1] != 'A' else 'B'}"
    with pytest.raises(BadCursor):
        decode(text, b"another-key" if tamper == "key" else KEY)


def signed(payload: bytes) -> str:
    sig = hmac.new(KEY, b"trivsel-cursor:" + payload, hashlib.sha256).digest()
    return f"{payload.decode()}.{base64.urlsafe_b64encode(sig).rstrip(b'=').decode()}"


def test_a_version_1_cursor_reads_as_history_0() -> None:
    body = json.dumps({"v": 1, "s": 12, "sc": ["course:a", "user:u"]}).encode()
    cursor = decode(signed(base64.urlsafe_b64encode(body).rstrip(b"=")), KEY)
    assert cursor == Cursor(seq=12, scopes=frozenset({"course:a", "user:u"}), history=0)


def test_even_a_signed_cursor_cannot_make_the_server_inflate_without_bound() -> None:
    bomb = zlib.compress(b'{"v":2,"s":1,"h":0,"sc":["' + b"a" * 50_000_000 + b'"]}', 9)
    with pytest.raises(BadCursor):
        decode(signed(b"z" + base64.urlsafe_b64encode(bomb).rstrip(b"=")), KEY)
