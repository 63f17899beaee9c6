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
digits: Word writes revision ids and font classifications everywhere), GUIDs and dates;
non-ASCII values without a letter or digit (bullets, symbols); and the CJK font families every
Chinese document names. What remains is read: one segment per distinct value and part, whose
piece points at every place holding that value.

Most parts need no walk: whether a part could hold a value is decided on its bytes (the pieces
between double quotes are its attribute values when their number matches the tree's; text
nodes are counted in C and compared with what the readers read), and large parts no reader
needs (styles, settings) are not even parsed when their bytes show nothing to read.

Known gaps: a value hidden inside an inert shape (the first 18 of a panose's 20 hex digits),
part names (zip member names) and ASCII text without digits (a Latin name on a deny-list).
"""
from __future__ import annotations

import hashlib
import re
from typing import Any

from lxml import etree

from ...document import METADATA
from .model import _Acc, _Piece, _State
from .ns import W_NS

W_NS_ = f"{{{W_NS}}}"

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


def could_hold_value(v: str) -> bool:
    """Could a detector find anything in ``v``? False only for shapes that cannot hold a value."""
    if not v.isascii():
        return any(ch.isalnum() for ch in v)  # CJK and letters; not bullets and symbols
    if "@" in v or _IPV4.search(v):
        return True
    if _INERT.fullmatch(v):
        return False
    return bool(_FIVE_DIGITS.search(_SEP.sub("", v)))


# Attributes that name a font (w:rFonts, w:font, a:latin/a:ea/a:font ...). A font name is
# read like any other value, except the CJK font families every Chinese document names
# (宋体 would otherwise look like a person's name to the name model).
FONT_ATTRS = {W_NS_ + n for n in ("ascii", "hAnsi", "eastAsia", "cs", "name", "val")} | {"typeface", "panose"}
KNOWN_FONTS = frozenset("""
宋体 新宋体 黑体 楷体 仿宋 隶书 幼圆 等线 微软雅黑 中易宋体 中易黑体
华文宋体 华文中宋 华文仿宋 华文楷体 华文细黑 华文黑体 华文行楷 华文隶书 华文新魏 华文彩云 华文琥珀
方正小标宋简体 方正小标宋_GBK 方正仿宋简体 方正仿宋_GBK 方正黑体简体 方正黑体_GBK 方正楷体简体 方正楷体_GBK
方正书宋简体 方正书宋_GBK 方正姚体 方正舒体 方正大标宋简体 方正大黑简体 方正宋体-超大字符集
新細明體 細明體 標楷體 微軟正黑體 ＭＳ明朝 ＭＳゴシック ＭＳＰ明朝 ＭＳＰゴシック 游明朝 游ゴシック 맑은고딕 바탕 굴림 돋움
""".split())
_FONT_SUFFIX = re.compile(r"(?:_GB2312|_GBK|-ExtB|-ExtA| Light| Bold|\s+)$", re.I)


def _known_font(value: str) -> bool:
    name = _FONT_SUFFIX.sub("", value.strip()).replace(" ", "")
    return name in KNOWN_FONTS or _FONT_SUFFIX.sub("", name) in KNOWN_FONTS


SPLIT_LIMIT = 4 << 20


def _quoted_values(raw: bytes, attributes: int | None) -> set[bytes] | None:
    """Every attribute value of a part, from its bytes (one C-level split), or None when the
    bytes do not allow it (single quotes, a quote in text content ...): then the tree is walked.

    The pieces between double quotes are exactly the attribute values when there are as many
    of them as the tree has attributes plus namespace declarations (``attributes``), or, for a
    part not parsed, when the part has no text content at all; and none of them holds a '<'
    (quotes in text that shift the pairs make a piece span a tag)."""
    if len(raw) > SPLIT_LIMIT:
        return None  # a split of a huge part costs more memory than walking its tree
    body = raw[raw.find(b"?>") + 2:] if raw.startswith(b"<?xml") else raw
    if b"'" in body:
        return None
    pieces = body.split(b'"')
    if len(pieces) % 2 == 0:
        return None
    if attributes is not None and len(pieces) // 2 != attributes + body.count(b"xmlns"):
        return None
    values = set(pieces[1::2])
    if any(b"<" in v for v in values):
        return None  # a quote in text shifted the pairs (no attribute value holds a raw '<')
    return values


def _has_markup_text(raw: bytes) -> bool:
    """Text content, comments, CDATA or processing instructions anywhere in the part. Without
    white space, a part with no text has every '>' followed by '<' (counted in C)."""
    if b"<!--" in raw or b"<![CDATA[" in raw or raw.find(b"<?", 5) >= 0:
        return True
    t = raw.translate(None, b" \t\r\n")
    return t.count(b">") != t.count(b"><") + t.endswith(b">")


# Digests of parts found to hold nothing that could be a value: documents made from one
# template share their styles, settings and fonts, so a folder run checks each once.
_INERT_PARTS: dict[bytes, None] = {}
_INERT_CACHE_SIZE = 512


def _known_inert(raw: bytes) -> bool:
    digest = hashlib.blake2b(raw, digest_size=16).digest()
    if digest in _INERT_PARTS:
        return True
    if _has_markup_text(raw):
        return False
    values = _quoted_values(raw, None)
    if values is None or _any_could(values):
        return False
    if len(_INERT_PARTS) >= _INERT_CACHE_SIZE:
        _INERT_PARTS.pop(next(iter(_INERT_PARTS)))
    _INERT_PARTS[digest] = None
    return True


def _any_could(values: set[bytes]) -> bool:
    return any(b"&" in v or could_hold_value(v.decode("utf-8", "replace")) for v in values)


def sweep(st: _State, part: str, story: bool = False) -> None:
    """Read what could hold a value in ``part`` and was not read yet (see module doc)."""
    pkg = st.pkg
    raw = pkg.xml_bytes.pop(part, b"") or pkg.zip.read(part)
    if part not in pkg.trees and _known_inert(raw):
        st.inert_parts.add(part)
        return  # nothing could hold a value, and no reader needed the tree: not even parsed
    root = pkg.xml(part)
    pkg.xml_bytes.pop(part, None)
    origin = METADATA if part.startswith(("docProps/", "customXml/")) else MARKUP
    found: dict[str, list[tuple[Any, str | None]]] = {}
    values = _quoted_values(raw, int(root.xpath("count(//@*)")))
    if values is None or _any_could(values):
        memo: dict[str, bool] = {}
        for el in root.iter():
            if not isinstance(el.tag, str):
                continue
            for name, value in el.items():
                could = memo.get(value)
                if could is None:
                    could = memo[value] = could_hold_value(value)
                if could and not (name in FONT_ATTRS and _known_font(value)) and (el, name) not in st.read_attrs:
                    found.setdefault(value, []).append((el, name))
    if b"<!--" in raw or raw.find(b"<?", 5) >= 0:
        # XML comments and processing instructions: read here, dropped from the copy (scrub)
        notes = root.xpath("//comment() | //processing-instruction()")  # top-level ones too
        if notes:
            st.markup_notes[part] = notes
            text = "\n".join(c.text or "" for c in notes)
            acc = _Acc()
            acc.add(_Piece(None, "v", text))
            st.emit(acc, origin, {"part": part, "element": "comment"}, removed=True)
    # Text nodes: the story readers have read what a reader sees (st.read_text); anything else
    # (a paragraph inside an element Word ignores, an unknown element's text, a tail) is read
    # here. When every text node of the part was read (the common case: counted in C, no node
    # visited from Python) there is nothing to do; otherwise only nodes that could hold a value
    # are looked at.
    if int(root.xpath("count(//text())")) != st.read_count.get(part, 0):
        candidates = [t for t in root.xpath("//text()[normalize-space()]") if could_hold_value(str(t))]
        read = st.read_nodes(part) if candidates else set()
        for t in candidates:
            el = t.getparent()
            if el is None or not isinstance(el.tag, str):
                continue
            if t.is_tail:
                found.setdefault(str(t), []).append((el, ""))
            elif el not in read:
                found.setdefault(str(t), []).append((el, None))
    for value, places in found.items():
        acc = _Acc()
        acc.add(_Piece(places, "m", value))
        first_el, first_attr = places[0]
        loc = {"part": part, "element": etree.QName(first_el).localname}
        if first_attr:
            loc["attribute"] = etree.QName(first_attr).localname
        st.emit(acc, origin, loc)
