"""Length-preserving folding for pattern matching: now part of ``redactor.textview``.

Kept as a name other modules import. The normalised view that detectors read (format
characters removed, NFKC letters and digits, simplified script ...) is ``textview.view_of``;
``fold`` is the cheap one-for-one fold of full-width ASCII, look-alike spaces and dashes that
pattern rules apply on top of it.
"""
from __future__ import annotations

from .textview import fold

__all__ = ["fold"]
