"""Legacy workbooks (.xls, .et) converted by LibreOffice for real, redacted, written as .xlsx."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import openpyxl
import pytest
import sheet_fixtures as F
from openpyxl.comments import Comment

from redactor.cli import main
from redactor.formats import convert
from redactor.engine import run_batch
from redactor.pipeline import Redactor
from redactor.reporting import RunReport
from redactor.residue import find_residue

SOFFICE = convert.soffice_path()
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def legacy_book(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """An Excel 97 workbook with a list, a hidden sheet, a comment and an author, made by
    LibreOffice from an openpyxl workbook."""
    d = tmp_path_factory.mktemp("xls")
    ps = F.people(4, seed=21)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws.append(["2024年临时救助公示"])
    ws.append(["序号", "姓名", "身份证号", "联系电话"])
    for i, p in enumerate(ps[:3]):
        ws.append([i + 1, p["name"], p["id"], p["mobile"]])
    ws["B3"].comment = Comment(f"电话{ps[3]['mobile']}", "经办人")
    hidden = wb.create_sheet("底稿")
    hidden.sheet_state = "hidden"
    hidden.append(["姓名", "身份证号"])
    hidden.append([ps[3]["name"], ps[3]["id"]])
    wb.properties.creator = ps[3]["name"]
    wb.save(d / "src.xlsx")
    clean = openpyxl.Workbook()
    clean.active.append(["项目", "金额"])
    clean.active.append(["道路维修", 12000])
    clean.properties.creator = ""
    clean.save(d / "clean.xlsx")
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(d / 'p').as_uri()}",
                    "--convert-to", "xls", "--outdir", str(d), str(d / "src.xlsx"), str(d / "clean.xlsx")],
                   check=True, capture_output=True, timeout=180)
    secrets = {f"{k}{i}": p[k] for i, p in enumerate(ps) for k in ("name", "id", "mobile")}
    return d / "src.xls", secrets


@pytest.fixture(scope="module")
def redacted_legacy(legacy_book, tmp_path_factory):
    src, secrets = legacy_book
    d = tmp_path_factory.mktemp("in")
    (d / "救助名单.xls").write_bytes(src.read_bytes())
    (d / "救助名单2.et").write_bytes(src.read_bytes())  # an Excel 97 file under WPS's name
    out = tmp_path_factory.mktemp("out")
    run = RunReport(files=list(run_batch([str(d)], outdir=str(out), ordered=True)))
    return d, out, run, secrets


def test_xls_and_et_are_read_after_conversion(redacted_legacy):
    _d, _out, run, _secrets = redacted_legacy
    formats = {Path(f.path).suffix: f.format for f in run.files}
    assert formats == {".xls": "xls", ".et": "et"}
    for f in run.files:
        assert f.verdict == "redact", f.error
        note = [r for r in f.findings if r.kind == "format_converted"]
        assert len(note) == 1 and ".xlsx" in note[0].explanation and "LibreOffice" in note[0].explanation
        assert note[0].verdict == "info"
        kinds = {r.kind for r in f.findings}
        assert {"person", "id_card", "mobile", "comment", "hidden_text", "metadata"} <= kinds


def test_copies_are_xlsx_next_to_nothing_of_the_old_format(redacted_legacy):
    _d, out, run, secrets = redacted_legacy
    outputs = sorted(Path(f.output).name for f in run.files)
    assert outputs == ["救助名单.xlsx", "救助名单2.xlsx"]
    assert sorted(p.name for p in out.iterdir()) == outputs
    for f in run.files:
        copy = Path(f.output)
        texts = "\n".join(F.openpyxl_texts(copy))
        assert [k for k, v in secrets.items() if v in texts] == []
        assert find_residue(copy, list(secrets.values())) == []
        wb = openpyxl.load_workbook(copy)
        assert wb.sheetnames == ["名单", "底稿"] and wb["底稿"].sheet_state == "hidden"
        assert [c.value for c in wb["名单"][2]] == ["序号", "姓名", "身份证号", "联系电话"]


def test_cli_json_report_gives_the_xlsx_output(legacy_book, tmp_path, capsys):
    src, _ = legacy_book
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.xls").write_bytes(src.read_bytes())
    code = main(["redact", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--format", "json", "-q"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    (f,) = report["files"]
    assert f["path"].endswith("a.xls") and f["output"].endswith("a.xlsx") and f["format"] == "xls"
    assert (tmp_path / "out" / "a.xlsx").exists() and not (tmp_path / "out" / "a.xls").exists()


def test_a_clean_xls_is_still_written_as_xlsx(legacy_book, tmp_path):
    src, _ = legacy_book
    (tmp_path / "c.xls").write_bytes((src.parent / "clean.xls").read_bytes())
    report = Redactor().redact(tmp_path / "c.xls", tmp_path / "out" / "c.xls")
    assert report.verdict == "publish", report.reasons
    assert report.output == str(tmp_path / "out" / "c.xlsx")
    assert openpyxl.load_workbook(report.output).active["A2"].value == "道路维修"
    assert not (tmp_path / "out" / "c.xls").exists()


def test_without_libreoffice_a_legacy_file_is_an_error_with_the_hint(legacy_book, tmp_path, monkeypatch):
    src, _ = legacy_book
    monkeypatch.setenv("REDACTOR_SOFFICE", str(tmp_path / "nope"))
    (tmp_path / "a.xls").write_bytes(src.read_bytes())
    report = Redactor().scan(tmp_path / "a.xls")
    assert report.verdict == "error"
    assert report.error.startswith("[E200]") and "libreoffice-calc-nogui" in report.error


def test_a_text_file_named_xls_is_refused_without_conversion(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTOR_SOFFICE", str(tmp_path / "nope"))
    (tmp_path / "a.et").write_text("姓名,电话\n", encoding="utf-8")
    report = Redactor().scan(tmp_path / "a.et")
    assert report.verdict == "error" and "not a spreadsheet" in report.error


def test_an_excel_97_file_named_xlsx_is_converted_too(legacy_book, tmp_path):
    src, secrets = legacy_book
    (tmp_path / "名单.xlsx").write_bytes(src.read_bytes())
    report = Redactor().redact(tmp_path / "名单.xlsx", tmp_path / "out" / "名单.xlsx")
    assert report.verdict == "redact", report.error
    assert report.format == "xlsx" and any(r.kind == "format_converted" for r in report.findings)
    assert find_residue(Path(report.output), list(secrets.values())) == []
