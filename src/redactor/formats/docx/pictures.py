"""Pictures: what they say (metadata chunks, text drawn in them) and what the copy keeps.

A picture is kept in the copy, reported as ``embedded_object`` (the policy decides what that
means for the file), with its metadata stripped: PNG text chunks (tEXt, zTXt, iTXt), EXIF and
everything but the chunks needed to draw it; JPEG APPn segments other than JFIF/Adobe, and
comments. Metadata text is read first (so ``check`` reports a value hidden there).

Text drawn in a picture is read by OCR when Tesseract is installed (``formats/ocr.py``), and
text records of vector pictures (EMF/WMF) and other formats are read from their bytes. That
text is a segment tied to the picture: if a value in it must be masked, the copy replaces the
picture with a blank one of the same size (pixels cannot be edited run by run).
"""
from __future__ import annotations

import hashlib
import io
import re
import struct
import zlib

from ...document import METADATA, OCR
from .model import _Acc, _Piece, _State

PNG_SIG = b"\x89PNG\r\n\x1a\n"
# Chunks needed to draw a PNG; every other chunk (text, EXIF, time, ICC profile, private) goes.
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"bKGD", b"pHYs"}
# JPEG markers kept besides image data: APP0 (JFIF), APP14 (Adobe colour transform).
JPEG_KEEP_APP = {0xE0, 0xEE}
MIN_OCR_SIDE = 24  # pixels: smaller pictures cannot hold legible text
PICTURE_TEXT = "picture_text"
_RUN = re.compile(r"[\w@.\-+()（）：:，,、]{4,}")


def read_pictures(st: _State) -> None:
    from ..ocr import available  # noqa: PLC0415 - optional, only when a document has pictures

    can_ocr = st.pictures and available() is None
    for name, fmt in sorted(st.pictures.items()):
        data = st.pkg.zip.read(name)
        meta = png_text(data) if fmt == "png" else jpeg_text(data) if fmt == "jpeg" else ""
        if meta.strip():
            acc = _Acc()
            acc.add(_Piece(None, "v", meta))
            i = st.emit(acc, METADATA, {"part": name, "property": "picture metadata"}, removed=True)
            st.notice("metadata", 0, len(meta), meta, "docx.metadata.picture", i,
                      "picture metadata (text chunks, EXIF, XMP, comments): not shown, stored in the file; "
                      "removed from the redacted copy", property="picture")
        text = ""
        if fmt in ("png", "jpeg"):
            if can_ocr and min(_size(data, fmt)) >= MIN_OCR_SIDE:
                text = _ocr(stripped(data, fmt))  # the copy holds these bytes: one OCR for both
        elif fmt in ("emf", "wmf", "tiff"):
            text = "\n".join(m.group() for m in _RUN.finditer(_decoded(data, fmt)))
        if text.strip():
            acc = _Acc()
            acc.add(_Piece(None, "v", text))
            i = st.emit(acc, OCR if fmt in ("png", "jpeg") else PICTURE_TEXT, {"part": name})
            if i is not None:
                st.models[i].picture = name


# OCR text by picture digest: the pipeline reads the copy back, and most of its pictures are
# the same bytes (only metadata chunks go), so each picture is OCR'd once.
_OCR_CACHE: dict[bytes, str] = {}
_OCR_CACHE_SIZE = 256


def _ocr(data: bytes) -> str:
    from ..ocr import OcrUnavailable, ocr_png, words_to_lines  # noqa: PLC0415

    key = hashlib.blake2b(data, digest_size=16).digest()
    if key in _OCR_CACHE:
        return _OCR_CACHE[key]
    try:
        text = "\n".join(line.text for line in words_to_lines(ocr_png(data)))
    except OcrUnavailable:
        return ""
    if len(_OCR_CACHE) >= _OCR_CACHE_SIZE:
        _OCR_CACHE.pop(next(iter(_OCR_CACHE)))
    _OCR_CACHE[key] = text
    return text


