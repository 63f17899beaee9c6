"""Document and Segment: what a format adapter hands to the detectors.

Format adapters (``redactor/formats``) turn a file into a Document: an ordered list of text
segments in reading order, each with a plain-data location that points back into the file.
Detectors see only segments; adapters never see what a finding means.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .findings import Finding

# Where a segment's text comes from. Adapters may add their own origins; these are common.
BODY = "body"
TABLE = "table"
HEADER = "header"
FOOTER = "footer"
NOTE = "note"              # footnote / endnote
COMMENT = "comment"
TRACKED_INSERT = "tracked_insert"
TRACKED_DELETE = "tracked_delete"
HIDDEN_TEXT = "hidden_text"
TEXTBOX = "textbox"
METADATA = "metadata"
OCR = "ocr"
UNDER_BOX = "under_box"    # PDF text lying under a filled rectangle


@dataclass(frozen=True)
class Segment:
    """A run of text in reading order.

    ``location`` is plain data the adapter understands when writing back and a report can
    show to a person: ``{"line": 3}``, ``{"page": 2, "table": 0, "row": 4, "col": 1}``,
    ``{"part": "word/document.xml", "paragraph": 12}``, ``{"property": "author"}``.
    ``column_header`` is the header cell of a table column ("身份证号码"), when known, so
    detectors can use it as context.
    """

    text: str
    origin: str = BODY
    location: Mapping[str, Any] = field(default_factory=dict)
    column_header: str | None = None


@dataclass
class Document:
    """A file as the detectors see it.

    ``notices`` are findings the adapter itself makes (a comment exists, a page has no text
    layer, a tracked deletion, document properties): the pipeline merges them with the
    detectors' findings. ``handle`` is adapter-private state used by ``write``.
    """

    path: str
    format: str
    segments: list[Segment]
    notices: list[Finding] = field(default_factory=list)
    handle: Any = None

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


@dataclass(frozen=True)
class Edit:
    """Replace ``segments[segment].text[start:end]`` with ``replacement`` when writing."""

    segment: int
    start: int
    end: int
    replacement: str
