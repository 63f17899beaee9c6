"""DOCX adapter: golden cases per hidden-content kind, round trip, formatting, bad files.

Every golden case redacts a generated file through the pipeline (which itself reads the copy
back and re-scans it) and then checks the copy with independent readers: python-docx, and
zip + a grep of every part of the package for the raw value.
"""
from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from redactor import cli
from redactor.document import Edit
from redactor.errors import UnreadableFileError
from redactor.formats.docx import DocxAdapter
from redactor.formats.text import apply_edits
from redactor.pipeline import Redactor
from redactor.policy import Policy
from redactor.synth import Synth

sys.path.insert(0, str(Path(__file__).parent))
import docx_fixtures as F

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
POLICY = Policy(names=False)  # structured identifiers only: deterministic and fast


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(POLICY)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def redact_case(name: str, tmp_path: Path, redactor: Redactor):
    src, secrets = F.CASES[name](tmp_path / f"{name}.docx")
    before = sha(src)
    out = tmp_path / "out" / f"{name}.docx"
    report = redactor.redact(src, out)
    assert sha(src) == before, "the input was modified"
    assert report.verdict == "redact", (report.verdict, report.reasons)
    assert report.error is None and out.exists()
    return src, out, secrets, report


def assert_gone(out: Path, values) -> None:
    """No reader finds any of the values: every zip part, python-docx, and our own extractor."""
    parts = F.zip_texts(out)
    seen_by_docx = F.python_docx_text(out)
    ours = DocxAdapter().extract(out).text
    for v in values:
        for name, text in parts.items():
            assert v not in text, f"{v!r} survives in part {name}"
        assert v not in seen_by_docx
        assert v not in ours
    for name, text in parts.items():  # no revision or comment author is left anywhere
        assert "w:author=" not in text and "w15:author=" not in text, name
    assert F.package_problems(out) == []
    docx.Document(str(out))  # python-docx opens the copy


def part(out: Path, name: str) -> str:
    with zipfile.ZipFile(out) as z:
        return z.read(name).decode("utf-8")


def kinds_and_origins(report) -> set[tuple[str, str]]:
    return {(r.kind, r.location.get("origin")) for r in report.findings}


# ------------------------------------------------------------------------------------------
# Golden cases, one per hidden-content kind


def test_table_ids_are_masked_and_structure_kept(tmp_path, redactor):
    src, out, secrets, report = redact_case("table_id", tmp_path, redactor)
    assert_gone(out, secrets.values())
    a, b = docx.Document(str(src)), docx.Document(str(out))
    assert len(a.tables) == len(b.tables) == 1
    ta, tb = a.tables[0], b.tables[0]
    assert (len(ta.rows), len(ta.columns)) == (len(tb.rows), len(tb.columns)) == (4, 3)
    assert [c.text for c in tb.rows[0].cells] == ["姓名", "身份证号码", "联系电话"]
    for ra, rb in zip(ta.rows[1:], tb.rows[1:]):
        assert ra.cells[0].text == rb.cells[0].text  # names: not detected with names=False
        assert len(rb.cells[1].text) == 18 and rb.cells[1].text != ra.cells[1].text
    ids = [r for r in report.findings if r.kind == "id_card"]
    assert len(ids) == 3
    for r in ids:
        assert r.location["origin"] == "table" and r.location["col"] == 2  # the second column, counted from 1
        assert r.location["column_header"] == "身份证号码"


def test_table_cells_are_segments_with_column_headers(tmp_path):
    src, secrets = F.table_id(tmp_path / "t.docx")
    doc = DocxAdapter().extract(src)
    cells = [s for s in doc.segments if s.origin == "table"]
    assert len(cells) == 12
    by_pos = {(s.location["row"], s.location["col"]): s for s in cells}
    assert by_pos[(0, 1)].column_header is None
    assert by_pos[(2, 1)].column_header == "身份证号码"
    assert by_pos[(2, 1)].text == secrets["id1"]
    assert by_pos[(3, 2)].column_header == "联系电话"


def test_header_and_footer(tmp_path, redactor):
    _src, out, secrets, report = redact_case("header_footer", tmp_path, redactor)
    assert_gone(out, secrets.values())
    assert {("mobile", "header"), ("id_card", "footer")} <= kinds_and_origins(report)
    d = docx.Document(str(out))
    assert d.sections[0].header.paragraphs[0].text.startswith("经办人手机：")
    assert d.sections[0].footer.paragraphs[0].text.startswith("申请人身份证号：")


