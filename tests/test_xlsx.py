"""XLSX adapter: every place a workbook holds text is read; the copy holds none of the planted
values (checked by openpyxl, an independent reader, and by ``find_residue`` over every member);
it keeps formatting, widths and formulas that do not read masked cells; unreadable files are
clear errors."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sheet_fixtures as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from redactor.document import Edit
from redactor.errors import UnreadableFileError
from redactor.formats import adapter_for
from redactor.formats.xlsx import XlsxAdapter
from redactor.formats.xlsx.pieces import Piece, joiner, plan_edits
from redactor.formats.xlsx.reader import header_footer_sections, number_text
from redactor.formats.xlsx.refs import (
    Area,
    cell_name,
    col_index,
    formula_ranges,
    parse_area,
)
from redactor.pipeline import Redactor
from redactor.residue import find_residue
from redactor.synth import Synth

# Places the copy drops and openpyxl cannot see (the residue search reads them).
INVISIBLE_TO_OPENPYXL = {"external_id", "pivot_name", "pivot_id", "textbox_mobile", "abs_path_name",
                         "sharing_user", "orphan_string_id"}


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    d = tmp_path_factory.mktemp("planted")
    return F.planted_workbook(d / "名单.xlsx")


@pytest.fixture(scope="module")
def redacted(planted, redactor, tmp_path_factory):
    path, _ = planted
    out = tmp_path_factory.mktemp("out") / "copy.xlsx"
    report = redactor.redact(path, out)
    assert report.verdict == "redact", report.error
    assert report.output == str(out)
    return out, report


# --- reading ---------------------------------------------------------------------------------------


def test_the_fixture_plants_every_value(planted):
    """Sanity: openpyxl sees each value it can read, the residue search sees all of them."""
    path, secrets = planted
    texts = "\n".join(F.openpyxl_texts(path))
    for key, value in secrets.items():
        if key not in INVISIBLE_TO_OPENPYXL:
            assert value in texts, key
    values = list(secrets.values())
    assert {h.value_index for h in find_residue(path, values)} == set(range(len(values)))


def test_every_place_is_read(planted):
    path, secrets = planted
    doc = XlsxAdapter().extract(path)
    text = "\n".join(s.text for s in doc.segments)
    for key, value in secrets.items():
        if key in ("external_id", "pivot_name", "pivot_id"):
            continue  # parts left out of the copy unread: reported as parts (below)
        assert value in text, key
    origins = {s.origin for s in doc.segments}
    assert {"sheet_name", "table", "hidden_text", "formula", "header", "footer", "comment", "defined_name",
            "validation", "hyperlink", "metadata", "textbox"} <= origins


def test_cells_have_sheet_cell_and_column_header(planted):
    path, secrets = planted
    doc = XlsxAdapter().extract(path)
    by_text = {s.text: s for s in reversed(doc.segments) if s.origin in ("table", "hidden_text")}
    seg = by_text[secrets["cell_id"]]  # the first cell with that text (O3 copies it with a formula)
    assert dict(seg.location) == {"sheet": 1, "cell": "D3"} and seg.column_header == "身份证号"
    assert by_text[secrets["cell_name"]].column_header == "姓名"
    assert dict(by_text[secrets["hidden_row_mobile"]].location) == {"sheet": 1, "cell": "E8", "hidden": "row"}
    assert by_text[secrets["hidden_col_id"]].location["hidden"] == "column"
    assert by_text[secrets["hidden_sheet_id"]].location == {"sheet": 3, "cell": "B2", "hidden": "sheet"}
    title = by_text["2024年某镇城乡低保公示名单"]
    assert title.column_header is None  # the title row is above the header row


def test_a_number_shows_its_digits_and_lost_digits_are_reported(planted):
    path, secrets = planted
    doc = XlsxAdapter().extract(path)
    seg = next(i for i, s in enumerate(doc.segments) if s.location.get("cell") == "D7" and s.origin == "table")
    assert doc.segments[seg].text.startswith(secrets["number_id"]) and len(doc.segments[seg].text) == 18
    notes = [n for n in doc.notices if n.kind == "number_precision"]
    assert [n.segment for n in notes] == [seg]


@pytest.mark.parametrize("raw, text", [
    ("3.52226198201147e+17", "352226198201147000"), ("1.1010519491231E+17", "110105194912310000"),
    ("42", "42"), ("3.5", "3.5"), ("-7.0", "-7"), ("1e400", "1e400"), ("abc", "abc"),
])
def test_number_text(raw, text):
    assert number_text(raw) == text


def test_report_names_hidden_and_removed_content(redacted):
    _, report = redacted
    rules = {r.rule for r in report.findings}
    assert {"xlsx.comment", "xlsx.hidden", "xlsx.number_precision", "xlsx.removed.externalLink",
            "xlsx.removed.pivotCacheDefinition", "xlsx.removed.vbaProject", "xlsx.removed.drawing",
            "xlsx.metadata.absPath", "xlsx.metadata.fileSharing", "xlsx.metadata.custom", "xlsx.metadata.author",
            "xlsx.unused_strings"} <= rules
    hidden = {r.location.get("hidden") for r in report.findings if r.rule == "xlsx.hidden"}
    assert hidden == {"sheet", "row", "column"}
    for r in report.findings:  # a report never holds a raw value (previews are masked)
        assert "13600000000" not in str(r.to_dict())


# --- the copy ----------------------------------------------------------------------------------------


def test_copy_holds_no_planted_value(planted, redacted):
    _, secrets = planted
    out, _ = redacted
    texts = "\n".join(F.openpyxl_texts(out))
    assert [k for k, v in secrets.items() if v in texts] == []
    assert find_residue(out, list(secrets.values())) == []


def test_copy_keeps_only_allowed_parts(redacted):
    out, _ = redacted
    names = set(zipfile.ZipFile(out).namelist())
    assert not any(n.startswith(("xl/externalLinks", "xl/pivotCache", "xl/drawings", "xl/comments", "docProps/custom"))
                   for n in names)
    assert "xl/vbaProject.bin" not in names and "xl/sharedStrings.xml" in names
    wb = zipfile.ZipFile(out).read("xl/workbook.xml")
    for tag in (b"externalReferences", b"pivotCaches", b"fileSharing", b"absPath"):
        assert tag not in wb
    assert "外部" not in openpyxl.load_workbook(out).defined_names  # it named the removed link


def test_copy_keeps_formatting_widths_and_structure(planted, redacted):
    path, _ = planted
    out, _ = redacted
    before, after = openpyxl.load_workbook(path), openpyxl.load_workbook(out)
    a, b = before["名单"], after["名单"]
    assert b["B2"].font.b and b["B2"].font.color.rgb == a["B2"].font.color.rgb
    assert b["B3"].fill.fgColor.rgb == a["B3"].fill.fgColor.rgb
    assert b.column_dimensions["D"].width == 24.5
    assert [str(r) for r in b.merged_cells.ranges] == ["A1:H1"]
    assert b.row_dimensions[8].hidden and b.column_dimensions["L"].hidden
    assert after["备份"].sheet_state == "hidden"
    assert len(b.data_validations.dataValidation) == 1
    assert [c.value for c in b[2]][:8] == F.HEADERS
    assert b["H3"].value == 300 and b["G3"].value == 1  # numbers stay numbers


def test_hidden_cells_are_emptied(planted, redacted):
    out, _ = redacted
    wb = openpyxl.load_workbook(out)
    assert all(c.value is None for row in wb["备份"].iter_rows() for c in row)
    assert all(c.value is None for c in wb["名单"][8])
    assert wb["名单"]["L3"].value is None


def test_formulas_and_cached_values(redacted):
    out, _ = redacted
    formulas = openpyxl.load_workbook(out)["名单"]
    values = openpyxl.load_workbook(out, data_only=True)["名单"]
    assert formulas["I3"].value == "=H3*2" and values["I3"].value == 600       # reads amounts: kept
    assert formulas["M3"].value == "=SUM(H3:H5)" and values["M3"].value == 1200
    assert values["J3"].value == "469031********5245" or values["J3"].value is None  # a masked copy of an ID
    # The sheet named after a phone number is renamed, and the formula that reads it follows.
    other = openpyxl.load_workbook(out).worksheets[1].title
    assert other == "174＊＊＊＊9748" and formulas["N3"].value == f"='{other}'!A1" and values["N3"].value is None
    assert openpyxl.load_workbook(out).defined_names["附件区"].attr_text == f"'{other}'!$A$1"
    calc = etree.fromstring(zipfile.ZipFile(out).read("xl/workbook.xml")).find("{*}calcPr")
    assert calc.get("fullCalcOnLoad") == "1"


def test_rich_text_masked_run_by_run(planted, redacted):
    _, secrets = planted
    out, _ = redacted
    sst = etree.fromstring(zipfile.ZipFile(out).read("xl/sharedStrings.xml"))
    rich = [si for si in sst if len(si.findall("{*}r")) == 2]
    assert len(rich) == 1
    runs = rich[0].findall("{*}r")
    assert runs[0].find("{*}rPr/{*}b") is not None  # the first run is still bold
    assert "".join(r.findtext("{*}t") for r in runs) == secrets["rich_mobile"][:3] + "****" + secrets["rich_mobile"][-4:]


def _cached_workbook(path: Path, cells: dict[str, tuple[str, str]], build) -> Path:
    """A workbook from ``build(ws)``, with cached formula values set afterwards."""
    wb = openpyxl.Workbook()
    build(wb.active)
    buf = io.BytesIO()
    wb.save(buf)
    z = zipfile.ZipFile(buf)
    sheet = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    for c in sheet.iter("{*}c"):
        if c.get("r") in cells:
            t, value = cells[c.get("r")]
            v = c.find("{*}v")
            if v is None:
                v = etree.SubElement(c, f"{{{F.SML}}}v")
            v.text = value
            if t:
                c.set("t", t)
            else:
                c.attrib.pop("t", None)
    body = etree.tostring(sheet, xml_declaration=True, encoding="UTF-8", standalone=True)
    path.write_bytes(F.workbook_bytes_with({"xl/worksheets/sheet1.xml": body}, io.BytesIO(buf.getvalue())))
    return path


def test_cached_values_that_could_show_a_masked_cell_are_dropped(tmp_path, redactor):
    people = F.people(2, seed=3)

    def build(ws):
        ws.append(["姓名", "联系电话", "长度", "前三位", "链", "间接", "合计"])
        ws.append([people[0]["name"], people[0]["mobile"], "=LEN(B2)", "=LEFT(B2,3)", "=D2&\"\"",
                   '=INDIRECT("B2")', "=1+1"])
        ws.append([people[1]["name"], "无", "=LEN(B3)", None, None, None, None])

    path = _cached_workbook(tmp_path / "f.xlsx", {
        "C2": ("", "11"), "D2": ("str", people[0]["mobile"][:3]), "E2": ("str", people[0]["mobile"][:3]),
        "F2": ("str", "x"), "G2": ("", "2"), "C3": ("", "1")}, build)
    out = tmp_path / "out.xlsx"
    assert redactor.redact(path, out).verdict == "redact"
    values = openpyxl.load_workbook(out, data_only=True).active
    formulas = openpyxl.load_workbook(out).active
    assert values["C2"].value is None and formulas["C2"].value == "=LEN(B2)"   # reads the masked phone
    assert values["D2"].value is None and values["E2"].value is None          # ... and through another formula
    assert values["F2"].value is None                                          # INDIRECT: cannot tell
    assert values["G2"].value == 2 and values["C3"].value == 1                 # reads nothing masked
    assert find_residue(out, [people[0]["mobile"]]) == []


def test_a_shared_string_is_not_edited_for_every_cell_that_uses_it(planted, tmp_path):
    """Masking one cell that shares its string with another leaves the other alone."""
    path, _ = planted
    adapter = XlsxAdapter()
    doc = adapter.extract(path)
    male = [i for i, s in enumerate(doc.segments) if s.text == "男" and s.origin == "table"]
    assert len(male) >= 2
    out = tmp_path / "one.xlsx"
    adapter.write(doc, [Edit(male[0], 0, 1, "某")], out)
    ws = openpyxl.load_workbook(out)["名单"]
    cells = [doc.segments[i].location["cell"] for i in male]
    assert ws[cells[0]].value == "某" and all(ws[c].value == "男" for c in cells[1:])


def test_writing_nothing_keeps_every_value(tmp_path):
    path = F.write_gongshi(tmp_path / "clean.xlsx", 20)
    doc = XlsxAdapter().extract(path)
    out = tmp_path / "same.xlsx"
    XlsxAdapter().write(doc, [], out)
    a = [[c.value for c in r] for r in openpyxl.load_workbook(path).active.iter_rows()]
    b = [[c.value for c in r] for r in openpyxl.load_workbook(out).active.iter_rows()]
    assert a == b
    again = XlsxAdapter().extract(out)
    assert [s.text for s in again.segments if s.origin == "table"] == [s.text for s in doc.segments if s.origin == "table"]


def test_a_clean_workbook_is_published_as_is(tmp_path, redactor):
    wb = openpyxl.Workbook()
    wb.active.append(["项目", "金额"])
    wb.active.append(["道路维修", 12000])
    wb.properties.creator = ""
    wb.save(tmp_path / "clean.xlsx")
    report = redactor.redact(tmp_path / "clean.xlsx", tmp_path / "out" / "clean.xlsx")
    assert report.verdict == "publish"
    assert (tmp_path / "out" / "clean.xlsx").read_bytes() == (tmp_path / "clean.xlsx").read_bytes()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["name", "id", "mobile", "word", "amount"]), min_size=1, max_size=6), st.integers(0, 999))
def test_property_no_detected_value_survives(tmp_path, redactor, kinds, seed):
    s = Synth.seeded(seed)
    header = {"name": "姓名", "id": "身份证号", "mobile": "联系电话", "word": "备注", "amount": "金额"}
    make = {"name": s.name, "id": s.id18, "mobile": s.mobile, "word": lambda: "已审核", "amount": lambda: 350}
    wb = openpyxl.Workbook()
    wb.active.append([header[k] for k in kinds])
    for _ in range(3):
        wb.active.append([make[k]() for k in kinds])
    path = tmp_path / f"p{seed}.xlsx"
    wb.save(path)
    doc = XlsxAdapter().extract(path)
    decisions = redactor.decide(redactor.scan_document(doc))
    masked = [d.finding.text for d in decisions if d.masks]
    out = tmp_path / f"p{seed}-out.xlsx"
    report = redactor.redact(path, out)
    assert report.verdict in ("publish", "redact"), report.error
    if report.verdict == "redact":
        assert find_residue(out, [v for v in masked if len(v) >= 2]) == []
        texts = "\n".join(F.openpyxl_texts(out))
        assert not any(v in texts for v in masked if len(v) >= 2)


# --- bad input ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04 not really a zip", "not a valid XLSX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "not an Excel workbook"),
    (b"plain text", "not a valid XLSX"),
])
def test_unreadable_files_are_e200_naming_the_file(tmp_path, data, message):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(data)
    with pytest.raises(UnreadableFileError, match=message) as e:
        XlsxAdapter().extract(path)
    assert e.value.code == "E200" and str(path) in str(e.value)


def test_a_package_without_a_workbook_or_strict_is_refused(tmp_path):
    base = F.write_gongshi(tmp_path / "base.xlsx", 2)
    wb_xml = zipfile.ZipFile(base).read("xl/workbook.xml").replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main")
    strict = tmp_path / "strict.xlsx"
    strict.write_bytes(F.workbook_bytes_with({"xl/workbook.xml": wb_xml}, base))
    with pytest.raises(UnreadableFileError, match="Strict"):
        XlsxAdapter().extract(strict)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(F.workbook_bytes_with({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData>"}, base))
    with pytest.raises(UnreadableFileError, match="not well-formed"):
        XlsxAdapter().extract(broken)


def test_the_pipeline_reports_a_corrupt_workbook_as_error(tmp_path, redactor):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    report = redactor.scan(path)
    assert report.verdict == "error" and report.error.startswith("[E200]")


# --- building blocks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("formula, areas", [
    ("SUM(B2:B10)", [Area(None, 2, 2, 10, 2)]),
    ('名单!C3&"x"', [Area("名单", 3, 3, 3, 3)]),
    ("'My Sheet'!$A$1+1.5E+3", [Area("My Sheet", 1, 1, 1, 1, False, False)]),
    ('IF(A2="张三!B3",1,0)', [Area(None, 2, 1, 2, 1)]),
    ("LOG10(C2)", [Area(None, 2, 3, 2, 3)]),
    ("TRUE+1", []),
    ('INDIRECT("A1")', None), ("OFFSET(A1,1,1)", None), ("[1]Sheet1!A1", None),
    ("Table1[身份证号]", None), ("unknown_name*2", None),
])
def test_formula_ranges(formula, areas):
    assert formula_ranges(formula) == areas


def test_formula_ranges_expand_defined_names_and_whole_columns():
    assert formula_ranges("total*2", {"TOTAL": "Sheet1!$D$2:$D$9"}) == [Area("Sheet1", 2, 4, 9, 4, False, False)]
    col = parse_area("B:B")
    assert (col.r1, col.c1, col.r2, col.c2) == (1, 2, 1_048_576, 2)
    assert parse_area("2:4").c2 == 16_384


def test_cell_names_round_trip():
    for n in (1, 26, 27, 52, 702, 703, 16384):
        assert col_index(cell_name(1, n)[:-1]) == n
    assert cell_name(5, 3) == "C5"


def test_header_footer_sections_leave_codes_out():
    el = etree.Element("oddHeader")
    el.text = '&L&"宋体,常规"&12经办人&K00FF00张三&R第&P页 共&N页&C公示&&名单'
    sections = {name: "".join(p.text for p in pieces) for name, pieces in header_footer_sections(el)}
    assert sections == {"left": "经办人张三", "right": "第 页 共 页", "center": "公示&名单"}


def test_header_footer_edit_keeps_codes_and_escapes_ampersands():
    from redactor.formats.xlsx.pieces import write_back

    el = etree.Element("oddHeader")
    el.text = "&L经办人&B张三&R第&P页"
    pieces = dict(header_footer_sections(el))["left"]
    write_back(pieces, [(3, 5, "A&B")], escape=lambda t: t.replace("&", "&&"))
    assert el.text == "&L经办人&BA&&B&R第&P页"


def test_plan_edits_spreads_a_mask_over_runs():
    pieces = [Piece(etree.Element("t"), None, 0, 3, "138"), Piece(etree.Element("t"), None, 0, 8, "12345678")]
    assert plan_edits(pieces, [(0, 11, "138****5678")]) == {0: [(0, 3, "138")], 1: [(0, 8, "****5678")]}
    assert plan_edits(pieces, [(1, 5, "X")]) == {0: [(1, 3, "X")], 1: [(0, 2, "")]}
    with_joiner = [pieces[0], joiner("\n"), pieces[1]]
    assert plan_edits(with_joiner, [(2, 6, "****")]) == {0: [(2, 3, "**")], 2: [(0, 2, "**")]}


def test_registry_routes_spreadsheets():
    assert type(adapter_for("a.xlsx")).__name__ == "XlsxAdapter"
    assert type(adapter_for("a.XLS")).__name__ == "LegacySheetAdapter"
    assert type(adapter_for("a.et")).__name__ == "LegacySheetAdapter"
    from redactor.formats import copy_suffix_for

    assert copy_suffix_for("名单.xls") == ".xlsx" and copy_suffix_for("a.ET") == ".xlsx"
    assert copy_suffix_for("a.xlsx") == ".xlsx" and copy_suffix_for("a.csv") == ".csv"


def test_a_masked_value_left_in_a_kept_part_refuses_the_copy(tmp_path):
    """The writer's own net: a value masked in a cell but still present elsewhere in the copy
    (here a cell style named after it, an edit the caller did not make) is never written."""
    from redactor.errors import VerificationError

    pid = F.people(1)[0]["id"]  # the one person write_gongshi lists
    base = F.write_gongshi(tmp_path / "b.xlsx", 1)
    styles = zipfile.ZipFile(base).read("xl/styles.xml").replace(b'name="Normal"', f'name="{pid}"'.encode())
    path = tmp_path / "s.xlsx"
    path.write_bytes(F.workbook_bytes_with({"xl/styles.xml": styles}, base))
    doc = XlsxAdapter().extract(path)
    edits = [Edit(i, s.text.index(pid), s.text.index(pid) + len(pid), "*" * len(pid))
             for i, s in enumerate(doc.segments) if pid in s.text and s.origin == "table"]
    assert edits and any(pid in s.text for s in doc.segments if s.origin == "style")
    with pytest.raises(VerificationError, match="styles.xml"):
        XlsxAdapter().write(doc, edits, tmp_path / "out.xlsx")


def test_excel_extensions_stay_ignorable(tmp_path, redactor):
    """Excel marks its extension attributes (x14ac:dyDescent on rows) ignorable on the root; a
    copy that kept the attributes but lost the mark would not open."""
    base = F.write_gongshi(tmp_path / "b.xlsx", 3)
    sheet = zipfile.ZipFile(base).read("xl/worksheets/sheet1.xml").decode("utf-8")
    x14ac = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"
    sheet = sheet.replace("<worksheet ", '<worksheet xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
                          f'xmlns:x14ac="{x14ac}" mc:Ignorable="x14ac" ', 1)
    sheet = sheet.replace('<row r="3"', '<row x14ac:dyDescent="0.25" r="3"')
    path = tmp_path / "excel.xlsx"
    path.write_bytes(F.workbook_bytes_with({"xl/worksheets/sheet1.xml": sheet.encode("utf-8")}, base))
    out = tmp_path / "out.xlsx"
    assert redactor.redact(path, out).verdict == "redact"
    root = etree.fromstring(zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml"))
    assert root.get("{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable") == "x14ac"
    assert root.find(".//{*}row[@r='3']").get(f"{{{x14ac}}}dyDescent") == "0.25"
    openpyxl.load_workbook(out)
