"""Text spread over several places of a tree, read as one string and edited in place.

A paragraph of a web page is the text of its element and of every inline element inside
it: ``<p>电话<span>139</span><span>1234</span>5678</p>`` is one string ``电话13912345678``
held in four places (``p.text``, ``span.text``, ``span.text``, ``span.tail``). A ``Flow``
reads those places (``Slot``) in order and builds the string a reader sees: runs of
white space collapse to one space and vanish at the start and end of a line (HTML's
white-space rule), ``<br>`` and nested blocks are line breaks that hold no source
character. Each character of the string remembers the source range it came from, so an
edit lands in the places it covers: an equal-length mask character by character (each
``<span>`` keeps its own share), any other replacement in the first place and the rest of
the value deleted.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ...document import Edit

ASCII_WS = " \t\n\r\f"
BREAK = None  # an item of a flow that is a line break, not a slot

Pos = tuple[int, int]  # (slot index in the flow, offset in that slot's text)


@dataclass(frozen=True)
class Slot:
    """A place in the tree that holds text: ``el.text``, ``el.tail`` or an attribute."""

    el: Any
    name: str  # "text", "tail" or "@attribute"

    def get(self) -> str:
        if self.name == "text":
            return self.el.text or ""
        if self.name == "tail":
            return self.el.tail or ""
        return self.el.get(self.name[1:], "")

    def set(self, value: str) -> None:
        if self.name == "text":
            self.el.text = value
        elif self.name == "tail":
            self.el.tail = value
        else:
            self.el.set(self.name[1:], value)


@dataclass
class Flow:
    items: list[Slot | None] = field(default_factory=list)  # slots and BREAKs, in reading order
    collapse: bool = True

    def text(self) -> str:
        """The string a reader sees (``build()[0]``, without the per-character map when it is trivial)."""
        if not self.collapse:
            return "".join("\n" if i is BREAK else i.get() for i in self.items)
        return self.build()[0]

    def build(self) -> tuple[str, list[tuple[Pos, Pos]]]:
        """The string a reader sees, and for each character its source range (from, to)."""
        chars: list[str] = []
        spans: list[tuple[Pos, Pos]] = []
        cursor: Pos = (0, 0)
        pending: list[Pos] | None = None  # a white-space run not yet written
        line_start = True
        si = -1
        for item in self.items:
            if item is BREAK:
                pending = None  # white space before a line break is not shown
                chars.append("\n")
                spans.append((cursor, cursor))
                line_start = True
                continue
            si += 1
            text = item.get()
            for k, ch in enumerate(text):
                if self.collapse and ch in ASCII_WS:
                    if pending is not None:
                        pending[1] = (si, k + 1)
                    elif not line_start:
                        pending = [(si, k), (si, k + 1)]
                else:
                    if pending is not None:
                        chars.append(" ")
                        spans.append((pending[0], pending[1]))
                        pending = None
                    chars.append(ch)
                    spans.append(((si, k), (si, k + 1)))
                    line_start = False
                cursor = (si, k + 1)
            if not text:
                cursor = (si, 0)
        return "".join(chars), spans

    def slots(self) -> list[Slot]:
        return [i for i in self.items if i is not BREAK]

    def apply(self, edits: Sequence[Edit]) -> None:
        """Apply non-overlapping edits (offsets into ``build()``'s string) to the slots."""
        text, spans = self.build()
        ops: list[tuple[Pos, Pos, str]] = []
        pos = 0
        for e in sorted(edits, key=lambda e: e.start):
            if e.start < pos or e.end > len(text) or e.start >= e.end:
                continue
            pos = e.end
            if len(e.replacement) == e.end - e.start:
                for k, new in enumerate(e.replacement):
                    if new != text[e.start + k]:
                        a, b = spans[e.start + k]
                        ops.append((a, b, new))
            else:
                ops.append((spans[e.start][0], spans[e.end - 1][1], e.replacement))
        _splice(self.slots(), ops)


def _splice(slots: list[Slot], ops: list[tuple[Pos, Pos, str]]) -> None:
    """Replace source ranges (possibly spanning slots) by text placed in the first slot."""
    per_slot: dict[int, list[tuple[int, int, str]]] = {}
    for (s1, o1), (s2, o2), new in ops:
        if s1 == s2:
            per_slot.setdefault(s1, []).append((o1, o2, new))
            continue
        per_slot.setdefault(s1, []).append((o1, len(slots[s1].get()), new))
        for s in range(s1 + 1, s2):
            per_slot.setdefault(s, []).append((0, len(slots[s].get()), ""))
        per_slot.setdefault(s2, []).append((0, o2, ""))
    for s, changes in per_slot.items():
        text = slots[s].get()
        for o1, o2, new in sorted(changes, reverse=True):
            text = text[:o1] + new + text[o2:]
        slots[s].set(text)
