"""Where a segment's characters live in the XML, and how an edit is written back there.

A segment's text is the concatenation of pieces. A piece is a slice ``[lo, hi)`` of one text
node or attribute (``node.text`` when ``attr`` is None), or a read-only joiner that stands for
something that is not text of its own (the newline between comment runs, ``&&`` in a header
that shows as ``&``). Several pieces may slice one node (a header's literal text between its
codes). ``write_back`` applies edits piece by piece, so a value split over rich-text runs is
masked run by run and each run keeps its formatting; equal-length replacements are spread
character by character, others go into the first writable piece.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree


@dataclass
class Piece:
    node: etree._Element | None  # None: a read-only joiner
    attr: str | None
    lo: int
    hi: int
    text: str

    @property
    def writable(self) -> bool:
        return self.node is not None


def node_piece(node: etree._Element, attr: str | None = None) -> Piece:
    text = (node.text if attr is None else node.get(attr)) or ""
    return Piece(node, attr, 0, len(text), text)


def joiner(text: str) -> Piece:
    return Piece(None, None, 0, 0, text)


def text_of(pieces: Sequence[Piece]) -> str:
    return "".join(p.text for p in pieces)


class CannotEdit(Exception):
    """An edit covers only read-only characters (it cannot be written to any node)."""


def plan_edits(pieces: Sequence[Piece], edits: Sequence[tuple[int, int, str]]) -> dict[int, list[tuple[int, int, str]]]:
    """Piece index -> (start, end, replacement) local to that piece's text."""
    starts, pos = [], 0
    for p in pieces:
        starts.append(pos)
        pos += len(p.text)
    ops: dict[int, list[tuple[int, int, str]]] = {}
    taken_until = -1
    for start, end, rep in sorted(edits):
        if start < taken_until or end <= start:
            continue  # overlaps an earlier edit (resolved findings never do) or empty
        taken_until = end
        first = max(0, bisect_right(starts, start) - 1)
        covered = []
        for i in range(first, len(pieces)):
            ps, pe = starts[i], starts[i] + len(pieces[i].text)
            if ps >= end:
                break
            if pe <= start and pe != ps:
                continue
            a, b = max(start, ps), min(end, pe)
            if b > a:
                covered.append((i, a - ps, b - ps, a - start, b - start))
        writable = [c for c in covered if pieces[c[0]].writable]
        if not writable:
            raise CannotEdit
        same_length = len(rep) == end - start
        pending = ""
        last: list | None = None
        for i, ls, le, a, b in covered:
            chunk = rep[a:b] if same_length else (rep if i == writable[0][0] else "")
            if not pieces[i].writable:
                if last is not None:
                    last[2] += chunk
                else:
                    pending += chunk
                continue
            op = [ls, le, pending + chunk]
            pending = ""
            ops.setdefault(i, []).append(op)  # type: ignore[arg-type]
            last = op
    return {i: [tuple(o) for o in v] for i, v in ops.items()}  # type: ignore[misc]


def write_back(pieces: Sequence[Piece], edits: Sequence[tuple[int, int, str]],
               escape: Callable[[str], str] | None = None,
               node_map: dict | None = None) -> None:
    """Apply ``edits`` (offsets into the segment's text) to the nodes the pieces point at.

    ``escape`` encodes a replacement for its container (``&`` -> ``&&`` in a header);
    ``node_map`` redirects pieces to other nodes (a shared string's copy).
    """
    ops = plan_edits(pieces, edits)
    by_target: dict[tuple[int, str | None], tuple[etree._Element, str | None, list[tuple[int, int, str]]]] = {}
    for i, local in ops.items():
        p = pieces[i]
        node = node_map.get(p.node, p.node) if node_map else p.node
        key = (id(node), p.attr)
        entry = by_target.setdefault(key, (node, p.attr, []))
        for ls, le, rep in local:
            entry[2].append((p.lo + ls, p.lo + le, escape(rep) if escape else rep))
    for node, attr, changes in by_target.values():
        old = (node.text if attr is None else node.get(attr)) or ""
        out, cur = [], 0
        for lo, hi, rep in sorted(changes):
            out.append(old[cur:lo])
            out.append(rep)
            cur = hi
        out.append(old[cur:])
        new = "".join(out)
        if attr is None:
            node.text = new
        else:
            node.set(attr, new)
