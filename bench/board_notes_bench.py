"""`python -m bench notes`: the board photo becomes the notes (issue 25, part 1).

Generated board photos (bench/legibility_board.py, which knows where every note is, its column
and its words) go through what the server does with an uploaded board photo: the tablet's
copy (2048 px WebP 60, as pwa/src/photos/encoding.ts sends it) is searched for notes and each
note is read (server/photos/suggestions.py). Printed, against the generator's ground truth:

- notes found: recall (written notes found) and precision (found things that are notes);
- notes placed: written notes found in their own column;
- words read right: word level, case-insensitive, each written word counted once where it is
  written (a note not found reads none of its words); also over the words without æ, ø or
  å (two of the three handwriting fonts have no glyphs for them: nobody could read those),
  and over the texts offered (confidence at or above READ_CONFIDENCE), since only those
  reach the leader;
- seconds per photo: finding and reading, on this machine (shared: wall time is inflated by
  whatever else runs, compare runs back to back), and the CPU seconds it took, which do not
  depend on the machine's load (with two free cores the wall time is about half of them);
- the calibration of READ_CONFIDENCE: per threshold, the share of notes offered as text and
  the share of their words that are right.

NOTES_SEEDS (default 1,2,3) and NOTES_VARIANTS (default good,crowded,angled,glare) choose the
photos. Needs Debian's tesseract-ocr, tesseract-ocr-dan and the handwriting fonts
(`make bench-deps`).
"""

from __future__ import annotations

import math
import os
import re
import resource
import time
from collections import Counter
from dataclasses import dataclass, field

from bench.legibility_board import SIZE, BoardPhoto, board_photo, tablet_copy
from bench.report import Row, print_rows
from server.photos.board_notes import FoundNote, decode, find_notes
from server.photos.note_reading import READ_CONFIDENCE, Reading, read_notes

SEEDS = [int(s) for s in os.environ.get("NOTES_SEEDS", "1,2,3").split(",")]
VARIANTS = os.environ.get("NOTES_VARIANTS", "good,crowded,angled,glare").split(",")
THRESHOLDS = (0, 50, 60, 65, 70, 75, 80, 85)


