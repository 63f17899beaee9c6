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
LAYER = "layer"              # the name of an optional-content group
PAGE_LABEL = "page_label"    # a page label's prefix
REMOVED = "removed"          # a part the copy does not keep (its text is checked all the same)


@dataclass
class Page:
    number: int                      # 1-based
    first: int = 0                   # document-wide index of the page's first character
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # per char: x0, top, x1, bottom (user space, y flipped)
    under_box: list[int] = field(default_factory=list)   # char indices that lie under dark boxes
    ocr: bool = False
    bands: list[tuple[float, float]] = field(default_factory=list)  # OCR: (top, bottom) of each character, pixels
    ocr_chars: list[tuple[str, tuple[float, float, float, float]]] = field(default_factory=list)  # OCR: character, pixel box
    untrusted: bool = False          # its fonts lie (OCR reads other numbers): the copy renders it if it masks anything


@dataclass
class Handle:
    path: str
    pages: list[Page] = field(default_factory=list)
    total: int = 0                                                      # characters on the pages read so far
    maps: dict[int, list[int]] = field(default_factory=dict)            # segment -> document-wide char index per text position
    ocr_maps: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)  # pixel boxes
    seg_page: dict[int, int] = field(default_factory=dict)              # segment -> page index
    slots: dict[int, tuple] = field(default_factory=dict)               # segment -> where a kept string lives
    last_header: tuple[int, dict[int, str]] | None = None               # while extracting: (columns, header)

    def page_of(self, char: int) -> int:
        """The index of the page a document-wide character index falls on."""
        from bisect import bisect_right

        return bisect_right([p.first for p in self.pages], char) - 1

