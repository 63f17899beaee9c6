"""Generated Word files for the DOCX tests, benchmark and samples (synthetic people only).

Documents are built with python-docx; what python-docx cannot write (tracked changes, text
boxes, footnotes, custom and app properties) is added as raw OOXML, either through
``parse_xml`` before saving or by editing the saved package (``RawDocx``).
Every builder returns ``(path, secrets)``: the synthetic values the file hides, by name.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.shared import Pt, RGBColor
from lxml import etree

from redactor.synth import Synth

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
CT = "application/vnd.openxmlformats-officedocument."
DATE = 'w:date="2024-03-01T10:00:00Z"'


def tiny_png(colour: tuple[int, int, int] = (200, 30, 30), size: int = 8) -> bytes:
    """A small valid PNG made without Pillow."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(colour) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def new_document() -> docx.document.Document:
    """A python-docx document with neutral properties (no author, no description)."""
    d = docx.Document()
    cp = d.core_properties
    cp.author = ""
    cp.comments = ""
    cp.last_modified_by = ""
    return d


class RawDocx:
    """Edit a saved package: add parts with their relationship and content type."""

    def __init__(self, data: bytes) -> None:
        z = zipfile.ZipFile(io.BytesIO(data))
        self.order = [i.filename for i in z.infolist()]
        self.parts = {n: z.read(n) for n in self.order}

    def text(self, name: str) -> str:
        return self.parts[name].decode("utf-8")

    def set_text(self, name: str, text: str) -> None:
        if name not in self.parts:
            self.order.append(name)
        self.parts[name] = text.encode("utf-8")

    def add_part(self, name: str, xml: str, content_type: str, rel_type: str, source: str = "word/document.xml") -> str:
        self.set_text(name, xml)
        ct = self.text("[Content_Types].xml")
        ct = ct.replace("</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>')
        self.set_text("[Content_Types].xml", ct)
        d, base = source.rsplit("/", 1) if "/" in source else ("", source)
        rels_name = f"{d}/_rels/{base}.rels" if d else "_rels/.rels"
        if source == "":
            rels_name = "_rels/.rels"
        rels = self.text(rels_name)
        ids = [int(x) for x in re.findall(r'Id="rId(\d+)"', rels)]
        rid = f"rId{max(ids, default=0) + 100}"
        target = name if not d else name[len(d) + 1:] if name.startswith(d + "/") else "../" + name
        rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"/></Relationships>')
        self.set_text(rels_name, rels)
        return rid

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for n in self.order:
                z.writestr(n, self.parts[n])
        return buf.getvalue()


def save(d: docx.document.Document, path: Path, post=None) -> Path:
    buf = io.BytesIO()
    d.save(buf)
    data = buf.getvalue()
    if post is not None:
        raw = RawDocx(data)
        post(raw)
        data = raw.to_bytes()
    path.write_bytes(data)
    return path


def _run_xml(text: str, rpr: str = "") -> str:
    return f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'


# ------------------------------------------------------------------------------------------
# One builder per hidden-content case


def table_id(path: Path, seed: int = 1) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    d = new_document()
    d.add_paragraph("关于发放2024年度困难群众临时救助金的公示")
    rows = [(s.name(), s.id18(), s.mobile()) for _ in range(3)]
    t = d.add_table(rows=1, cols=3)
    for cell, h in zip(t.rows[0].cells, ("姓名", "身份证号码", "联系电话")):
        cell.text = h
    for row in rows:
        cells = t.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = v
    d.add_paragraph("公示期为7天。")
    secrets = {}
    for i, (name, id_, mob) in enumerate(rows):
        secrets[f"id{i}"] = id_
        secrets[f"mobile{i}"] = mob
    return save(d, path), secrets


def header_footer(path: Path, seed: int = 2) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    mob, id_ = s.mobile(), s.id18()
    d = new_document()
    sec = d.sections[0]
    sec.header.paragraphs[0].text = f"经办人手机：{mob}"
    sec.footer.paragraphs[0].text = f"申请人身份证号：{id_}"
    d.add_paragraph("正文没有个人信息。")
    return save(d, path), {"mobile": mob, "id": id_}


FOOTNOTES = (
    f'<w:footnotes {NSDECL}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>{body}</w:p></w:footnote></w:footnotes>'
)
ENDNOTES = (
    f'<w:endnotes {NSDECL}>'
    '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
    '<w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:endnote>'
    '<w:endnote w:id="1"><w:p><w:r><w:endnoteRef/></w:r>{body}</w:p></w:endnote></w:endnotes>'
)


def footnote(path: Path, seed: int = 3) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    id_, mob = s.id18(), s.mobile()
    d = new_document()
    p = d.add_paragraph("申请材料已核实")
    p._p.append(parse_xml(f'<w:r {NSDECL}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))
    p._p.append(parse_xml(f'<w:r {NSDECL}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:endnoteReference w:id="1"/></w:r>'))

    def post(raw: RawDocx) -> None:
        raw.add_part("word/footnotes.xml", FOOTNOTES.replace("{body}", _run_xml(f" 申请人身份证号：{id_}")),
                     CT + "wordprocessingml.footnotes+xml", REL + "footnotes")
        raw.add_part("word/endnotes.xml", ENDNOTES.replace("{body}", _run_xml(f" 联系电话{mob}")),
                     CT + "wordprocessingml.endnotes+xml", REL + "endnotes")

    return save(d, path, post), {"id": id_, "mobile": mob}


def _textbox_xml(text: str) -> str:
    body = f'<w:txbxContent><w:p>{_run_xml(text)}</w:p></w:txbxContent>'
    return (
        f'<w:r {NSDECL}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:inline><wp:extent cx="2000000" cy="500000"/><wp:docPr id="7" name="文本框 7"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx>{body}</wps:txbx><wps:bodyPr/></wps:wsp>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape style="width:160pt;height:40pt"><v:textbox>{body}</v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>'
    )


def textbox(path: Path, seed: int = 4) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    id_ = s.id18()
    d = new_document()
    p = d.add_paragraph("见右侧文本框。")
    p._p.append(parse_xml(_textbox_xml(f"身份证号{id_}")))
    return save(d, path), {"id": id_}


def comment(path: Path, seed: int = 5) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    id_, author = s.id18(), s.name()
    d = new_document()
    p = d.add_paragraph("请核实申请人信息。")
    run = p.add_run("（待复核）")
    d.add_comment(run, text=f"申请人身份证号{id_}，已电话联系", author=author, initials=author[:1])
    d.add_paragraph("第二段。")

    def post(raw: RawDocx) -> None:
        w15 = "http://schemas.microsoft.com/office/word/2012/wordml"
        raw.add_part("word/people.xml",
                     f'<w15:people xmlns:w15="{w15}"><w15:person w15:author="{author}">'
                     f'<w15:presenceInfo w15:providerId="None" w15:userId="{author}"/></w15:person></w15:people>',
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.people+xml",
                     "http://schemas.microsoft.com/office/2011/relationships/people")
        raw.add_part("word/commentsExtended.xml",
                     f'<w15:commentsEx xmlns:w15="{w15}"><w15:commentEx w15:paraId="1A2B3C4D" w15:done="0"/></w15:commentsEx>',
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml",
                     "http://schemas.microsoft.com/office/2011/relationships/commentsExtended")

    return save(d, path, post), {"id": id_, "author": author}


def tracked_delete(path: Path, seed: int = 6) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    id_, author = s.id18(), s.name()
    d = new_document()
    p = d.add_paragraph("申请人身份证号：")
    p._p.append(parse_xml(
        f'<w:del {NSDECL} w:id="11" w:author="{author}" {DATE}><w:r><w:rPr><w:b/></w:rPr>'
        f'<w:delText>{id_}</w:delText></w:r></w:del>'
    ))
    p.add_run("（已删除）")
    return save(d, path), {"id": id_, "author": author}


def tracked_insert(path: Path, seed: int = 7) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    id_, author = s.id18(), s.name()
    d = new_document()
    p = d.add_paragraph("申请人身份证号：")
    p._p.append(parse_xml(
        f'<w:ins {NSDECL} w:id="12" w:author="{author}" {DATE}><w:r><w:rPr><w:i/></w:rPr>'
        f'<w:t>{id_}</w:t></w:r></w:ins>'
    ))
    p.add_run("，已登记。")
    return save(d, path), {"id": id_, "author": author}


def hidden_text(path: Path, seed: int = 8) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    id_, mob = s.id18(), s.mobile()
    d = new_document()
    p = d.add_paragraph("补助名单见附件。")
    r = p.add_run(f"身份证号{id_}")
    r.font.hidden = True
    # Hidden through a character style, not directly on the run.
    from docx.enum.style import WD_STYLE_TYPE

    style = d.styles.add_style("隐藏备注", WD_STYLE_TYPE.CHARACTER)
    style.font.hidden = True
    p2 = d.add_paragraph("联系方式另行通知。")
    p2.add_run(f"手机{mob}", style="隐藏备注")
    return save(d, path), {"id": id_, "mobile": mob}


CUSTOM = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
    'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name="承办人"><vt:lpwstr>{name}</vt:lpwstr></property>'
    '<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="3" name="承办人电话"><vt:lpwstr>{mobile}</vt:lpwstr></property>'
    '</Properties>'
)


def metadata(path: Path, seed: int = 9) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    author, editor, clerk, mob = s.name(), s.name(), s.name(), s.mobile()
    company = s.name() + "的工作室"
    d = new_document()
    d.core_properties.author = author
    d.core_properties.last_modified_by = editor
    d.core_properties.title = "关于2024年度补助资金的通知"
    d.add_paragraph("正文没有个人信息。")

    def post(raw: RawDocx) -> None:
        app = raw.text("docProps/app.xml")
        app = app.replace("<Manager/>", f"<Manager>{clerk}</Manager>").replace("<Company/>", f"<Company>{company}</Company>")
        assert clerk in app and company in app
        raw.set_text("docProps/app.xml", app)
        raw.add_part("docProps/custom.xml", CUSTOM.format(name=clerk, mobile=mob),
                     CT + "custom-properties+xml", REL + "custom-properties", source="")

    return save(d, path, post), {"author": author, "editor": editor, "clerk": clerk, "mobile": mob, "company": company}


def split_runs(path: Path, seed: int = 10) -> tuple[Path, dict[str, str]]:
    """An ID split over three runs with different formatting, between formatted neighbours."""
    s = Synth.seeded(seed)
    id_ = s.id18()
    d = new_document()
    p = d.add_paragraph()
    before = p.add_run("申请人")
    before.bold = True
    label = p.add_run("身份证号：")
    label.italic = True
    label.font.color.rgb = RGBColor(0x00, 0x00, 0xFF)
    a = p.add_run(id_[:6])
    a.bold = True
    b = p.add_run(id_[6:14])
    b.italic = True
    b.font.color.rgb = RGBColor(0xFF, 0x00, 0x00)
    c = p.add_run(id_[14:])
    c.underline = True
    c.font.size = Pt(14)
    after = p.add_run("，特此公示。")
    after.font.color.rgb = RGBColor(0x00, 0x80, 0x00)
    return save(d, path), {"id": id_}


def embedded_image(path: Path, seed: int = 11) -> tuple[Path, dict[str, str]]:
    s = Synth.seeded(seed)
    mob = s.mobile()
    d = new_document()
    d.add_paragraph(f"联系电话{mob}")
    d.add_picture(io.BytesIO(tiny_png()))

    def post(raw: RawDocx) -> None:  # an OLE object (its content cannot be checked)
        raw.add_part("word/embeddings/oleObject1.bin", "not really OLE",
                     CT + "oleObject", REL + "oleObject")

    return save(d, path, post), {"mobile": mob}


def clean(path: Path) -> tuple[Path, dict[str, str]]:
    """No findings: formatted runs, a table, a header; round trip must keep them."""
    d = new_document()
    d.sections[0].header.paragraphs[0].text = "某某县人民政府办公室"
    d.add_heading("关于做好2024年春季植树工作的通知", level=1)
    p = d.add_paragraph("各乡镇人民政府，县直各单位：")
    p.runs[0].bold = True
    p = d.add_paragraph()
    p.add_run("为进一步改善").italic = True
    r = p.add_run("生态环境")
    r.font.color.rgb = RGBColor(0x20, 0x40, 0x80)
    p.add_run("，现就有关事项通知如下。")
    t = d.add_table(rows=3, cols=2)
    for i, (k, v) in enumerate([("乡镇", "任务（亩）"), ("城关镇", "120"), ("河口乡", "85")]):
        t.rows[i].cells[0].text = k
        t.rows[i].cells[1].text = v
    d.add_paragraph("咨询电话：12345")
    return save(d, path), {}


def panose_trap(path: Path, seed: int = 12) -> tuple[Path, dict[str, str]]:
    """A clean text whose raw XML holds an 18-digit run that passes the ID check (in a font's panose)."""
    s = Synth.seeded(seed)
    fake = s.id18()
    while not fake[-1].isdigit():
        fake = s.id18()
    d = new_document()
    d.add_paragraph("本通知自印发之日起施行。")

    def post(raw: RawDocx) -> None:
        ft = raw.text("word/fontTable.xml")
        ft = ft.replace("</w:fonts>", f'<w:font w:name="仿宋"><w:panose1 w:val="{fake}00"/></w:font></w:fonts>', 1)
        raw.set_text("word/fontTable.xml", ft)

    return save(d, path, post), {"fake": fake}


def extras(path: Path, seed: int = 13) -> tuple[Path, dict[str, str]]:
    """The less common hiding places: field codes, a hyperlink target, alt text, a deleted table
    row, a move, a nested table, a document variable, the template path, a custom XML part."""
    s = Synth.seeded(seed)
    sec = {"email_field": s.email(), "mobile_fldsimple": s.mobile(), "email_link": s.email(), "id_alt": s.id18(),
           "id_row": s.id18(), "mobile_move": s.mobile(), "id_nested": s.id18(), "mobile_docvar": s.mobile(),
           "username": "zhangsanfeng2024", "mobile_customxml": s.mobile(), "mobile_formfield": s.mobile()}
    d = new_document()
    p = d.add_paragraph("联系邮箱：")
    for xml in (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "mailto:{sec["email_field"]}" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        '<w:r><w:t>点此发送</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        f'<w:fldSimple w:instr=\' QUOTE "{sec["mobile_fldsimple"]}" \'><w:r><w:t>（见附件）</w:t></w:r></w:fldSimple>',
    ):
        p._p.append(parse_xml(_with_ns(xml)))
    p2 = d.add_paragraph("投诉邮箱：")
    p2._p.append(parse_xml(_with_ns('<w:hyperlink r:id="rIdLink1"><w:r><w:t>点此联系</w:t></w:r></w:hyperlink>')))
    d.add_picture(io.BytesIO(tiny_png()))
    d.inline_shapes[0]._inline.docPr.set("descr", f"申请人身份证照片，号码{sec['id_alt']}")
    t = d.add_table(rows=3, cols=2)
    for i, (k, v) in enumerate([("姓名", "身份证号码"), ("甲", "（见档案）"), ("乙", "")]):
        t.rows[i].cells[0].text = k
        t.rows[i].cells[1].text = v
    row = t.rows[2]._tr
    row.insert(0, parse_xml(_with_ns(f'<w:trPr><w:del w:id="31" w:author="x" {DATE}/></w:trPr>')))
    cell_p = t.rows[2].cells[1].paragraphs[0]._p
    cell_p.append(parse_xml(_with_ns(f'<w:del w:id="32" w:author="x" {DATE}><w:r><w:delText>{sec["id_row"]}</w:delText></w:r></w:del>')))
    p3 = d.add_paragraph("联系电话")
    p3._p.append(parse_xml(_with_ns(f'<w:moveFrom w:id="33" w:author="x" {DATE}><w:r><w:delText>{sec["mobile_move"]}</w:delText></w:r></w:moveFrom>')))
    p3._p.append(parse_xml(_with_ns(f'<w:moveTo w:id="34" w:author="x" {DATE}><w:r><w:t>（已移至附件）</w:t></w:r></w:moveTo>')))
    p4 = d.add_paragraph("经办人：")
    for xml in (
        ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>'
         f'<w:textInput><w:default w:val="{sec["mobile_formfield"]}"/></w:textInput></w:ffData></w:fldChar></w:r>'),
        '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', '<w:r><w:t>（请填写）</w:t></w:r>',
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        p4._p.append(parse_xml(_with_ns(xml)))
    outer = d.add_table(rows=1, cols=2)
    outer.rows[0].cells[0].text = "附表"
    inner = outer.rows[0].cells[1].add_table(rows=2, cols=1)
    inner.rows[0].cells[0].text = "身份证号码"
    inner.rows[1].cells[0].text = sec["id_nested"]

    def post(raw: RawDocx) -> None:
        rels = raw.text("word/_rels/document.xml.rels")
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdLink1" Type="{REL}hyperlink" '
                            f'Target="mailto:{sec["email_link"]}" TargetMode="External"/></Relationships>')
        raw.set_text("word/_rels/document.xml.rels", rels)
        settings = raw.text("word/settings.xml")
        settings = re.sub(r"(<w:settings[^>]*>)", r'\1<w:attachedTemplate r:id="rIdTpl1"/>', settings, count=1)
        settings = settings.replace("</w:settings>", f'<w:docVars><w:docVar w:name="经办人电话" w:val="{sec["mobile_docvar"]}"/></w:docVars></w:settings>')
        raw.set_text("word/settings.xml", settings)
        raw.set_text("word/_rels/settings.xml.rels",
                     '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     f'<Relationship Id="rIdTpl1" Type="{REL}attachedTemplate" '
                     f'Target="file:///C:\\Users\\{sec["username"]}\\AppData\\Roaming\\Microsoft\\Templates\\Normal.dotm" '
                     'TargetMode="External"/></Relationships>')
        raw.set_text("customXml/item1.xml",
                     '<CoverPageProperties xmlns="http://schemas.microsoft.com/office/2006/coverPageProps">'
                     f'<PublishDate/><Abstract/><CompanyAddress/><CompanyPhone>{sec["mobile_customxml"]}</CompanyPhone>'
                     '</CoverPageProperties>')

    return save(d, path, post), sec


def watermark(path: Path) -> tuple[Path, dict[str, str]]:
    """A header watermark made with WordArt (VML text path), as Word's 'Watermark' command does."""
    d = new_document()
    hp = d.sections[0].header.paragraphs[0]
    hp._p.append(parse_xml(_with_ns(
        '<w:r><w:pict><v:shapetype id="_x0000_t136" coordsize="21600,21600"/>'
        '<v:shape id="PowerPlusWaterMarkObject1" type="#_x0000_t136" style="position:absolute;rotation:315">'
        '<v:textpath style="font-family:&quot;宋体&quot;" string="内部资料"/></v:shape></w:pict></w:r>')))
    d.add_paragraph("关于召开2024年第一季度工作例会的通知")
    return save(d, path), {}


CHART_XML = (
    '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><c:chart><c:plotArea><c:barChart>'
    '<c:ser><c:idx val="0"/><c:order val="0"/><c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/>'
    '<c:pt idx="0"><c:v>救助金额</c:v></c:pt></c:strCache></c:strRef></c:tx>'
    '<c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>联系电话{mobile}</c:v></c:pt>'
    '</c:strCache></c:strRef></c:cat><c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache><c:ptCount val="1"/>'
    '<c:pt idx="0"><c:v>1500</c:v></c:pt></c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart>'
    '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>'
)
DIAGRAM_XML = (
    '<dgm:dataModel xmlns:dgm="http://schemas.openxmlformats.org/drawingml/2006/diagram" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dgm:ptLst>'
    '<dgm:pt modelId="{{1}}" type="doc"><dgm:t><a:bodyPr/><a:p><a:r><a:t>联络表</a:t></a:r></a:p></dgm:t></dgm:pt>'
    '<dgm:pt modelId="{{2}}"><dgm:t><a:bodyPr/><a:p><a:r><a:t>联络员手机{mobile}</a:t></a:r></a:p></dgm:t></dgm:pt>'
    '</dgm:ptLst><dgm:cxnLst/></dgm:dataModel>'
)
DIAGRAM_DRAWING_XML = (
    '<dsp:drawing xmlns:dsp="http://schemas.microsoft.com/office/drawing/2008/diagram" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><dsp:spTree><dsp:sp><dsp:txBody><a:bodyPr/>'
    '<a:p><a:r><a:t>联络员手机{mobile}</a:t></a:r></a:p></dsp:txBody></dsp:sp></dsp:spTree></dsp:drawing>'
)


def _workbook_with(text: str) -> bytes:
    """A stand-in for a chart's embedded workbook: stored (not deflated), so its raw text is greppable."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/sharedStrings.xml", f"<sst><si><t>{text}</t></si></sst>")
    return buf.getvalue()


def drawings(path: Path, seed: int = 14) -> tuple[Path, dict[str, str]]:
    """A SmartArt diagram (data + rendered drawing) and a chart with its embedded workbook."""
    s = Synth.seeded(seed)
    sec = {"mobile_diagram": s.mobile(), "mobile_chart": s.mobile()}
    d = new_document()
    d.add_paragraph("联络员名单见下图。")
    d.add_paragraph().add_run().add_picture(io.BytesIO(tiny_png()))  # a drawing to hang the chart on

    def post(raw: RawDocx) -> None:
        raw.add_part("word/diagrams/data1.xml", DIAGRAM_XML.format(mobile=sec["mobile_diagram"]),
                     "application/vnd.openxmlformats-officedocument.drawingml.diagramData+xml", REL + "diagramData")
        raw.add_part("word/diagrams/drawing1.xml", DIAGRAM_DRAWING_XML.format(mobile=sec["mobile_diagram"]),
                     "application/vnd.ms-office.drawingml.diagramDrawing+xml",
                     "http://schemas.microsoft.com/office/2007/relationships/diagramDrawing")
        raw.add_part("word/charts/chart1.xml", CHART_XML.format(mobile=sec["mobile_chart"]),
                     "application/vnd.openxmlformats-officedocument.drawingml.chart+xml", REL + "chart")
        raw.parts["word/embeddings/Microsoft_Excel_Worksheet.xlsx"] = _workbook_with("联系电话" + sec["mobile_chart"])
        raw.order.append("word/embeddings/Microsoft_Excel_Worksheet.xlsx")
        ct = raw.text("[Content_Types].xml").replace(
            "</Types>", '<Default Extension="xlsx" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet"/></Types>')
        raw.set_text("[Content_Types].xml", ct)
        raw.set_text("word/charts/_rels/chart1.xml.rels",
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                     f'<Relationship Id="rId1" Type="{REL}package" Target="../embeddings/Microsoft_Excel_Worksheet.xlsx"/>'
                     '</Relationships>')

    return save(d, path, post), sec


def alt_chunk(path: Path, seed: int = 15) -> tuple[Path, dict[str, str]]:
    """Body text imported as an HTML chunk (w:altChunk), as HTML-to-Word converters make it."""
    s = Synth.seeded(seed)
    id_ = s.id18()
    d = new_document()
    d.add_paragraph("以下内容由系统导入：")
    d.element.body.insert(1, parse_xml(_with_ns('<w:altChunk r:id="rIdChunk1"/>')))

    def post(raw: RawDocx) -> None:
        rid = raw.add_part("word/afchunk1.htm",
                           f"<html><head><meta charset='utf-8'></head><body><p>申请人身份证号：{id_}</p></body></html>",
                           "text/html", REL + "aFChunk")
        raw.set_text("word/document.xml", raw.text("word/document.xml").replace("rIdChunk1", rid))

    return save(d, path, post), {"id": id_}


def _with_ns(xml: str) -> str:
    """Add namespace declarations to the first element of an XML fragment."""
    head, rest = xml.split(">", 1)
    closing = head.endswith("/")
    head = head[:-1] if closing else head
    decl = NSDECL + ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    return f"{head} {decl}{'/' if closing else ''}>{rest}"


CASES = {
    "table_id": table_id,
    "header_footer": header_footer,
    "footnote": footnote,
    "textbox": textbox,
    "comment": comment,
    "tracked_delete": tracked_delete,
    "tracked_insert": tracked_insert,
    "hidden_text": hidden_text,
    "metadata": metadata,
    "split_runs": split_runs,
    "extras": extras,
}


# ------------------------------------------------------------------------------------------
# Long documents (benchmark) and bad files


def long_document(path: Path, pages: int = 50, seed: int = 50, paragraphs: int = 4,
                  rows: int = 8) -> tuple[Path, dict[str, str]]:
    """``pages`` pages, each ending with an explicit page break: a heading, ``paragraphs``
    paragraphs of running text (every third with a synthetic name, ID and mobile) and a
    beneficiary table (header + ``rows`` rows: name, ID, mobile, amount). With the defaults a
    page fits on one A4/Letter page (LibreOffice renders the 50-page default as 50 PDF pages)."""
    from docx.enum.text import WD_BREAK
    from docx.shared import Inches

    s = Synth.seeded(seed)
    d = new_document()
    filler = ("根据《中华人民共和国政府信息公开条例》有关规定，经研究决定，对符合条件的申请人予以公示。"
              "公示期间，如有异议，请以书面形式向县民政局反映。本次补助资金由县财政统一拨付，专款专用。")
    widths = (Inches(1.2), Inches(2.3), Inches(1.6), Inches(1.2))
    for page in range(pages):
        d.add_heading(f"第{page + 1}批临时救助对象公示", level=2)
        for i in range(paragraphs):
            text = filler
            if i % 3 == 0:
                text += f"申请人{s.name()}，身份证号{s.id18()}，联系电话{s.mobile()}。"
            p = d.add_paragraph()
            p.add_run(text[:20]).bold = True
            p.add_run(text[20:])
        t = d.add_table(rows=1, cols=4)
        t.autofit = False
        for cell, h in zip(t.rows[0].cells, ("姓名", "身份证号码", "联系电话", "金额（元）")):
            cell.text = h
        for _ in range(rows):
            cells = t.add_row().cells
            for cell, v in zip(cells, (s.name(), s.id18(), s.mobile(), str(s.rng.randint(500, 3000)))):
                cell.text = v
        for row in t.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = width
        p = d.add_paragraph()
        if page < pages - 1:
            p.add_run().add_break(WD_BREAK.PAGE)
    return save(d, path), {"pages": str(pages)}


def not_a_zip(path: Path) -> Path:
    path.write_bytes(b"This is plain text pretending to be a Word file.\n" * 20)
    return path


def truncated(path: Path) -> Path:
    buf = io.BytesIO()
    new_document().save(buf)
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    return path


def encrypted(path: Path) -> Path:
    """What Word writes for a password-protected .docx: an OLE compound file (header only here)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00"
    path.write_bytes(header + b"\x00" * (4096 - len(header)) + "EncryptedPackage".encode("utf-16-le"))
    return path


def strict_ooxml(path: Path) -> Path:
    buf = io.BytesIO()
    new_document().save(buf)
    raw = RawDocx(buf.getvalue())
    raw.set_text("word/document.xml", raw.text("word/document.xml").replace(
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"))
    path.write_bytes(raw.to_bytes())
    return path


def not_word(path: Path) -> Path:
    """A valid OOXML-looking zip without a Word main part (say, a renamed spreadsheet)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>')
    path.write_bytes(buf.getvalue())
    return path


def broken_xml(path: Path) -> Path:
    buf = io.BytesIO()
    new_document().save(buf)
    raw = RawDocx(buf.getvalue())
    raw.set_text("word/document.xml", raw.text("word/document.xml")[:-40])
    path.write_bytes(raw.to_bytes())
    return path


# ------------------------------------------------------------------------------------------
# Independent readers used by the tests


def zip_texts(path: Path) -> dict[str, str]:
    """Every part of the package as text (binary parts decoded loosely)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}


def python_docx_text(path: Path) -> str:
    """All text python-docx can see: body, tables, headers/footers, comments, core properties."""
    d = docx.Document(str(path))
    out = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            out.extend(c.text for c in row.cells)
    for sec in d.sections:
        for hf in (sec.header, sec.footer, sec.first_page_header, sec.first_page_footer, sec.even_page_header,
                   sec.even_page_footer):
            out.extend(p.text for p in hf.paragraphs)
    if d.part.package is not None and any(p.partname.endswith("/comments.xml") for p in d.part.package.iter_parts()):
        out.extend(c.text for c in d.comments)
    cp = d.core_properties
    out.extend([cp.author or "", cp.last_modified_by or "", cp.title or "", cp.comments or ""])
    return "\n".join(out)


def package_problems(path: Path) -> list[str]:
    """Structural checks of an OOXML package: content types, relationships, XML well-formedness."""
    problems = []
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        if z.namelist()[0] != "[Content_Types].xml":
            problems.append("[Content_Types].xml is not the first entry")
        ct = etree.fromstring(z.read("[Content_Types].xml"))
        overrides = {el.get("PartName").lstrip("/") for el in ct if el.get("PartName")}
        defaults = {el.get("Extension").lower() for el in ct if el.get("Extension")}
        for o in overrides - names:
            problems.append(f"content type for missing part {o}")
        for n in names:
            if n.endswith("/") or n == "[Content_Types].xml":
                continue
            if n not in overrides and n.rsplit(".", 1)[-1].lower() not in defaults:
                problems.append(f"no content type for {n}")
            if n.endswith((".xml", ".rels")):
                try:
                    root = etree.fromstring(z.read(n))
                except etree.XMLSyntaxError as e:
                    problems.append(f"{n}: {e}")
                    continue
                if n.endswith(".rels"):
                    src_dir = n.split("_rels/")[0]
                    for rel in root:
                        if rel.get("TargetMode") == "External":
                            continue
                        t = rel.get("Target")
                        import posixpath

                        full = t.lstrip("/") if t.startswith("/") else posixpath.normpath(posixpath.join(src_dir, t))
                        if full not in names:
                            problems.append(f"{n}: relationship {rel.get('Id')} to missing {full}")
    return problems


# ------------------------------------------------------------------------------------------
# Hiding places (issue 11): one synthetic value hidden in one place of an otherwise neutral
# document each. Every builder returns ``(path, value)``; tests/test_docx_hiding.py checks that
# ``check`` finds the value and that no byte of the redacted copy still holds it.

NS_ALL = (
    NSDECL + ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
)
GLOSSARY_CT = CT + "wordprocessingml.document.glossary+xml"


def _ns(xml: str) -> str:
    """Namespace declarations on the first element of a fragment (every prefix used here)."""
    head, rest = xml.split(">", 1)
    closing = head.endswith("/")
    head = head[:-1] if closing else head
    return f"{head} {NS_ALL}{'/' if closing else ''}>{rest}"


_HIDING_BASE: list[bytes] = []


def _hiding_doc(path: Path, body: tuple[str, ...] = (), post=None) -> Path:
    """A neutral notice with ``body`` fragments (WordprocessingML) inserted before its section
    properties; built on a cached package (python-docx runs once)."""
    if not _HIDING_BASE:
        d = new_document()
        d.add_paragraph("关于做好2024年春季植树工作的通知")
        buf = io.BytesIO()
        d.save(buf)
        _HIDING_BASE.append(buf.getvalue())
    raw = RawDocx(_HIDING_BASE[0])
    if body:
        xml = raw.text("word/document.xml")
        at = xml.rindex("<w:sectPr")
        raw.set_text("word/document.xml", xml[:at] + "".join(_ns(b) for b in body) + xml[at:])
    if post is not None:
        post(raw)
    path.write_bytes(raw.to_bytes())
    return path


def _rel(raw: RawDocx, source: str, rel_type: str, target: str, rid: str | None = None, external: bool = False) -> str:
    d, base = source.rsplit("/", 1) if "/" in source else ("", source)
    rels_name = f"{d}/_rels/{base}.rels" if d else "_rels/.rels"
    if rels_name not in raw.parts:
        raw.set_text(rels_name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                     '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>')
    rels = raw.text(rels_name)
    rid = rid or f"rIdH{len(re.findall('<Relationship ', rels)) + 1}"
    mode = ' TargetMode="External"' if external else ""
    rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" Target="{target}"{mode}/></Relationships>')
    raw.set_text(rels_name, rels)
    return rid


def _content_type(raw: RawDocx, part: str | None = None, ctype: str = "application/xml", ext: str | None = None) -> None:
    ct = raw.text("[Content_Types].xml")
    entry = (f'<Default Extension="{ext}" ContentType="{ctype}"/>' if ext
             else f'<Override PartName="/{part}" ContentType="{ctype}"/>')
    raw.set_text("[Content_Types].xml", ct.replace("</Types>", entry + "</Types>"))


def _put(raw: RawDocx, name: str, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if name not in raw.parts:
        raw.order.append(name)
    raw.parts[name] = data


def _zip_bytes(members: dict[str, str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for n, text in members.items():
            z.writestr(n, text)
    return buf.getvalue()


def _png_with_chunk(kind: bytes, body: bytes) -> bytes:
    png = tiny_png()
    chunk = struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    return png[:-12] + chunk + png[-12:]  # before IEND


def _picture_doc(path: Path, data: bytes, ext: str = "png") -> Path:
    d = new_document()
    d.add_paragraph("附图：")
    d.add_picture(io.BytesIO(data))
    return save(d, path)


def hide_glossary(path: Path, v: str) -> Path:
    glossary = _ns(
        '<w:glossaryDocument><w:docParts><w:docPart><w:docPartPr><w:name w:val="联系人"/></w:docPartPr>'
        f'<w:docPartBody><w:p><w:r><w:t>联系人手机{v}</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts>'
        '</w:glossaryDocument>')

    def post(raw: RawDocx) -> None:
        raw.add_part("word/glossary/document.xml", glossary, GLOSSARY_CT, REL + "glossaryDocument")

    return _hiding_doc(path, post=post)


def hide_custom_xml_attribute(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _put(raw, "customXml/item2.xml", f'<data xmlns="urn:example:form"><contact phone="{v}" role="申请人"/></data>')
        _rel(raw, "word/document.xml", REL + "customXml", "../customXml/item2.xml")

    return _hiding_doc(path, post=post)


def hide_core_identifier(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        core = raw.text("docProps/core.xml").replace("<dc:title/>", f"<dc:title/><dc:identifier>{v}</dc:identifier>")
        raw.set_text("docProps/core.xml", core)

    return _hiding_doc(path, post=post)


def hide_core_version(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        core = raw.text("docProps/core.xml").replace("<cp:category/>", f"<cp:category/><cp:version>{v}</cp:version>")
        raw.set_text("docProps/core.xml", core)

    return _hiding_doc(path, post=post)


def hide_custom_properties_orphan(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:  # the part and its content type, but no relationship
        _put(raw, "docProps/custom.xml", CUSTOM.format(name="经办人", mobile=v))
        _content_type(raw, "docProps/custom.xml", CT + "custom-properties+xml")

    return _hiding_doc(path, post=post)


def hide_user_data_part(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _put(raw, "word/userData.xml", f'<userData xmlns="urn:example:user"><phone>{v}</phone></userData>')
        _content_type(raw, "word/userData.xml")

    return _hiding_doc(path, post=post)


def hide_dat_part(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _put(raw, "word/data1.dat", b"\x00\x01DATA" + ("联系电话" + v).encode("utf-16-le") + b"\x00" * 16)
        _content_type(raw, ctype="application/octet-stream", ext="dat")
        _rel(raw, "word/document.xml", "http://example.com/relationships/userData", "data1.dat")

    return _hiding_doc(path, post=post)


def hide_chart_workbook(path: Path, v: str) -> Path:
    """A chart whose cached text is clean; only its embedded workbook (deflated) holds the value."""
    def post(raw: RawDocx) -> None:
        raw.add_part("word/charts/chart1.xml", CHART_XML.replace("联系电话{mobile}", "城关镇"),
                     CT + "drawingml.chart+xml", REL + "chart")
        _put(raw, "word/embeddings/Workbook1.xlsx",
             _zip_bytes({"xl/sharedStrings.xml": f"<sst><si><t>联系电话{v}</t></si></sst>"}))
        _content_type(raw, ctype=CT + "spreadsheetml.sheet", ext="xlsx")
        _rel(raw, "word/charts/chart1.xml", REL + "package", "../embeddings/Workbook1.xlsx", rid="rId1")

    return _hiding_doc(path, post=post)


def _ole_object(rid: str, prog: str) -> str:
    return (f'<w:p><w:r><w:object><v:shape id="_x0000_i1025" style="width:60pt;height:40pt"/>'
            f'<o:OLEObject Type="Embed" ProgID="{prog}" ShapeID="_x0000_i1025" DrawAspect="Icon" '
            f'ObjectID="_1700000000" r:id="{rid}"/></w:object></w:r></w:p>')


def hide_embedded_xlsx(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _put(raw, "word/embeddings/Book1.xlsx", _zip_bytes({"xl/sharedStrings.xml": f"<sst><si><t>{v}</t></si></sst>"}))
        _content_type(raw, ctype=CT + "spreadsheetml.sheet", ext="xlsx")
        _rel(raw, "word/document.xml", REL + "package", "embeddings/Book1.xlsx", rid="rIdPkg1")

    return _hiding_doc(path, (_ole_object("rIdPkg1", "Excel.Sheet.12"),), post)


def hide_ole_bin(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + ("申请人电话" + v).encode("utf-16-le") + b"\x00" * 64
        _put(raw, "word/embeddings/oleObject1.bin", ole)
        _content_type(raw, ctype=CT + "oleObject", ext="bin")
        _rel(raw, "word/document.xml", REL + "oleObject", "embeddings/oleObject1.bin", rid="rIdOle1")

    return _hiding_doc(path, (_ole_object("rIdOle1", "Package"),), post)


def hide_vml_shape_alt(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:p><w:r><w:pict><v:shape style="width:20pt;height:20pt" alt="申请人手机{v}"/>'
                              '</w:pict></w:r></w:p>',))


def hide_vml_imagedata_title(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:p><w:r><w:pict><v:shape style="width:20pt;height:20pt"><v:imagedata o:title="{v}"/>'
                              '</v:shape></w:pict></w:r></w:p>',))


def hide_sdt_tag(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:sdt><w:sdtPr><w:tag w:val="{v}"/><w:id w:val="1"/></w:sdtPr>'
                              '<w:sdtContent><w:p><w:r><w:t>（请填写）</w:t></w:r></w:p></w:sdtContent></w:sdt>',))


def hide_sdt_alias(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:sdt><w:sdtPr><w:alias w:val="联系人手机{v}"/><w:id w:val="2"/></w:sdtPr>'
                              '<w:sdtContent><w:p><w:r><w:t>（请填写）</w:t></w:r></w:p></w:sdtContent></w:sdt>',))


def hide_hyperlink_tooltip(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:p><w:hyperlink w:anchor="top" w:tooltip="拨打{v}"><w:r><w:t>联系我们</w:t></w:r>'
                              '</w:hyperlink></w:p>',))


def hide_bookmark_name(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:p><w:bookmarkStart w:id="5" w:name="_{v}"/><w:r><w:t>附件一</w:t></w:r>'
                              '<w:bookmarkEnd w:id="5"/></w:p>',))


def hide_numbering_level_text(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        num = raw.text("word/numbering.xml")
        absn = (f'<w:abstractNum w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
                f'<w:lvlText w:val="{v}-%1"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>')
        num = re.sub(r"(<w:numbering[^>]*>)", lambda m: m.group(1) + absn, num, count=1)
        num = num.replace("</w:numbering>", '<w:num w:numId="90"><w:abstractNumId w:val="90"/></w:num></w:numbering>')
        raw.set_text("word/numbering.xml", num)

    return _hiding_doc(path, ('<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="90"/></w:numPr></w:pPr>'
                              '<w:r><w:t>第一项</w:t></w:r></w:p>',), post)


def hide_sym_digits(path: Path, v: str) -> Path:
    syms = "".join(f'<w:sym w:font="Symbol" w:char="F03{d}"/>' for d in v)
    return _hiding_doc(path, (f'<w:p><w:r><w:t>联系电话：</w:t></w:r><w:r>{syms}</w:r></w:p>',))


def _alternate(choice_text: str, fallback_text: str, second_choice: str | None = None) -> str:
    box = lambda text: f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'  # noqa: E731
    choice = (f'<mc:Choice Requires="wps"><w:drawing><wp:inline><wp:extent cx="2000000" cy="500000"/>'
              f'<wp:docPr id="9" name="文本框 9"/><a:graphic><a:graphicData '
              f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>'
              f'<wps:spPr/><wps:txbx>{box(choice_text)}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>'
              '</wp:inline></w:drawing></mc:Choice>')
    second = (f'<mc:Choice Requires="v"><w:pict><v:shape><v:textbox>{box(second_choice)}</v:textbox></v:shape></w:pict>'
              '</mc:Choice>') if second_choice else ""
    fallback = f'<mc:Fallback><w:pict><v:shape><v:textbox>{box(fallback_text)}</v:textbox></v:shape></w:pict></mc:Fallback>'
    return f'<w:p><w:r><mc:AlternateContent>{choice}{second}{fallback}</mc:AlternateContent></w:r></w:p>'


def hide_fallback_differs(path: Path, v: str) -> Path:
    return _hiding_doc(path, (_alternate("见附件", f"联系电话{v}"),))


def hide_second_choice(path: Path, v: str) -> Path:
    return _hiding_doc(path, (_alternate("见附件", "见附件", second_choice=f"联系电话{v}"),))


def hide_png_text_chunk(path: Path, v: str) -> Path:
    return _picture_doc(path, _png_with_chunk(b"tEXt", b"Author\x00" + v.encode("latin-1")))


def hide_png_itxt_compressed(path: Path, v: str) -> Path:
    body = b"Description\x00\x01\x00zh\x00\x00" + zlib.compress(f"申请人身份证号{v}".encode("utf-8"))
    return _picture_doc(path, _png_with_chunk(b"iTXt", body))


def hide_jpeg_comment(path: Path, v: str) -> Path:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(buf, "JPEG", comment=f"tel {v}".encode("ascii"))
    return _picture_doc(path, buf.getvalue())


def picture_of_text(text: str, size: int = 56) -> bytes:
    """A PNG that shows ``text`` in large black digits (for OCR)."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.load_default(size=size)
    img = Image.new("RGB", (int(size * 0.75 * len(text)) + 80, size * 2), "white")
    ImageDraw.Draw(img).text((40, size // 2), text, fill="black", font=font)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def hide_picture_text(path: Path, v: str) -> Path:
    return _picture_doc(path, picture_of_text(v))


def hide_ignorable_element(path: Path, v: str) -> Path:
    """A paragraph wrapped in an element Word ignores (mc:Ignorable): never shown, still stored."""
    return _hiding_doc(path, (f'<x:aside xmlns:x="urn:example:aside"><w:p><w:r><w:t>{v}</w:t></w:r></w:p></x:aside>',))


def hide_xml_comment(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        raw.set_text("word/document.xml", raw.text("word/document.xml").replace("<w:body>", f"<w:body><!-- 经办人 {v} -->", 1))

    return _hiding_doc(path, post=post)


def hide_processing_instruction(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:  # in styles.xml, a part no reader needs
        styles = raw.text("word/styles.xml")
        raw.set_text("word/styles.xml", re.sub(r"(<w:styles[^>]*>)", lambda m: m.group(1) + f"<?note {v}?>", styles, count=1))

    return _hiding_doc(path, post=post)


def hide_style_name(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        style = f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="X1"><w:name w:val="{v}"/></w:style>'
        raw.set_text("word/styles.xml", raw.text("word/styles.xml").replace("</w:styles>", style + "</w:styles>"))

    return _hiding_doc(path, post=post)


def hide_font_name(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        font = f'<w:font w:name="{v}"><w:charset w:val="86"/></w:font>'
        raw.set_text("word/fontTable.xml", raw.text("word/fontTable.xml").replace("</w:fonts>", font + "</w:fonts>"))

    return _hiding_doc(path, post=post)


def hide_theme_typeface(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        theme = raw.text("word/theme/theme1.xml")
        raw.set_text("word/theme/theme1.xml", theme.replace("<a:majorFont>", f'<a:majorFont><a:font script="Xxxx" typeface="{v}"/>', 1))

    return _hiding_doc(path, post=post)


def hide_settings_mail_merge(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        mm = (f'<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:dataType w:val="native"/>'
              f'<w:connectString w:val="Provider=x;User={v}"/></w:mailMerge>')
        raw.set_text("word/settings.xml", re.sub(r"(<w:settings[^>]*>)", lambda m: m.group(1) + mm,
                                                 raw.text("word/settings.xml"), count=1))

    return _hiding_doc(path, post=post)


def hide_app_unknown_element(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        app = raw.text("docProps/app.xml").replace("</Properties>", f"<Extra>{v}</Extra></Properties>")
        raw.set_text("docProps/app.xml", app)

    return _hiding_doc(path, post=post)


def hide_printer_settings(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _put(raw, "word/printerSettings/printerSettings1.bin", ("\\\\PRN\\" + v).encode("utf-16-le") + b"\x00" * 200)
        _content_type(raw, ctype=CT + "wordprocessingml.printerSettings", ext="bin")
        _rel(raw, "word/document.xml", REL + "printerSettings", "printerSettings/printerSettings1.bin")

    return _hiding_doc(path, post=post)


def hide_embedded_font(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _put(raw, "word/fonts/font1.odttf", b"\x00\x01\x00\x00" + ("Designer " + v).encode("utf-16-le") + b"\x00" * 64)
        _content_type(raw, ctype="application/vnd.openxmlformats-officedocument.obfuscatedFont", ext="odttf")
        rid = _rel(raw, "word/fontTable.xml", REL + "font", "fonts/font1.odttf")
        font = (f'<w:font w:name="FangSongX"><w:embedRegular r:id="{rid}" '
                'w:fontKey="{00000000-0000-0000-0000-000000000000}"/></w:font>')
        ft = raw.text("word/fontTable.xml").replace("</w:fonts>", font + "</w:fonts>")
        if "xmlns:r=" not in ft.split(">", 2)[1]:
            ft = ft.replace("<w:fonts ", '<w:fonts xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ', 1)
        raw.set_text("word/fontTable.xml", ft)

    return _hiding_doc(path, post=post)


def hide_activex_control(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _put(raw, "word/activeX/activeX1.xml",
             '<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
             f'ax:classid="{{8BD21D40-EC42-11CE-9E0D-00AA006002F3}}"><ax:ocxPr ax:name="Value" ax:value="{v}"/></ax:ocx>')
        _content_type(raw, "word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml")
        _rel(raw, "word/document.xml", REL + "control", "activeX/activeX1.xml", rid="rIdCtl1")

    return _hiding_doc(path, ('<w:p><w:r><w:object><w:control r:id="rIdCtl1" w:name="TextBox1"/></w:object></w:r></w:p>',), post)


def hide_relationship_id(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _rel(raw, "word/document.xml", REL + "hyperlink", "https://www.gov.cn/", rid=f"rId_{v}", external=True)

    return _hiding_doc(path, (f'<w:p><w:hyperlink r:id="rId_{v}"><w:r><w:t>中国政府网</w:t></w:r></w:hyperlink></w:p>',), post)


def hide_content_type_string(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        _content_type(raw, ctype=f"application/x-contact-{v}", ext="xml2")  # a Default for a part that exists
        _put(raw, "word/notes.xml2", "<n/>")
        _rel(raw, "word/document.xml", REL + "customXml", "notes.xml2")

    return _hiding_doc(path, post=post)


def hide_table_caption(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:tbl><w:tblPr><w:tblCaption w:val="联系人{v}"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/>'
                              '</w:tblGrid><w:tr><w:tc><w:p><w:r><w:t>乡镇</w:t></w:r></w:p></w:tc></w:tr></w:tbl>',))


def hide_form_field_name(path: Path, v: str) -> Path:
    return _hiding_doc(path, (f'<w:p><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="_{v}"/><w:enabled/>'
                              '<w:textInput/></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMTEXT </w:instrText></w:r>'
                              '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>（填写）</w:t></w:r>'
                              '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',))


def hide_separator_footnote(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        notes = FOOTNOTES.replace('<w:r><w:separator/></w:r>', f'<w:r><w:separator/></w:r><w:r><w:t>{v}</w:t></w:r>', 1)
        raw.add_part("word/footnotes.xml", notes.replace("{body}", _run_xml(" 注释")),
                     CT + "wordprocessingml.footnotes+xml", REL + "footnotes")

    return _hiding_doc(path, post=post)


def hide_drawing_name(path: Path, v: str) -> Path:
    def post(raw: RawDocx) -> None:
        xml = raw.text("word/document.xml")
        raw.set_text("word/document.xml", re.sub(r'(<wp:docPr id="\d+" name=")[^"]*"', rf'\g<1>{v}"', xml, count=1))

    d = new_document()
    d.add_paragraph("附图：")
    d.add_picture(io.BytesIO(tiny_png()))
    return save(d, path, post)


def hide_header_bookmark(path: Path, v: str) -> Path:
    d = new_document()
    d.add_paragraph("正文。")
    hp = d.sections[0].header.paragraphs[0]
    hp.text = "某某县人民政府"
    hp._p.insert(0, parse_xml(_ns(f'<w:bookmarkStart w:id="7" w:name="_{v}"/>')))
    return save(d, path)


def hide_zip_member_after_end(path: Path, v: str) -> Path:
    """A member no relationship or content type names, stored uncompressed."""
    def post(raw: RawDocx) -> None:
        _put(raw, "word/media/notes.txt", f"经办人电话 {v}")

    return _hiding_doc(path, post=post)


HIDING = {
    "glossary": (hide_glossary, "mobile"),
    "custom_xml_attribute": (hide_custom_xml_attribute, "mobile"),
    "core_identifier": (hide_core_identifier, "id"),
    "core_version": (hide_core_version, "mobile"),
    "custom_properties_orphan": (hide_custom_properties_orphan, "mobile"),
    "user_data_part": (hide_user_data_part, "mobile"),
    "dat_part": (hide_dat_part, "mobile"),
    "chart_workbook": (hide_chart_workbook, "mobile"),
    "embedded_xlsx": (hide_embedded_xlsx, "mobile"),
    "ole_bin": (hide_ole_bin, "mobile"),
    "vml_shape_alt": (hide_vml_shape_alt, "mobile"),
    "vml_imagedata_title": (hide_vml_imagedata_title, "mobile"),
    "sdt_tag": (hide_sdt_tag, "mobile"),
    "sdt_alias": (hide_sdt_alias, "mobile"),
    "hyperlink_tooltip": (hide_hyperlink_tooltip, "mobile"),
    "bookmark_name": (hide_bookmark_name, "mobile"),
    "numbering_level_text": (hide_numbering_level_text, "mobile"),
    "sym_digits": (hide_sym_digits, "mobile"),
    "fallback_differs": (hide_fallback_differs, "mobile"),
    "second_choice": (hide_second_choice, "mobile"),
    "png_text_chunk": (hide_png_text_chunk, "mobile"),
    "png_itxt_compressed": (hide_png_itxt_compressed, "id"),
    "jpeg_comment": (hide_jpeg_comment, "mobile"),
    "picture_text": (hide_picture_text, "mobile"),
    "ignorable_element": (hide_ignorable_element, "id"),
    "xml_comment": (hide_xml_comment, "mobile"),
    "processing_instruction": (hide_processing_instruction, "mobile"),
    "style_name": (hide_style_name, "mobile"),
    "font_name": (hide_font_name, "mobile"),
    "theme_typeface": (hide_theme_typeface, "mobile"),
    "settings_mail_merge": (hide_settings_mail_merge, "mobile"),
    "app_unknown_element": (hide_app_unknown_element, "mobile"),
    "printer_settings": (hide_printer_settings, "mobile"),
    "embedded_font": (hide_embedded_font, "mobile"),
    "activex_control": (hide_activex_control, "mobile"),
    "relationship_id": (hide_relationship_id, "mobile"),
    "content_type_string": (hide_content_type_string, "mobile"),
    "table_caption": (hide_table_caption, "mobile"),
    "form_field_name": (hide_form_field_name, "mobile"),
    "separator_footnote": (hide_separator_footnote, "mobile"),
    "drawing_name": (hide_drawing_name, "mobile"),
    "header_bookmark": (hide_header_bookmark, "mobile"),
    "unreferenced_member": (hide_zip_member_after_end, "mobile"),
}


def hiding_case(name: str, path: Path, seed: int) -> tuple[Path, str]:
    build, what = HIDING[name]
    s = Synth.seeded(seed)
    value = s.id18() if what == "id" else s.mobile()
    return build(path, value), value
