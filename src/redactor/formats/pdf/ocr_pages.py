"""The bridge to OCR (``formats/ocr.py``) for PDF pages: render a page, read it with
Tesseract, turn the words into segments; a page nobody could read gets a blocking notice;
a scanned page with a masked value is replaced by a rendering with the value painted out."""
from __future__ import annotations

import io
import re
from pathlib import Path

from ...document import OCR, Segment
from ...findings import Finding
from .model import NO_TEXT, Page
from .read import Item


def render_png(pium, index: int) -> bytes:
    from ..ocr import DPI

    bitmap = pium[index].render(scale=DPI / 72)
    img = bitmap.to_pil()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def rasterise(pdf, page, pium, index: int, boxes: list, info: Page) -> None:
    """Replace a page by a rendered image of it with ``boxes`` (pixels) painted black, each
    grown to cover whole glyphs (``ocr.cover_glyphs``), and an invisible text layer made of
    the page's OCR'd characters that lie outside the painted boxes (so the copy stays
    searchable, and a reader of the copy does not take a black box for characters)."""
    import numpy as np
    import pikepdf
    from PIL import Image, ImageDraw

    from ..ocr import DPI, cover_glyphs
    from .geometry import merge_boxes

    img = Image.open(io.BytesIO(render_png(pium, index))).convert("RGB")
    gray = np.asarray(img.convert("L"))
    draw = ImageDraw.Draw(img)
    painted = cover_glyphs(gray, merge_boxes([bx for bx in boxes if bx is not None]), info.bands)
    for x0, t, x1, b in painted:
        draw.rectangle([x0, t, x1, b], fill=(0, 0, 0))
    w_px, h_px = img.size
    w_pt, h_pt = w_px * 72 / DPI, h_px * 72 / DPI
    # JPEG, grey when the page has no colour: a page of pixels is megabytes raw
    rgb = np.asarray(img)
    grey = bool((np.abs(rgb[..., 0].astype(np.int16) - rgb[..., 1]) < 8).all()
                and (np.abs(rgb[..., 1].astype(np.int16) - rgb[..., 2]) < 8).all())
    pic = img.convert("L") if grey else img
    jpeg = io.BytesIO()
    pic.save(jpeg, format="JPEG", quality=85)
    stream = pikepdf.Stream(pdf, jpeg.getvalue())
    stream["/Type"] = pikepdf.Name.XObject
    stream["/Subtype"] = pikepdf.Name.Image
    stream["/Width"], stream["/Height"] = w_px, h_px
    stream["/ColorSpace"] = pikepdf.Name.DeviceGray if grey else pikepdf.Name.DeviceRGB
    stream["/BitsPerComponent"] = 8
    stream["/Filter"] = pikepdf.Name.DCTDecode
    # The text layer says only what the picture still shows: not a character inside a painted
    # box, nor one now under a box drawn over removed text (its box is nearly all black).
    final = np.asarray(img.convert("L")) < 96
    kept = []
    for ch, box in info.ocr_chars:
        x0, t, x1, b = (int(round(v)) for v in box)
        area = final[max(t, 0):max(b, t + 1), max(x0, 0):max(x1, x0 + 1)]
        if area.size and area.mean() < 0.85 and not any(
                px0 <= (x0 + x1) / 2 <= px1 and pt <= (t + b) / 2 <= pb for px0, pt, px1, pb in painted):
            kept.append((ch, box))
    obj = page.obj
    resources = pikepdf.Dictionary({"/XObject": pikepdf.Dictionary({"/RdScan": stream})})
    content = b"q %.3f 0 0 %.3f 0 0 cm /RdScan Do Q\n" % (w_pt, h_pt)
    if kept:
        resources["/Font"] = pikepdf.Dictionary({"/RdOCR": _layer_font(pdf)})
        content += _layer_text(kept, h_pt, 72 / DPI)
    obj["/Resources"] = resources
    obj["/Contents"] = pikepdf.Stream(pdf, content)
    obj["/MediaBox"] = pikepdf.Array([0, 0, w_pt, h_pt])
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate"):
        if key in obj:
            del obj[key]


