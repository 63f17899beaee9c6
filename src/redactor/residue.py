"""Search a written copy for values that must not be there, independent of any extractor.

The format adapters read what they understand; this module reads *everything* a file holds,
the way an attacker would, and looks for the values that were masked:

- the raw bytes, decoded as UTF-8, UTF-16 (LE/BE), GB18030 and Latin-1;
- every member of a ZIP package (DOCX, XLSX, OFD ...), recursively for nested packages,
  XML members parsed so that character references (``&#49;&#51;``) and attributes count;
- every PDF object: strings (literal and hex, PDFDocEncoding or UTF-16), stream data after
  decompression, of every revision in the file (streams are found in the raw bytes too, so
  objects an incremental update replaced are searched as well);
- PNG text chunks (tEXt, zTXt, iTXt) wherever a PNG sits.

Values are compared on a normalised form: identifiers (digits and Latin letters) with every
separator removed (``138 1234-5678`` == ``13812345678``), other values (names, addresses)
with white space and format characters removed. Text drawn with a font that has no Unicode
map cannot be read here; the pipeline's read-back re-scan and the PDF adapter's font checks
cover that.

    hits = find_residue(Path("copy.docx"), ["13812345678", "张三丰"])
    # [Residue(value_index=0, where="word/footer1.xml")]

Work is bounded: a member or stream is inflated up to ``MAX_INFLATE`` bytes, nesting up to
``MAX_DEPTH`` levels.
"""
from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

MAX_INFLATE = 256 << 20
MAX_DEPTH = 4
_MIN_COMPACT = 5  # shorter identifier values would match by chance in long digit runs

# Characters that a reader does not see but that split a value: zero-width, joiners, soft
# hyphen, bidi controls, BOM. (A regex, not str.translate: copies can be megabytes.)
_FORMAT = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\ufeff\uffa0"
                     "\u200b-\u200f\u202a-\u202e\u2060-\u206f]+")
_WS = re.compile(r"\s+")
# What people write inside a number (139 1234-5678, (0871)6555.0100, a.b@x.com), and NUL (the
# high bytes of UTF-16 digits read byte-wise in a binary part): removed in the compact form;
# every other character still separates two values.
_SEPARATORS = re.compile("[\\x00\\s\\-\u2010-\u2015\u2212\u30fb.\u00b7/\\\\_()\uff08\uff09+@]+")
_IDENT = re.compile(r"[0-9A-Za-z]")


@dataclass(frozen=True)
class Residue:
    value_index: int  # which of the values was found
    where: str        # member / object / encoding where it was found (never the value itself)


def normalise(text: str) -> str:
    """NFKC (full-width and mathematical digits), format characters and white space removed."""
    return _WS.sub("", _FORMAT.sub("", unicodedata.normalize("NFKC", text)))


def compact(text: str) -> str:
    """Upper case with separators removed: the form identifiers are compared in
    (``+86 139-1234-5678`` -> ``8613912345678``)."""
    return _SEPARATORS.sub("", _FORMAT.sub("", unicodedata.normalize("NFKC", text)).upper())


class _Needles:
    """The values, split by how they are compared."""

    def __init__(self, values: Sequence[str]) -> None:
        self.compact: dict[str, list[int]] = {}
        self.exact: dict[str, list[int]] = {}
        for i, v in enumerate(values):
            n = normalise(v)
            if not n:
                continue
            idents = len(_IDENT.findall(n))
            if idents * 2 >= len(n):  # mostly digits/letters: an identifier
                c = compact(n)
                if len(c) >= _MIN_COMPACT:
                    self.compact.setdefault(c, []).append(i)
                    continue
            self.exact.setdefault(n, []).append(i)
        self._exact_rx = _trie_regex(self.exact)
        self._compact_rx = _trie_regex(self.compact)

    def __bool__(self) -> bool:
        return bool(self.compact or self.exact)

    def search(self, text: str) -> set[int]:
        """Every value found in ``text``: one pass per form, a trie-shaped regex tried at every
        position (overlapping matches), so the cost does not grow with the number of values."""
        found: set[int] = set()
        if not text:
            return found
        if self._exact_rx is not None:
            self._collect(self._exact_rx, normalise(text), self.exact, found)
        if self._compact_rx is not None:
            self._collect(self._compact_rx, compact(text), self.compact, found)
        return found

    @staticmethod
    def _collect(rx: re.Pattern[str], text: str, table: dict[str, list[int]], found: set[int]) -> None:
        for m in rx.finditer(text):
            hit = m.group(1)
            # the longest value matched here; shorter values that are its prefixes matched too
            for k in range(1, len(hit) + 1):
                idx = table.get(hit[:k])
                if idx:
                    found.update(idx)


