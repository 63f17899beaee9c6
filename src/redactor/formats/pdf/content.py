"""Remove glyphs from PDF content streams (pikepdf), keeping every other glyph where it was.

Glyphs are addressed by their order on the page: the n-th glyph this walker meets is the
n-th character pdfplumber (pdfminer) reports for the page, because both walk the same
operators in the same order (page content, then Form XObjects where ``Do`` invokes them,
Type 3 glyph procedures not entered) and both split strings into character codes with the
same font objects: the walker builds pdfminer font objects from the pikepdf font
dictionaries and splits strings exactly as pdfminer's CMaps decode them (1 byte for simple
fonts, 2 bytes for Identity-H/V, the CMap's code-space trie otherwise). ``remove_glyphs``
checks the correspondence (its glyph count must equal the extractor's) before it writes a page.

A removed glyph becomes a ``TJ`` position adjustment equal to its advance (width, character
spacing, word spacing for a single-byte code 32), so the text after it does not move. ``Tj``,
``'`` and ``"`` with a removed glyph become the equivalent ``TJ`` (with ``T*``/``Tw``/``Tc``).
A Form XObject that holds a removed glyph is copied for this page only (other pages that use
it keep the original). ``/ActualText`` on marked content of an edited stream is dropped
(it would otherwise still spell the removed text for screen readers and some extractors).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pdfminer.cmapdb import CMap, IdentityCMap, IdentityCMapByte
from pdfminer.pdffont import PDFCIDFont, PDFFont
from pdfminer.pdfinterp import PDFResourceManager
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT


class ContentMismatch(Exception):
    """The content stream does not decode to the glyphs the extractor reported."""


# --- pikepdf objects -> pdfminer font objects --------------------------------------------
def to_miner(obj: Any, depth: int = 0) -> Any:
    """Convert a pikepdf object tree to the plain objects pdfminer's font classes read."""
    if depth > 12:
        return None
    if isinstance(obj, pikepdf.Name):
        return LIT(str(obj)[1:])
    if isinstance(obj, pikepdf.String):
        return bytes(obj)
    if isinstance(obj, pikepdf.Stream):
        attrs = {str(k)[1:]: to_miner(v, depth + 1) for k, v in obj.items() if k not in ("/Filter", "/DecodeParms", "/Length")}
        try:
            data = obj.read_bytes()
        except pikepdf.PdfError:
            data = b""
        return PDFStream(attrs, data)
    if isinstance(obj, pikepdf.Dictionary):
        return {str(k)[1:]: to_miner(v, depth + 1) for k, v in obj.items() if k != "/Parent"}
    if isinstance(obj, pikepdf.Array):
        return [to_miner(v, depth + 1) for v in obj]
    if isinstance(obj, bool) or obj is None:
        return obj
    if isinstance(obj, int):
        return obj
    try:
        return float(obj)
    except (TypeError, ValueError):
        return None


class FontCache:
    def __init__(self) -> None:
        self.rsrc = PDFResourceManager(caching=False)
        self._fonts: dict[Any, PDFFont | None] = {}

    def get(self, fontdict: Any) -> PDFFont | None:
        key = fontdict.objgen if fontdict.is_indirect else id(fontdict)
        if key not in self._fonts:
            try:
                spec = to_miner(fontdict)
                self._fonts[key] = self.rsrc.get_font(None, spec if isinstance(spec, dict) else {})
            except Exception:  # noqa: BLE001 - pdfminer raises anything on odd fonts; mirror its fallback
                self._fonts[key] = self.rsrc.get_font(None, {})
        return self._fonts[key]