_IDENTITY_UNICODE = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
                     b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
                     b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
                     b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
                     b"1 beginbfrange <0000> <FFFF> <0000> endbfrange "
                     b"endcmap CMapName currentdict /CMap defineresource pop end end")


def _layer_font(pdf):
    """A font for invisible text: two-byte codes that are the characters' Unicode values, no
    glyphs (it is never drawn; readers take the text from its Unicode map)."""
    import pikepdf

    desc = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/RedactorOCRLayer"),
                              Flags=4, FontBBox=[0, -200, 1000, 800], ItalicAngle=0, Ascent=800, Descent=-200,
                              CapHeight=700, StemV=80)
    cid = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
                             BaseFont=pikepdf.Name("/RedactorOCRLayer"), DW=1000, CIDToGIDMap=pikepdf.Name.Identity,
                             CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"),
                                                              Ordering=pikepdf.String("Identity"), Supplement=0),
                             FontDescriptor=pdf.make_indirect(desc))
    return pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=pikepdf.Name("/RedactorOCRLayer"),
        Encoding=pikepdf.Name("/Identity-H"), DescendantFonts=[pdf.make_indirect(cid)],
        ToUnicode=pikepdf.Stream(pdf, _IDENTITY_UNICODE)))


def _layer_text(chars: list, page_height: float, scale: float) -> bytes:
    """Content drawing ``chars`` ((text, pixel box)) invisibly, each scaled to its box."""
    ops = [b"BT 3 Tr"]
    for ch, (x0, top, x1, bottom) in chars:
        if len(ch) != 1 or ord(ch) > 0xFFFF or not ch.strip():
            continue
        size = max((bottom - top) * scale, 1.0)
        width = max((x1 - x0) * scale, 0.1)
        ops.append(b"/RdOCR %.2f Tf %.1f Tz 1 0 0 1 %.2f %.2f Tm <%04X> Tj"
                   % (size, 100 * width / size, x0 * scale, page_height - bottom * scale, ord(ch)))
    ops.append(b"ET\n")
    return b"\n".join(ops)


def unchecked_page(i: int, why: str) -> Item:
    """A page nobody could read: an empty segment with a blocking no_text_layer notice."""
    return Item(Segment(text="", origin=NO_TEXT, location={"page": i + 1}), notices=[Finding(
        kind="no_text_layer", start=0, end=0, text="", score=1.0, rule="pdf.no_text_layer",
        explanation=f"page {i + 1} could not be checked: {why}")])


