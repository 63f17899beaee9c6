"""Generate test PDFs: every fixture is made by code, with synthetic people (redactor.synth).

Two ways to draw Chinese, because both occur in real files:
  * ``cjk="identity"``: a Type0 font, Encoding /Identity-H, CIDFontType2 with an embedded
    TrueType subset and a ToUnicode CMap (2-byte codes; what Word and LibreOffice write).
    reportlab cannot write this, so the page text is added after reportlab with pikepdf.
  * ``cjk="subset"``: reportlab's own TrueType embedding (simple fonts with 1-byte codes and
    a ToUnicode CMap, 256 glyphs per subset).
Latin letters and digits are always drawn with Helvetica (a standard 14 simple font,
1-byte WinAnsi codes). The CJK TrueType font comes from Debian ``fonts-wqy-zenhei`` (Noto
CJK is CFF-flavoured OpenType, which reportlab cannot embed).
"""
from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CJK_FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
]

A4 = (595.2756, 841.8898)


def cjk_font_path() -> str | None:
    env = os.environ.get("REDACTOR_TEST_CJK_FONT")
    if env and os.path.exists(env):
        return env
    for p in CJK_FONT_CANDIDATES:
        if os.path.exists(p):
            return p
    return None


def _is_cjk(ch: str) -> bool:
    return ord(ch) > 0x2E7F


_FACE: dict[str, Any] = {}


def _face(path: str):
    if path not in _FACE:
        from reportlab.pdfbase.ttfonts import TTFontFile

        _FACE[path] = TTFontFile(path, subfontIndex=0)
    return _FACE[path]


@dataclass
class _Op:
    kind: str                # text | rect
    args: tuple


@dataclass
class _PageSpec:
    ops: list[_Op] = field(default_factory=list)
    grids: list[tuple[list[float], list[float]]] = field(default_factory=list)
    images: list[tuple[bytes, float, float, float, float]] = field(default_factory=list)
    annotations: list[tuple[str, tuple[float, float, float, float], str]] = field(default_factory=list)


