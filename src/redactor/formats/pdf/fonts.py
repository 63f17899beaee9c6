"""Can a page's fonts be trusted to say what their glyphs show?

Text is extracted through each font's map from codes to characters (``/ToUnicode``, else the
encoding's glyph names); the page shows the glyphs the codes select. A map that does not
match the glyphs makes extraction lie: digits mapped to other digits, an ID shown on the page
and read as something else, so neither the detectors nor the read-back of the copy see it.
A font is doubted when

* it is a Type 3 font (its glyphs are drawings the file makes up, named by the file);
* it is embedded, has no ``/ToUnicode`` and its codes are not named by standard glyph names
  (what the text says is then a guess);
* its ``/ToUnicode`` map contradicts the font itself for a digit or a Latin letter: the
  encoding's glyph names (simple fonts), or the Unicode table inside the embedded TrueType
  program (CID fonts);
* (with Tesseract) the glyphs its map calls digits, drawn large and read by OCR, are other
  digits. This catches a map that lies about a font whose program has no Unicode table.

A page with a doubted font is cross-checked by OCR (``ocr_pages.OcrSession.crosscheck``) or,
without OCR, blocks the file.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pikepdf

from .content import FontCache, parse, resource_uses

_STANDARD_ENCODINGS = {"/WinAnsiEncoding", "/MacRomanEncoding", "/StandardEncoding", "/PDFDocEncoding"}
_ALNUM = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_DIGITS = "0123456789"
MAX_GLYPHS = 24   # digit glyphs drawn for the OCR check of one font


@dataclass(frozen=True)
class Doubt:
    font: str   # the font's name (BaseFont), for the report
    why: str


def used_fonts(page: Any, parse=parse) -> list[Any]:
    """The font dictionaries a page's text uses (its content and the forms it draws)."""
    out: dict[Any, Any] = {}
    stack = [(parse(page), page.obj.get("/Resources"), 0)]
    seen: set = set()
    while stack:
        instrs, res, depth = stack.pop()
        if not isinstance(res, pikepdf.Dictionary):
            continue
        uses = resource_uses(instrs)
        fonts = res.get("/Font")
        for name in uses.get("/Font", ()):
            fd = fonts.get(name) if isinstance(fonts, pikepdf.Dictionary) else None
            if isinstance(fd, pikepdf.Dictionary):
                out[fd.objgen if fd.is_indirect else (id(res), name)] = fd
        xobjs = res.get("/XObject")
        for name in uses.get("/XObject", ()):
            xo = xobjs.get(name) if isinstance(xobjs, pikepdf.Dictionary) else None
            if isinstance(xo, pikepdf.Stream) and xo.get("/Subtype") == "/Form" and depth < 12:
                key = xo.objgen if xo.is_indirect else id(xo)
                if key not in seen:
                    seen.add(key)
                    stack.append((parse(xo), xo.get("/Resources") or res, depth + 1))
    return list(out.values())


