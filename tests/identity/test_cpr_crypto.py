"""CPR numbers at rest: AES-GCM under a rotating keyring, the keyed lookup hash, and the
column type the models will use."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select
from sqlalchemy.exc import StatementError

from server.identity.cpr import Cpr
from server.identity.cpr_crypto import CprDecryptError, CprKeyError, CprKeyring, new_key_entry
from server.identity.cpr_types import EncryptedCpr

METTE, LARS = Cpr("010155-5001"), Cpr("020255-5002")


def _key(byte: int) -> str:
    return base64.urlsafe_b64encode(bytes([byte]) * 32).decode()


@pytest.fixture
def ring() -> CprKeyring:
    return CprKeyring.from_setting(new_key_entry("k1"))


def test_round_trip(ring: CprKeyring) -> None:
    stored = ring.encrypt(METTE, "child.cpr")
    assert ring.decrypt(stored, "child.cpr") == METTE
    assert stored.startswith("k1:")
    assert METTE.digits not in stored and "5001" not in stored


@settings(deadline=None)
@given(st.sampled_from([METTE, LARS]))
def test_each_encryption_is_different(cpr: Cpr) -> None:
    ring = CprKeyring.from_setting(f"k1:{_key(7)}")
    assert ring.encrypt(cpr) != ring.encrypt(cpr)  # a random nonce every time


def test_a_tampered_value_is_refused(ring: CprKeyring) -> None:
    stored = ring.encrypt(METTE)
    key_id, body = stored.split(":")
    raw = bytearray(base64.urlsafe_b64decode(body + "=="))
    for position in (0, 12, len(raw) - 1):  # the nonce, the ciphertext, the tag
        flipped = raw.copy()
        flipped[position] ^= 1
        bad = f"{key_id}:{base64.urlsafe_b64encode(bytes(flipped)).decode().rstrip('=')}"
        with pytest.raises(CprDecryptError):
            ring.decrypt(bad)
    for bad in (stored[:-4], "k1:", "k1:!!!", "", "nokey", f"k9:{body}"):
        with pytest.raises(CprDecryptError):
            ring.decrypt(bad)


def test_a_value_moved_to_another_column_is_refused(ring: CprKeyring) -> None:
    with pytest.raises(CprDecryptError):
        ring.decrypt(ring.encrypt(METTE, "guardian.cpr"), "child.cpr")


def test_another_key_cannot_read_it() -> None:
    one = CprKeyring.from_setting(f"k1:{_key(1)}")
    other = CprKeyring.from_setting(f"k1:{_key(2)}")
    with pytest.raises(CprDecryptError):
        other.decrypt(one.encrypt(METTE))


def test_the_key_rotates() -> None:
    old = CprKeyring.from_setting(f"k1:{_key(1)}")
    stored = old.encrypt(METTE)
    new = CprKeyring.from_setting(f"k2:{_key(2)}, k1:{_key(1)}")
    assert new.decrypt(stored) == METTE
    assert new.needs_rotation(stored)
    rotated = new.encrypt(new.decrypt(stored))
    assert rotated.startswith("k2:") and not new.needs_rotation(rotated)
    # Rows hashed under the old key are still found while they wait for rotation.
    assert old.lookup_hash(METTE) in new.lookup_hashes(METTE)
    assert new.lookup_hash(METTE) == new.lookup_hashes(METTE)[0]
    # Once k1 is gone, what it encrypted is unreadable (rotate before removing a key).
    with pytest.raises(CprDecryptError):
        CprKeyring.from_setting(f"k2:{_key(2)}").decrypt(stored)


def test_the_lookup_hash_is_stable_and_keyed() -> None:
    setting = f"k1:{_key(1)}"
    one, again = CprKeyring.from_setting(setting), CprKeyring.from_setting(setting)
    assert one.lookup_hash(METTE) == again.lookup_hash(Cpr("0101555001"))
    assert one.lookup_hash(METTE) != one.lookup_hash(LARS)
    assert one.lookup_hash(METTE) != CprKeyring.from_setting(f"k1:{_key(2)}").lookup_hash(METTE)
    assert METTE.digits not in one.lookup_hash(METTE)
    # Different from an unkeyed hash anyone could compute by trying every number.
    import hashlib

    assert hashlib.sha256(METTE.digits.encode()).hexdigest() not in one.lookup_hash(METTE)


@pytest.mark.parametrize(
    "setting",
    [
        "",
        " , ",
        "k1",
        f"k1:{_key(1)[:-8]}",
        "k1:not base64!",
        f"bad id:{_key(1)}",
        f"k1:{_key(1)},k1:{_key(2)}",
        f"{'x' * 17}:{_key(1)}",
    ],
)
def test_an_unusable_key_setting_is_refused_without_printing_it(setting: str) -> None:
    with pytest.raises(CprKeyError) as refused:
        CprKeyring.from_setting(setting)
    assert _key(1)[:20] not in str(refused.value)


def test_the_keyring_does_not_print_its_keys() -> None:
    ring = CprKeyring.from_setting(f"k1:{_key(1)}")
    assert _key(1)[:20] not in repr(ring) and "k1" in repr(ring)


def test_the_column_type_stores_only_ciphertext(ring: CprKeyring) -> None:
    engine = create_engine("sqlite://")
    meta = MetaData()
    children = Table(
        "children",
        meta,
        Column("id", Integer, primary_key=True),
        Column("cpr", EncryptedCpr(lambda: ring, "child.cpr")),
        Column("cpr_hash", String(64), index=True),
    )
    raw = Table("children", MetaData(), Column("id", Integer), Column("cpr", String))
    meta.create_all(engine)
    with engine.begin() as db:
        db.execute(
            insert(children),
            [
                {"id": 1, "cpr": METTE, "cpr_hash": ring.lookup_hash(METTE)},
                {"id": 2, "cpr": None, "cpr_hash": None},
            ],
        )
        stored = db.execute(select(raw.c.cpr).where(raw.c.id == 1)).scalar_one()
        assert stored.startswith("k1:") and "5001" not in stored
        assert db.execute(select(children.c.cpr).where(children.c.id == 1)).scalar_one() == METTE
        assert db.execute(select(children.c.cpr).where(children.c.id == 2)).scalar_one() is None
        found = db.execute(
            select(children.c.id).where(
                children.c.cpr_hash.in_(ring.lookup_hashes(Cpr("0101555001")))
            )
        ).scalar_one()
        assert found == 1
        with pytest.raises(StatementError, match="takes a Cpr"):
            db.execute(insert(children), {"id": 3, "cpr": "0101555001"})
