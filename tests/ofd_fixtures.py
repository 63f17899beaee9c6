"""Generated OFD packages (GB/T 33190-2016) for the OFD tests: XML written directly with lxml.

``official_ofd`` writes a two-page document with personal data (synthetic people) in every
place an OFD holds text: body text objects (a value split over two text objects, an ID
wrapped over two lines, a table row, ``g`` delta shorthand, a scaled CTM), a template, an
outline, a URI action, ``DocInfo`` (author, keywords, custom data), an annotation, an
attachment, custom tags, extensions and a signature; page 2 is a scan (a PNG) with an
invisible text layer. It returns ``(path, secrets)``.

``read_ofd`` is the tests' own independent reader: every ``TextCode`` with the page position
of each character, computed here from the XML (not with the adapter's code).
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from redactor.synth import Synth

NS = "http://www.ofdspec.org/2016"
SIZE = 4.2333  # 12 pt in mm
CJK, DIGIT = SIZE, SIZE / 2


def q(name: str) -> str:
    return f"{{{NS}}}{name}"


def el(parent, name: str, text: str | None = None, **attrs):
    e = etree.SubElement(parent, q(name)) if parent is not None else etree.Element(q(name), nsmap={"ofd": NS})
    for k, v in attrs.items():
        e.set(k, str(v))
    if text is not None:
        e.text = text
    return e


def xml(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def advances(text: str) -> list[float]:
    return [DIGIT if ch.isascii() else CJK for ch in text]


class Ids:
    def __init__(self) -> None:
        self.n = 10

    def __call__(self) -> int:
        self.n += 1
        return self.n


def text_object(layer, ids: Ids, x: float, y: float, text: str, *, shorthand: bool = False, ctm: str | None = None,
                fill: bool = True):
    """A TextObject drawing ``text`` with its baseline at (x, y) on the page, DeltaX for every character."""
    adv = advances(text)
    width = sum(adv) + 1
    attrs = {"ID": ids(), "Boundary": f"{x} {y - SIZE} {width} {SIZE * 1.5}", "Font": 3, "Size": SIZE}
    if ctm:
        attrs["CTM"] = ctm
    if not fill:
        attrs["Fill"] = "false"
    obj = el(layer, "TextObject", **attrs)
    el(obj, "FillColor", Value="0 0 0")
    deltas = adv[:-1]
    if shorthand and deltas and len(set(deltas)) == 1:
        dx = f"g {len(deltas)} {deltas[0]:g}"
    else:
        dx = " ".join(f"{d:g}" for d in deltas)
    el(obj, "TextCode", text, X=0, Y=SIZE, DeltaX=dx)
    return obj


def scan_png(width: int = 400, height: int = 100, with_text: str = "") -> bytes:
    """A grey 'scan' picture (the text layer over it carries the words)."""
    from PIL import Image, ImageDraw

    img = Image.new("L", (width, height), 235)
    d = ImageDraw.Draw(img)
    d.rectangle([10, 30, width - 10, 70], fill=60)  # 'ink' where the text is
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def official_ofd(path: Path, seed: int = 7, *, signed: bool = True, extras: bool = True) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    sec = {
        "split_mobile": s.mobile(), "wrapped_id": s.id18(), "cell_id": s.id18(), "cell_mobile": s.mobile(),
        "g_mobile": s.mobile(), "ctm_id": s.id18(), "template_mobile": s.mobile(), "outline_mobile": s.mobile(),
        "uri_email": s.email(), "keyword_mobile": s.mobile(), "custom_id": s.id18(), "annot_mobile": s.mobile(),
        "annot_id": s.id18(), "attach_id": s.id18(), "tag_id": s.id18(), "ext_mobile": s.mobile(),
        "scan_id": s.id18(), "author": "欧阳明华", "annot_creator": "司马建国",
    }
    files: dict[str, bytes] = {}
    ids = Ids()

    # OFD.xml
    ofd = el(None, "OFD", DocType="OFD", Version="1.0")
    body = el(ofd, "DocBody")
    info = el(body, "DocInfo")
    el(info, "DocID", "6f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f")
    el(info, "Title", "关于城乡低保对象审核情况的通知")
    el(info, "Author", sec["author"])
    el(info, "CreationDate", "2024-03-01")
    el(info, "Creator", "SuWell Office")
    kws = el(info, "Keywords")
    el(kws, "Keyword", "低保")
    el(kws, "Keyword", f"联系电话{sec['keyword_mobile']}")
    if extras:
        cds = el(info, "CustomDatas")
        el(cds, "CustomData", f"身份证号{sec['custom_id']}", Name="申请人证件")
    el(body, "DocRoot", "Doc_0/Document.xml")
    if signed:
        el(body, "Signatures", "Doc_0/Signs/Signatures.xml")
    files["OFD.xml"] = xml(ofd)

    # Document.xml
    doc = el(None, "Document")
    common = el(doc, "CommonData")
    max_id = el(common, "MaxUnitID", "0")
    area = el(common, "PageArea")
    el(area, "PhysicalBox", "0 0 210 297")
    el(common, "PublicRes", "PublicRes.xml")
    el(common, "DocumentRes", "DocumentRes.xml")
    el(common, "TemplatePage", ID=2, BaseLoc="Tpls/Tpl_0/Content.xml")
    pages = el(doc, "Pages")
    el(pages, "Page", ID=100, BaseLoc="Pages/Page_0/Content.xml")
    el(pages, "Page", ID=101, BaseLoc="Pages/Page_1/Content.xml")
    outlines = el(doc, "Outlines")
    el(outlines, "OutlineElem", Title=f"一、申请人联系电话{sec['outline_mobile']}")
    if extras:
        el(doc, "Annotations", "Annots/Annotations.xml")
        el(doc, "Attachments", "Attachs/Attachments.xml")
        el(doc, "CustomTags", "Tags/CustomTags.xml")
        el(doc, "Extensions", "Extensions.xml")

    pub = el(None, "Res", BaseLoc="Res")
    fonts = el(pub, "Fonts")
    el(fonts, "Font", ID=3, FontName="宋体", FamilyName="宋体")
    files["Doc_0/PublicRes.xml"] = xml(pub)
    dres = el(None, "Res", BaseLoc="Res")
    mm = el(dres, "MultiMedias")
    media = el(mm, "MultiMedia", ID=4, Type="Image")
    el(media, "MediaFile", "scan_1.png")
    files["Doc_0/DocumentRes.xml"] = xml(dres)
    files["Doc_0/Res/scan_1.png"] = scan_png()

    # Template: a header on every page
    tpl = el(None, "Page")
    tcontent = el(tpl, "Content")
    tlayer = el(tcontent, "Layer", ID=ids(), Type="Background")
    text_object(tlayer, ids, 20, 15, f"经办人联系电话：{sec['template_mobile']}")
    files["Doc_0/Tpls/Tpl_0/Content.xml"] = xml(tpl)

    # Page 1
    page = el(None, "Page")
    el(page, "Template", TemplateID=2, ZOrder="Background")
    content = el(page, "Content")
    layer = el(content, "Layer", ID=ids(), Type="Body")
    text_object(layer, ids, 20, 40, "关于城乡低保对象审核情况的通知")
    # a mobile split over two text objects that sit side by side
    head = "申请人联系电话：" + sec["split_mobile"][:3]
    text_object(layer, ids, 20, 55, head)
    text_object(layer, ids, 20 + sum(advances(head)), 55, sec["split_mobile"][3:] + "。")
    # an ID wrapped over two lines of a justified paragraph: the first line runs to the right margin
    first = "经审核，该户家庭人口三人，月人均收入低于当地标准，申请人身份证号码为" + sec["wrapped_id"][:10]
    line2 = sec["wrapped_id"][10:] + "，符合条件，现予以公示，公示期内如有异议，请向民政部门反映。"
    text_object(layer, ids, 20, 65, first)
    text_object(layer, ids, 20, 65 + SIZE * 1.5, line2)
    text_object(layer, ids, 20, 65 + SIZE * 3, "特此通知。")
    # a table row: three cells far apart
    text_object(layer, ids, 20, 100, "序号")
    text_object(layer, ids, 45, 100, "身份证号码")
    text_object(layer, ids, 110, 100, "联系电话")
    text_object(layer, ids, 20, 108, "1")
    text_object(layer, ids, 45, 108, sec["cell_id"])
    text_object(layer, ids, 110, 108, sec["cell_mobile"])
    # delta shorthand and a scaled CTM
    text_object(layer, ids, 20, 125, sec["g_mobile"], shorthand=True)
    text_object(layer, ids, 20, 140, "身份证：" + sec["ctm_id"], ctm="0.8 0 0 0.8 0 0")
    action = el(page, "Actions")
    act = el(action, "Action", Event="CLICK")
    goto = el(act, "URI", URI=f"mailto:{sec['uri_email']}")
    del goto
    files["Doc_0/Pages/Page_0/Content.xml"] = xml(page)

    # Page 2: a scan with an invisible text layer over the picture
    page2 = el(None, "Page")
    content2 = el(page2, "Content")
    layer2 = el(content2, "Layer", ID=ids(), Type="Body")
    el(layer2, "ImageObject", ID=ids(), ResourceID=4, Boundary="20 30 160 40", CTM="160 0 0 40 0 0")
    text_object(layer2, ids, 25, 45, "身份证号码：" + sec["scan_id"], fill=False)
    files["Doc_0/Pages/Page_1/Content.xml"] = xml(page2)

    if extras:
        # annotations
        idx = el(None, "Annotations")
        p = el(idx, "Page", PageID=100)
        el(p, "FileLoc", "Page_0/Annotation.xml")
        files["Doc_0/Annots/Annotations.xml"] = xml(idx)
        pa = el(None, "PageAnnot")
        annot = el(pa, "Annot", ID=ids(), Type="Highlight", Creator=sec["annot_creator"], LastModDate="2024-03-02")
        el(annot, "Remark", f"请核实电话{sec['annot_mobile']}")
        app = el(annot, "Appearance", Boundary="20 50 100 10")
        text_object(app, ids, 0, 5, "身份证号" + sec["annot_id"])
        files["Doc_0/Annots/Page_0/Annotation.xml"] = xml(pa)
        # attachments
        atts = el(None, "Attachments")
        att = el(atts, "Attachment", ID=ids(), Name="申请表.xml", Format="xml", Size="1")
        el(att, "FileLoc", "apply.xml")
        files["Doc_0/Attachs/Attachments.xml"] = xml(atts)
        files["Doc_0/Attachs/apply.xml"] = f"<申请><证件号>{sec['attach_id']}</证件号></申请>".encode()
        # custom tags
        tags = el(None, "CustomTags")
        tag = el(tags, "CustomTag", NameSpace="urn:example:apply", TypeID="apply")
        el(tag, "FileLoc", "CustomTag.xml")
        files["Doc_0/Tags/CustomTags.xml"] = xml(tags)
        files["Doc_0/Tags/CustomTag.xml"] = f"<Apply><IdNo ObjectRef='12'>{sec['tag_id']}</IdNo></Apply>".encode()
        files["Doc_0/Extensions.xml"] = xml(_extensions(sec["ext_mobile"]))
    if signed:
        sigs = el(None, "Signatures")
        el(sigs, "MaxSignId", "1")
        el(sigs, "Signature", ID=1, BaseLoc="Sign_0/Signature.xml")
        files["Doc_0/Signs/Signatures.xml"] = xml(sigs)
        sig = el(None, "Signature")
        si = el(sig, "SignedInfo")
        el(si, "Provider", ProviderName="Example Seal Provider", Version="1.0")
        el(sig, "SignedValue", "SignedValue.dat")
        files["Doc_0/Signs/Sign_0/Signature.xml"] = xml(sig)
        files["Doc_0/Signs/Sign_0/SignedValue.dat"] = b"0\x82\x01\x00" + "签章人张志强".encode() + bytes(64)
    files["Doc_0/stray.xml"] = f"<x>{sec['split_mobile']}</x>".encode()  # named by nothing: dropped

    max_id.text = str(ids.n)
    files["Doc_0/Document.xml"] = xml(doc)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    return path, sec


def _extensions(mobile: str):
    ext = el(None, "Extensions")
    e = el(ext, "Extension", AppName="Example", RefId="12")
    el(e, "Property", f"联系电话{mobile}", Name="contact")
    return ext


def plain_ofd(path: Path, lines: list[str]) -> Path:
    """A one-page OFD with the given lines of body text (nothing else)."""
    ids = Ids()
    ofd = el(None, "OFD", DocType="OFD", Version="1.0")
    body = el(ofd, "DocBody")
    info = el(body, "DocInfo")
    el(info, "DocID", "0" * 32)
    el(body, "DocRoot", "Doc_0/Document.xml")
    doc = el(None, "Document")
    common = el(doc, "CommonData")
    el(common, "MaxUnitID", "50")
    area = el(common, "PageArea")
    el(area, "PhysicalBox", "0 0 210 297")
    pages = el(doc, "Pages")
    el(pages, "Page", ID=1, BaseLoc="Pages/Page_0/Content.xml")
    page = el(None, "Page")
    layer = el(el(page, "Content"), "Layer", ID=ids(), Type="Body")
    for i, line in enumerate(lines):
        text_object(layer, ids, 20, 30 + 12 * i, line)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", xml(ofd))
        z.writestr("Doc_0/Document.xml", xml(doc))
        z.writestr("Doc_0/Pages/Page_0/Content.xml", xml(page))
    path.write_bytes(buf.getvalue())
    return path


# ---------------------------------------------------------------------------------------------
# The tests' own reader


@dataclass(frozen=True)
class Char:
    part: str
    char: str
    x: float
    y: float


def _deltas(value: str | None) -> list[float]:
    out: list[float] = []
    toks = (value or "").split()
    i = 0
    while i < len(toks):
        if toks[i] == "g":
            out += [float(toks[i + 2])] * int(toks[i + 1])
            i += 3
        else:
            out.append(float(toks[i]))
            i += 1
    return out


def read_ofd(path: Path) -> tuple[list[Char], dict[str, str]]:
    """Every character of every TextCode with its page position, and all text of every XML member."""
    chars: list[Char] = []
    texts: dict[str, str] = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if not name.endswith(".xml"):
                texts[name] = data.decode("utf-8", "ignore")
                continue
            root = etree.fromstring(data)
            texts[name] = "\n".join(
                [t for e in root.iter() if isinstance(e.tag, str) for t in [e.text or "", *e.attrib.values()]])
            for obj in root.iter(q("TextObject")):
                bx, by, _w, _h = (float(v) for v in obj.get("Boundary").split())
                a, b, c, d, e, f = (float(v) for v in (obj.get("CTM") or "1 0 0 1 0 0").split())
                for code in obj.iter(q("TextCode")):
                    x, y = float(code.get("X")), float(code.get("Y"))
                    dx = _deltas(code.get("DeltaX"))
                    for i, ch in enumerate(code.text or ""):
                        chars.append(Char(name, ch, round(bx + a * x + c * y + e, 3), round(by + b * x + d * y + f, 3)))
                        x += dx[i] if i < len(dx) else (DIGIT if ch.isascii() else CJK)
    return chars, texts