def test_footnote_and_endnote(tmp_path, redactor):
    _src, out, secrets, report = redact_case("footnote", tmp_path, redactor)
    assert_gone(out, secrets.values())
    assert {("id_card", "note"), ("mobile", "note")} <= kinds_and_origins(report)
    assert "申请人身份证号" in part(out, "word/footnotes.xml")  # the note stays, the value goes
    assert "联系电话" in part(out, "word/endnotes.xml")


def test_text_box_choice_and_fallback(tmp_path, redactor):
    src, out, secrets, report = redact_case("textbox", tmp_path, redactor)
    assert part(src, "word/document.xml").count(secrets["id"]) == 2  # Choice and Fallback copies
    assert_gone(out, secrets.values())
    assert ("id_card", "textbox") in kinds_and_origins(report)
    xml = part(out, "word/document.xml")
    assert "mc:Fallback" not in xml and "wps:txbx" in xml and "身份证号" in xml


def test_comment_removed_with_anchors_and_parts(tmp_path, redactor):
    src, out, secrets, report = redact_case("comment", tmp_path, redactor)
    assert "word/comments.xml" in F.zip_texts(src)
    assert_gone(out, secrets.values())  # the ID in the comment and the comment's author
    parts = F.zip_texts(out)
    assert not any("comments" in n.lower() for n in parts)
    assert "comments" not in parts["[Content_Types].xml"].lower()
    assert "comments" not in parts["word/_rels/document.xml.rels"].lower()
    for tag in ("commentRangeStart", "commentRangeEnd", "commentReference"):
        assert tag not in parts["word/document.xml"]
    assert docx.Document(str(out)).paragraphs[0].text == "请核实申请人信息。（待复核）"
    notes = [r for r in report.findings if r.kind == "comment"]
    assert len(notes) == 1 and notes[0].rule == "docx.comment" and notes[0].location["origin"] == "comment"


def test_tracked_deletion_removed(tmp_path, redactor):
    src, out, secrets, report = redact_case("tracked_delete", tmp_path, redactor)
    assert secrets["id"] not in docx.Document(str(src)).paragraphs[0].text  # the trap: not in paragraph.text
    assert_gone(out, secrets.values())
    xml = part(out, "word/document.xml")
    assert "w:del " not in xml and "w:delText" not in xml
    assert docx.Document(str(out)).paragraphs[0].text == "申请人身份证号：（已删除）"
    tc = [r for r in report.findings if r.kind == "tracked_change"]
    assert len(tc) == 1 and tc[0].rule == "docx.tracked_delete" and tc[0].location["origin"] == "tracked_delete"
    assert ("id_card", "tracked_delete") in kinds_and_origins(report)


def test_tracked_insertion_accepted_and_masked(tmp_path, redactor):
    src, out, secrets, report = redact_case("tracked_insert", tmp_path, redactor)
    assert secrets["id"] not in docx.Document(str(src)).paragraphs[0].text
    assert_gone(out, secrets.values())
    xml = part(out, "word/document.xml")
    assert "w:ins " not in xml
    text = docx.Document(str(out)).paragraphs[0].text  # accepted: now in paragraph.text
    assert text.startswith("申请人身份证号：") and text.endswith("，已登记。")
    assert len(text) == len("申请人身份证号：，已登记。") + 18 and "*" in text
    tc = [r for r in report.findings if r.kind == "tracked_change"]
    assert len(tc) == 1 and tc[0].rule == "docx.tracked_insert" and tc[0].location["origin"] == "tracked_insert"


def test_hidden_text_removed(tmp_path, redactor):
    _src, out, secrets, report = redact_case("hidden_text", tmp_path, redactor)
    assert_gone(out, secrets.values())
    assert "w:vanish" not in part(out, "word/document.xml")
    paras = [p.text for p in docx.Document(str(out)).paragraphs]
    assert paras == ["补助名单见附件。", "联系方式另行通知。"]
    hidden = [r for r in report.findings if r.kind == "hidden_text"]
    assert len(hidden) == 2 and {r.location["origin"] for r in hidden} == {"hidden_text"}


