"""The allow-list of parts: which parts the copy keeps, which it drops, and why.

The package is walked from its root relationships. A part is kept only when it is reached
through a relationship type this adapter reads (stories, styles, settings, numbering, fonts,
theme, properties, custom XML, charts and diagrams) or is a picture. Everything else is
dropped from the copy: parts no relationship reaches (``docProps/custom.xml`` without its
relationship, ``word/userData.xml``), parts of types we do not read (a glossary of building
blocks, embedded workbooks and packages, OLE ``.bin`` objects, ActiveX controls, printer
settings, embedded fonts, macros ...). A dropped part is still read loosely (its XML text and
attributes, the members of a nested ZIP, text runs in binary data) so that ``check`` reports
what it held; then it is reported as ``removed_content`` and left out of the copy.
"""
from __future__ import annotations

import io
import re
import zipfile
from typing import Iterator

from lxml import etree

from ...errors import UnreadableFileError
from .model import _Acc, _Piece, _State
from .package import MAX_MARKUP, parse_xml

# Relationship types (last path component) whose target is kept (after reading and masking).
KEPT_RELS = {
    "officeDocument", "core-properties", "extended-properties",
    "styles", "stylesWithEffects", "settings", "webSettings", "fontTable", "theme", "numbering",
    "header", "footer", "footnotes", "endnotes",
    "customXml", "customXmlProps",
    "chart", "chartStyle", "chartColorStyle", "themeOverride", "chartUserShapes",
    "diagramData", "diagramLayout", "diagramQuickStyle", "diagramColors", "diagramDrawing",
}
PICTURE_RELS = {"image"}
# Read by their own readers, then removed with the notice those readers make.
READ_THEN_REMOVED = {"comments", "commentsExtended", "commentsIds", "commentsExtensible", "people",
                     "custom-properties", "thumbnail"}
# Pictures kept in the copy (metadata chunks stripped), by their first bytes.
PICTURE_MAGIC = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"GIF8": "gif", b"BM": "bmp",
                 b"\x01\x00\x00\x00": "emf", b"\xd7\xcd\xc6\x9a": "wmf", b"II*\x00": "tiff", b"MM\x00*": "tiff"}
LOOSE_TEXT_LIMIT = 1 << 20  # characters read from one dropped part (enough for check to report it)

WHY = {
    "glossaryDocument": "a glossary of building blocks (AutoText, Quick Parts) stored with the document",
    "oleObject": "an embedded OLE object",
    "package": "an embedded package (a workbook, a document)",
    "aFChunk": "an imported chunk in a format that cannot be read (RTF, MHT, a nested document)",
    "control": "an ActiveX control",
    "font": "an embedded font",
    "printerSettings": "printer settings (they name the printer and its owner)",
    "vbaProject": "macros",
}


def picture_format(data: bytes) -> str | None:
    for magic, fmt in PICTURE_MAGIC.items():
        if data.startswith(magic):
            return fmt
    return None


def plan(st: _State) -> None:
    """Fill ``st.keep`` (parts the copy keeps) and ``st.drop`` (part -> why it is dropped)."""
    pkg = st.pkg
    seen: set[str] = set()
    queue = [""]
    dropped_sources: set[str] = set()
    while queue:
        source = queue.pop(0)
        for _el, rtype, target, external in pkg.rels(source):
            if external or target in seen:
                continue
            seen.add(target)
            if target not in pkg.names:
                continue
            if source in dropped_sources:
                st.drop[target] = "a part that belongs to a dropped part"
                dropped_sources.add(target)
                queue.append(target)
            elif rtype in KEPT_RELS:
                st.keep.add(target)
                queue.append(target)
            elif rtype in PICTURE_RELS and (fmt := picture_format(pkg.zip.read(target)[:8])):
                st.keep.add(target)
                st.pictures[target] = fmt
            elif rtype in READ_THEN_REMOVED:
                continue
            else:
                st.drop[target] = WHY.get(rtype, f"a part of a type this tool does not read ({_safe(rtype)})")
                queue.append(target)  # what it refers to goes with it (unless a kept part needs it)
                dropped_sources.add(target)
    for name in sorted(pkg.names):
        if name in st.keep or name in seen or name in st.drop or name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        st.drop[name] = "a part no relationship refers to"
    # relationships of dropped parts go with them; a .rels file whose source is gone too
    for name in pkg.names:
        if name.endswith(".rels") and name != "_rels/.rels":
            source = name.replace("_rels/", "").removesuffix(".rels")
            if source not in st.keep and source not in pkg.names and name not in st.drop:
                st.drop[name] = "relationships of a part that does not exist"


