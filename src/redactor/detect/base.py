"""The context a detector receives, and what a detector is.

A detector is anything with ``name`` and ``detect(text, ctx) -> Iterable[Finding]``; it sees
one segment at a time and returns findings with offsets into ``text``. Detectors that need
the whole document (a name found once is masked everywhere) implement
``detect_document(doc, findings, ctx) -> Iterable[Finding]``, called after every segment has
been scanned. The pipeline finds out which by ``hasattr``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import Document, Segment

if TYPE_CHECKING:
    from ..policy import Policy


@dataclass(frozen=True)
class DetectContext:
    """What a detector may know besides the text: which segment, where, and the policy."""

    index: int = 0
    segment: Segment | None = None
    document: Document | None = None
    policy: "Policy | None" = None

    @property
    def column_header(self) -> str | None:
        return self.segment.column_header if self.segment else None

    @property
    def origin(self) -> str:
        return self.segment.origin if self.segment else "body"
