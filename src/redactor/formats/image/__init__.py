"""Pictures (.jpg, .jpeg, .png, .tif, .tiff; every page of a multi-page TIFF): OCR, paint, re-encode.

Reading (``extract``)
    Each page (frame) is turned upright by its EXIF orientation and read by Tesseract through
    ``formats/ocr.py`` (chi_sim + eng; small pictures are enlarged twice for the engine and
    the boxes scaled back): one segment per paragraph the engine finds, ``ocr`` /
    ``{page, paragraph}``, each character with its box in pixels, and an ``ocr_page`` notice
    (info: OCR misreads; check masked values by eye). Metadata (EXIF including GPS, XMP,
    IPTC, ICC profile descriptions, PNG text chunks, JPEG comments, TIFF text tags) is read
    as a ``metadata`` segment and reported as ``metadata``: the copy never carries it.
    Without Tesseract (or with ``REDACTOR_OCR=0``) a picture cannot be checked: the file is
    an error with the install hint, never passed as clean. A picture in which OCR finds no
    text is published as it is, unless it carries metadata.

Writing (``write``)
    The boxes of every masked value's characters, padded so that whole glyphs are covered,
    are painted black in the pixels (the whole value: OCR boxes are split from word boxes,
    so keeping part of a value could leave half a digit), and the picture is encoded anew
    from its pixels in its own format (JPEG at quality 92, PNG, TIFF with every page):
    upright, without any metadata (only the resolution is kept). The pipeline then OCRs the
    copy again and refuses it if a masked value can still be read.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...document import METADATA, OCR, Document, Edit, Segment
from ...errors import UnreadableFileError
from ...findings import Finding

MAX_PIXELS = 120_000_000     # per page; larger pictures are refused (a decompression bomb?)
MAX_PAGES = 500
ENLARGE_BELOW = 1000         # pixels on the longer side (or under 150 dpi): enlarged 2x for OCR
# TIFF/EXIF tags that describe the pixels' layout (every TIFF has them): not metadata about anyone.
_STRUCTURAL = {254, 255, 256, 257, 258, 259, 262, 266, 273, 274, 277, 278, 279, 282, 283, 284, 296, 317, 320, 322,
               323, 324, 325, 338, 339, 347, 513, 514, 529, 530, 531, 532, 0x8769, 0x8825, 0xA005}
_XP_TAGS = {0x9C9B, 0x9C9C, 0x9C9D, 0x9C9E, 0x9C9F}  # Windows XPTitle/XPComment/XPAuthor/XPKeywords/XPSubject: UTF-16LE
PAD = 0.15                   # of the line height, around every painted box
INSTALL_HINT = ("install Tesseract with the Chinese model (Debian/Ubuntu: apt-get install tesseract-ocr "
                "tesseract-ocr-chi-sim), or set REDACTOR_TESSERACT to its path")
# Pillow `info` keys that describe pixels, not people.
_TECHNICAL = {"dpi", "jfif", "jfif_version", "jfif_unit", "jfif_density", "progressive", "progression", "interlace",
              "gamma", "transparency", "duration", "loop", "compression", "aspect", "srgb", "adobe",
              "adobe_transform", "resolution", "chromaticity", "background", "bbox", "version", "dpc", "exif",
              "mp", "mpoffset", "icc_profile", "xmp", "photoshop", "comment", "frame_size"}
_FORMATS = {"JPEG", "PNG", "TIFF", "MPO"}


@dataclass
class _Handle:
    path: str
    format: str
    boxes: dict[int, list[tuple[float, float, float, float]]] = field(default_factory=dict)  # segment -> per char
    seg_page: dict[int, int] = field(default_factory=dict)


def _open(path: Path):
    from PIL import Image, UnidentifiedImageError

    try:
        img = Image.open(path)
    except Image.DecompressionBombError:
        raise UnreadableFileError("the picture is too large (a decompression bomb?)", path=str(path)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UnreadableFileError("not a readable picture (corrupt, truncated or not a JPEG/PNG/TIFF)", path=str(path)) from None
    if img.width * img.height > MAX_PIXELS:
        img.close()
        raise UnreadableFileError(f"the picture has {img.width} x {img.height} pixels (limit {MAX_PIXELS // 1_000_000} "
                                  "million)", path=str(path))
    if (img.format or "").upper() not in _FORMATS:
        raise UnreadableFileError(f"a {img.format or 'unknown'} picture under a picture name; only JPEG, PNG and "
                                  "TIFF are read", path=str(path))
    return img


def _pages(img, path: Path) -> list[Any]:
    """Every page of the picture, upright, decoded."""
    from PIL import ImageOps, ImageSequence

    pages = []
    try:
        for n, frame in enumerate(ImageSequence.Iterator(img)):
            if n >= MAX_PAGES:
                raise UnreadableFileError(f"more than {MAX_PAGES} pages", path=str(path))
            page = ImageOps.exif_transpose(frame.copy())
            page.load()
            pages.append(page)
    except (OSError, ValueError, SyntaxError):
        raise UnreadableFileError("the picture is corrupt or truncated", path=str(path)) from None
    return pages


class ImageAdapter:
    name = "image"

    def extract(self, path: Path) -> Document:
        from .. import ocr

        path = Path(path)
        missing = ocr.available()
        if missing:
            raise UnreadableFileError(f"a picture can only be checked by OCR, and {missing[0].lower() + missing[1:]}: "
                                      f"{INSTALL_HINT}", path=str(path))
        with _open(path) as img:
            fmt = img.format.upper()
            meta = _metadata(img)
            pages = _pages(img, path)
        h = _Handle(path=str(path), format=fmt)
        segments: list[Segment] = []
        notices: list[Finding] = []
        for n, page in enumerate(pages):
            try:
                lines = _read_page(page)
            except ocr.OcrUnavailable as e:
                raise UnreadableFileError(f"OCR failed on page {n + 1}: {e}", path=str(path)) from None
            first = len(segments)
            for k, line in enumerate(lines):
                h.boxes[len(segments)] = list(line.boxes)
                h.seg_page[len(segments)] = n
                segments.append(Segment(text=line.text, origin=OCR, location={"page": n + 1, "paragraph": k}))
            if len(segments) == first:
                segments.append(Segment(text="", origin=OCR, location={"page": n + 1}))
            notices.append(Finding(
                kind="ocr_page", start=0, end=0, text="", score=1.0, rule="image.ocr",
                explanation=f"page {n + 1}: a picture, read by OCR (Tesseract chi_sim); OCR can misread characters: "
                            "check masked values by eye", segment=first))
        if meta:
            text = "\n".join(f"{k}: {v}" for k, v in meta)
            segments.append(Segment(text=text, origin=METADATA, location={"property": ", ".join(sorted({k.split(".")[0] for k, _ in meta}))}))
            notices.append(Finding(
                kind="metadata", start=0, end=len(text), text=text, score=1.0, rule="image.metadata",
                explanation="the picture carries metadata (EXIF, GPS, XMP, IPTC or text chunks); the copy is encoded "
                            "anew from its pixels without it", segment=len(segments) - 1))
        return Document(path=str(path), format=self.name, segments=segments, notices=notices, handle=h)

    def write(self, doc: Document, edits: Sequence[Edit], out_path: Path) -> None:
        from PIL import ImageDraw

        h: _Handle = doc.handle
        with _open(Path(h.path)) as img:
            dpi = img.info.get("dpi")
            pages = _pages(img, Path(h.path))
        paint: dict[int, list[tuple[float, float, float, float]]] = {}
        for e in edits:
            if e.segment in h.boxes:
                boxes = h.boxes[e.segment][e.start:e.end]
                paint.setdefault(h.seg_page[e.segment], []).extend(boxes)
        clean = []
        for n, page in enumerate(pages):
            px = _pixels(page)
            if paint.get(n):
                draw = ImageDraw.Draw(px)
                black = 0 if px.mode in ("1", "L") else (0, 0, 0)
                for x0, top, x1, bottom in _merge(paint[n]):
                    pad = PAD * (bottom - top)
                    draw.rectangle([x0 - pad, top - pad, x1 + pad, bottom + pad], fill=black)
            clean.append(px)
        _save(clean, h.format, dpi, Path(out_path))


def _read_page(page) -> list:
    from PIL import Image

    from .. import ocr

    dpi = page.info.get("dpi") or (0, 0)
    try:
        low_dpi = 0 < float(dpi[0]) < 150
    except (TypeError, ValueError, IndexError):
        low_dpi = False
    scale = 2 if max(page.size) < ENLARGE_BELOW or low_dpi else 1
    src = _pixels(page)
    if scale > 1:
        src = src.resize((src.width * scale, src.height * scale), Image.LANCZOS)
    buf = io.BytesIO()
    src.save(buf, format="PNG")
    words = ocr.ocr_png(buf.getvalue())
    if scale > 1:
        words = [ocr.OcrWord(w.text, tuple(v / scale for v in w.box), w.line, w.conf) for w in words]  # type: ignore[arg-type]
    return ocr.lines_to_paragraphs(ocr.words_to_lines(words))


def _pixels(page):
    """The page's pixels alone, in a mode every encoder takes (no palette, no metadata)."""
    from PIL import Image

    if page.mode in ("1", "L", "RGB"):
        mode = page.mode
    elif page.mode in ("LA",):
        mode = "L"
    else:
        mode = "RGB"
    if page.mode in ("RGBA", "LA", "P", "PA") and ("A" in page.mode or "transparency" in page.info):
        base = Image.new("RGBA", page.size, (255, 255, 255, 255))
        base.alpha_composite(page.convert("RGBA"))  # transparent areas become white paper
        page = base
    out = Image.new(mode, page.size)
    out.paste(page.convert(mode))
    return out