class OcrSession:
    """OCR of a document's pages, rendered with pdfium (opened once, when first needed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._pium = None

    def render(self, i: int) -> bytes:
        if self._pium is None:
            import pypdfium2 as pdfium

            self._pium = pdfium.PdfDocument(str(self.path))
        return render_png(self._pium, i)

    def close(self) -> None:
        if self._pium is not None:
            self._pium.close()
            self._pium = None

    def page(self, i: int, info: Page, why: str = "it is an image without a text layer") -> list[Item]:
        """Segments of page ``i`` read by OCR, with an ``ocr_page`` notice; or, when OCR is not
        available, a blocking ``no_text_layer`` notice."""
        from .. import ocr

        missing = ocr.available()
        if missing:
            return [unchecked_page(i, f"{why}, and OCR is not available ({missing}). It may hold "
                                      "personal data; install Tesseract with chi_sim or check it by eye")]
        try:
            items = self.read(i, info)
        except ocr.OcrUnavailable as e:
            return [unchecked_page(i, f"{why}, and OCR failed: {e}")]
        info.ocr = True
        items[0].notices.append(Finding(
            kind="ocr_page", start=0, end=0, text="", score=1.0, rule="pdf.ocr",
            explanation=f"page {i + 1}: {why}; its text was read by OCR (Tesseract chi_sim, {ocr.DPI} dpi), "
                        f"which can misread characters: check masked values by eye"))
        return items

    def read(self, i: int, info: Page) -> list[Item]:
        """Page ``i`` read by OCR, laid out like a text page: the cells of ruled tables (found in
        the picture) one segment each, their lines joined (an ID the engine reads as two lines
        of a cell is one string); the rest as page text with its lines and blocks. Each text
        position keeps the pixel box of its character."""
        from .. import ocr
        from .layout import block_text, flow_blocks, is_label

        png = self.render(i)
        chars = ocr.words_to_chars(ocr.ocr_png(png))
        info.bands = [(c["top"], c["bottom"]) for c in chars]
        info.ocr_chars = [(c["text"], (c["x0"], c["top"], c["x1"], c["bottom"])) for c in chars]
        cells = ocr.table_cells(png)
        owner: dict[int, int] = {}
        for ci, c in enumerate(chars):
            cx, cy = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
            for k, (x0, t, x1, b) in enumerate(cells):
                if x0 <= cx <= x1 and t <= cy <= b:
                    owner[ci] = k
                    break

        def boxes(cmap: list[int]) -> list:
            return [(chars[ci]["x0"], chars[ci]["top"], chars[ci]["x1"], chars[ci]["bottom"]) if ci >= 0 else None
                    for ci in cmap]

        texts = {}
        for k in sorted(set(owner.values())):
            texts[k] = block_text([ci for ci, cell in owner.items() if cell == k], chars)
        items = []
        rest = [ci for ci in range(len(chars)) if ci not in owner]
        blocks = flow_blocks(rest, chars)
        text = "\n\n".join(b.text for b in blocks)
        cmap: list[int] = []
        for b in blocks:
            cmap += ([-1, -1] if cmap else []) + b.cmap
        if text.strip():
            items.append(Item(Segment(text=text, origin=OCR, location={"page": i + 1}), boxes=boxes(cmap), page=i))
        for k, (text, cmap) in texts.items():
            x0, t, x1, _ = cells[k]
            above = [j for j in texts if j != k and abs(cells[j][0] - x0) < 8 and abs(cells[j][2] - x1) < 8
                     and cells[j][1] < t]
            head = texts[min(above, key=lambda j: cells[j][1])][0] if above else None
            items.append(Item(Segment(text=text, origin=OCR, location={"page": i + 1, "cell": k},
                                      column_header=head if head and is_label(head) else None),
                              boxes=boxes(cmap), page=i))
        if not items:
            items.append(Item(Segment(text="", origin=OCR, location={"page": i + 1})))
        return items

    def crosscheck(self, i: int, info: Page, page_text: str, doubts: list) -> list[Item]:
        """A page whose fonts cannot be trusted: read by OCR and compared with its text layer.
        Numbers the picture shows that the text layer does not say mean the fonts lie: the OCR
        text is checked too, and a copy that masks anything on the page replaces it by a
        rendering painted over (nothing of its text layer is kept). Without OCR: block."""
        from .. import ocr

        fonts = "; ".join(sorted({f"{d.font}: {d.why}" for d in doubts}))
        why = f"its fonts cannot be trusted to say what the page shows ({fonts})"
        missing = ocr.available()
        if missing:
            return [unchecked_page(i, f"{why}, and OCR is not available ({missing}) to check it")]
        try:
            items = self.read(i, info)
        except ocr.OcrUnavailable as e:
            return [unchecked_page(i, f"{why}, and OCR failed: {e}")]
        layer = "".join(ch for ch in page_text if ch.isdigit())
        shown = [run for it in items for run in re.findall(r"\d{6,}", it.segment.text.replace(" ", ""))]
        unsaid = [run for run in shown if run not in layer]
        if not unsaid:
            return [Item(Segment(text="", origin=OCR, location={"page": i + 1}), notices=[Finding(
                kind="ocr_page", start=0, end=0, text="", score=1.0, rule="pdf.font_check",
                explanation=f"page {i + 1}: {why}; OCR of the page agrees with its text layer")])]
        info.ocr = True
        info.untrusted = True
        items[0].notices.append(Finding(
            kind="ocr_page", start=0, end=0, text="", score=1.0, rule="pdf.font_mismatch",
            explanation=f"page {i + 1}: {why}; OCR reads {len(unsaid)} number(s) the text layer does not say, so "
                        f"the page was checked by OCR and a copy that masks anything on it is an image of it"))
        return items
