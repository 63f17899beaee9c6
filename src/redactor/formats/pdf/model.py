"""What extraction hands to writing: per-page glyph boxes and the segment-to-glyph maps.

``Handle`` is ``Document.handle`` for a PDF: for every segment read from the page text, the
page and the pdfplumber character index of each text position, so that ``write`` knows
exactly which glyphs an ``Edit`` covers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Origins of segments that only PDFs have (common ones are in redactor.document).
ANNOTATION = "annotation"
OUTLINE = "outline"
PREVIOUS = "previous_version"
STRUCTURE = "structure"
ATTACHMENT = "attachment"
NO_TEXT = "image"


@dataclass
class Page:
    number: int                      # 1-based
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # per char: x0, top, x1, bottom (user space, y flipped)
    under_box: list[int] = field(default_factory=list)   # char indices that lie under dark boxes
    ocr: bool = False


@dataclass
class Handle:
    path: str
    pages: list[Page] = field(default_factory=list)
    maps: dict[int, list[int]] = field(default_factory=dict)            # segment -> char index per text position
    ocr_maps: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)  # pixel boxes
    seg_page: dict[int, int] = field(default_factory=dict)              # segment -> page index
    last_header: tuple[int, dict[int, str]] | None = None               # while extracting: (columns, header)

