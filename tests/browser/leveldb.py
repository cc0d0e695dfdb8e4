"""What a browser profile holds on disk, readable: Chromium's IndexedDB is LevelDB, whose
write-ahead .log keeps records as written and whose .ldb table files keep them in blocks,
most of them Snappy-compressed; the blob files beside them hold Blobs as they are.

Used by test_encrypted_at_rest.py to search a closed profile for a child's data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cramjam

_FOOTER = 48  # two block handles (padded) and the 8-byte magic number
_MAGIC = 0xDB4775248B80FB57
_TRAILER = 5  # after each block: 1 byte compression type, 4 bytes CRC


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _block(data: bytes, offset: int, size: int) -> bytes:
    raw = data[offset : offset + size]
    kind = data[offset + size]
    return bytes(cramjam.snappy.decompress_raw(raw)) if kind == 1 else raw


def _entries(block: bytes) -> Iterator[bytes]:
    """The values of a block's entries (prefix-compressed keys are of no interest here)."""
    restarts = int.from_bytes(block[-4:], "little")
    end = len(block) - 4 - 4 * restarts
    at = 0
    while at < end:
        _shared, at = _varint(block, at)
        unshared, at = _varint(block, at)
        length, at = _varint(block, at)
        at += unshared
        yield block[at : at + length]
        at += length


def table_blocks(path: Path) -> Iterator[bytes]:
    """Every data block of an .ldb table file, decompressed."""
    data = path.read_bytes()
    if len(data) < _FOOTER or int.from_bytes(data[-8:], "little") != _MAGIC:
        return
    footer = data[-_FOOTER:]
    _meta_offset, at = _varint(footer, 0)
    _meta_size, at = _varint(footer, at)
    index_offset, at = _varint(footer, at)
    index_size, _ = _varint(footer, at)
    for handle in _entries(_block(data, index_offset, index_size)):
        offset, at = _varint(handle, 0)
        size, _ = _varint(handle, at)
        yield _block(data, offset, size)


def readable(folder: Path) -> Iterator[tuple[Path, bytes]]:
    """Each file under ``folder`` as a reader sees it: table files decompressed block by
    block, every other file (the .log, the blob files) as it is."""
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if path.suffix == ".ldb":
            for block in table_blocks(path):
                yield path, block
        yield path, path.read_bytes()
