"""Metadata inside picture data: JPEG and JPEG 2000 carry text beside the pixels (EXIF with a
camera owner's name or GPS position, XMP, comments). The copy keeps the pixels only.

``strip_jpeg`` keeps the markers a decoder needs (APP0 JFIF, APP14 Adobe for the colour
transform, tables, frame and scan) and drops the other APPn segments and comments.
``strip_jpx`` keeps the boxes a decoder needs (signature, file type, header, codestream) and
drops XML, UUID and info boxes, and comment markers in a bare codestream's main header.
Both return ``(data, text)``: the new data and the text of what was dropped, or
``(data, None)`` when nothing was (the data is then unchanged).
"""
from __future__ import annotations

import struct

_KEEP_APP = {0xE0, 0xEE}     # APP0 (JFIF), APP14 (Adobe)
_JPX_KEEP = {b"jP  ", b"ftyp", b"rreq", b"jp2h", b"jp2c", b"jpch", b"jplh"}


def _text(chunks: list[bytes]) -> str:
    from .scrub import _printable

    return "\n".join(_printable(c) for c in chunks)


def strip_jpeg(data: bytes) -> tuple[bytes, str | None]:
    if data[:2] != b"\xff\xd8":
        return data, None
    out = bytearray(data[:2])
    dropped: list[bytes] = []
    pos, n = 2, len(data)
    while pos + 4 <= n:
        if data[pos] != 0xFF:
            return data, None   # not a marker where one must be: leave the data alone
        marker = data[pos + 1]
        if marker == 0xFF:      # fill byte
            pos += 1
            continue
        if marker == 0xDA or marker == 0xD9:   # start of scan / end of image: the rest is pixels
            out += data[pos:]
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out += data[pos:pos + 2]
            pos += 2
            continue
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        end = pos + 2 + length
        if length < 2 or end > n:
            return data, None
        if (0xE0 <= marker <= 0xEF and marker not in _KEEP_APP) or marker == 0xFE:
            dropped.append(data[pos + 4:end])
        else:
            out += data[pos:end]
        pos = end
    if not dropped:
        return data, None
    return bytes(out), _text(dropped)


def strip_jpx(data: bytes) -> tuple[bytes, str | None]:
    if data[:4] == b"\xff\x4f\xff\x51":
        return _strip_codestream(data)
    out = bytearray()
    dropped: list[bytes] = []
    pos, n = 0, len(data)
    while pos + 8 <= n:
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        head = 8
        if length == 1:
            if pos + 16 > n:
                return data, None
            length = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            head = 16
        elif length == 0:
            length = n - pos
        if length < head or pos + length > n:
            return data, None
        box = data[pos:pos + length]
        if kind in _JPX_KEEP:
            out += box
        else:
            dropped.append(box[head:])
        pos += length
    if not dropped:
        return data, None
    return bytes(out), _text(dropped)


def _strip_codestream(data: bytes) -> tuple[bytes, str | None]:
    """Comment (COM, 0xFF64) segments of a JPEG 2000 codestream's main header."""
    out = bytearray(data[:2])
    dropped: list[bytes] = []
    pos, n = 2, len(data)
    while pos + 4 <= n:
        marker = struct.unpack(">H", data[pos:pos + 2])[0]
        if marker == 0xFF90:   # first tile: the main header is over
            out += data[pos:]
            break
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        end = pos + 2 + length
        if length < 2 or end > n:
            return data, None
        if marker == 0xFF64:
            dropped.append(data[pos + 6:end])
        else:
            out += data[pos:end]
        pos = end
    if not dropped:
        return data, None
    return bytes(out), _text(dropped)