class FontCheck:
    """Doubts about fonts, each font checked once per document."""

    def __init__(self, fonts: FontCache | None = None, glyph_ocr: bool = True, parse=parse) -> None:
        self.fonts = fonts or FontCache()
        self.parse = parse
        self.glyph_ocr = glyph_ocr
        self._done: dict[Any, Doubt | None] = {}

    def page(self, page: Any) -> list[Doubt]:
        out = []
        for fd in used_fonts(page, self.parse):
            key = fd.objgen if fd.is_indirect else id(fd)
            if key not in self._done or not fd.is_indirect:
                self._done[key] = self.font(fd)
            if self._done[key] is not None:
                out.append(self._done[key])
        return out

    def font(self, fd: Any) -> Doubt | None:
        name = str(fd.get("/BaseFont", "/(unnamed)"))[1:]
        sub = fd.get("/Subtype")
        if sub == "/Type3":
            return Doubt(name, "a Type 3 font (its glyphs are drawings named by the file)")
        try:
            font = self.fonts.get(fd)
        except Exception:  # noqa: BLE001 - pdfminer fails on odd fonts: the text is then doubtful too
            return Doubt(name, "a font that cannot be read")
        if font is None:
            return None
        if sub == "/Type0":
            return self._cid(fd, font, name)
        return self._simple(fd, font, name)

    # -- simple fonts: one byte per code --
    def _simple(self, fd: Any, font: Any, name: str) -> Doubt | None:
        sub = fd.get("/Subtype")
        desc = fd.get("/FontDescriptor")
        embedded = isinstance(desc, pikepdf.Dictionary) and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        by_names = getattr(font, "cid2unicode", {}) or {}
        tounicode = getattr(font, "unicode_map", None)
        if tounicode is None:
            if not embedded:
                return None   # a viewer draws a standard font by name: the encoding is the truth
            enc = fd.get("/Encoding")
            if enc in _STANDARD_ENCODINGS or enc is None and not isinstance(desc, pikepdf.Dictionary):
                return None
            diffs = enc.get("/Differences") if isinstance(enc, pikepdf.Dictionary) else None
            names = [str(v)[1:] for v in (diffs or []) if isinstance(v, pikepdf.Name)]
            if any(n not in _AGL_OK and not _agl_like(n) for n in names):
                return Doubt(name, "an embedded font without a Unicode map whose glyphs have no standard names")
            return None
        # Glyph names count only where the file declares them (an /Encoding entry on a font that
        # is not symbolic): a subset without one numbers its glyphs as it likes.
        flags = int(desc.get("/Flags", 0)) if isinstance(desc, pikepdf.Dictionary) else 0
        declared = "/Encoding" in fd and not (flags & 4 and sub == "/TrueType")
        codes = []
        for code in range(256):
            try:
                u = tounicode.get_unichr(code)
            except KeyError:
                continue
            named = by_names.get(code) if declared else None
            if named and u != named and (u in _ALNUM or named in _ALNUM) and len(u) == 1:
                return Doubt(name, f"its Unicode map says '{u}' for the glyph named '{named}'")
            if u in _DIGITS:
                codes.append((bytes([code]), u))
        if embedded and self.glyph_ocr:
            return self._glyphs(fd, name, codes)
        return None

    # -- CID fonts: codes through a CMap --
    def _cid(self, fd: Any, font: Any, name: str) -> Doubt | None:
        tounicode = getattr(font, "unicode_map", None)
        enc = fd.get("/Encoding")
        identity = enc in ("/Identity-H", "/Identity-V")
        if tounicode is None:
            return None   # undecodable text shows as (cid:N) and is OCR'd; predefined CMaps are standard
        pairs = [(cid, u) for cid, u in getattr(tounicode, "cid2unichr", {}).items() if len(u) == 1]
        desc_font = (fd.get("/DescendantFonts") or [None])[0]
        program = _truetype_unicode(desc_font)
        if program is not None:
            c2g = _cid_to_gid(desc_font)
            for cid, u in pairs:
                shown = program.get(c2g(cid))
                if shown is not None and shown != u and (u in _ALNUM or shown in _ALNUM):
                    return Doubt(name, f"its Unicode map says '{u}' for the glyph of '{shown}' in the embedded font")
            return None
        desc = desc_font.get("/FontDescriptor") if isinstance(desc_font, pikepdf.Dictionary) else None
        embedded = isinstance(desc, pikepdf.Dictionary) and any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        if identity and embedded and self.glyph_ocr:   # a font not embedded has no glyphs of its own to lie with
            return self._glyphs(fd, name, [(cid.to_bytes(2, "big"), u) for cid, u in pairs if u in _DIGITS])
        return None

    # -- the glyphs themselves, read by OCR --
    def _glyphs(self, fd: Any, name: str, codes: list[tuple[bytes, str]]) -> Doubt | None:
        from .. import ocr

        if not codes or ocr.available() is not None:
            return None
        codes = codes[:MAX_GLYPHS]
        try:
            png = _draw(fd, [c for c, _ in codes])
            read = "".join(ocr.read_line(png, whitelist=_DIGITS).split())
        except (ocr.OcrUnavailable, pikepdf.PdfError, ValueError, RuntimeError):
            return None
        claimed = "".join(u for _, u in codes)
        if len(read) != len(claimed):
            return None   # OCR missed or split a glyph: no verdict (the map is not contradicted)
        wrong = sum(1 for a, b in zip(read, claimed) if a != b)
        if wrong:
            return Doubt(name, f"its Unicode map calls {wrong} of {len(claimed)} digit glyphs by other digits (read by OCR)")
        return None


def _draw(fd: Any, codes: list[bytes]) -> bytes:
    """A PNG of the font's glyphs for ``codes``, large and well apart."""
    import pypdfium2 as pdfium

    doc = pikepdf.new()
    font = doc.copy_foreign(fd)
    step = 60
    page = doc.add_blank_page(page_size=(40 + step * len(codes), 90))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F0=font))
    ops = [b"BT /F0 40 Tf 20 30 Td"]
    for code in codes:
        ops.append(b"<%s> Tj %d 0 Td" % (code.hex().encode(), step))
    ops.append(b"ET")
    page.obj.Contents = doc.make_stream(b" ".join(ops))
    buf = io.BytesIO()
    doc.save(buf)
    pdf = pdfium.PdfDocument(buf.getvalue())
    try:
        img = pdf[0].render(scale=2).to_pil()
        out = io.BytesIO()
        img.save(out, format="PNG")
        return out.getvalue()
    finally:
        pdf.close()


def _truetype_unicode(desc_font: Any) -> dict[int, str] | None:
    """glyph id -> character from the Unicode table of an embedded TrueType program, if it has one."""
    from pdfminer.pdffont import TrueTypeFont

    desc = desc_font.get("/FontDescriptor") if isinstance(desc_font, pikepdf.Dictionary) else None
    ff = desc.get("/FontFile2") if isinstance(desc, pikepdf.Dictionary) else None
    if not isinstance(ff, pikepdf.Stream):
        return None
    try:
        umap = TrueTypeFont("embedded", io.BytesIO(ff.read_bytes())).create_unicode_map()
    except Exception:  # noqa: BLE001 - no Unicode table, or one pdfminer cannot parse
        return None
    return {gid: u for gid, u in umap.cid2unichr.items() if len(u) == 1}


def _cid_to_gid(desc_font: Any):
    m = desc_font.get("/CIDToGIDMap") if isinstance(desc_font, pikepdf.Dictionary) else None
    if isinstance(m, pikepdf.Stream):
        try:
            data = m.read_bytes()
        except pikepdf.PdfError:
            data = b""
        return lambda cid: int.from_bytes(data[2 * cid:2 * cid + 2], "big") if 2 * cid + 2 <= len(data) else cid
    return lambda cid: cid


def _agl_like(name: str) -> bool:
    """uniXXXX / uXXXX[XX] names, which map to Unicode by rule."""
    return (name.startswith("uni") and len(name) >= 7) or (name.startswith("u") and 5 <= len(name) <= 7
                                                           and all(c in "0123456789ABCDEF" for c in name[1:]))


def _agl_names() -> set[str]:
    from pdfminer.glyphlist import glyphname2unicode

    return set(glyphname2unicode)


_AGL_OK = _agl_names()
