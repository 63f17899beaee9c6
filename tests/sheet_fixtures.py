"""Generated workbooks and CSV files for the spreadsheet tests and benchmark (synthetic people only).

``planted_workbook`` writes a 公示名单 with openpyxl, then edits the saved package for what
openpyxl does not write: shared strings (with one value split over rich-text runs), cached
values of formulas and a shared formula, a link to another workbook, a pivot cache, a VBA
project, a drawing with a text box, the workbook's folder path and a shared-workbook user name.
It returns the path and ``secrets``: place -> the synthetic value planted there.
"""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
from lxml import etree
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from redactor.detect.validators import id_check_char
from redactor.synth import Synth

SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
HEADERS = ["序号", "姓名", "性别", "身份证号", "联系电话", "家庭住址", "保障人数", "金额（元）"]


def people(n: int, seed: int = 7) -> list[dict[str, str]]:
    s = Synth.seeded(seed)
    out = []
    for i in range(n):
        out.append({"name": s.name(), "id": s.id18(), "mobile": s.mobile(), "sex": "男女"[i % 2],
                    "address": f"某县某镇某村{i % 9 + 1}组"})
    return out


def bad_check(id18: str) -> str:
    """The same ID with a wrong check character (a typo)."""
    wrong = "0" if id_check_char(id18[:17]) != "0" else "1"
    return id18[:17] + wrong


def gongshi_rows(n: int, seed: int = 7) -> list[list]:
    """Rows of a 公示名单 (without the title and header rows)."""
    return [[i + 1, p["name"], p["sex"], p["id"], p["mobile"], p["address"], i % 5 + 1, 200 + (i * 37) % 700]
            for i, p in enumerate(people(n, seed))]