def _save(pages: list, fmt: str, dpi, out_path: Path) -> None:
    opts: dict[str, Any] = {}
    if dpi:
        opts["dpi"] = tuple(float(v) for v in dpi)
    if fmt in ("JPEG", "MPO"):
        pages[0].save(out_path, format="JPEG", quality=92, **opts)
    elif fmt == "PNG":
        pages[0].save(out_path, format="PNG", optimize=False, **opts)
    else:
        first = pages[0]
        compression = "group4" if first.mode == "1" else "tiff_lzw"
        first.save(out_path, format="TIFF", save_all=True, append_images=pages[1:], compression=compression, **opts)


def _merge(boxes: list[tuple[float, float, float, float]]) -> list[tuple[float, float, float, float]]:
    out: list[list[float]] = []
    for x0, t, x1, b in sorted(boxes, key=lambda r: (round(r[1]), r[0])):
        if out:
            cx0, ct, cx1, cb = out[-1]
            h = max(cb - ct, b - t, 1.0)
            if min(cb, b) - max(ct, t) > 0.5 * min(cb - ct, b - t) and x0 <= cx1 + 0.6 * h:
                out[-1] = [min(cx0, x0), min(ct, t), max(cx1, x1), max(cb, b)]
                continue
        out.append([x0, t, x1, b])
    return [tuple(r) for r in out]  # type: ignore[misc]