class PdfBuilder:
    """A tiny page-description API over reportlab (+ pikepdf for Identity-H text)."""

    def __init__(self, cjk: str = "identity", pagesize: tuple[float, float] = A4) -> None:
        assert cjk in ("identity", "subset")
        self.cjk = cjk
        self.pagesize = pagesize
        self.pages: list[_PageSpec] = []
        self.author: str | None = None
        self.title: str | None = None
        self.subject: str | None = None
        self.xmp_creator: str | None = None
        self.attachments: dict[str, bytes] = {}
        self.font_path = cjk_font_path()
        if self.font_path is None:
            raise RuntimeError("no CJK TrueType font found (Debian: fonts-wqy-zenhei)")

    # -- drawing API (PDF coordinates: origin bottom left) --
    def new_page(self) -> "PdfBuilder":
        self.pages.append(_PageSpec())
        return self

    @property
    def page(self) -> _PageSpec:
        if not self.pages:
            self.new_page()
        return self.pages[-1]

    def text(self, x: float, y: float, s: str, size: float = 11.0, invisible: bool = False, tc: float = 0.0,
             angle: float = 0.0) -> float:
        """Draw a line of mixed Chinese/Latin text (render mode 3 when invisible, as an OCR
        text layer over a scan is), with character spacing ``tc`` (points) and turned by
        ``angle`` degrees counter-clockwise about (x, y); return its advance."""
        if (tc or angle) and self.cjk != "identity":
            raise ValueError("character spacing and rotation are drawn in identity mode only")
        self.page.ops.append(_Op("text", (x, y, s, size, invisible, tc, angle)))
        return self.width(s, size) + tc * len(s)

    def rect(self, x: float, y: float, w: float, h: float, gray: float = 0.0) -> None:
        """A filled rectangle drawn on top of what was drawn before (a 'redaction' box)."""
        self.page.ops.append(_Op("rect", (x, y, w, h, gray)))

    def grid(self, xs: list[float], ys: list[float]) -> None:
        self.page.grids.append((xs, ys))

    def image(self, png: bytes, x: float, y: float, w: float, h: float) -> None:
        self.page.images.append((png, x, y, w, h))

    def annotation(self, contents: str, rect: tuple[float, float, float, float], author: str = "") -> None:
        self.page.annotations.append((contents, rect, author))

    def paragraph(self, x: float, y: float, s: str, width: float, size: float = 11.0, leading: float = 1.5) -> float:
        """Wrap ``s`` at ``width`` (character by character, as Chinese typesetting does); return the next y."""
        line = ""
        for ch in s:
            if line and self.width(line + ch, size) > width:
                self.text(x, y, line, size)
                y -= size * leading
                line = ""
            line += ch
        if line:
            self.text(x, y, line, size)
            y -= size * leading
        return y

    # -- measuring --
    def _runs(self, s: str) -> list[tuple[bool, str]]:
        runs: list[tuple[bool, str]] = []
        for ch in s:
            c = _is_cjk(ch)
            if runs and runs[-1][0] == c:
                runs[-1] = (c, runs[-1][1] + ch)
            else:
                runs.append((c, ch))
        return runs

    def _cjk_width(self, s: str, size: float) -> float:
        face = _face(self.font_path)
        return sum(face.charWidths.get(ord(ch), face.defaultWidth) for ch in s) * size / 1000.0

    def width(self, s: str, size: float) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        return sum(self._cjk_width(t, size) if c else stringWidth(t, "Helvetica", size) for c, t in self._runs(s))

    # -- output --
    def save(self, path: str | Path) -> Path:
        from reportlab.lib.utils import ImageReader
        from reportlab.pdfgen import canvas

        path = Path(path)
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=self.pagesize, invariant=1)
        if self.author:
            c.setAuthor(self.author)
        if self.title:
            c.setTitle(self.title)
        if self.subject:
            c.setSubject(self.subject)
        if self.cjk == "subset":
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            pdfmetrics.registerFont(TTFont("CJKSub", self.font_path, subfontIndex=0))
        for spec in self.pages or [_PageSpec()]:
            for png, x, y, w, h in spec.images:
                c.drawImage(ImageReader(io.BytesIO(png)), x, y, w, h)
            for xs, ys in spec.grids:
                c.setLineWidth(0.8)
                c.grid(xs, ys)
            if self.cjk == "subset":
                for op in spec.ops:
                    self._draw_rl(c, op)
            for contents, rect, author in spec.annotations:
                c.textAnnotation(contents, Rect=rect, addtopage=1, name=author or None)
            c.showPage()
        c.save()
        data = buf.getvalue()
        if self.cjk == "identity" or self.attachments or self.xmp_creator:
            data = self._post(data)
        path.write_bytes(data)
        return path

    def _draw_rl(self, c, op: _Op) -> None:
        if op.kind == "rect":
            x, y, w, h, gray = op.args
            c.setFillGray(gray)
            c.rect(x, y, w, h, stroke=0, fill=1)
            c.setFillGray(0)
            return
        x, y, s, size, invisible = op.args[:5]
        for is_cjk, t in self._runs(s):
            obj = c.beginText(x, y)
            obj.setFont("CJKSub" if is_cjk else "Helvetica", size)
            obj.setTextRenderMode(3 if invisible else 0)
            obj.textOut(t)
            c.drawText(obj)
            x += self.width(t, size)

    def _post(self, data: bytes) -> bytes:
        import pikepdf

        pdf = pikepdf.open(io.BytesIO(data))
        if self.cjk == "identity":
            chars = sorted({ch for spec in self.pages for op in spec.ops if op.kind == "text" for ch in op.args[2] if _is_cjk(ch)})
            font, gid = self._identity_font(pdf, chars)
            helv = pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica,
                Encoding=pikepdf.Name.WinAnsiEncoding))
            for spec, page in zip(self.pages, pdf.pages):
                ops = []
                for op in spec.ops:
                    if op.kind == "rect":
                        x, y, w, h, gray = op.args
                        ops.append(b"q %.3f g %.3f %.3f %.3f %.3f re f Q" % (gray, x, y, w, h))
                        continue
                    x, y, s, size, invisible, tc, angle = op.args
                    mode = b"3 Tr " if invisible else b""
                    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
                    for is_cjk, t in self._runs(s):
                        tm = (b"%.3f %.3f Td" % (x, y) if not (tc or angle) else
                              b"%.4f %.4f %.4f %.4f %.3f %.3f Tm %.3f Tc" % (cos, sin, -sin, cos, x, y, tc))
                        if is_cjk:
                            code = "".join("%04X" % gid[ord(ch)] for ch in t).encode()
                            ops.append(b"BT %s/FCJK %.2f Tf %s <%s> Tj ET" % (mode, size, tm, code))
                        else:
                            raw = t.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                            ops.append(b"BT %s/FHelv %.2f Tf %s (%s) Tj ET" % (mode, size, tm, raw))
                        adv = self.width(t, size) + tc * len(t)
                        x, y = x + adv * cos, y + adv * sin
                res = page.obj.get("/Resources")
                if res is None:
                    res = page.obj["/Resources"] = pikepdf.Dictionary()
                fonts = res.get("/Font")
                if fonts is None:
                    fonts = res["/Font"] = pikepdf.Dictionary()
                fonts["/FCJK"] = font
                fonts["/FHelv"] = helv
                page.contents_add(pikepdf.Stream(pdf, b"\n".join(ops)), prepend=False)
        for name, blob in self.attachments.items():
            pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, blob, description="attachment")
        if self.xmp_creator:
            with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
                meta["dc:creator"] = [self.xmp_creator]
                meta["dc:title"] = self.title or "document"
            # pikepdf rewrites the Info dictionary from XMP: put the properties back.
            for key, value in (("/Author", self.author), ("/Title", self.title), ("/Subject", self.subject)):
                if value:
                    pdf.docinfo[key] = value
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()

    def _identity_font(self, pdf, chars: list[str]):
        """A Type0 / Identity-H font with an embedded TrueType subset of ``chars``."""
        import pikepdf

        face = _face(self.font_path)
        codes = [ord(ch) for ch in chars]
        subset = face.makeSubset(codes)
        # makeSubset numbers new glyphs in order of first use (0 is .notdef): replay it.
        gid: dict[int, int] = {}
        glyph_set = {0: 0}
        n = 1
        for code in codes:
            orig = face.charToGlyph.get(code, 0)
            if orig not in glyph_set:
                glyph_set[orig] = n
                n += 1
            gid[code] = glyph_set[orig]
        name = pikepdf.Name("/RDTEST+" + face.name.decode("latin-1"))
        fontfile = pikepdf.Stream(pdf, subset)
        fontfile["/Length1"] = len(subset)
        desc = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.FontDescriptor, FontName=name, Flags=4,
            FontBBox=pikepdf.Array([int(v) for v in face.bbox]), ItalicAngle=0, Ascent=int(face.ascent),
            Descent=int(face.descent), CapHeight=int(face.capHeight), StemV=int(face.stemV), FontFile2=fontfile))
        widths = pikepdf.Array()
        for code in codes:
            widths.append(gid[code])
            widths.append(pikepdf.Array([int(face.charWidths.get(code, face.defaultWidth))]))
        cid = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2, BaseFont=name,
            CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0),
            FontDescriptor=desc, DW=1000, W=widths, CIDToGIDMap=pikepdf.Name.Identity))
        lines = [f"<{gid[c]:04X}> <{c:04X}>" for c in codes]
        cmap = (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        )
        for i in range(0, len(lines), 100):
            chunk = lines[i:i + 100]
            cmap += f"{len(chunk)} beginbfchar\n" + "\n".join(chunk) + "\nendbfchar\n"
        cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        font = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=name, Encoding=pikepdf.Name("/Identity-H"),
            DescendantFonts=pikepdf.Array([cid]), ToUnicode=pikepdf.Stream(pdf, cmap.encode())))
        return font, gid


