"""Reading a sticky note's handwriting with tesseract (Danish), and saying how sure it is.

The crop from board_notes.py is already straight; what is left is light: grayscale, an
adaptive threshold (the light over a board is uneven and glare bleaches one corner), then a
small deskew for the writer's own slant of the lines. Tesseract runs once per note, in a few
threads at once (pytesseract starts one process each; OMP_THREAD_LIMIT=1 keeps each of them
to one core, else they fight over the cores and are slower together).

A text is offered only when tesseract's mean word confidence reaches READ_CONFIDENCE
(calibrated with `python -m bench notes`): below it the words are mostly wrong, and a wrong
suggestion costs the leader more than an empty one, so the note is offered as its picture.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
import pytesseract

from server.photos.board_notes import Image

READ_CONFIDENCE = 70.0  # 0-100, tesseract's scale; see bench/board_notes_bench.py
WORD_CONFIDENCE = 30.0  # a word below this is noise (a smudge read as "i" or ".")
TESSERACT_CONFIG = "--psm 6"  # one block of text: a note's lines
THREADS = 4


@dataclass(frozen=True)
class Reading:
    text: str
    confidence: float  # 0-100; 0 when nothing was read


def read_notes(crops: list[Image]) -> list[Reading]:
    """What each note says, in the same order."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # tesseract's own threads, per process
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(read_note, crops))


def read_note(crop: Image) -> Reading:
    """One note's words and tesseract's mean confidence in them."""
    data = pytesseract.image_to_data(
        prepare(crop), lang="dan", config=TESSERACT_CONFIG, output_type=pytesseract.Output.DICT
    )
    words, confidences = [], []
    for word, conf in zip(data["text"], data["conf"], strict=True):
        word, conf = str(word).strip(), float(conf)
        if word and conf >= WORD_CONFIDENCE:
            words.append(word)
            confidences.append(conf)
    if not words:
        return Reading("", 0.0)
    return Reading(" ".join(words), sum(confidences) / len(confidences))


def prepare(crop: Image) -> Image:
    """Dark writing on light paper, level and stretched to full contrast: what tesseract
    reads best. Not thresholded: tesseract's own binarisation read 41 % of the words on
    the bench's boards, Otsu's 29 % and an adaptive threshold 30 % (strokes of a thin marker
    break up)."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    gray = cv2.normalize(gray, None, 0, 255, cv2.NORM_MINMAX)
    return _deskew(gray)


def _deskew(gray: Image) -> Image:
    """Turn the ink's lines level: the angle of the smallest box round the dark pixels."""
    _, ink_mask = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = np.column_stack(np.where(ink_mask > 0)).astype(np.float32)
    if len(ink) < 50:
        return gray
    angle = cv2.minAreaRect(ink[:, ::-1])[2]
    if angle > 45:
        angle -= 90
    if abs(angle) < 0.5 or abs(angle) > 10:  # level already, or a shape that is not lines
        return gray
    height, width = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,))
