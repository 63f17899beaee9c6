"""The sweep: every text node and attribute of a kept XML part that could hold a value is read.

The story readers read what a person sees; values also hide in markup nobody renders as text:
bookmark names, content-control tags and aliases, hyperlink tooltips, VML alt text and titles,
list-level text in ``numbering.xml``, custom XML attributes, core properties such as
``dc:identifier``. Rather than list those places (a deny-list that the next file defeats), the
sweep visits every attribute and text node of every kept XML part that the readers did not
read, and turns each one that *could* hold a value into a segment, so the detectors check it
and the writer masks it in place. A value can be skipped only by its shape
(``could_hold_value``): ASCII with no ``@``, no IPv4 address and no run of five digits (once
separators are removed); numbers of up to ten digits, hex colours and ids (6, 8 or 20 hex
digits: Word writes revision ids and font classifications everywhere), GUIDs and dates; and
non-ASCII values without a letter or digit (bullets, symbols). What remains is read: one segment per distinct value and part, whose
piece points at every place holding that value.
"""
from __future__ import annotations

import re
from typing import Any

from lxml import etree

from ...document import METADATA
from .model import _Acc, _Piece, _State
from .ns import M_T, W_DELINSTR, W_DELTEXT, W_INSTR, W_T

MARKUP = "markup"  # origin of swept segments in document parts (metadata parts use METADATA)

_SEP = re.compile(r"[\s\-.()+_/:,;]")
_FIVE_DIGITS = re.compile(r"\d{5}")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
# Shapes OOXML is full of: numbers (-12, 5486400, 14.0000), colours and ids in hex (6 or 8
# digits: 00A1B2C3, FF0000), font classification (panose, 20 hex digits), GUIDs, W3C dates.
_INERT = re.compile(
    r"-?(?:0|[1-9]\d{0,9})(?:\.\d{1,6})?"
    r"|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}|[0-9A-Fa-f]{20}"
    r"|\{?[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}?"
    r"|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?"
)
# Attribute values in raw XML (a prefilter: a part none of whose values could hold a value is
# not walked attribute by attribute).
_RAW_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_READ_TEXT_TAGS = (W_T, W_DELTEXT, W_INSTR, W_DELINSTR, M_T)


def could_hold_value(v: str) -> bool:
    """Could a detector find anything in ``v``? False only for shapes that cannot hold a value."""
    if not v.isascii():
        return any(ch.isalnum() for ch in v)  # CJK and letters; not bullets and symbols
    if "@" in v or _IPV4.search(v):
        return True
    if _INERT.fullmatch(v):
        return False
    return bool(_FIVE_DIGITS.search(_SEP.sub("", v)))


def _raw_needs_walk(raw: bytes) -> bool:
    memo: set[bytes] = set()
    for name, a, b in _RAW_ATTR.findall(raw):
        v = a or b
        if v in memo:
            continue
        memo.add(v)
        if b"&" in v or b"\n" in v or b"\t" in v or b"\r" in v:
            return True  # references or normalised white space: compare parsed values
        if not not could_hold_value(v.decode("utf-8", "replace")):
            return True
    return False


def sweep(st: _State, part: str, story: bool) -> None:
    """Read what could hold a value in ``part`` and was not read yet (see module doc)."""
    pkg = st.pkg
    root = pkg.xml(part)
    origin = METADATA if part.startswith(("docProps/", "customXml/")) else MARKUP
    found: dict[str, list[tuple[Any, str | None]]] = {}
    raw = pkg.zip.read(part)
    if _raw_needs_walk(raw):
        memo: dict[str, bool] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for name, value in el.items():
                key = value
                inert = memo.get(key)
                if inert is None:
                    inert = memo[key] = not could_hold_value(value)
                if not inert and (el, name) not in st.read_attrs:
                    found.setdefault(value, []).append((el, name))
    texts = root.xpath("//text()[normalize-space()]") if not story else root.xpath(
        "//text()[normalize-space()][not(parent::w:t or parent::w:delText or parent::w:instrText "
        "or parent::w:delInstrText or parent::m:t)]",
        namespaces={"w": W_T[1:].split("}")[0], "m": M_T[1:].split("}")[0]})
    for t in texts:
        el = t.getparent()
        if el is None or not isinstance(el.tag, str) or not could_hold_value(str(t)):
            continue
        if t.is_tail:
            found.setdefault(str(t), []).append((el, ""))
        elif el not in st.read_text and el.tag not in _READ_TEXT_TAGS:
            found.setdefault(str(t), []).append((el, None))
    for value, places in found.items():
        acc = _Acc()
        acc.add(_Piece(places, "m", value))
        first_el, first_attr = places[0]
        loc = {"part": part, "element": etree.QName(first_el).localname}
        if first_attr:
            loc["attribute"] = etree.QName(first_attr).localname
        st.emit(acc, origin, loc)
