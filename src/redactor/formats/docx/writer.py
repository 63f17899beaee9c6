"""Writing: each Edit applied to the text nodes its characters came from, run by run."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from lxml import etree

from ...document import Edit
from .model import _SegModel
from .ns import W_DELINSTR, W_DELTEXT, W_INSTR, W_T, XML_SPACE
from .package import _Package

# Piece kinds whose text the writer can replace (see model._Piece).
WRITABLE = ("t", "a", "y", "m")


def _apply(model: _SegModel, edits: Sequence[Edit], pkg: _Package) -> None:
    """Map segment offsets back to the pieces and rewrite them, run by run."""
    ops: dict[int, list[list[Any]]] = {}
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        if e.start < pos or e.end <= e.start:
            continue
        pos = e.end
        first = max(0, bisect_right(model.starts, e.start) - 1)
        covered = []
        for i in range(first, len(model.pieces)):
            s = model.starts[i]
            if s >= e.end:
                break
            n = len(model.pieces[i].text)
            if s + n <= e.start or n == 0:
                continue
            covered.append((i, max(e.start, s) - s, min(e.end, s + n) - s, max(e.start, s) - e.start,
                            min(e.end, s + n) - e.start))
        writable = [c for c in covered if model.pieces[c[0]].kind in WRITABLE]
        if not writable:
            # Only tabs/breaks are replaced: they stay, the replacement goes into a new w:t after them.
            anchor = next((model.pieces[c[0]] for c in covered if model.pieces[c[0]].kind == "s"), None)
            if anchor is not None and e.replacement and anchor.node.getparent() is not None:
                t = etree.SubElement(anchor.node.getparent(), W_T)
                t.text = e.replacement
                t.set(XML_SPACE, "preserve")
                anchor.node.addnext(t)
                pkg.mark_dirty(anchor.node)
            continue
        same_length = len(e.replacement) == e.end - e.start
        pending = ""
        last_op: list[Any] | None = None
        for i, ls, le, a, b in covered:
            chunk = e.replacement[a:b] if same_length else (e.replacement if i == writable[0][0] else "")
            if model.pieces[i].kind not in WRITABLE:
                # A tab or break inside the value stays; its share of the mask goes to a text run.
                if last_op is not None:
                    last_op[2] += chunk
                else:
                    pending += chunk
                continue
            op = [ls, le, pending + chunk]
            pending = ""
            ops.setdefault(i, []).append(op)
            last_op = op
    for i, piece_ops in ops.items():
        piece = model.pieces[i]
        text = piece.text
        out, cur = [], 0
        for ls, le, rep in sorted(piece_ops, key=lambda o: o[0]):
            out.append(text[cur:ls])
            out.append(rep)
            cur = le
        out.append(text[cur:])
        new = "".join(out)
        piece.text = new
        if piece.kind == "t":
            piece.node.text = new
            if piece.node.tag in (W_T, W_DELTEXT, W_INSTR, W_DELINSTR):
                piece.node.set(XML_SPACE, "preserve")
        elif piece.kind == "a":
            piece.node.set(piece.attr, new)
        elif piece.kind == "y":
            # a symbol glyph (w:sym) becomes ordinary text in the same run
            t = etree.Element(W_T)
            t.text = new
            t.set(XML_SPACE, "preserve")
            piece.node.addprevious(t)
            piece.node.getparent().remove(piece.node)
            piece.node, piece.kind = t, "t"
        elif piece.kind == "m":
            for el, attr in piece.node:
                if attr is None:
                    el.text = new
                elif attr == "":
                    el.tail = new
                else:
                    el.set(attr, new)
            pkg.mark_dirty(piece.node[0][0])
            continue
        pkg.mark_dirty(piece.node)