def test_metadata_cleared(tmp_path, redactor):
    _src, out, secrets, report = redact_case("metadata", tmp_path, redactor)
    assert_gone(out, secrets.values())
    parts = F.zip_texts(out)
    assert "docProps/custom.xml" not in parts and "custom-properties" not in parts["_rels/.rels"]
    cp = docx.Document(str(out)).core_properties
    assert cp.author == "" and cp.last_modified_by == ""
    assert cp.title == "关于2024年度补助资金的通知"  # not personal: kept
    meta = {r.rule for r in report.findings if r.kind == "metadata"}
    assert {"docx.metadata.author", "docx.metadata.lastModifiedBy", "docx.metadata.company",
            "docx.metadata.manager", "docx.metadata.custom"} <= meta
    assert ("mobile", "metadata") in kinds_and_origins(report)


def _runs(path: Path) -> list[etree._Element]:
    return docx.Document(str(path)).paragraphs[0]._p.findall(f"{W}r")


def _rpr(run: etree._Element) -> bytes:
    rpr = run.find(f"{W}rPr")
    return b"" if rpr is None else etree.tostring(rpr)


def test_value_split_over_formatted_runs(tmp_path, redactor):
    src, out, secrets, _report = redact_case("split_runs", tmp_path, redactor)
    assert_gone(out, secrets.values())
    a, b = _runs(src), _runs(out)
    assert len(a) == len(b) == 6
    assert [_rpr(r) for r in a] == [_rpr(r) for r in b]  # every run keeps its own formatting
    ta = [r.findtext(f"{W}t") for r in a]
    tb = [r.findtext(f"{W}t") for r in b]
    assert ta[0:2] == tb[0:2] and ta[5] == tb[5]  # neighbours untouched
    assert [len(x) for x in ta] == [len(x) for x in tb]  # masked run by run
    assert "".join(tb[2:5]) != "".join(ta[2:5])
    p = docx.Document(str(out)).paragraphs[0]
    assert p.runs[0].bold and p.runs[1].italic and p.runs[2].bold and p.runs[3].italic and p.runs[4].underline
    assert str(p.runs[3].font.color.rgb) == "FF0000" and str(p.runs[5].font.color.rgb) == "008000"


# ------------------------------------------------------------------------------------------
# Notices, embedded objects, traps


def test_every_hidden_case_is_reported_with_its_origin(tmp_path):
    expected = {
        "comment": ("comment", "comment"),
        "tracked_delete": ("tracked_change", "tracked_delete"),
        "tracked_insert": ("tracked_change", "tracked_insert"),
        "hidden_text": ("hidden_text", "hidden_text"),
        "metadata": ("metadata", "metadata"),
    }
    for name, (kind, origin) in expected.items():
        src, _ = F.CASES[name](tmp_path / f"{name}.docx")
        doc = DocxAdapter().extract(src)
        notices = [n for n in doc.notices if n.kind == kind]
        assert notices, name
        for n in notices:
            assert n.score == 1.0 and n.rule.startswith("docx.")
            seg = doc.segments[n.segment]
            assert seg.origin == origin
            assert seg.text[n.start:n.end] == n.text and n.text


def test_embedded_image_reported_as_info_and_kept_ole_object_removed(tmp_path, redactor):
    src, secrets = F.embedded_image(tmp_path / "img.docx")
    out = tmp_path / "out" / "img.docx"
    report = redactor.redact(src, out)
    emb = [r for r in report.findings if r.kind == "embedded_object"]
    assert {r.rule for r in emb} == {"docx.embedded_object.image", "docx.embedded_object.thumbnail"}
    assert all(r.verdict == "info" for r in emb)
    removed = [r for r in report.findings if r.kind == "removed_content"]
    assert [r.location["part"] for r in removed] == ["word/embeddings/oleObject1.bin"]
    assert removed[0].verdict == "redact" and removed[0].action == "remove"
    assert report.verdict == "redact"
    parts = F.zip_texts(out)
    assert "word/media/image1.png" in parts
    assert "docProps/thumbnail.jpeg" not in parts  # a picture of the unredacted first page
    assert "word/embeddings/oleObject1.bin" not in parts and "oleObject" not in parts["[Content_Types].xml"]
    assert_gone(out, secrets.values())


def test_panose_digits_in_raw_xml_are_not_an_id(tmp_path, redactor):
    src, secrets = F.panose_trap(tmp_path / "p.docx")
    assert secrets["fake"] in part(src, "word/fontTable.xml")
    report = redactor.scan(src)
    assert report.verdict == "publish"
    assert not [r for r in report.findings if r.kind == "id_card"]


def test_report_does_not_leak_hidden_values(tmp_path, redactor):
    for name in ("comment", "tracked_delete", "hidden_text", "metadata"):
        src, secrets = F.CASES[name](tmp_path / f"{name}.docx")
        dumped = json.dumps(redactor.scan(src).to_dict(), ensure_ascii=False)
        for key, value in secrets.items():
            if key in ("id", "mobile"):
                assert value not in dumped, (name, key)