@dataclass
class Tally:
    written: int = 0
    found: int = 0
    matched: int = 0
    placed: int = 0
    words: int = 0
    words_right: int = 0
    plain_words: int = 0  # without æ, ø, å
    plain_right: int = 0
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # this process and its tesseracts
    # (confidence, words on the note, words read right) per matched note
    readings: list[tuple[float, int, int]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("written", "found", "matched", "placed", "words", "words_right"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.plain_words += other.plain_words
        self.plain_right += other.plain_right
        self.seconds += other.seconds
        self.cpu += other.cpu
        self.readings += other.readings


def main() -> None:
    total = Tally()
    print(f"\n== board photo -> notes: seeds {SEEDS}, tablet copies (2048 px WebP 60) ==")
    for variant in VARIANTS:
        tally = Tally()
        for seed in SEEDS:
            tally.add(_one(board_photo(seed, variant)))
        _print_variant(variant, tally)
        total.add(tally)
    print("  all photos:")
    print_rows(_figures(total), ROWS)
    print(f"  READ_CONFIDENCE is {READ_CONFIDENCE:.0f}; by threshold (notes found):")
    for threshold in THRESHOLDS:
        offered = [(n, r) for c, n, r in total.readings if c >= threshold]
        words = sum(n for n, _ in offered)
        right = sum(r for _, r in offered)
        share = len(offered) / max(1, len(total.readings))
        print(
            f"    >= {threshold:>3}: {share:6.1%} of notes offered as text, "
            f"{right / max(1, words):6.1%} of their words right"
        )
    print(
        "  where it runs: on the server (tesseract is native there; the tablet would need a "
        "WebAssembly OCR and\n  detector and the Danish model, 2.6 MB here, downloaded "
        "and kept offline: not measured)"
    )


def _one(board: BoardPhoto) -> Tally:
    """Find and read one photo's notes as the server does, and score them."""
    sent = tablet_copy(board.jpeg)
    cpu_before = _cpu()
    start = time.perf_counter()
    notes = find_notes(decode(sent))
    readings = read_notes([n.crop for n in notes])
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu_before
    scale = SIZE[0] / decode(sent).shape[1]  # truth is in the camera's pixels
    tally = Tally(written=len(board.notes), found=len(notes), seconds=[seconds], cpu=[cpu])
    taken: set[int] = set()
    for truth in board.notes:
        match = _match(truth.centre, truth.corners, notes, taken, scale)
        words = Counter(w.lower() for w in truth.words)
        tally.words += sum(words.values())
        plain = Counter({w: n for w, n in words.items() if not set(w) & set("æøå")})
        tally.plain_words += sum(plain.values())
        if match is None:
            continue
        taken.add(match)
        tally.matched += 1
        tally.placed += notes[match].column == truth.column
        read = _words(readings[match])
        right = sum((words & read).values())
        tally.words_right += right
        tally.plain_right += sum((plain & read).values())
        tally.readings.append((readings[match].confidence, sum(words.values()), right))
    return tally


def _match(
    centre: tuple[float, float],
    corners: list[tuple[float, float]],
    notes: list[FoundNote],
    taken: set[int],
    scale: float,
) -> int | None:
    """The found note whose centre is within a third of a side of the written note's."""
    side = math.dist(corners[0], corners[1])
    best: tuple[float, int] | None = None
    for i, note in enumerate(notes):
        if i in taken:
            continue
        distance = math.dist(centre, (note.centre[0] * scale, note.centre[1] * scale))
        if distance < side / 3 and (best is None or distance < best[0]):
            best = (distance, i)
    return None if best is None else best[1]


def _cpu() -> float:
    """CPU seconds spent so far by this process and its finished children (tesseract): what
    a photo costs whatever else the machine is doing."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _words(reading: Reading) -> Counter[str]:
    return Counter(w.lower() for w in re.findall(r"\w+", reading.text))


def _figures(t: Tally) -> dict[str, float]:
    offered = [(n, r) for c, n, r in t.readings if c >= READ_CONFIDENCE]
    return {
        "recall": 100 * t.matched / max(1, t.written),
        "precision": 100 * t.matched / max(1, t.found),
        "placed": 100 * t.placed / max(1, t.written),
        "words": 100 * t.words_right / max(1, t.words),
        "plain": 100 * t.plain_right / max(1, t.plain_words),
        "offered": 100 * sum(r for _, r in offered) / max(1, sum(n for n, _ in offered)),
        "offered_notes": 100 * len(offered) / max(1, len(t.readings)),
        "seconds": sum(t.seconds) / max(1, len(t.seconds)),
        "slowest": max(t.seconds, default=0.0),
        "cpu": sum(t.cpu) / max(1, len(t.cpu)),
    }


def _print_variant(variant: str, tally: Tally) -> None:
    f = _figures(tally)
    print(
        f"  {variant:<8} notes {tally.matched}/{tally.written} found ({f['recall']:.0f} %), "
        f"precision {f['precision']:.0f} %, placed {f['placed']:.0f} %, "
        f"words {f['words']:.0f} %, {f['seconds']:.1f} s/photo ({f['cpu']:.1f} s CPU)"
    )


ROWS: list[Row] = [
    ("notes found (recall)", "recall", "%", ">= 95"),
    ("found that are notes (precision)", "precision", "%", ""),
    ("notes in their right column", "placed", "%", ">= 95"),
    ("words read right", "words", "%", ">= 80"),
    ("  of words without æ, ø, å", "plain", "%", ""),
    ("  of the texts offered", "offered", "%", ""),
    ("notes offered as text (else image)", "offered_notes", "%", ""),
    ("seconds per photo (mean)", "seconds", "s", "< 5"),
    ("seconds per photo (slowest)", "slowest", "s", ""),
    ("CPU seconds per photo (all threads)", "cpu", "s", ""),
]