def text_image(lines: list[str], width_px: int = 1654, size_px: int = 44) -> bytes:
    """A 'scanned' picture of text (PNG), drawn with the CJK font."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(cjk_font_path(), size_px, index=0)
    h = int(size_px * 2.0 * len(lines) + size_px * 2)
    img = Image.new("L", (width_px, h), 255)
    d = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        d.text((size_px * 2, size_px + i * size_px * 2.0), line, fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


# --- the cases --------------------------------------------------------------------------------
def _synth(seed: int):
    from redactor.synth import Synth

    return Synth.seeded(seed)


def body_id(path: Path, seed: int = 1, cjk: str = "identity", wrap: bool = True) -> dict[str, str]:
    """A notice with a private person's ID and mobile in the body; the ID wraps across lines."""
    s = _synth(seed)
    person, idn, mobile = s.name(), s.id18(), s.mobile()
    b = PdfBuilder(cjk=cjk).new_page()
    b.text(72, 770, "关于发放困难群众临时救助金的公示", size=16)
    y = 730
    first = "经审核，申请人" + person + "（公民身份号码："
    # Make the ID wrap after its 8th digit when asked.
    width = b.width(first + idn[:8], 11) + 1 if wrap else 451
    y = b.paragraph(72, y, first + idn + "，联系电话" + mobile + "）符合救助条件，现予公示。", width)
    y = b.paragraph(72, y - 10, "公示期间如有异议，请向民政办反映。监督电话：12345。", 451)
    b.text(72, y - 10, "县民政局办公室")
    b.save(path)
    return {"person": person, "id": idn, "mobile": mobile, "keep": "县民政局办公室", "keep2": "监督电话"}