def test_copy_with_surviving_value_is_not_written(tmp_path, monkeypatch, redactor):
    """The pipeline's read-back sees tracked deletions: a writer that forgets them is caught."""
    src, _ = F.tracked_delete(tmp_path / "d.docx")
    monkeypatch.setattr(DocxAdapter, "_scrub", lambda self, st: None)
    out = tmp_path / "out" / "d.docx"
    report = redactor.redact(src, out)
    assert report.verdict == "error" and "E300" in (report.error or "")
    assert not out.exists() and not list((tmp_path / "out").iterdir())


# ------------------------------------------------------------------------------------------
# Round trip and the run-by-run writer


def test_round_trip_without_findings_keeps_text_tables_paragraphs(tmp_path):
    src, _ = F.clean(tmp_path / "clean.docx")
    adapter = DocxAdapter()
    doc = adapter.extract(src)
    out = tmp_path / "clean.out.docx"
    adapter.write(doc, [], out)
    a, b = docx.Document(str(src)), docx.Document(str(out))
    assert [p.text for p in a.paragraphs] == [p.text for p in b.paragraphs]
    assert len(a.tables) == len(b.tables)
    for ta, tb in zip(a.tables, b.tables):
        assert [[c.text for c in r.cells] for r in ta.rows] == [[c.text for c in r.cells] for r in tb.rows]
    assert [_rpr(r) for p in a.paragraphs for r in p._p.iter(f"{W}r")] == \
        [_rpr(r) for p in b.paragraphs for r in p._p.iter(f"{W}r")]
    assert a.sections[0].header.paragraphs[0].text == b.sections[0].header.paragraphs[0].text
    assert [s.text for s in doc.segments if s.origin != "embedded_object"] == \
        [s.text for s in adapter.extract(out).segments if s.origin != "embedded_object"]
    assert F.package_problems(out) == []


def test_clean_document_is_published_byte_for_byte(tmp_path, redactor):
    src, _ = F.clean(tmp_path / "clean.docx")
    out = tmp_path / "out" / "clean.docx"
    report = redactor.redact(src, out)
    assert report.verdict == "publish" and sha(out) == sha(src)


_BASE: list[bytes] = []


def _paragraph_doc(pieces: list[str]) -> bytes:
    """One paragraph whose runs alternate formatting (built on a cached empty package: fast)."""
    from xml.sax.saxutils import escape

    if not _BASE:
        buf = io.BytesIO()
        F.new_document().save(buf)
        _BASE.append(buf.getvalue())
    raw = F.RawDocx(_BASE[0])
    runs = []
    for i, text in enumerate(pieces):
        rpr = ("<w:b/>" if i % 2 == 0 else "") + ("<w:i/>" if i % 3 == 0 else "")
        body = "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(t)}</w:t>' if t else "" for t in text.split("\t"))
        runs.append(f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}{body}</w:r>')
    xml = raw.text("word/document.xml")
    head, tail = xml.split("<w:body>", 1)
    sect = tail[tail.index("<w:sectPr"):]
    raw.set_text("word/document.xml", f"{head}<w:body><w:p>{''.join(runs)}</w:p>{sect}")
    return raw.to_bytes()