def write_gongshi(path: Path, n: int, seed: int = 7) -> Path:
    """A plain n-row 公示名单 (title row, header row, data) written by openpyxl."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公示名单"
    ws.append(["2024年某镇城乡低保公示名单"])
    ws.append(HEADERS)
    for row in gongshi_rows(n, seed):
        ws.append(row)
    wb.properties.creator = ""
    wb.save(path)
    return path


# --- the planted workbook ------------------------------------------------------------------------


def planted_workbook(path: Path) -> tuple[Path, dict[str, str]]:
    ps = people(12, seed=11)
    sec: dict[str, str] = {}
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["2024年某镇城乡低保公示名单"])
    ws.merge_cells("A1:H1")
    ws.append(HEADERS)
    rows = [[i + 1, p["name"], p["sex"], p["id"], p["mobile"], p["address"], 1 + i, 300 + 100 * i]
            for i, p in enumerate(ps[:3])]
    for r in rows:
        ws.append(r)
    sec.update(cell_name=ps[0]["name"], cell_id=ps[0]["id"], cell_mobile=ps[0]["mobile"],
               cell_name2=ps[1]["name"], cell_id2=ps[1]["id"], rich_mobile=ps[1]["mobile"],
               inline_mobile=ps[2]["mobile"], cell_name3=ps[2]["name"], cell_id3=ps[2]["id"])
    # Row 6: an ID with a wrong check character; row 7: an ID stored as a number (digits lost).
    ws.append([4, ps[3]["name"], "男", bad_check(ps[3]["id"]), ps[3]["mobile"], "某县某镇某村1组", 2, 600])
    lossy = int(ps[4]["id"][:15] + "000")
    ws.append([5, ps[4]["name"], "女", lossy, ps[4]["mobile"], "某县某镇某村2组", 3, 700])
    sec.update(bad_check_id=bad_check(ps[3]["id"]), number_id=ps[4]["id"][:15], cell_name4=ps[3]["name"],
               cell_name5=ps[4]["name"])
    # Row 8: hidden row.
    ws.append([6, ps[5]["name"], "女", ps[5]["id"], ps[5]["mobile"], "某县某镇某村3组", 1, 800])
    ws.row_dimensions[8].hidden = True
    sec.update(hidden_row_name=ps[5]["name"], hidden_row_mobile=ps[5]["mobile"])
    # Column L: hidden column of full IDs (with its own header).
    ws["L2"] = "身份证号（完整）"
    ws["L3"] = ps[6]["id"]
    ws.column_dimensions["L"].hidden = True
    sec.update(hidden_col_id=ps[6]["id"])
    # Formatting and widths that the copy keeps.
    ws["B2"].font = Font(bold=True, color="FF0000")
    ws["B3"].fill = PatternFill("solid", fgColor="FFFF00")
    ws.column_dimensions["D"].width = 24.5
    # Formulas (cached values are added after saving).
    ws["I3"] = "=H3*2"                      # reads an amount: keeps its cached value
    ws["J3"] = "=D3"                        # reads a masked ID: cached value dropped
    ws["K3"] = '="电话"&"' + ps[7]["mobile"] + '"'  # a literal in the formula text
    ws["M3"] = "=SUM(H3:H5)"                # amounts only
    ws["N3"] = "='" + ps[8]["mobile"] + "'!A1"  # reads a sheet whose name is a phone number
    sec.update(formula_literal_mobile=ps[7]["mobile"], sheet_name_mobile=ps[8]["mobile"])
    # Comment with author, header and footer, data validation prompt, hyperlink.
    ws["B3"].comment = Comment(f"已核实：{ps[9]['name']}，电话{ps[9]['mobile']}", ps[10]["name"])
    sec.update(comment_mobile=ps[9]["mobile"], comment_name=ps[9]["name"], comment_author=ps[10]["name"])
    ws.oddHeader.center.text = f"申请人{ps[11]['name']} 电话：{ps[10]['mobile']}"
    ws.oddFooter.left.text = f"经办人手机{ps[11]['mobile']}"
    ws.oddFooter.right.text = "第&P页"
    sec.update(header_mobile=ps[10]["mobile"], footer_mobile=ps[11]["mobile"])
    dv = DataValidation(type="list", formula1='"是,否"', showInputMessage=True,
                        prompt="如有疑问请联系经办人，电话13600000000", promptTitle="提示")
    ws.add_data_validation(dv)
    dv.add("C3:C20")
    sec.update(validation_mobile="13600000000")
    ws["F9"] = "来信"
    ws["F9"].hyperlink = "mailto:zhang.applicant@example.com"
    sec.update(hyperlink_email="zhang.applicant@example.com")
    # A sheet named after an applicant's phone number, and a hidden sheet.
    other = wb.create_sheet(ps[8]["mobile"])
    other["A1"] = "附件"
    hidden = wb.create_sheet("备份")
    hidden.sheet_state = "hidden"
    hidden.append(["姓名", "身份证号"])
    hidden.append([ps[11]["name"], ps[11]["id"]])
    sec.update(hidden_sheet_name=ps[11]["name"], hidden_sheet_id=ps[11]["id"])
    # Defined name with a constant, document properties, a custom property.
    wb.defined_names["联系电话"] = DefinedName("联系电话", attr_text='"13500000000"')
    wb.defined_names["附件区"] = DefinedName("附件区", attr_text=f"'{ps[8]['mobile']}'!$A$1")
    wb.defined_names["外部"] = DefinedName("外部", attr_text="[1]名单!$A$1")  # reads the linked workbook
    sec.update(defined_name_mobile="13500000000")
    wb.properties.creator = ps[6]["name"]
    wb.properties.lastModifiedBy = ps[7]["name"]
    wb.properties.title = "公示 13400000000"
    wb.custom_doc_props.append(StringProperty(name="申请人身份证", value=ps[9]["id"]))
    sec.update(creator=ps[6]["name"], last_modified_by=ps[7]["name"], title_mobile="13400000000",
               custom_property_id=ps[9]["id"])
    buf = io.BytesIO()
    wb.save(buf)
    extra = {
        "external_id": Synth.seeded(101).id18(), "pivot_name": "欧阳娜娜", "pivot_id": Synth.seeded(102).id18(),
        "textbox_mobile": Synth.seeded(104).mobile(), "abs_path_name": "司马光明", "sharing_user": "诸葛亮亮",
        "rich_mobile": ps[1]["mobile"],
    }
    data = _patch(buf.getvalue(), ps, extra)
    sec.update(extra)
    path.write_bytes(data)
    return path, sec


def _patch(data: bytes, ps: list[dict[str, str]], extra: dict[str, str]) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(data))
    parts = {n: zin.read(n) for n in zin.namelist()}
    sheet = etree.fromstring(parts["xl/worksheets/sheet1.xml"])
    ns = {"m": SML}
    # Shared strings: every inline string of sheet 1 but the third row's phone number.
    sst = etree.Element(f"{{{SML}}}sst", nsmap={None: SML})
    index: dict[str, int] = {}
    for c in sheet.iterfind(".//m:c[@t='inlineStr']", ns):
        text = "".join(c.itertext())
        if c.get("r") == "E5":
            continue  # stays an inline string
        if c.get("r") == "E4":  # the phone number split over two differently formatted runs
            si = etree.SubElement(sst, f"{{{SML}}}si")
            for piece, bold in ((text[:5], True), (text[5:], False)):
                r = etree.SubElement(si, f"{{{SML}}}r")
                if bold:
                    rpr = etree.SubElement(r, f"{{{SML}}}rPr")
                    etree.SubElement(rpr, f"{{{SML}}}b")
                etree.SubElement(r, f"{{{SML}}}t").text = piece
            n = len(sst) - 1
        else:
            if text not in index:
                si = etree.SubElement(sst, f"{{{SML}}}si")
                etree.SubElement(si, f"{{{SML}}}t").text = text
                index[text] = len(sst) - 1
            n = index[text]
        for child in list(c):
            c.remove(child)
        c.set("t", "s")
        etree.SubElement(c, f"{{{SML}}}v").text = str(n)
    # An orphan shared string (an earlier value no cell uses any more) with a planted ID.
    si = etree.SubElement(sst, f"{{{SML}}}si")
    etree.SubElement(si, f"{{{SML}}}t").text = Synth.seeded(103).id18()
    extra["orphan_string_id"] = si[0].text
    sst.set("count", str(len(sst)))
    sst.set("uniqueCount", str(len(sst)))
    parts["xl/sharedStrings.xml"] = etree.tostring(sst, xml_declaration=True, encoding="UTF-8", standalone=True)
    # Cached values of formulas, and a shared formula group (O3:O5 copies the IDs).
    cached = {"I3": ("n", "600"), "J3": ("str", ps[0]["id"]), "K3": ("str", "电话" + ps[7]["mobile"]),
              "M3": ("n", "1200"), "N3": ("str", "附件")}
    for c in sheet.iterfind(".//m:c", ns):
        if c.get("r") in cached:
            t, value = cached[c.get("r")]
            v = c.find(f"{{{SML}}}v")
            if v is None:
                v = etree.SubElement(c, f"{{{SML}}}v")
            v.text = value
            if t == "str":
                c.set("t", "str")
            else:
                c.attrib.pop("t", None)
    for r, row in ((3, ps[0]), (4, ps[1]), (5, ps[2])):
        row_el = sheet.find(f".//m:row[@r='{r}']", ns)
        c = etree.SubElement(row_el, f"{{{SML}}}c", r=f"O{r}", t="str")
        f = etree.SubElement(c, f"{{{SML}}}f", t="shared", si="0")
        if r == 3:
            f.set("ref", "O3:O5")
            f.text = 'D3&""'
        etree.SubElement(c, f"{{{SML}}}v").text = row["id"]
        _sort_row(row_el)
    parts["xl/worksheets/sheet1.xml"] = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8", standalone=True)
    # Workbook: the folder it was saved in, a shared-workbook user, a pivot cache, an external link.
    wb = parts["xl/workbook.xml"].decode("utf-8")
    wb = wb.replace("<workbook ", '<workbook xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                    'xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" ', 1)
    head = (f'<fileSharing userName="{extra["sharing_user"]}"/>'
            '<mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath '
            f'url="C:\\Users\\{extra["abs_path_name"]}\\Desktop\\"/></mc:Choice></mc:AlternateContent>')
    wb = re.sub(r"(<workbookPr[^>]*/>)", head.replace("\\", "\\\\") + r"\1", wb, count=1)
    wb = wb.replace("</workbook>", '<externalReferences><externalReference r:id="rIdX1"/></externalReferences>'
                    '<pivotCaches><pivotCache cacheId="1" r:id="rIdX2"/></pivotCaches></workbook>')
    if 'xmlns:r=' not in wb[:500]:
        wb = wb.replace("<workbook ", f'<workbook xmlns:r="{REL[:-1]}" ', 1)
    parts["xl/workbook.xml"] = wb.encode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    rels = rels.replace("</Relationships>",
                        f'<Relationship Id="rIdX1" Type="{REL}externalLink" Target="externalLinks/externalLink1.xml"/>'
                        f'<Relationship Id="rIdX2" Type="{REL}pivotCacheDefinition" '
                        'Target="pivotCache/pivotCacheDefinition1.xml"/>'
                        f'<Relationship Id="rIdX3" Type="{REL}sharedStrings" Target="sharedStrings.xml"/>'
                        '<Relationship Id="rIdX4" Type="http://schemas.microsoft.com/office/2006/relationships/'
                        'vbaProject" Target="vbaProject.bin"/></Relationships>')
    parts["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<externalLink xmlns="{SML}"><externalBook xmlns:r="{REL[:-1]}" r:id="rId1"><sheetNames>'
        '<sheetName val="名单"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1">'
        f'<cell r="A1" t="str"><v>{extra["external_id"]}</v></cell></row></sheetData></sheetDataSet>'
        '</externalBook></externalLink>').encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}externalLinkPath" '
        'Target="file:///C:/Users/someone/原始名单.xlsx" TargetMode="External"/></Relationships>').encode()
    parts["xl/pivotCache/pivotCacheDefinition1.xml"] = (
        f'<pivotCacheDefinition xmlns="{SML}" xmlns:r="{REL[:-1]}" r:id="rId1" recordCount="1">'
        '<cacheSource type="worksheet"><worksheetSource ref="A2:H5" sheet="名单"/></cacheSource>'
        f'<cacheFields count="1"><cacheField name="姓名"><sharedItems><s v="{extra["pivot_name"]}"/></sharedItems>'
        '</cacheField></cacheFields></pivotCacheDefinition>').encode()
    parts["xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels"] = (
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{REL}pivotCacheRecords" '
        'Target="pivotCacheRecords1.xml"/></Relationships>').encode()
    parts["xl/pivotCache/pivotCacheRecords1.xml"] = (
        f'<pivotCacheRecords xmlns="{SML}" count="1"><r><s v="{extra["pivot_id"]}"/></r></pivotCacheRecords>'
    ).encode()
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"Module1\"" * 4
    # A drawing with a text box on sheet 1.
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    xdr = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
    parts["xl/drawings/drawing1.xml"] = (
        f'<xdr:wsDr xmlns:xdr="{xdr}" xmlns:a="{a}"><xdr:twoCellAnchor><xdr:from><xdr:col>9</xdr:col><xdr:colOff>0'
        '</xdr:colOff><xdr:row>9</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>12</xdr:col>'
        '<xdr:colOff>0</xdr:colOff><xdr:row>12</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp><xdr:nvSpPr>'
        '<xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/><xdr:txBody>'
        f'<a:bodyPr/><a:p><a:r><a:t>申请人手机 {extra["textbox_mobile"]}</a:t></a:r></a:p></xdr:txBody></xdr:sp>'
        '<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>').encode()
    srels = parts["xl/worksheets/_rels/sheet1.xml.rels"].decode("utf-8")
    srels = srels.replace("</Relationships>", f'<Relationship Id="rIdD1" Type="{REL}drawing" '
                          'Target="/xl/drawings/drawing1.xml"/></Relationships>')
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = srels.encode("utf-8")
    s1 = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    drawing = f'<drawing xmlns:r="{REL[:-1]}" r:id="rIdD1"/>'
    s1 = re.sub(r"(<legacyDrawing )", drawing + r"\1", s1, count=1) if "<legacyDrawing " in s1 \
        else s1.replace("</worksheet>", drawing + "</worksheet>")
    parts["xl/worksheets/sheet1.xml"] = s1.encode("utf-8")
    ct = parts["[Content_Types].xml"].decode("utf-8")
    overrides = {
        "/xl/sharedStrings.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
        "/xl/externalLinks/externalLink1.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
        "/xl/pivotCache/pivotCacheDefinition1.xml":
            "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml",
        "/xl/pivotCache/pivotCacheRecords1.xml":
            "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml",
        "/xl/vbaProject.bin": "application/vnd.ms-office.vbaProject",
        "/xl/drawings/drawing1.xml": "application/vnd.openxmlformats-officedocument.drawing+xml",
    }
    ct = ct.replace("</Types>", "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in overrides.items())
                    + "</Types>")
    parts["[Content_Types].xml"] = ct.encode("utf-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def _sort_row(row: etree._Element) -> None:
    """Cells of a row in column order (Excel requires it)."""
    from redactor.formats.xlsx.refs import parse_cell

    cells = sorted(row, key=lambda c: parse_cell(c.get("r"))[1])
    for c in cells:
        row.remove(c)
    for c in cells:
        row.append(c)


# --- reading a copy independently ----------------------------------------------------------------


def openpyxl_texts(path: Path) -> list[str]:
    """Everything openpyxl shows of a workbook, as strings: sheet names, cell values and
    formulas (with cached values), comments and their authors, headers and footers, defined
    names, data validation messages, hyperlinks, document and custom properties."""
    out: list[str] = []
    for data_only in (False, True):
        wb = openpyxl.load_workbook(path, data_only=data_only)
        for ws in wb.worksheets:
            out.append(ws.title)
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        out.append(str(c.value) if not isinstance(c.value, float) else f"{c.value:.0f}")
                    if c.comment is not None:
                        out += [c.comment.text or "", c.comment.author or ""]
                    if c.hyperlink is not None:
                        out += [c.hyperlink.target or "", c.hyperlink.display or "", c.hyperlink.tooltip or ""]
            for hf in (ws.oddHeader, ws.oddFooter, ws.evenHeader, ws.evenFooter, ws.firstHeader, ws.firstFooter):
                for part in (hf.left, hf.center, hf.right):
                    out.append(part.text or "")
            for dv in ws.data_validations.dataValidation:
                out += [dv.prompt or "", dv.promptTitle or "", dv.error or "", dv.formula1 or ""]
            for name, dn in ws.defined_names.items():
                out += [name, dn.attr_text or ""]
        for name, dn in wb.defined_names.items():
            out += [name, dn.attr_text or ""]
        p = wb.properties
        out += [str(v) for v in (p.creator, p.lastModifiedBy, p.title, p.subject, p.description, p.keywords) if v]
        out += [str(prop.value) for prop in wb.custom_doc_props]
    return out


def workbook_bytes_with(parts: dict[str, bytes], base: Path) -> bytes:
    """``base`` with some members replaced or added."""
    zin = zipfile.ZipFile(base)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in zin.namelist():
            z.writestr(name, parts.get(name, zin.read(name)))
        for name, body in parts.items():
            if name not in zin.namelist():
                z.writestr(name, body)
    return out.getvalue()

