"""Personal information in file and folder names: reported, and the copy goes under a masked name."""
from __future__ import annotations

import json
from pathlib import Path, PurePath

import pytest

from redactor.cli import main
from redactor.filenames import renamer, scan_component
from redactor.pipeline import Redactor
from redactor.walk import copy_path, plan


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor()


@pytest.mark.parametrize("name, masked, kinds", [
    ("张三丰的补助申请.docx", "张某某的补助申请.docx", {"person"}),
    ("13812345678.txt", "138＊＊＊＊5678.txt", {"mobile"}),
    ("申请人刘德华材料.pdf", "申请人刘某某材料.pdf", {"person"}),
    ("2024年低保公示名单.xlsx", "2024年低保公示名单.xlsx", set()),
    ("道路维修.docx", "道路维修.docx", set()),
    (".xlsx", ".xlsx", set()),
])
def test_scan_component(redactor, name, masked, kinds):
    out, decisions = scan_component(redactor, name, is_file=True)
    assert out == masked
    assert {d.finding.kind for d in decisions if d.masks} == kinds


def test_folder_names_are_masked_and_suffixes_kept(redactor):
    rename = renamer(redactor)
    assert rename(PurePath("张三丰/13812345678.txt")) == PurePath("张某某/138＊＊＊＊5678.txt")
    assert rename(PurePath("2024年/名单.csv")) == PurePath("2024年/名单.csv")


def test_copy_path_changes_a_converted_suffix():
    assert copy_path(PurePath("a/名单.xls")) == PurePath("a/名单.xlsx")
    assert copy_path(PurePath("a/名单.ET")) == PurePath("a/名单.xlsx")
    assert copy_path(PurePath("a/名单.csv")) == PurePath("a/名单.csv")


def _touch(root: Path, *names: str) -> None:
    for n in names:
        p = root / n
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("无", encoding="utf-8")


def test_plan_numbers_distinct_inputs_that_meet_under_one_name(tmp_path, redactor):
    _touch(tmp_path / "in", "张三丰的申请.txt", "张三山的申请.txt", "名单.xls", "名单.xlsx")
    items = list(plan([str(tmp_path / "in")], str(tmp_path / "out"), rename=renamer(redactor)))
    dests = sorted(Path(i.dest).name for i in items)
    assert dests == ["名单 (2).xlsx", "名单.xlsx", "张某某的申请 (2).txt", "张某某的申请.txt"]
    assert all(i.error is None for i in items)
    assert {i.rel for i in items} == {"张三丰的申请.txt", "张三山的申请.txt", "名单.xls", "名单.xlsx"}


def test_the_same_input_twice_is_still_e202(tmp_path):
    _touch(tmp_path, "a/x.txt", "b/x.txt")
    items = list(plan([str(tmp_path / "a" / "x.txt"), str(tmp_path / "b" / "x.txt")], str(tmp_path / "out")))
    assert items[0].error is None and items[1].error.startswith("[E202]")


def test_check_reports_names_with_location_filename(tmp_path, redactor):
    path = tmp_path / "13812345678.txt"
    path.write_text("道路维修工程已完工。", encoding="utf-8")
    report = redactor.scan(path)
    assert report.verdict == "redact"
    (f,) = report.findings
    assert f.kind == "mobile" and f.location["origin"] == "filename"
    assert f.location["name"] == "138＊＊＊＊5678.txt" and f.preview == "138****5678"
    assert "13812345678" not in json.dumps(f.to_dict(), ensure_ascii=False)
    assert report.reasons == ["to redact: 1 mobile"]


def test_cli_redact_writes_under_masked_names(tmp_path, capsys):
    src = tmp_path / "in"
    (src / "张三丰").mkdir(parents=True)
    (src / "张三丰" / "张三丰的补助申请.txt").write_text("申请人张三丰，电话13812345678。", encoding="utf-8")
    (src / "道路维修.txt").write_text("道路维修工程已完工。", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["redact", str(src), "-o", str(out), "--format", "json", "-q"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    by_path = {Path(f["path"]).name: f for f in report["files"]}
    person = by_path["张三丰的补助申请.txt"]
    assert person["path"] == str(src / "张三丰" / "张三丰的补助申请.txt")  # the clerk's own path
    assert person["output"] == str(out.resolve() / "张某某" / "张某某的补助申请.txt")
    names = [r for r in person["findings"] if r["location"]["origin"] == "filename"]
    assert {(r["location"]["component"], r["kind"]) for r in names} == {(1, "person"), (2, "person")}
    assert by_path["道路维修.txt"]["verdict"] == "publish"
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["张某某/张某某的补助申请.txt", "道路维修.txt"]
    assert "张三丰" not in (out / "张某某" / "张某某的补助申请.txt").read_text(encoding="utf-8")


def test_api_redact_writes_where_it_is_told(tmp_path, redactor):
    path = tmp_path / "13812345678.txt"
    path.write_text("无", encoding="utf-8")
    report = redactor.redact(path, tmp_path / "out" / "x.txt")
    assert report.output == str(tmp_path / "out" / "x.txt") and report.verdict == "redact"