@st.composite
def split_text_and_edits(draw):
    pieces = draw(st.lists(st.text(alphabet="申请人0123456789X，。ab \t", min_size=1, max_size=6), min_size=1, max_size=6))
    text = "".join(pieces)
    edits = []
    pos = 0
    while pos < len(text) and len(edits) < 3:
        start = draw(st.integers(pos, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        rep = draw(st.sampled_from(["*" * (end - start), "[身份证号]", "", "某"]))
        edits.append(Edit(0, start, end, rep))
        pos = end
    return pieces, edits


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(split_text_and_edits())
def test_property_edits_land_on_the_right_characters(tmp_path, case):
    """Whatever the run split, the copy's text is apply_edits(text) and no run changes format.
    A tab inside a replaced value stays where it was (it is an element, not text)."""
    pieces, edits = case
    src = tmp_path / "p.docx"
    src.write_bytes(_paragraph_doc(pieces))
    adapter = DocxAdapter()
    adapter.residue_check = False  # random short values may occur in the package by chance (rsids ...)
    doc = adapter.extract(src)
    body = next(i for i, s in enumerate(doc.segments) if s.origin == "body")
    assert doc.segments[body].text == "".join(pieces)
    out = tmp_path / "p.out.docx"
    adapter.write(doc, [Edit(body, e.start, e.end, e.replacement) for e in edits], out)
    text = "".join(pieces)
    got = docx.Document(str(out)).paragraphs[0].text
    assert got.count("\t") == text.count("\t")
    assert got.replace("\t", "") == apply_edits(text, edits).replace("\t", "")
    assert [_rpr(r) for r in _runs(src)] == [_rpr(r) for r in _runs(out)]


def test_writing_twice_from_one_extraction(tmp_path):
    src, secrets = F.split_runs(tmp_path / "s.docx")
    adapter = DocxAdapter()
    doc = adapter.extract(src)
    seg = doc.segments[0]
    start = seg.text.index(secrets["id"])
    edit = Edit(0, start, start + 18, "*" * 18)
    adapter.write(doc, [edit], tmp_path / "a.docx")
    adapter.write(doc, [edit], tmp_path / "b.docx")
    assert docx.Document(str(tmp_path / "a.docx")).paragraphs[0].text == \
        docx.Document(str(tmp_path / "b.docx")).paragraphs[0].text == seg.text.replace(secrets["id"], "*" * 18)


# ------------------------------------------------------------------------------------------
# Bad files and folder runs


@pytest.mark.parametrize("maker,needle", [
    (F.not_a_zip, "not a valid DOCX"),
    (F.truncated, "not a valid DOCX"),
    (F.encrypted, "password-protected"),
    (F.broken_xml, "not well-formed"),
    (F.strict_ooxml, "Strict Open XML"),
    (F.not_word, "not a Word document"),
])
def test_bad_files_raise_unreadable(tmp_path, maker, needle):
    path = maker(tmp_path / "bad.docx")
    with pytest.raises(UnreadableFileError) as e:
        DocxAdapter().extract(path)
    assert needle in str(e.value) and "E200" in str(e.value)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    F.table_id(folder / "a_table.docx")
    F.clean(folder / "b_clean.docx")
    F.encrypted(folder / "c_encrypted.docx")
    F.not_a_zip(folder / "d_not_zip.docx")
    F.truncated(folder / "e_truncated.docx")
    (folder / "f_note.txt").write_text("联系电话：13812345678\n", encoding="utf-8")
    (folder / "g_data.xyz").write_bytes(b"\x00\x01")
    return folder


def _run_cli(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_folder_check_reports_errors_and_continues(tmp_path, capsys):
    folder = _folder(tmp_path)
    hashes = {p.name: sha(p) for p in folder.iterdir()}
    code, rep = _run_cli(["check", str(folder), "--json", "--no-names"], capsys)
    assert code == 3
    verdicts = {Path(f["path"]).name: f for f in rep["files"]}
    assert verdicts["a_table.docx"]["verdict"] == "redact"
    assert verdicts["b_clean.docx"]["verdict"] == "publish"
    assert verdicts["f_note.txt"]["verdict"] == "redact"
    assert "password-protected" in verdicts["c_encrypted.docx"]["error"]
    assert "not a valid DOCX" in verdicts["d_not_zip.docx"]["error"]
    assert verdicts["e_truncated.docx"]["verdict"] == "error"
    assert verdicts["g_data.xyz"]["verdict"] == "error" and "unsupported" in verdicts["g_data.xyz"]["error"]
    assert {p.name: sha(p) for p in folder.iterdir()} == hashes


def test_folder_redact_writes_good_files_only(tmp_path, capsys):
    folder = _folder(tmp_path)
    hashes = {p.name: sha(p) for p in folder.iterdir()}
    out = tmp_path / "out"
    code, rep = _run_cli(["redact", str(folder), "-o", str(out), "--json", "--no-names"], capsys)
    assert code == 3
    assert sorted(p.name for p in out.iterdir()) == ["a_table.docx", "b_clean.docx", "f_note.txt"]
    assert F.package_problems(out / "a_table.docx") == []
    assert {p.name: sha(p) for p in folder.iterdir()} == hashes
    assert sum(f["verdict"] == "error" for f in rep["files"]) == 4


# ------------------------------------------------------------------------------------------
# Samples (samples/*.docx are made by scripts/make_sample_docx.py)

ROOT = Path(__file__).resolve().parent.parent


def test_samples_match_their_script_and_verdicts(tmp_path, redactor):
    import subprocess

    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_sample_docx.py"), "--out", str(tmp_path)], check=True)
    adapter = DocxAdapter()
    for name in ("docx_clean.docx", "docx_personal.docx"):
        committed = ROOT / "samples" / name
        assert [s.text for s in adapter.extract(committed).segments] == \
            [s.text for s in adapter.extract(tmp_path / name).segments]
    assert redactor.scan(ROOT / "samples" / "docx_clean.docx").verdict == "publish"
    rep = redactor.redact(ROOT / "samples" / "docx_personal.docx", tmp_path / "out.docx")
    assert rep.verdict == "redact"
    kinds = {r.kind for r in rep.findings}
    assert {"id_card", "mobile", "comment", "tracked_change"} <= kinds
    original = adapter.extract(ROOT / "samples" / "docx_personal.docx")
    secrets = {n.text for n in original.notices if n.kind in ("comment", "tracked_change")}
    secrets |= {r.text for r in redactor.scan_document(original) if r.kind in ("id_card", "mobile")}
    parts = F.zip_texts(tmp_path / "out.docx")
    for v in secrets:
        assert not any(v in t for t in parts.values())


def test_less_common_hiding_places(tmp_path, redactor):
    """Field codes, hyperlink target, alt text, deleted row, move, nested table, docVar,
    template path, custom XML: all found, all gone, the package still valid."""
    src, out, secrets, report = redact_case("extras", tmp_path, redactor)
    originals = F.zip_texts(src)
    for key, value in secrets.items():
        assert any(value in t for t in originals.values()), key  # the fixture really hides it
    assert_gone(out, secrets.values())
    origins = kinds_and_origins(report)
    assert {("email", "field"), ("mobile", "field"), ("email", "hyperlink"), ("id_card", "alt_text"),
            ("id_card", "tracked_delete"), ("mobile", "tracked_delete"), ("id_card", "table"),
            ("mobile", "metadata")} <= origins
    rules = {r.rule for r in report.findings}
    assert {"docx.metadata.docvar", "docx.metadata.template_path"} <= rules
    deleted_in_cell = [r for r in report.findings if r.kind == "id_card" and r.location["origin"] == "tracked_delete"]
    assert deleted_in_cell[0].location["column_header"] == "身份证号码"
    b = docx.Document(str(out))
    assert len(b.tables[0].rows) == 2  # the deleted row is gone
    inner = b.tables[1].rows[0].cells[1].tables[0]
    assert inner.rows[0].cells[0].text == "身份证号码" and "*" in inner.rows[1].cells[0].text
    # python-docx's paragraph.text skips w:fldSimple content: check with our reader and the XML
    assert "联系邮箱：点此发送（见附件）" in [s.text for s in DocxAdapter().extract(out).segments]
    assert "w:fldSimple" in part(out, "word/document.xml")
    parts = F.zip_texts(out)
    assert "Normal.dotm" in parts["word/_rels/settings.xml.rels"] and "docVar" not in parts["word/settings.xml"]
    assert 'TargetMode="External"' in parts["word/_rels/document.xml.rels"]
    assert "word/media/image1.png" in parts


# ------------------------------------------------------------------------------------------
# LibreOffice as a third, independent reader (optional: Debian package libreoffice-writer-nogui)


def test_libreoffice_sees_values_in_inputs_and_none_in_copies(tmp_path, redactor):
    import re
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path / "lo"
    work.mkdir()
    secrets = {}
    for name, make in F.CASES.items():
        src, secrets[name] = make(work / f"{name}.in.docx")
        rep = redactor.redact(src, work / f"{name}.out.docx")
        assert rep.error is None, rep.error
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "odt", "--outdir", str(work / "odt"), *sorted(map(str, work.glob("*.docx")))],
        check=True, capture_output=True, timeout=300,
    )

    def odt_text(path: Path) -> str:
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))
        return xml + "\n" + re.sub(r"<[^>]+>", "", xml)  # attributes, and values split over spans

    # What LibreOffice imports from the originals (it does not import docVars or custom XML).
    not_imported = {"mobile_docvar", "username", "mobile_customxml"}
    for name, values in secrets.items():
        before = odt_text(work / "odt" / f"{name}.in.odt")
        after = odt_text(work / "odt" / f"{name}.out.odt")
        for key, value in values.items():
            if key not in not_imported:
                assert value in before, (name, key)
            assert value not in after, (name, key)