def table_wrap(path: Path, seed: int = 2, cjk: str = "identity") -> dict[str, str]:
    """A ruled table whose ID column is too narrow: each ID wraps inside its cell."""
    s = _synth(seed)
    rows = [(s.name(), s.id18(), s.mobile()) for _ in range(3)]
    b = PdfBuilder(cjk=cjk).new_page()
    b.text(72, 780, "补贴发放名册", size=14)
    xs = [72, 120, 200, 300, 420]
    top, h = 760, 40
    ys = [top - i * h for i in range(len(rows) + 2)]
    b.grid(xs, ys)
    for i, head in enumerate(["序号", "姓名", "身份证号码", "联系电话"]):
        b.text(xs[i] + 4, top - 24, head)
    for r, (name, idn, mob) in enumerate(rows):
        y = top - (r + 1) * h
        b.text(xs[0] + 4, y - 24, str(r + 1))
        b.text(xs[1] + 4, y - 24, name)
        b.text(xs[2] + 4, y - 16, idn[:12], size=10)   # wraps inside the 100-point cell
        b.text(xs[2] + 4, y - 30, idn[12:], size=10)
        b.text(xs[3] + 4, y - 24, mob, size=10)
    b.text(72, ys[-1] - 30, "制表单位：乡镇社会事务办")
    b.save(path)
    return {"ids": [r[1] for r in rows], "names": [r[0] for r in rows], "mobiles": [r[2] for r in rows],
            "id": rows[0][1], "keep": "制表单位", "header": "身份证号码"}


def fake_redaction(path: Path, seed: int = 3, cjk: str = "identity") -> dict[str, str]:
    """An ID 'redacted' by drawing a black box over it: the text is still there."""
    s = _synth(seed)
    idn = s.id18()
    b = PdfBuilder(cjk=cjk).new_page()
    b.text(72, 770, "信访事项处理意见书", size=16)
    x = 72 + b.text(72, 730, "信访人身份证号：")
    w = b.text(x, 730, idn)
    b.rect(x - 1, 726, w + 2, 14)           # the box a clerk drew in a PDF editor
    b.text(72, 700, "经调查，反映的问题已转相关部门办理。")
    b.save(path)
    return {"id": idn, "keep": "经调查", "keep2": "信访人身份证号"}


def scanned(path: Path, seed: int = 4, with_text_page: bool = False) -> dict[str, str]:
    """A page that is only an image of text (no text layer)."""
    s = _synth(seed)
    idn, mobile = s.id18(), s.mobile()
    png = text_image(["申请人身份证号码", idn, "联系电话 " + mobile, "以上信息属实"])
    b = PdfBuilder().new_page()
    w = A4[0] - 72
    from PIL import Image

    im = Image.open(io.BytesIO(png))
    h = w * im.height / im.width
    b.image(png, 36, A4[1] - 36 - h, w, h)
    if with_text_page:
        b.new_page()
        b.text(72, 770, "第二页：正文文字层，无个人信息。")
    b.save(path)
    return {"id": idn, "mobile": mobile}


