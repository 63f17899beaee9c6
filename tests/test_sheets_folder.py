"""`redactor check` on a mixed folder of spreadsheets: verdicts, exit code, and the new
locations (sheet, cell, file name) in the JSON, HTML and SARIF reports."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import sheet_fixtures as F

from redactor.cli import main
from redactor.formats import convert

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("mixed") / "docs"
    root.mkdir()
    F.planted_workbook(root / "低保名单.xlsx")
    F.write_gongshi(root / "公示.xlsx", 5)
    clean = root / "项目.csv"
    clean.write_text("项目,金额\n道路维修,12000\n", encoding="utf-8")
    p = F.people(1, seed=9)[0]
    (root / "名单.csv").write_text(f"姓名,身份证号\n{p['name']},{p['id']}\n", encoding="gb18030")
    (root / "坏.xlsx").write_bytes(b"PK\x03\x04broken")
    (root / "13812345678.txt").write_text("道路维修工程已完工。", encoding="utf-8")
    soffice = convert.soffice_path()
    if soffice is not None:
        F.write_gongshi(root.parent / "old.xlsx", 3)
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation={(root.parent / 'p').as_uri()}",
                        "--convert-to", "xls", "--outdir", str(root), str(root.parent / "old.xlsx")],
                       check=True, capture_output=True, timeout=180)
    return root


EXPECTED = {"低保名单.xlsx": "redact", "公示.xlsx": "redact", "项目.csv": "publish", "名单.csv": "redact",
            "坏.xlsx": "error", "13812345678.txt": "redact", "old.xls": "redact"}


@pytest.fixture(scope="module")
def reports(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    html = out / "report.html"
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["check", str(folder), "--format", "json", "--html", str(html), "-q", "-j", "1"])
    report = json.loads(buf.getvalue())
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        main(["check", str(folder), "--format", "sarif", "-q", "-j", "1"])
    return code, report, html.read_text(encoding="utf-8"), json.loads(buf.getvalue())


def test_verdicts_and_exit_code(folder, reports):
    code, report, _html, _sarif = reports
    verdicts = {Path(f["path"]).name: f["verdict"] for f in report["files"]}
    expected = {k: v for k, v in EXPECTED.items() if (folder / k).exists()}
    assert verdicts == expected
    assert code == 3  # one file could not be read; every other file was still checked
    bad = next(f for f in report["files"] if f["path"].endswith("坏.xlsx"))
    assert bad["error"].startswith("[E200]") and "坏.xlsx" in bad["error"]
    formats = {Path(f["path"]).suffix: f["format"] for f in report["files"] if f["verdict"] != "error"}
    assert formats[".xlsx"] == "xlsx" and formats[".csv"] == "csv"


def test_json_locations_name_sheet_and_cell(reports):
    _code, report, _html, _sarif = reports
    f = next(f for f in report["files"] if f["path"].endswith("低保名单.xlsx"))
    ids = [r for r in f["findings"] if r["kind"] == "id_card" and r["location"].get("cell") == "D3"]
    assert ids and ids[0]["location"]["sheet"] == 1 and ids[0]["location"]["column_header"] == "身份证号"
    name = next(f for f in report["files"] if f["path"].endswith("13812345678.txt"))
    assert name["findings"][0]["location"]["origin"] == "filename"


def test_html_report_shows_sheet_cell_and_file_name(reports):
    _code, _report, html, _sarif = reports
    assert "sheet 1 · cell D3" in html
    assert "(filename)" in html and "138＊＊＊＊5678.txt" in html
    assert "(hidden_text)" in html and "hidden row" in html


def test_sarif_is_valid_and_shows_sheet_and_cell(reports):
    _code, _report, _html, sarif = reports
    errors = list(jsonschema.Draft4Validator(SCHEMA).iter_errors(sarif))
    assert not errors, errors[:3]
    names = [loc["logicalLocations"][0]["name"] for r in sarif["runs"][0]["results"]
             for loc in r["locations"] if "logicalLocations" in loc]
    assert any(n.startswith("sheet 1 · cell D3") for n in names)
    assert any("(filename)" in n for n in names)
    props = [r["properties"]["location"] for r in sarif["runs"][0]["results"] if "properties" in r
             and "location" in r["properties"]]
    assert any(p.get("sheet") == 1 and p.get("cell") == "B3" for p in props)


def test_redact_the_folder(folder, tmp_path):
    out = tmp_path / "out"
    code = main(["redact", str(folder), "-o", str(out), "-q", "-j", "1"])
    assert code == 3
    written = sorted(p.name for p in out.iterdir())
    expected = ["138＊＊＊＊5678.txt", "低保名单.xlsx", "公示.xlsx", "名单.csv", "项目.csv"]
    if (folder / "old.xls").exists():
        expected.append("old.xlsx")
    assert written == sorted(expected)
    assert (out / "项目.csv").read_bytes() == (folder / "项目.csv").read_bytes()
    shutil.rmtree(out)


def test_service_returns_an_xls_upload_as_xlsx(folder):
    """POST /v1/redact with an .xlsx and (LibreOffice permitting) an .xls: the copy comes back,
    the .xls one under an .xlsx name with the spreadsheet media type."""
    pytest.importorskip("fastapi")
    import base64
    import io

    import openpyxl
    from fastapi.testclient import TestClient

    from redactor.service import create_app

    uploads = ["公示.xlsx"] + (["old.xls"] if (folder / "old.xls").exists() else [])
    with TestClient(create_app(workers=0)) as client:
        for name in uploads:
            resp = client.post("/v1/redact", files={"file": (name, (folder / name).read_bytes())})
            assert resp.status_code == 200, resp.text
            body = resp.json()
            assert body["report"]["files"][0]["path"] == name
            assert body["file"]["name"] == ("公示.xlsx" if name == "公示.xlsx" else "old.xlsx")
            assert body["file"]["media_type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            copy = base64.b64decode(body["file"]["base64"])
            person = F.people(1)[0]
            values = [c.value for row in openpyxl.load_workbook(io.BytesIO(copy)).active.iter_rows() for c in row]
            assert person["id"] not in values and person["mobile"] not in values