def test_watermark_in_header_is_read_and_blocks(tmp_path, redactor):
    src, _ = F.watermark(tmp_path / "wm.docx")
    doc = DocxAdapter().extract(src)
    marks = [s for s in doc.segments if s.origin == "watermark"]
    assert [(s.text, s.location["part"]) for s in marks] == [("内部资料", "word/header1.xml")]
    report = redactor.scan(src)
    assert report.verdict == "block"
    assert ("internal_mark", "watermark") in kinds_and_origins(report)


def test_documents_written_by_libreoffice_are_redacted_too(tmp_path, redactor):
    """Another producer (LibreOffice's DOCX export) lays out comments, revisions, text boxes and
    properties its own way: every value it kept must still be gone from our copy."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    work = tmp_path / "src"
    work.mkdir()
    secrets = {name: make(work / f"{name}.docx")[1] for name, make in F.CASES.items()}
    subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"), *sorted(map(str, work.glob("*.docx")))],
        check=True, capture_output=True, timeout=300,
    )
    kept_by_lo = 0
    for name, values in secrets.items():
        src = tmp_path / "lo" / f"{name}.docx"
        originals = F.zip_texts(src)
        kept_by_lo += sum(any(v in t for t in originals.values()) for v in values.values())
        out = tmp_path / "out" / f"{name}.docx"
        report = redactor.redact(src, out)
        assert report.error is None and report.verdict == "redact", (name, report.error)
        assert_gone(out, values.values())
    assert kept_by_lo >= 30  # the export really carries the hidden values (checked, not assumed)


def test_smartart_and_chart_text_masked_and_chart_workbook_dropped(tmp_path, redactor):
    src, secrets = F.drawings(tmp_path / "dr.docx")
    originals = F.zip_texts(src)
    assert secrets["mobile_chart"] in originals["word/embeddings/Microsoft_Excel_Worksheet.xlsx"]
    out = tmp_path / "out" / "dr.docx"
    report = redactor.redact(src, out)
    assert report.verdict == "redact" and report.error is None, report.error
    assert {("mobile", "diagram"), ("mobile", "chart")} <= kinds_and_origins(report)
    assert_gone(out, secrets.values())
    parts = F.zip_texts(out)
    assert "word/embeddings/Microsoft_Excel_Worksheet.xlsx" not in parts
    assert "externalData" not in parts["word/charts/chart1.xml"] and "救助金额" in parts["word/charts/chart1.xml"]
    assert "word/charts/_rels/chart1.xml.rels" not in parts or "Worksheet" not in parts["word/charts/_rels/chart1.xml.rels"]
    assert "联络表" in parts["word/diagrams/data1.xml"]


def test_value_left_where_the_reader_does_not_look_refuses_the_copy(tmp_path, redactor, monkeypatch):
    """A bookmark named after the ID, with the sweep (which reads bookmark names) switched off:
    the writer's residue check is the net under the readers, and refuses the copy."""
    from redactor.formats.docx import reader

    monkeypatch.setattr(reader, "sweep", lambda st, part, story: None)
    src, secrets = F.split_runs(tmp_path / "bm.docx")
    raw = F.RawDocx(src.read_bytes())
    xml = raw.text("word/document.xml")
    xml = xml.replace("<w:p>", f'<w:p><w:bookmarkStart w:id="0" w:name="_{secrets["id"]}"/><w:bookmarkEnd w:id="0"/>', 1)
    raw.set_text("word/document.xml", xml)
    src.write_bytes(raw.to_bytes())
    out = tmp_path / "out" / "bm.docx"
    report = redactor.redact(src, out)
    assert report.verdict == "error" and "E300" in report.error and "word/document.xml" in report.error
    assert not out.exists()