def searchable_scan(path: Path, seed: int = 8) -> dict[str, str]:
    """A scan with an invisible OCR text layer laid over the picture (a 'searchable PDF')."""
    from PIL import Image, ImageDraw, ImageFont
    from reportlab.pdfbase.pdfmetrics import stringWidth

    s = _synth(seed)
    idn = s.id18()
    lines = ["Applicant ID", idn, "Checked by the office"]
    size_px, width_px = 44, 1654
    font = ImageFont.truetype(cjk_font_path(), size_px, index=0)
    img = Image.new("L", (width_px, size_px * 9), 255)
    d = ImageDraw.Draw(img)
    boxes = []
    for i, line in enumerate(lines):
        xy = (size_px * 2, size_px + i * size_px * 2.5)
        d.text(xy, line, fill=0, font=font)
        boxes.append(d.textbbox(xy, line, font=font))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    b = PdfBuilder().new_page()
    w_pt = A4[0] - 72
    k = w_pt / width_px
    top = A4[1] - 36
    b.image(buf.getvalue(), 36, top - img.height * k, w_pt, img.height * k)
    for line, (x0, y0, x1, y1) in zip(lines, boxes):
        size = (x1 - x0) * k / stringWidth(line, "Helvetica", 1)
        b.text(36 + x0 * k, top - y1 * k, line, size=size, invisible=True)
    b.save(path)
    return {"id": idn, "keep": "Checked by the office"}


def outline_and_link(path: Path, seed: int = 9) -> dict[str, str]:
    """A bookmark that names a person's ID, and a mailto: link to a private address."""
    import pikepdf

    s = _synth(seed)
    idn, email = s.id18(), s.email()
    b = PdfBuilder().new_page()
    b.text(72, 770, "复议决定书", size=16)
    b.text(72, 740, "附：申请人联系方式见书签。")
    b.save(path)
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("复议决定书", 0))
            outline.root.append(pikepdf.OutlineItem("申请人身份证 " + idn, 0))
        link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[72, 730, 300, 752],
                                  A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("mailto:" + email)))
        pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(link)]))
        pdf.save(path, deterministic_id=True)
    return {"id": idn, "email": email, "keep": "复议决定书"}


def incremental(path: Path, seed: int = 10) -> dict[str, str]:
    """Version 1 names an ID; version 2, appended as an incremental update (as Acrobat saves
    an edit), replaces the page text. Readers show version 2; version 1 is still in the file."""
    import pikepdf

    s = _synth(seed)
    idn = s.id18()
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica, Encoding=pikepdf.Name.WinAnsiEncoding))
    page = pdf.add_blank_page(page_size=A4)
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 770 Td (Applicant ID %s) Tj ET" % idn.encode())
    page_num = page.obj.objgen[0]
    root_num = pdf.Root.objgen[0]
    size = len(pdf.objects) + 1
    buf = io.BytesIO()
    pdf.save(buf, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             deterministic_id=True, fix_metadata_version=False)
    data = buf.getvalue()
    with pikepdf.open(io.BytesIO(data)) as v1:
        size = int(v1.trailer.Size)
        page_num = v1.pages[0].obj.objgen[0]
        root_num = v1.Root.objgen[0]
        mediabox = " ".join(str(float(x)) for x in v1.pages[0].obj.MediaBox)
        parent = v1.pages[0].obj.Parent.objgen[0]
        font_num = v1.pages[0].obj.Resources.Font.F1.objgen[0]
    prev = int(data[data.rindex(b"startxref") + 9:].split()[0])
    content = b"BT /F1 12 Tf 72 770 Td (Applicant ID withdrawn) Tj ET"
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets = {page_num: len(out)}
    out += (b"%d 0 obj\n<< /Type /Page /Parent %d 0 R /MediaBox [%s] /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>\nendobj\n" % (page_num, parent, mediabox.encode(), font_num, size))
    offsets[size] = len(out)
    out += b"%d 0 obj\n<< /Length %d >>\nstream\n%s\nendstream\nendobj\n" % (size, len(content), content)
    xref = len(out)
    out += b"xref\n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (size + 1, root_num, prev, xref)
    path.write_bytes(bytes(out))
    return {"id": idn, "keep": "Applicant ID withdrawn"}


