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

# 0-100, tesseract's scale. Calibrated with `python -m bench notes` on the generated boards:
# at 75 about a fifth of the notes are offered as text and about half their words are right;
# at 70, two fifths with 38 %; lower, worse still. Confidence tells good readings from bad
# only weakly with these handwriting fonts, so the bar is set where a text is more often
# a help than a thing to delete.
READ_CONFIDENCE = 75.0
WORD_CONFIDENCE = 30.0  # a word below this is noise (a smudge read as "i" or ".")
# One block of text (a note's lines); and no second pass for white-on-black text, which a
# note never has (a tenth less time, the same words read).
TESSERACT_CONFIG = "--psm 6 -c tessedit_do_invert=0"
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
    reads best. Not thresholded here: on the notes of two generated boards tesseract's own
    binarisation read 41 % of the words, Otsu's threshold before it 29 % and an adaptive
    one 30 % (the strokes of a thin marker break up)."""
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
