"""The bridge to OCR (``formats/ocr.py``) for PDF pages: render a page, read it with
Tesseract, turn the words into segments; a page nobody could read gets a blocking notice;
a scanned page with a masked value is replaced by a rendering with the value painted out."""
from __future__ import annotations

import io
import zlib
from pathlib import Path

from ...document import OCR, Segment
from ...findings import Finding
from .model import NO_TEXT, Handle


def render_png(pium, index: int) -> bytes:
    from ..ocr import DPI

    bitmap = pium[index].render(scale=DPI / 72)
    img = bitmap.to_pil()
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def rasterise(pdf, page, pium, index: int, boxes: list[tuple[float, float, float, float]]) -> None:
    """Replace a page by a rendered image of it with ``boxes`` (pixels) painted black."""
    import pikepdf
    from PIL import Image, ImageDraw

    from ..ocr import DPI

    img = Image.open(io.BytesIO(render_png(pium, index))).convert("RGB")
    draw = ImageDraw.Draw(img)
    pad = 4
    for x0, t, x1, b in boxes:
        draw.rectangle([x0 - pad, t - pad, x1 + pad, b + pad], fill=(0, 0, 0))
    w_px, h_px = img.size
    w_pt, h_pt = w_px * 72 / DPI, h_px * 72 / DPI
    stream = pikepdf.Stream(pdf, zlib.compress(img.tobytes(), 6))
    stream["/Type"] = pikepdf.Name.XObject
    stream["/Subtype"] = pikepdf.Name.Image
    stream["/Width"], stream["/Height"] = w_px, h_px
    stream["/ColorSpace"] = pikepdf.Name.DeviceRGB
    stream["/BitsPerComponent"] = 8
    stream["/Filter"] = pikepdf.Name.FlateDecode
    obj = page.obj
    obj["/Resources"] = pikepdf.Dictionary({"/XObject": pikepdf.Dictionary({"/RdScan": stream})})
    obj["/Contents"] = pikepdf.Stream(pdf, b"q %.3f 0 0 %.3f 0 0 cm /RdScan Do Q\n" % (w_pt, h_pt))
    obj["/MediaBox"] = pikepdf.Array([0, 0, w_pt, h_pt])
    for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox", "/Rotate"):
        if key in obj:
            del obj[key]


def unchecked_page(segments: list[Segment], notices: list[Finding], i: int, why: str) -> None:
    """A page nobody could read: an empty segment and a blocking no_text_layer notice on it."""
    seg = len(segments)
    segments.append(Segment(text="", origin=NO_TEXT, location={"page": i + 1}))
    notices.append(Finding(kind="no_text_layer", start=0, end=0, text="", score=1.0, rule="pdf.no_text_layer",
                           explanation=f"page {i + 1} could not be checked: {why}", segment=seg))


def ocr_page(i: int, segments: list[Segment], notices: list[Finding], h: Handle, pium, path: Path,
             why: str = "it is an image without a text layer"):
    from .. import ocr

    missing = ocr.available()
    if missing:
        unchecked_page(segments, notices, i, f"{why}, and OCR is not available ({missing}). It may hold "
                        "personal data; install Tesseract with chi_sim or check it by eye")
        return pium
    if pium is None:
        import pypdfium2 as pdfium

        pium = pdfium.PdfDocument(str(path))
    png = render_png(pium, i)
    try:
        words = ocr.ocr_png(png)
    except ocr.OcrUnavailable as e:
        unchecked_page(segments, notices, i, f"{why}, and OCR failed: {e}")
        return pium
    h.pages[i].ocr = True
    first = len(segments)
    for li, line in enumerate(ocr.lines_to_paragraphs(ocr.words_to_lines(words))):
        seg = len(segments)
        segments.append(Segment(text=line.text, origin=OCR, location={"page": i + 1, "paragraph": li}))
        h.ocr_maps[seg] = list(line.boxes)
        h.seg_page[seg] = i
    if len(segments) == first:
        segments.append(Segment(text="", origin=OCR, location={"page": i + 1}))
    notices.append(Finding(
        kind="ocr_page", start=0, end=0, text="", score=1.0, rule="pdf.ocr",
        explanation=f"page {i + 1}: {why}; its text was read by OCR (Tesseract chi_sim, {ocr.DPI} dpi), "
                    f"which can misread characters: check masked values by eye",
        segment=first))
    return pium