# ------------------------------------------------------------------------------------------
# Property: wherever a value hides in the body, no reader finds it in the copy

_DATE = 'w:author="测试" w:date="2024-03-01T10:00:00Z"'


def _placement(kind: str, label: str, value: str, cut: int, n: int) -> str:
    t = lambda text: f'<w:t xml:space="preserve">{text}</w:t>'
    if kind == "plain":
        return f"<w:p><w:r>{t(label + value)}</w:r></w:p>"
    if kind == "split":
        return (f"<w:p><w:r><w:rPr><w:b/></w:rPr>{t(label + value[:cut])}</w:r>"
                f"<w:r><w:rPr><w:i/><w:color w:val=\"FF0000\"/></w:rPr>{t(value[cut:])}</w:r></w:p>")
    if kind == "deleted":
        return f'<w:p><w:r>{t(label)}</w:r><w:del w:id="{n}" {_DATE}><w:r><w:delText>{value}</w:delText></w:r></w:del></w:p>'
    if kind == "inserted":
        return f'<w:p><w:r>{t(label)}</w:r><w:ins w:id="{n}" {_DATE}><w:r>{t(value)}</w:r></w:ins></w:p>'
    if kind == "hidden":
        return f"<w:p><w:r><w:rPr><w:vanish/></w:rPr>{t(label + value)}</w:r></w:p>"
    if kind == "textbox":
        return f"<w:p>{F._textbox_xml(label + value)}</w:p>"
    if kind == "table":
        cell = lambda text: f"<w:tc><w:p><w:r>{t(text)}</w:r></w:p></w:tc>"
        return (f'<w:tbl><w:tblGrid><w:gridCol w:w="3000"/></w:tblGrid><w:tr>{cell(label)}</w:tr>'
                f"<w:tr>{cell(value)}</w:tr></w:tbl><w:p/>")
    if kind == "field":
        return (f'<w:p><w:r>{t(label)}</w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText '
                f'xml:space="preserve"> QUOTE "{value}" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                f'</w:r><w:r>{t("见附件")}</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    raise ValueError(kind)


PLACEMENTS = ["plain", "split", "deleted", "inserted", "hidden", "textbox", "table", "field"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(PLACEMENTS), st.sampled_from(["id", "mobile"]), st.integers(0, 10**6),
                          st.integers(1, 10)), min_size=1, max_size=6))