def code_spans(font: PDFFont, data: bytes) -> list[tuple[int, int, int]]:
    """Split a string into (start, end, cid) codes exactly as pdfminer's ``font.decode`` does."""
    if isinstance(font, PDFCIDFont):
        cmap = font.cmap
        if isinstance(cmap, IdentityCMapByte):
            return [(i, i + 1, b) for i, b in enumerate(data)]
        if isinstance(cmap, IdentityCMap):
            return [(i, i + 2, (data[i] << 8) | data[i + 1]) for i in range(0, len(data) - 1, 2)]
        if isinstance(cmap, CMap):
            out = []
            d: Any = cmap.code2cid
            start = 0
            for i, b in enumerate(data):
                if b in d:
                    x = d[b]
                    if isinstance(x, int):
                        out.append((start, i + 1, x))
                        d = cmap.code2cid
                        start = i + 1
                    else:
                        d = x
                else:
                    d = cmap.code2cid
                    start = i + 1
            return out
        cids = list(font.decode(data))
        if len(cids) == len(data):
            return [(i, i + 1, c) for i, c in enumerate(cids)]
        if len(cids) * 2 == len(data):
            return [(2 * i, 2 * i + 2, c) for i, c in enumerate(cids)]
        raise ContentMismatch(f"cannot split strings of font {getattr(font, 'fontname', '?')}")
    return [(i, i + 1, b) for i, b in enumerate(data)]


def _advance(font: PDFFont, cid: int) -> float:
    if font.is_vertical():
        d = font.char_disp(cid)
        vy = d[1] if isinstance(d, tuple) else d
        return float(vy or -1000) * 0.001
    return float(font.char_width(cid))


