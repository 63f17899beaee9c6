"""Where each character of a segment lives: pieces (a node's text, an attribute, a structural
element) collected into segment models, and the state one extraction builds."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ...document import COMMENT, HIDDEN_TEXT, TRACKED_DELETE, TRACKED_INSERT, Segment
from ...findings import Finding
from .package import _Package


class _Piece:
    """Where a stretch of segment text lives: a node's text ('t'), its tail ('l'), an attribute
    ('a'), a symbol element (w:sym, 'y': written as a w:t when edited), several places holding
    the same value ('m': ``node`` is a list of (element, attribute or None for text)), a
    structural element standing for a character ('s', read-only) or nothing ('v', a joiner)."""

    __slots__ = ("attr", "kind", "node", "text")

    def __init__(self, node: Any, kind: str, text: str, attr: str | None = None) -> None:
        self.node, self.kind, self.text, self.attr = node, kind, text, attr


class _Acc:
    """Collects the pieces of one segment; remembers where tracked insertions are."""

    __slots__ = ("inserted", "length", "pieces")

    def __init__(self) -> None:
        self.pieces: list[_Piece] = []
        self.length = 0
        self.inserted: list[list[int]] = []

    def add(self, piece: _Piece, inserted: bool = False) -> None:
        n = len(piece.text)
        if inserted and n:
            if self.inserted and self.inserted[-1][1] == self.length:
                self.inserted[-1][1] += n
            else:
                self.inserted.append([self.length, self.length + n])
        self.pieces.append(piece)
        self.length += n

    def join(self, sep: str = "\n") -> None:
        if self.pieces:
            self.add(_Piece(None, "v", sep))


@dataclass
class _SegModel:
    pieces: list[_Piece]
    starts: list[int]
    removed: bool = False  # its content is removed from the copy (deletions, hidden text, comments)
    readonly: str | None = None  # why its text cannot be edited in place (an imported HTML chunk)
    picture: str | None = None  # a picture part whose pixels this text was read from (OCR): blanked if edited


@dataclass
class _State:
    pkg: _Package
    styles_hidden: dict[str, bool]
    default_hidden: bool
    segments: list[Segment] = field(default_factory=list)
    models: list[_SegModel] = field(default_factory=list)
    notices: list[Finding] = field(default_factory=list)
    used: bool = False
    chart_workbooks: dict[str, list[str]] = field(default_factory=dict)  # chart part -> embedded workbooks
    keep: set[str] = field(default_factory=set)       # parts the copy keeps (the allow-list)
    drop: dict[str, str] = field(default_factory=dict)  # parts the copy drops -> why
    pictures: dict[str, str] = field(default_factory=dict)  # kept picture part -> format (png, jpeg ...)
    chunks: set[str] = field(default_factory=set)  # kept imported HTML/text chunks (w:altChunk)
    read_attrs: set[tuple[Any, str]] = field(default_factory=set)  # (element, attribute) already read
    inert_parts: set[str] = field(default_factory=set)  # parts the sweep found unable to hold a value
    markup_notes: dict[str, list[Any]] = field(default_factory=dict)  # part -> XML comments, PIs (dropped)
    read_count: dict[str, int] = field(default_factory=dict)  # part -> text nodes read
    read_extra: dict[str, list[Any]] = field(default_factory=dict)  # part -> text read outside segments

    def emit(self, acc: _Acc, origin: str, location: dict[str, Any], column_header: str | None = None,
             removed: bool = False, keep_empty: bool = False) -> int | None:
        text = "".join(p.text for p in acc.pieces)
        if not text and not keep_empty:
            return None
        if acc.inserted and origin not in (TRACKED_DELETE, HIDDEN_TEXT, COMMENT):
            location = {**location, "container": origin}
            origin = TRACKED_INSERT
        starts, pos = [], 0
        n_read = 0
        for p in acc.pieces:
            starts.append(pos)
            pos += len(p.text)
            if p.kind == "a":
                self.read_attrs.add((p.node, p.attr))
            elif p.kind == "t" and p.text:
                n_read += 1
        if n_read:
            part = location.get("part", "")
            self.read_count[part] = self.read_count.get(part, 0) + n_read
        index = len(self.segments)
        self.segments.append(Segment(text=text, origin=origin, location=location, column_header=column_header))
        self.models.append(_SegModel(acc.pieces, starts, removed))
        if origin == TRACKED_INSERT:
            for s, e in acc.inserted:
                self.notice("tracked_change", s, e, text[s:e], "docx.tracked_insert", index,
                            "tracked insertion (revision history with author and date); accepted in the redacted copy",
                            change="insertion")
        return index

    def read_nodes(self, part: str) -> set[Any]:
        """Elements of ``part`` whose text a segment was read from (the sweep's slow path)."""
        out = set(self.read_extra.get(part, ()))
        for seg, model in zip(self.segments, self.models):
            if seg.location.get("part") == part:
                out.update(p.node for p in model.pieces if p.kind == "t")
        return out

    def notice(self, kind: str, start: int, end: int, text: str, rule: str, segment: int, explanation: str,
               **attrs: Any) -> None:
        self.notices.append(Finding(kind=kind, start=start, end=end, text=text, score=1.0, rule=rule,
                                    explanation=explanation, segment=segment, attrs=attrs))