def _trie_regex(values: dict[str, list[int]]) -> re.Pattern[str] | None:
    """``(?=(v1|v2|...))`` with the alternation shaped as a trie (shared prefixes factored out),
    so that the engine follows at most one branch per character."""
    if not values:
        return None
    trie: dict = {}
    for v in values:
        node = trie
        for ch in v:
            node = node.setdefault(ch, {})
        node[""] = True  # a value ends here

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    import sys  # noqa: PLC0415

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))  # a trie as deep as the longest value (addresses)
    try:
        return re.compile("(?=(" + emit(trie) + "))")
    finally:
        sys.setrecursionlimit(limit)


def find_residue(source: Path | bytes, values: Sequence[str], name: str = "") -> list[Residue]:
    """Where any of ``values`` can still be read in ``source`` (a path or the file's bytes)."""
    needles = _Needles(values)
    if not needles:
        return []
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    hits: dict[int, str] = {}
    for where, text in _texts(data, name or "file", 0):
        for i in needles.search(text):
            hits.setdefault(i, where)
    return [Residue(i, w) for i, w in sorted(hits.items())]


# --- what a file holds, as text ----------------------------------------------------------------


def _texts(data: bytes, where: str, depth: int) -> Iterator[tuple[str, str]]:
    """(where, text) pairs for everything readable in ``data``."""
    if depth < MAX_DEPTH and (data[:4] == b"PK\x03\x04" or (data[:2] == b"PK" and b"PK\x05\x06" in data[-65536:])):
        yield from _bytes_only(data, where)
        yield from _zip_texts(data, where, depth)
        return
    if b"%PDF" in data[:1024]:
        yield from _bytes_only(data, where)
        if depth < MAX_DEPTH:
            yield from _pdf_texts(data, where, depth)
        return
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        yield from _bytes_only(data, where)
        yield from _png_texts(data, where)
        return
    if data[:3] == b"\xff\xd8\xff":
        yield from _bytes_only(data, where)
        yield from _jpeg_texts(data, where)
        return
    yield from _decodings(data, where)
    if data.lstrip()[:1] == b"<" or data[:3] == b"\xef\xbb\xbf" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        yield from _xml_texts(data, where)