# --- the walker ---------------------------------------------------------------------------
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def mult(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF row-vector convention: [x y 1] m n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


@dataclass
class _State:
    font: PDFFont | None = None
    size: float = 0.0
    tc: float = 0.0
    tw: float = 0.0
    ctm: Matrix = IDENTITY

    def copy(self) -> _State:
        return _State(self.font, self.size, self.tc, self.tw, self.ctm)


@dataclass
class _Ctx:
    pdf: pikepdf.Pdf
    fonts: FontCache
    remove: frozenset[int]
    counter: int = 0
    images: list[tuple[str, Matrix]] = field(default_factory=list)  # page-level image XObjects and where drawn


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return 0.0


def _font_for(resources: Any, name: Any, ctx: _Ctx) -> PDFFont | None:
    try:
        fd = resources["/Font"][name]
    except (KeyError, TypeError, ValueError, AttributeError):
        return ctx.fonts.rsrc.get_font(None, {})  # pdfminer's fallback for an unknown font
    return ctx.fonts.get(fd)


def _instr(operands: list[Any], op: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(operands, pikepdf.Operator(op))


def _show(elems: list[Any], st: _State, ctx: _Ctx) -> list[Any] | None:
    """Count the glyphs of a text-showing operator; return new TJ elements if any is removed."""
    font = st.font
    if font is None:
        return None
    out: list[Any] = []
    hit = False

    def push_bytes(b: bytes) -> None:
        if not b:
            return
        if out and isinstance(out[-1], bytearray):
            out[-1].extend(b)
        else:
            out.append(bytearray(b))

    def push_num(n: float) -> None:
        if out and isinstance(out[-1], float):
            out[-1] += n
        else:
            out.append(n)

    for el in elems:
        if isinstance(el, pikepdf.String):
            data = bytes(el)
            pos = 0
            for s, e, cid in code_spans(font, data):
                idx = ctx.counter
                ctx.counter += 1
                if idx in ctx.remove:
                    hit = True
                    push_bytes(data[pos:s])
                    if st.size:
                        tw = st.tw if (e - s == 1 and data[s] == 32) else 0.0
                        push_num(-1000.0 * (_advance(font, cid) + (st.tc + tw) / st.size))
                    pos = e
            push_bytes(data[pos:])
        else:
            push_num(_num(el))
    if not hit:
        return None
    return [pikepdf.String(bytes(x)) if isinstance(x, bytearray) else round(x, 3) for x in out]


def walk(instructions: list[Any], resources: Any, st: _State, ctx: _Ctx, depth: int = 0) -> tuple[list[Any], dict[str, Any], int]:
    """Walk one content stream. Returns (new instructions, XObjects to add to its resources,
    net q depth). Instructions are returned unchanged unless a glyph was removed."""
    out: list[Any] = []
    added: dict[str, Any] = {}  # new name -> edited copy; "-" + old name -> None: drop if unused
    stack: list[_State] = []
    qdepth = 0
    for ins in instructions:
        if isinstance(ins, pikepdf.ContentStreamInlineImage):
            out.append(ins)
            continue
        operands, op = list(ins.operands), str(ins.operator)
        if op == "q":
            stack.append(st.copy())
            qdepth += 1
        elif op == "Q":
            if stack:
                st = stack.pop()
            qdepth = max(0, qdepth - 1)
        elif op == "cm" and len(operands) == 6:
            st.ctm = mult(tuple(_num(x) for x in operands), st.ctm)  # type: ignore[arg-type]
        elif op == "Tf" and len(operands) >= 2:
            st.font = _font_for(resources, operands[0], ctx)
            st.size = _num(operands[1])
        elif op == "Tc" and operands:
            st.tc = _num(operands[0])
        elif op == "Tw" and operands:
            st.tw = _num(operands[0])
        elif op in ("Tj", "'", '"', "TJ") and operands:
            if op == '"' and len(operands) >= 3:
                st.tw, st.tc = _num(operands[0]), _num(operands[1])
            elems = list(operands[0]) if op == "TJ" else [operands[-1]]
            new = _show(elems, st, ctx)
            if new is not None:
                if op == "'":
                    out.append(_instr([], "T*"))
                elif op == '"':
                    out.extend([_instr([operands[0]], "Tw"), _instr([operands[1]], "Tc"), _instr([], "T*")])
                out.append(_instr([pikepdf.Array(new)], "TJ"))
                continue
        elif op == "BDC" and len(operands) == 2 and isinstance(operands[1], pikepdf.Dictionary):
            if "/ActualText" in operands[1] or "/Alt" in operands[1]:
                props = pikepdf.Dictionary({k: v for k, v in operands[1].items() if k not in ("/ActualText", "/Alt")})
                out.append(_instr([operands[0], props], "BDC"))
                continue
        elif op == "Do" and operands and depth < 20:
            if depth == 0:
                ctx.images.append((str(operands[0]), st.ctm))
            new_name = _do_form(operands[0], resources, st, ctx, depth, added)
            if new_name is not None:
                added["-" + str(operands[0])] = None
                out.append(_instr([pikepdf.Name(new_name)], "Do"))
                continue
        out.append(ins)
    return out, added, qdepth


def _do_form(name: Any, resources: Any, st: _State, ctx: _Ctx, depth: int, added: dict[str, Any]) -> str | None:
    try:
        xobj = resources["/XObject"][name]
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if not isinstance(xobj, pikepdf.Stream) or xobj.get("/Subtype") != "/Form" or "/BBox" not in xobj:
        return None
    sub_res = xobj.get("/Resources") or resources
    before = ctx.counter
    instrs = pikepdf.parse_content_stream(xobj)
    new_instrs, sub_added, _ = walk(instrs, sub_res, st.copy(), ctx, depth + 1)
    if not any(before <= i < ctx.counter for i in ctx.remove):
        return None
    copy = pikepdf.Stream(ctx.pdf, pikepdf.unparse_content_stream(new_instrs))
    for k, v in xobj.items():
        if k not in ("/Length", "/Filter", "/DecodeParms", "/Resources"):
            copy[k] = v
    copy["/Resources"] = with_xobjects(sub_res, sub_added, new_instrs)
    new_name = f"/RdX{depth}_{before}"
    added[new_name] = copy
    return new_name


def with_xobjects(resources: Any, added: dict[str, Any], instructions: list[Any] | None = None) -> Any:
    """A private copy of a resources dictionary with the edited Form XObjects added, and the
    forms they replace dropped when this stream no longer invokes them (the originals still
    hold the removed text; other pages that share them keep their own reference)."""
    if not added:
        return resources if resources is not None else pikepdf.Dictionary()
    res = pikepdf.Dictionary({k: v for k, v in resources.items()}) if resources is not None else pikepdf.Dictionary()
    xo = res.get("/XObject")
    xo = pikepdf.Dictionary({k: v for k, v in xo.items()}) if xo is not None else pikepdf.Dictionary()
    used = {str(i.operands[0]) for i in instructions or [] if not isinstance(i, pikepdf.ContentStreamInlineImage)
            and str(i.operator) == "Do" and i.operands}
    for k, v in added.items():
        if k.startswith("-"):
            if k[1:] not in used and k[1:] in xo:
                del xo[k[1:]]
        else:
            xo[k] = v
    res["/XObject"] = xo
    return res


def page_resources(page_obj: Any) -> Any:
    node = page_obj
    for _ in range(64):
        if node is None:
            break
        res = node.get("/Resources")
        if res is not None:
            return res
        node = node.get("/Parent")
    return pikepdf.Dictionary()


def remove_glyphs(pdf: pikepdf.Pdf, page: pikepdf.Page, remove: set[int], fonts: FontCache, expected: int | None,
                  append: bytes = b"") -> list[tuple[str, Matrix]]:
    """Rewrite the page's content without the glyphs numbered in ``remove``; ``append`` is
    drawn on top in the page's default coordinate system (the redaction boxes). Returns the
    page-level images with the matrix each is drawn with (for ``paint_images``)."""
    ctx = _Ctx(pdf, fonts, frozenset(remove))
    resources = page_resources(page.obj)
    new, added, qdepth = walk(pikepdf.parse_content_stream(page), resources, _State(), ctx)
    if expected is not None and ctx.counter != expected:
        raise ContentMismatch(f"content has {ctx.counter} glyphs, the extractor reported {expected}")
    data = b"q\n" + pikepdf.unparse_content_stream(new) + b"\n" + b"Q\n" * (qdepth + 1) + append
    page.obj["/Contents"] = pikepdf.Stream(pdf, data)
    page.obj["/Resources"] = with_xobjects(resources, added, new)
    return ctx.images


def paint_images(pdf: pikepdf.Pdf, page: pikepdf.Page, placements: list[tuple[str, Matrix]],
                 rects: list[tuple[float, float, float, float]]) -> int:
    """Paint ``rects`` (user space x0, y0, x1, y1) black in the pixels of every page-level
    image drawn under them (a scanned page with an invisible OCR text layer shows the value
    in the picture: removing the text alone leaves it there). Each painted image is a new
    object used by this page only. Returns the number of images painted."""
    from pikepdf import PdfImage
    from PIL import ImageDraw

    res = page.obj.get("/Resources")
    xobjects = res.get("/XObject") if res is not None else None
    if xobjects is None:
        return 0
    replaced: dict[str, Any] = {}
    for name, m in placements:
        xobj = xobjects.get(name)
        if not isinstance(xobj, pikepdf.Stream) or xobj.get("/Subtype") != "/Image" or xobj.get("/ImageMask"):
            continue
        a, b, c, d, e, f = m
        det = a * d - b * c
        if abs(det) < 1e-9:
            continue
        w, h = int(xobj.Width), int(xobj.Height)
        boxes = []
        for x0, y0, x1, y1 in rects:
            pts = []
            for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
                # user space -> unit square of the image -> pixels (row 0 at the top)
                u = (d * (x - e) - c * (y - f)) / det
                v = (-b * (x - e) + a * (y - f)) / det
                pts.append((u * w, (1 - v) * h))
            px0, px1 = min(p[0] for p in pts), max(p[0] for p in pts)
            py0, py1 = min(p[1] for p in pts), max(p[1] for p in pts)
            if px1 < 0 or py1 < 0 or px0 > w or py0 > h:
                continue
            boxes.append((px0, py0, px1, py1))
        if not boxes:
            continue
        img = PdfImage(replaced.get(name, xobj)).as_pil_image()
        if img.mode not in ("L", "RGB"):
            img = img.convert("RGB")
        draw = ImageDraw.Draw(img)
        for px0, py0, px1, py1 in boxes:
            draw.rectangle([px0 - 1, py0 - 1, px1 + 1, py1 + 1], fill=0 if img.mode == "L" else (0, 0, 0))
        import zlib

        new = pikepdf.Stream(pdf, zlib.compress(img.tobytes(), 6))
        new["/Type"], new["/Subtype"] = pikepdf.Name.XObject, pikepdf.Name.Image
        new["/Width"], new["/Height"] = img.size[0], img.size[1]
        new["/ColorSpace"] = pikepdf.Name.DeviceGray if img.mode == "L" else pikepdf.Name.DeviceRGB
        new["/BitsPerComponent"] = 8
        new["/Filter"] = pikepdf.Name.FlateDecode
        if "/SMask" in xobj:
            new["/SMask"] = xobj.SMask
        replaced[name] = new
    if replaced:
        new_res = pikepdf.Dictionary({k: v for k, v in res.items()})
        new_xo = pikepdf.Dictionary({k: v for k, v in xobjects.items()})
        for name, stream in replaced.items():
            new_xo[name] = stream
        new_res["/XObject"] = new_xo
        page.obj["/Resources"] = new_res
    return len(replaced)


# --- what a content stream uses and says (for the scrubber and the readers of parts) --------------
# Colour spaces named in a content stream that are not looked up in the resources.
_BUILTIN_CS = {"/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern", "/G", "/RGB", "/CMYK", "/I"}
# Resource categories a content stream may name, by operator.
_USES = {"Tf": "/Font", "Do": "/XObject", "gs": "/ExtGState", "sh": "/Shading"}
_SHOW = {"Tj", "TJ", "'", '"'}


def parse(stream: Any) -> list[Any]:
    """The instructions of a content stream (a page, a form, a pattern); [] if it cannot be parsed."""
    try:
        return list(pikepdf.parse_content_stream(stream))
    except (pikepdf.PdfError, TypeError, ValueError, RuntimeError):
        return []


class ParseCache:
    """``parse`` remembered per stream while a file is read (fonts, marked content and the
    scrubber's inventory each walk the same pages and forms)."""

    def __init__(self) -> None:
        self._done: dict[Any, list[Any]] = {}

    def __call__(self, stream: Any) -> list[Any]:
        obj = stream.obj if isinstance(stream, pikepdf.Page) else stream
        key = obj.objgen if getattr(obj, "is_indirect", False) else None
        if key is None:
            return parse(stream)
        if key not in self._done:
            self._done[key] = parse(stream)
        return self._done[key]


def resource_uses(instructions: list[Any]) -> dict[str, set[str]]:
    """The resource names a content stream uses, by category ('/Font' -> {'/F1'}, ...)."""
    uses: dict[str, set[str]] = {}

    def add(cat: str, name: Any) -> None:
        if isinstance(name, pikepdf.Name):
            uses.setdefault(cat, set()).add(str(name))

    for ins in instructions:
        if isinstance(ins, pikepdf.ContentStreamInlineImage):
            for key in ("/CS", "/ColorSpace"):
                cs = ins.iimage.obj.get(key) if hasattr(ins, "iimage") else None
                if isinstance(cs, pikepdf.Name) and str(cs) not in _BUILTIN_CS:
                    add("/ColorSpace", cs)
            continue
        op, ops = str(ins.operator), ins.operands
        if op in _USES and ops:
            add(_USES[op], ops[0])
        elif op in ("cs", "CS") and ops and str(ops[0]) not in _BUILTIN_CS:
            add("/ColorSpace", ops[0])
        elif op in ("scn", "SCN") and ops and isinstance(ops[-1], pikepdf.Name):
            add("/Pattern", ops[-1])
        elif op in ("BDC", "DP") and len(ops) == 2:
            add("/Properties", ops[1])
    return uses


def has_text(instructions: list[Any]) -> bool:
    return any(not isinstance(i, pikepdf.ContentStreamInlineImage) and str(i.operator) in _SHOW for i in instructions)


def without_text(instructions: list[Any]) -> list[Any]:
    """The instructions without their text objects (BT ... ET)."""
    out, inside = [], False
    for ins in instructions:
        op = None if isinstance(ins, pikepdf.ContentStreamInlineImage) else str(ins.operator)
        if op == "BT":
            inside = True
        elif op == "ET":
            inside = False
        elif not inside:
            out.append(ins)
    return out


def marked_texts(instructions: list[Any]) -> list[str]:
    """/ActualText, /Alt and /E of marked content written inline in a content stream: text that
    extractors such as Acrobat's use instead of the glyphs (pdfminer does not read it)."""
    out = []
    for ins in instructions:
        if isinstance(ins, pikepdf.ContentStreamInlineImage) or str(ins.operator) not in ("BDC", "DP"):
            continue
        props = ins.operands[1] if len(ins.operands) == 2 else None
        if isinstance(props, pikepdf.Dictionary):
            for key in ("/ActualText", "/Alt", "/E"):
                v = props.get(key)
                if isinstance(v, pikepdf.String) and str(v).strip():
                    out.append(str(v))
    return out


def stream_text(instructions: list[Any], resources: Any, fonts: FontCache, depth: int = 0) -> str:
    """The text a content stream shows, decoded with its fonts' Unicode maps, in drawing order
    (a line break after each text object), with the text of the forms it draws. Used for
    streams pdfplumber does not read: forms never drawn, tiling patterns, soft masks,
    annotation appearances."""
    out: list[str] = []
    font = None
    for ins in instructions:
        if isinstance(ins, pikepdf.ContentStreamInlineImage):
            continue
        op, ops = str(ins.operator), ins.operands
        if op == "Tf" and ops:
            font = _font_for(resources, ops[0], _Ctx(None, fonts, frozenset()))  # type: ignore[arg-type]
        elif op in _SHOW and ops and font is not None:
            elems = list(ops[0]) if op == "TJ" else [ops[-1]]
            for el in elems:
                if isinstance(el, pikepdf.String):
                    try:
                        spans = code_spans(font, bytes(el))
                    except ContentMismatch:
                        continue
                    for _, _, cid in spans:
                        try:
                            out.append(font.to_unichr(cid))
                        except Exception:  # noqa: BLE001 - no Unicode for this code
                            out.append("\ufffd")
        elif op == "ET":
            out.append("\n")
        elif op == "Do" and ops and depth < 8:
            try:
                xobj = resources["/XObject"][ops[0]]
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            if isinstance(xobj, pikepdf.Stream) and xobj.get("/Subtype") == "/Form":
                out.append(stream_text(parse(xobj), xobj.get("/Resources") or resources, fonts, depth + 1))
    return "".join(out)


def strip_marked_texts(pdf: pikepdf.Pdf) -> None:
    """Drop /ActualText, /Alt and /E from marked content in every page and form of the file."""
    streams = list(pdf.pages) + [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"]
    for stream in streams:
        instrs = parse(stream)
        if not marked_texts(instrs):
            continue
        out = []
        for ins in instrs:
            if (not isinstance(ins, pikepdf.ContentStreamInlineImage) and str(ins.operator) in ("BDC", "DP")
                    and len(ins.operands) == 2 and isinstance(ins.operands[1], pikepdf.Dictionary)):
                props = pikepdf.Dictionary({k: v for k, v in ins.operands[1].items()
                                            if k not in ("/ActualText", "/Alt", "/E")})
                ins = _instr([ins.operands[0], props], str(ins.operator))
            out.append(ins)
        data = pikepdf.unparse_content_stream(out)
        if isinstance(stream, pikepdf.Page):
            stream.obj.Contents = pikepdf.Stream(pdf, data)
        else:
            stream.write(data)