def test_property_no_value_survives_anywhere(tmp_path, redactor, placements):
    if not _BASE:
        _paragraph_doc(["x"])
    raw = F.RawDocx(_BASE[0])
    xml = raw.text("word/document.xml")
    head, tail = xml.split("<w:body>", 1)
    body, values = [], []
    for n, (kind, what, seed, cut) in enumerate(placements):
        synth = Synth.seeded(seed)
        value = synth.id18() if what == "id" else synth.mobile()
        label = "身份证号：" if what == "id" else "手机："
        values.append(value)
        body.append(_placement(kind, label, value, cut, n + 1))
    raw.set_text("word/document.xml", f"{head}<w:body>{''.join(body)}{tail[tail.index('<w:sectPr'):]}")
    src = tmp_path / "prop.docx"
    src.write_bytes(raw.to_bytes())
    out = tmp_path / "out" / "prop.docx"
    if out.exists():
        out.unlink()
    report = redactor.redact(src, out)
    assert report.error is None and report.verdict == "redact", (report.error, report.reasons)
    assert_gone(out, values)


def test_deleted_paragraph_is_removed_as_a_whole(tmp_path, redactor):
    """A paragraph deleted with its mark disappears when the deletion is accepted."""
    src, secrets = F.tracked_delete(tmp_path / "dp.docx")
    raw = F.RawDocx(src.read_bytes())
    xml = raw.text("word/document.xml")
    gone = (f'<w:p><w:pPr><w:rPr><w:del w:id="90" {_DATE}/></w:rPr></w:pPr><w:del w:id="91" {_DATE}><w:r>'
            f'<w:delText>手机{Synth.seeded(77).mobile()}</w:delText></w:r></w:del></w:p>')
    xml = xml.replace("<w:body>", "<w:body>" + gone + "<w:p><w:r><w:t>保留的段落</w:t></w:r></w:p>", 1)
    raw.set_text("word/document.xml", xml)
    src.write_bytes(raw.to_bytes())
    before = [p.text for p in docx.Document(str(src)).paragraphs]
    out = tmp_path / "out" / "dp.docx"
    report = redactor.redact(src, out)
    assert report.error is None
    after = [p.text for p in docx.Document(str(out)).paragraphs]
    assert len(after) == len(before) - 1 and before[0] == "" and after[0] == "保留的段落"
    assert_gone(out, [secrets["id"], Synth.seeded(77).mobile()])


def test_alt_chunk_is_checked_and_a_copy_is_refused(tmp_path, redactor):
    src, _secrets = F.alt_chunk(tmp_path / "ac.docx")
    report = redactor.scan(src)
    assert ("id_card", "alt_chunk") in kinds_and_origins(report)
    assert "docx.embedded_object.aFChunk" in {r.rule for r in report.findings}
    out = tmp_path / "out" / "ac.docx"
    report = redactor.redact(src, out)
    assert report.verdict == "error" and "altChunk" in report.error and "E300" in report.error
    assert not out.exists()