def _decoded(data: bytes, fmt: str) -> str:
    """Text records of a metafile (EMF: UTF-16LE; WMF: 8-bit) or TIFF tags, from the bytes."""
    data = data[: 8 << 20]
    text = data.decode("utf-8", "ignore")
    if fmt == "emf":
        text += "\n" + data.decode("utf-16-le", "ignore")
    elif fmt == "wmf":
        text += "\n" + data.decode("gb18030", "ignore")
    return text


def _size(data: bytes, fmt: str) -> tuple[int, int]:
    try:
        if fmt == "png":
            return struct.unpack(">II", data[16:24])
        pos = 2
        while pos + 9 < len(data) and data[pos] == 0xFF:
            marker = data[pos + 1]
            length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, wd = struct.unpack(">HH", data[pos + 5:pos + 9])
                return wd, h
            pos += 2 + length
    except struct.error:
        pass
    return 0, 0


def _png_chunks(data: bytes):
    pos = 8
    while pos + 8 <= len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        yield ctype, data[pos:pos + 12 + length], data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if ctype == b"IEND":
            break


def png_text(data: bytes) -> str:
    out = []
    for ctype, _whole, body in _png_chunks(data):
        if ctype in PNG_KEEP:
            continue
        if ctype == b"zTXt":
            key, _, rest = body.partition(b"\x00")
            out.append(key.decode("latin-1") + " " + _inflate(rest[1:]).decode("latin-1", "ignore"))
        elif ctype == b"iTXt":
            key, _, rest = body.partition(b"\x00")
            compressed = rest[:1] == b"\x01"
            _lang, _, rest = rest[2:].partition(b"\x00")
            _tkey, _, text = rest.partition(b"\x00")
            out.append(key.decode("latin-1") + " " + (_inflate(text) if compressed else text).decode("utf-8", "ignore"))
        else:
            out.append(body.decode("utf-8", "ignore"))
    return "\n".join(out)


def strip_png(data: bytes) -> bytes:
    return PNG_SIG + b"".join(whole for ctype, whole, _b in _png_chunks(data) if ctype in PNG_KEEP)


def _jpeg_segments(data: bytes):
    """(marker, bytes) of the header segments, then (None, the rest: scan data to the end)."""
    pos = 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == 0xDA or marker == 0xD9:
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        yield marker, data[pos:pos + 2 + length]
        pos += 2 + length
    yield None, data[pos:]


def jpeg_text(data: bytes) -> str:
    out = []
    for marker, seg in _jpeg_segments(data):
        if marker is not None and (0xE1 <= marker <= 0xEF and marker not in JPEG_KEEP_APP or marker == 0xFE):
            body = seg[4:]
            out.append("\n".join(m.group() for m in _RUN.finditer(body.decode("utf-8", "ignore"))))
            if body.count(0) > len(body) // 8:
                out.append("\n".join(m.group() for m in _RUN.finditer(body.decode("utf-16-le", "ignore"))))
    return "\n".join(x for x in out if x)


def strip_jpeg(data: bytes) -> bytes:
    out = [data[:2]]
    for marker, seg in _jpeg_segments(data):
        if marker is None or not (0xE1 <= marker <= 0xEF and marker not in JPEG_KEEP_APP or marker == 0xFE):
            out.append(seg)
    return b"".join(out)


def stripped(data: bytes, fmt: str) -> bytes:
    if fmt == "png":
        return strip_png(data)
    if fmt == "jpeg":
        return strip_jpeg(data)
    return data


def blank(data: bytes, fmt: str) -> bytes:
    """A white picture of the same size and format (PNG for formats Pillow cannot write)."""
    from PIL import Image  # noqa: PLC0415 - Pillow comes with pdfplumber

    try:
        size = Image.open(io.BytesIO(data)).size
    except Exception:  # noqa: BLE001 - an unreadable picture: a small blank one
        size = (16, 16)
    buf = io.BytesIO()
    Image.new("RGB", size, "white").save(buf, "JPEG" if fmt == "jpeg" else "PNG")
    return buf.getvalue()


def _inflate(b: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(b, 1 << 20)
    except zlib.error:
        return b""