def _bytes_only(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    """Compressed or pixel data: only the byte-wise decodings (random bytes look like UTF-16
    and GB18030 text often enough to match a two-character name by chance)."""
    try:
        yield where, data.decode("utf-8")
        return  # valid UTF-8: Latin-1 would show the same ASCII and only mangle the rest
    except UnicodeDecodeError:
        pass
    yield where, data.decode("utf-8", "ignore")
    yield f"{where}:latin-1", data.decode("latin-1")


def _decodings(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    yield from _bytes_only(data, where)
    try:
        data.decode("utf-8")
        return  # valid UTF-8 (ASCII included): other decodings would only invent characters
    except UnicodeDecodeError:
        pass
    yield f"{where}:gb18030", data.decode("gb18030", "ignore")
    sample = data[:65536]
    if data[:2] not in (b"\xff\xfe", b"\xfe\xff") and sample.count(0) < len(sample) // 10:
        return  # UTF-16 text of CJK or ASCII has many zero bytes or a BOM
    for enc in ("utf-16-le", "utf-16-be"):
        # a UTF-16 run may start at an odd offset inside a binary file
        yield f"{where}:{enc}", data.decode(enc, "ignore")
        yield f"{where}:{enc}+1", data[1:].decode(enc, "ignore")


def _xml_texts(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    try:
        from lxml import etree  # noqa: PLC0415

        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)
        root = etree.fromstring(data, parser)
    except Exception:  # noqa: BLE001 - not XML after all: the raw decodings were searched
        return
    if root is None:
        return
    parts: list[str] = []
    for el in root.iter():
        if el.text:
            parts.append(el.text)
        if el.tail:
            parts.append(el.tail)
        if isinstance(el.tag, str):
            parts.extend(el.attrib.values())
    # normalise() drops white space, so pieces joined by newlines are also searched as one
    # run: a value split over several runs or nodes is found
    yield f"{where}#xml", "\n".join(parts)


def _zip_texts(data: bytes, where: str, depth: int) -> Iterator[tuple[str, str]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    for info in infos:
        yield f"{where}/{info.filename}:name", info.filename
        if info.comment:
            yield f"{where}/{info.filename}:comment", info.comment.decode("utf-8", "ignore")
        try:
            with zf.open(info) as fh:
                member = fh.read(MAX_INFLATE)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError):
            # unreadable (encrypted, bad CRC): search what the stream gives without the check
            member = _raw_member(data, info)
        yield from _texts(member, f"{where}/{info.filename}", depth + 1)
    if zf.comment:
        yield f"{where}:zip-comment", zf.comment.decode("utf-8", "ignore")


def _raw_member(data: bytes, info: zipfile.ZipInfo) -> bytes:
    try:
        off = info.header_offset
        name_len, extra_len = struct.unpack("<HH", data[off + 26:off + 30])
        start = off + 30 + name_len + extra_len
        raw = data[start:start + info.compress_size]
        if info.compress_type == zipfile.ZIP_DEFLATED:
            d = zlib.decompressobj(-15)
            return d.decompress(raw, MAX_INFLATE)
        return raw
    except (struct.error, zlib.error, ValueError):
        return b""


_STREAM = re.compile(rb"stream\r?\n")
_HEX_STRING = re.compile(rb"<([0-9A-Fa-f\s]{4,})>")
_LIT_STRING = re.compile(rb"\((?:[^()\\]|\\.|\((?:[^()\\]|\\.)*\))*\)", re.S)


def _pdf_texts(data: bytes, where: str, depth: int) -> Iterator[tuple[str, str]]:
    """Every stream in the raw bytes (every revision) inflated, every string decoded."""
    yield from _pdf_strings(data, f"{where}#pdf")
    pos = 0
    n = 0
    while True:
        m = _STREAM.search(data, pos)
        if not m:
            break
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        raw = data[m.end():end]
        pos = end + 9
        n += 1
        body = _inflate(raw)
        if body is None:
            continue
        label = f"{where}#stream{n}"
        head = data[max(0, m.start() - 1024):m.start()]
        if b"/Image" in head[head.rfind(b"obj"):] if b"obj" in head else b"/Image" in head:
            yield from _bytes_only(body, label)  # pixels: only byte-wise decodings
            continue
        yield from _texts(body, label, depth + 1)
        yield from _pdf_strings(body, label)


def _inflate(raw: bytes) -> bytes | None:
    """FlateDecode data (with or without a trailing EOL), else None (the raw bytes were searched)."""
    for cand in (raw, raw.rstrip(b"\r\n")):
        try:
            d = zlib.decompressobj()
            out = d.decompress(cand, MAX_INFLATE)
            if out:
                return out
        except zlib.error:
            continue
    return None


def _pdf_strings(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    texts: list[str] = []
    for m in _HEX_STRING.finditer(data):
        hexs = re.sub(rb"\s", b"", m.group(1))
        if len(hexs) % 2:
            hexs += b"0"
        try:
            texts.append(_pdf_text(bytes.fromhex(hexs.decode("ascii"))))
        except ValueError:
            continue
    for m in _LIT_STRING.finditer(data):
        texts.append(_pdf_text(_unescape_literal(m.group()[1:-1])))
    if texts:
        yield f"{where}:strings", "\n".join(texts)


_ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape_literal(s: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i:i + 1]
        if c == b"\\" and i + 1 < len(s):
            nxt = s[i + 1:i + 2]
            if nxt in _ESC:
                out += _ESC[nxt]
                i += 2
                continue
            m = re.match(rb"[0-7]{1,3}", s[i + 1:i + 4])
            if m:
                out.append(int(m.group(), 8) & 0xFF)
                i += 1 + len(m.group())
                continue
            if nxt in (b"\n", b"\r"):
                i += 2
                continue
            i += 1
            continue
        out += c
        i += 1
    return bytes(out)


def _pdf_text(b: bytes) -> str:
    if b[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return b.decode("utf-16", "ignore")
    # PDFDocEncoding agrees with Latin-1 for digits and letters; UTF-16BE without a BOM also occurs
    return b.decode("latin-1") + "\n" + b.decode("utf-16-be", "ignore")


def _png_texts(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    pos = 8
    n = len(data)
    while pos + 8 <= n:
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"tEXt":
            yield f"{where}#tEXt", body.decode("latin-1")
        elif ctype == b"zTXt":
            key, _, rest = body.partition(b"\x00")
            yield f"{where}#zTXt", _safe_inflate(rest[1:]).decode("latin-1")
        elif ctype == b"iTXt":
            key, _, rest = body.partition(b"\x00")
            compressed = rest[:1] == b"\x01"
            rest = rest[2:]
            _lang, _, rest = rest.partition(b"\x00")
            _tkey, _, text = rest.partition(b"\x00")
            yield f"{where}#iTXt", (_safe_inflate(text) if compressed else text).decode("utf-8", "ignore")
        elif ctype in (b"eXIf",):
            yield from _decodings(body, f"{where}#eXIf")
        if ctype == b"IEND":
            break


def _jpeg_texts(data: bytes, where: str) -> Iterator[tuple[str, str]]:
    """The metadata segments of a JPEG (APP0..APP15: EXIF, XMP, IPTC; COM), not its pixels."""
    pos = 2
    n = len(data)
    while pos + 4 <= n and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker in (0xD9, 0xDA):  # end of image / start of scan: pixels follow
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        body = data[pos + 4:pos + 2 + length]
        if 0xE0 <= marker <= 0xEF or marker == 0xFE:
            yield from _decodings(body, f"{where}#APP{marker - 0xE0}" if marker != 0xFE else f"{where}#COM")
        pos += 2 + length


def _safe_inflate(b: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(b, MAX_INFLATE)
    except zlib.error:
        return b""


def describe(hits: Iterable[Residue], kinds: Sequence[str]) -> str:
    """A message for a report: which kinds were found where (never the values)."""
    parts = sorted({f"{kinds[h.value_index]} in {h.where}" for h in hits})
    return "; ".join(parts[:5]) + (f" (+{len(parts) - 5} more)" if len(parts) > 5 else "")
