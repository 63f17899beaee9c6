"""The detector protocol and the context a detector receives.

A detector is anything with ``name`` and ``detect(text, ctx) -> Iterable[Finding]``; it sees
one segment at a time and returns findings with offsets into ``text``. Detectors that need
the whole document (a name found once is masked everywhere) also implement
``detect_document(doc, findings)``, called after every segment has been scanned.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Protocol, Sequence, runtime_checkable

from ..document import Document, Segment
from ..findings import Finding

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


@runtime_checkable
class Detector(Protocol):
    name: str

    def detect(self, text: str, ctx: DetectContext) -> Iterable[Finding]: ...


@runtime_checkable
class DocumentDetector(Protocol):
    name: str

    def detect_document(self, doc: Document, findings: Sequence[Finding], ctx: DetectContext) -> Iterable[Finding]: ...