def _metadata(img) -> list[tuple[str, str]]:
    """(name, text) for every metadata item a picture carries, technical pixel facts left out."""
    from PIL import ExifTags

    out: list[tuple[str, str]] = []
    try:
        exif = img.getexif()
    except Exception:  # noqa: BLE001 - a broken EXIF block is still dropped by re-encoding
        exif = None
        out.append(("EXIF", "(unreadable)"))
    if exif:
        items = list(exif.items())
        for ifd in (0x8769, 0x8825, 0xA005):
            try:
                items += [(k + (0x10000 if ifd == 0x8825 else 0), v) for k, v in exif.get_ifd(ifd).items()]
            except (KeyError, ValueError, TypeError, OSError):
                continue
        for tag, value in items:
            if tag in _STRUCTURAL:  # layout, IFD pointers, orientation (applied to the pixels)
                continue
            if tag in _XP_TAGS and isinstance(value, (bytes, tuple)):
                value = bytes(value).decode("utf-16-le", "replace").rstrip("\x00")
            name = ("GPS." + ExifTags.GPSTAGS.get(tag - 0x10000, str(tag))) if tag >= 0x10000 else \
                "EXIF." + ExifTags.TAGS.get(tag, str(tag))
            out.append((name, _text(value)))
    for key, value in img.info.items():
        if key in _TECHNICAL and key not in ("comment", "xmp", "photoshop", "icc_profile"):
            continue
        if key == "exif":
            continue
        name = {"comment": "COM", "xmp": "XMP", "photoshop": "IPTC", "icc_profile": "ICC"}.get(key, f"text.{key}")
        out.append((name, _text(value)))
    for marker, body in getattr(img, "applist", []):
        if marker not in ("APP0", "APP1", "APP2", "APP14") or (marker == "APP1" and not body.startswith(b"Exif")
                                                               and b"xmp" not in body[:64].lower()):
            out.append((f"JPEG.{marker}", _text(body)))
    tags = getattr(img, "tag_v2", None)
    if tags is not None and (img.format or "").upper() == "TIFF":
        for tag in (269, 270, 271, 272, 285, 305, 306, 315, 316, 700, 33432, 33723, 34377, 37510):
            if tag in tags and tag not in exif:
                out.append((f"TIFF.{ExifTags.TAGS.get(tag, tag)}", _text(tags[tag])))
    seen = set()
    return [(k, v) for k, v in out if v.strip() and not ((k, v) in seen or seen.add((k, v)))]


def _text(value: Any) -> str:
    """Readable text of a metadata value (UTF-16 for Windows XP* tags, printable runs of bytes)."""
    if isinstance(value, bytes):
        if value[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(value) > 3 and value[1:2] == b"\x00"):
            try:
                return value.decode("utf-16-le" if value[1:2] == b"\x00" else "utf-16").rstrip("\x00")
            except UnicodeDecodeError:
                pass
        for enc in ("utf-8", "gb18030"):
            try:
                text = value.decode(enc)
                return "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
            except UnicodeDecodeError:
                continue
        return "".join(chr(b) if 32 <= b < 127 else " " for b in value)
    if isinstance(value, (tuple, list)):
        if value and all(isinstance(v, int) and 0 <= v < 256 for v in value) and len(value) > 4:
            return _text(bytes(value))  # XP tags as byte tuples
        return " ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_text(v) for v in value.values())
    if isinstance(value, str) and any("\x80" <= ch <= "\xff" for ch in value):
        # Pillow reads EXIF ASCII fields as Latin-1; software writes UTF-8 (or GBK) into them
        raw = value.encode("latin-1", "ignore")
        for enc in ("utf-8", "gb18030"):
            try:
                return raw.decode(enc)
            except UnicodeDecodeError:
                continue
    return str(value)