def read_dropped(st: _State) -> None:
    """Each dropped part: its text read loosely into one removed segment, and a notice."""
    for name, why in sorted(st.drop.items()):
        text = loose_text(st, name)
        acc = _Acc()
        acc.add(_Piece(None, "v", text))
        i = st.emit(acc, "removed_part", {"part": name}, removed=True, keep_empty=True)
        st.notice("removed_content", 0, len(text), text, "docx.removed_part", i,
                  f"{why}: its content cannot be checked or edited in place; removed from the redacted copy",
                  part=name)


def loose_text(st: _State, name: str) -> str:
    try:
        data = st.pkg.zip.read(name)
    except UnreadableFileError:
        return ""
    out: list[str] = []
    size = 0
    for piece in _texts(data, st.pkg.path, 0):
        out.append(piece)
        size += len(piece)
        if size > LOOSE_TEXT_LIMIT:
            break
    return "\n".join(out)[:LOOSE_TEXT_LIMIT]


def _texts(data: bytes, path: str, depth: int) -> Iterator[str]:
    if data[:4] == b"PK\x03\x04" and depth < 2:
        yield from _zip_texts(data, path, depth)
        return
    head = data[:200].lstrip(b"\xef\xbb\xbf \r\n\t")
    if head.startswith(b"<"):
        try:
            root = parse_xml(data[: MAX_MARKUP * 8], "an embedded part", path)
        except UnreadableFileError:
            root = None
        if root is not None:
            yield from xml_strings(root)
            return
    yield from _binary_strings(data)


def xml_strings(root: etree._Element) -> Iterator[str]:
    for el in root.iter():
        if el.text and el.text.strip():
            yield el.text.strip()
        if el.tail and el.tail.strip():
            yield el.tail.strip()
        if isinstance(el.tag, str):
            for v in el.attrib.values():
                if v.strip():
                    yield v


def _zip_texts(data: bytes, path: str, depth: int) -> Iterator[str]:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()[:500]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        yield from _binary_strings(data)
        return
    for info in infos:
        yield info.filename
        if info.file_size > LOOSE_TEXT_LIMIT * 8 or info.file_size > 200 * max(1, info.compress_size):
            continue  # too large or a bomb: the name is enough, the part is dropped anyway
        try:
            with z.open(info) as fh:
                member = fh.read(LOOSE_TEXT_LIMIT * 8)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError):
            continue
        yield from _texts(member, path, depth + 1)


_UTF8_RUN = re.compile(r"[\w@.\-+()（）：:，,、 ]{4,}")


def _binary_strings(data: bytes) -> Iterator[str]:
    """Runs of letters, digits and CJK in binary data (UTF-8, UTF-16LE and GB18030 readings)."""
    data = data[: LOOSE_TEXT_LIMIT * 4]
    yield from (m.group() for m in _UTF8_RUN.finditer(data.decode("utf-8", "ignore")))
    if data.count(0) > len(data) // 8:
        for start in (0, 1):
            yield from (m.group() for m in _UTF8_RUN.finditer(data[start:].decode("utf-16-le", "ignore")))


def _safe(rtype: str) -> str:
    return rtype[:40] if re.fullmatch(r"[A-Za-z0-9_\-]*", rtype) else "unknown"
