"""Which encoding a saved web page is in, and how to write the copy back in it.

Order (what a browser does with a page opened from disk, plus one content check):

1. a byte-order mark (UTF-8, UTF-16 LE/BE) decides;
2. bytes that are valid UTF-8 *and* hold multi-byte sequences are UTF-8, whatever the page
   declares: a page saved from a portal keeps its ``<meta charset=gb2312>`` even when the
   server sent UTF-8 in its HTTP header (which the saved file lost), and GBK text that
   happens to be valid UTF-8 over more than a few characters does not occur;
3. the declaration: ``<meta charset=...>``, ``<meta http-equiv="Content-Type"
   content="...; charset=...">`` or an XML declaration, in the first 4 KB;
4. plain ASCII/UTF-8, then GB18030.

GB2312 and GBK pages are read with the GB18030 codec (a superset of both: a GBK character
outside GB2312 is common on a page that says gb2312) and written back as GBK, which encodes
every character they had with the same bytes; a character outside GBK (``&nbsp;``, which
the parser turns into U+00A0, or a rare character) is written as a character reference, so
the page needs no new declaration. The same holds for any encoding: a character it cannot
hold (a mask on a Latin-1 page) becomes a character reference.
"""
from __future__ import annotations

import codecs
import re

from ...errors import UnreadableFileError

_META = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-:.]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_\-.]+)", re.IGNORECASE)
_GB = {"gb2312", "gbk", "gb18030", "cp936", "x-gbk", "gb_2312-80", "csgb2312", "euc-cn", "x-euc-cn", "chinese"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def _label(data: bytes) -> str | None:
    head = data[:4096]
    m = _XML_DECL.match(head) or _META.search(head)
    return m.group(1).decode("ascii", "ignore").strip().lower() if m else None


def declared(data: bytes) -> str | None:
    """The encoding a page declares in its head (normalised codec name), if any usable."""
    label = _label(data)
    return _codec(label) if label else None


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    if label in _GB:
        return "gb18030"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page that says UTF-16 in its (ASCII-readable) head is not UTF-16: browsers read it as UTF-8.
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def decode(data: bytes, path: str) -> tuple[str, str, bytes]:
    """(text, codec, bom): the page as text, the codec to write it back with, its BOM."""
    text, codec, bom = _decode(data, path)
    if codec == "gb18030" and _label(data) != "gb18030":
        codec = "gbk"  # read as GB18030, written as what the page declares (or, undeclared, as GBK)
    return text, codec, bom


def _decode(data: bytes, path: str) -> tuple[str, str, bytes]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), codec, bom
            except UnicodeDecodeError:
                raise UnreadableFileError(f"the page starts with a {codec} byte-order mark but is not {codec}",
                                          path=path) from None
    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8", b""
        except UnicodeDecodeError:
            pass
    candidates = [c for c in (declared(data), "utf-8", "gb18030") if c]
    for codec in dict.fromkeys(candidates):
        try:
            return data.decode(codec), codec, b""
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(
        f"cannot decode the page (tried {', '.join(dict.fromkeys(candidates))}); it may be damaged", path=path)


def encode(text: str, codec: str, bom: bytes) -> bytes:
    return bom + text.encode(codec, "xmlcharrefreplace")