def metadata(path: Path, seed: int = 5) -> dict[str, str]:
    s = _synth(seed)
    author, idn = s.name(), s.id18()
    b = PdfBuilder().new_page()
    b.author = author
    b.xmp_creator = author
    b.title = "工作简报"
    b.subject = "经办人身份证 " + idn
    b.text(72, 770, "工作简报（第3期）", size=16)
    b.text(72, 740, "本期内容：全县防汛工作部署情况。")
    b.save(path)
    return {"author": author, "id": idn, "keep": "全县防汛工作部署情况"}


def annotation(path: Path, seed: int = 6) -> dict[str, str]:
    s = _synth(seed)
    person, mobile = s.name(), s.mobile()
    b = PdfBuilder().new_page()
    b.text(72, 770, "会议纪要", size=16)
    b.text(72, 740, "会议研究了年度预算执行情况。")
    b.annotation(f"请核实：{person} 手机 {mobile}", (300, 700, 340, 740), author=person)
    b.save(path)
    return {"person": person, "mobile": mobile, "keep": "年度预算执行情况"}


def attachment(path: Path, seed: int = 7) -> dict[str, str]:
    s = _synth(seed)
    idn = s.id18()
    b = PdfBuilder().new_page()
    b.text(72, 770, "附件说明", size=16)
    b.text(72, 740, "详见附件。")
    b.attachments["申请人名单.txt"] = ("张某 " + idn).encode("utf-8")
    b.save(path)
    return {"id": idn, "name": "申请人名单.txt", "keep": "详见附件"}


def clean(path: Path, cjk: str = "identity", pages: int = 2) -> dict[str, str]:
    """No personal data: a round trip changes nothing."""
    b = PdfBuilder(cjk=cjk)
    for p in range(pages):
        b.new_page()
        b.text(72, 770, f"关于做好{2024 + p}年防汛工作的通知", size=16)
        y = b.paragraph(72, 730, "各乡镇人民政府、县直各有关单位：为切实做好汛期各项工作，保障人民群众生命财产安全，"
                                 "现将有关事项通知如下。一、提高思想认识。二、落实防汛责任。三、加强值班值守。", 451)
        b.text(72, y - 10, "Page %d of %d" % (p + 1, pages))
    b.save(path)
    return {}


def many_pages(path: Path, pages: int = 50, seed: int = 11, cjk: str = "identity") -> dict[str, Any]:
    """A long mixed document for the benchmark: text, a table and a person on every page."""
    s = _synth(seed)
    b = PdfBuilder(cjk=cjk)
    ids = []
    for p in range(pages):
        b.new_page()
        b.text(72, 790, f"县人民政府办公室文件（第{p + 1}页）", size=14)
        name, idn, mob = s.name(), s.id18(), s.mobile()
        ids.append(idn)
        text = ("根据《政府信息公开条例》有关规定，现将本年度专项资金使用情况公开如下。" * 3
                + f"申请人{name}，公民身份号码{idn}，联系电话{mob}，经审核符合条件。"
                + "各单位要高度重视，认真组织实施，确保各项措施落到实处。" * 4)
        y = b.paragraph(72, 760, text, 451)
        xs = [72, 130, 230, 360, 500]
        ys = [y - 10 - i * 22 for i in range(5)]
        b.grid(xs, ys)
        for i, head in enumerate(["序号", "项目", "金额（元）", "备注"]):
            b.text(xs[i] + 3, ys[0] - 15, head, size=10)
        for r in range(1, 4):
            for i, v in enumerate([str(r), "农田水利", f"{(r * 37911) % 100000}.00", "已拨付"]):
                b.text(xs[i] + 3, ys[r] - 15, v, size=10)
        b.paragraph(72, ys[-1] - 30, "特此公告。" + "本公告自发布之日起施行。" * 6, 451)
    b.save(path)
    return {"ids": ids}
