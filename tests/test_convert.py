"""LibreOffice conversion of legacy files (formats/convert.py): detection by content, real
conversions, and the failure modes (missing LibreOffice, timeout, unreadable input)."""
from __future__ import annotations

import io
import os
import stat
import time
import zipfile
from pathlib import Path

import pytest

from redactor.errors import UnreadableFileError
from redactor.formats import convert as conv

SOFFICE = conv.soffice_path()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _xlsx_bytes() -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "姓名", "电话"])
    ws.append([1, "测试人", "13800000000"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def legacy(tmp_path_factory) -> dict[str, Path]:
    """An Excel 97 workbook and a Word 97 document, written by LibreOffice from modern files."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    import docx

    d = tmp_path_factory.mktemp("legacy")
    (d / "book.xlsx").write_bytes(_xlsx_bytes())
    doc = docx.Document()
    doc.add_paragraph("测试段落")
    doc.save(d / "letter.docx")
    out = {}
    for name, to in (("book.xlsx", "xls"), ("letter.docx", "doc")):
        import subprocess

        subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(d / 'p').as_uri()}",
                        "--convert-to", to, "--outdir", str(d), str(d / name)],
                       check=True, capture_output=True, timeout=180)
        out[to] = d / (Path(name).stem + "." + to)
    return out


# --- detection by content --------------------------------------------------------------------


@pytest.mark.parametrize("data, kind", [
    (b"{\\rtf1\\ansi hello}", "rtf"),
    (b"\xef\xbb\xbf<html><body><table></table></body></html>", "html"),
    (b"<!DOCTYPE html>\n<html>", "html"),
    (b"a,b,c\n1,2,3\n", "text"),
    (b"\x00\x01\x02garbage", "unknown"),
    (b"", "unknown"),
])
def test_sniff_heads(data, kind):
    assert conv.sniff(data) == kind


def test_sniff_zip_packages():
    assert conv.sniff(_xlsx_bytes()) == "xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    assert conv.sniff(buf.getvalue()) == "ods"
    assert conv.sniff(b"PK\x03\x04truncated") == "unknown"


def test_sniff_ole_directory(legacy):
    xls, doc = legacy["xls"].read_bytes(), legacy["doc"].read_bytes()
    assert "Workbook" in conv.ole_streams(xls)
    assert "WordDocument" in conv.ole_streams(doc)
    assert conv.sniff(xls) == "xls"
    assert conv.sniff(doc) == "doc"


def test_ole_without_known_streams_is_kingsoft_native():
    # A minimal compound file whose directory holds only the root entry.
    size = 512
    header = bytearray(size)
    header[:8] = conv.OLE_MAGIC
    header[30:32] = (9).to_bytes(2, "little")
    header[44:48] = (1).to_bytes(4, "little")       # one FAT sector
    header[48:52] = (1).to_bytes(4, "little")       # directory starts at sector 1
    header[68:72] = (0xFFFFFFFE).to_bytes(4, "little")
    header[76:80] = (0).to_bytes(4, "little")       # FAT in sector 0
    for i in range(1, 109):
        header[76 + 4 * i:80 + 4 * i] = (0xFFFFFFFF).to_bytes(4, "little")
    fat = bytearray(b"\xff" * size)
    fat[0:4] = (0xFFFFFFFD).to_bytes(4, "little")
    fat[4:8] = (0xFFFFFFFE).to_bytes(4, "little")
    directory = bytearray(size)
    name = "Root Entry".encode("utf-16-le") + b"\x00\x00"
    directory[:len(name)] = name
    directory[64:66] = len(name).to_bytes(2, "little")
    directory[66] = 5
    data = bytes(header + fat + directory)
    assert conv.ole_streams(data) == {"Root Entry"}
    assert conv.sniff(data) == "wps-native"
    assert conv.ole_streams(data[:600]) == set()  # a truncated directory is not followed


# --- real conversions --------------------------------------------------------------------------


@needs_soffice
def test_xls_and_renamed_et_convert_to_xlsx(legacy, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    et = tmp_path / "名单.et"           # an Excel 97 file under WPS Spreadsheets' name
    et.write_bytes(legacy["xls"].read_bytes())
    for src in (legacy["xls"], et):
        with conv.converted(src, "xlsx") as out:
            ws = openpyxl.load_workbook(out).active
            assert [c.value for c in ws[2]][1:] == ["测试人", "13800000000"]
        assert not out.exists()  # the temporary directory is gone


@needs_soffice
def test_doc_renamed_wps_converts_to_docx(legacy, tmp_path):
    import docx

    wps = tmp_path / "通知.wps"
    wps.write_bytes(legacy["doc"].read_bytes())
    with conv.converted(wps, "docx") as out:
        assert [p.text for p in docx.Document(str(out)).paragraphs if p.text] == ["测试段落"]


@needs_soffice
def test_html_saved_as_xls_converts(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    src = tmp_path / "导出.xls"
    src.write_text("<html><head><meta charset='utf-8'></head><body><table><tr><td>姓名</td></tr>"
                   "<tr><td>测试人</td></tr></table></body></html>", encoding="utf-8")
    with conv.converted(src, "xlsx") as out:
        values = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
        assert "测试人" in values


def test_modern_file_under_a_legacy_name_is_not_converted(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTOR_SOFFICE", str(tmp_path / "missing"))  # would fail if it ran
    src = tmp_path / "a.et"
    src.write_bytes(_xlsx_bytes())
    with conv.converted(src, "xlsx") as out:
        assert out.read_bytes() == src.read_bytes()


@needs_soffice
def test_unreadable_input_is_e200_naming_the_file(tmp_path):
    src = tmp_path / "坏.xls"
    src.write_bytes(conv.OLE_MAGIC + b"\x00" * 100)
    with pytest.raises(UnreadableFileError) as e:
        conv.convert(src, "xlsx", tmp_path)
    assert e.value.code == "E200" and str(src) in str(e.value)


# --- failure modes -----------------------------------------------------------------------------


def test_missing_libreoffice_is_e200_with_the_install_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("REDACTOR_SOFFICE", str(tmp_path / "no-such-soffice"))
    src = tmp_path / "a.xls"
    src.write_bytes(conv.OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(UnreadableFileError) as e:
        conv.convert(src, "xlsx", tmp_path)
    msg = str(e.value)
    assert msg.startswith("[E200]") and str(src) in msg
    assert "libreoffice-calc-nogui" in msg and "REDACTOR_SOFFICE" in msg
    with pytest.raises(UnreadableFileError, match="libreoffice-writer-nogui"):
        conv.convert(src, "docx", tmp_path)


def test_timeout_kills_libreoffice_and_names_the_file(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    pidfile = tmp_path / "pid"
    fake.write_text(f"#!/bin/sh\necho $$ > {pidfile}\nsleep 60 & wait\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("REDACTOR_SOFFICE", str(fake))
    src = tmp_path / "a.xls"
    src.write_bytes(conv.OLE_MAGIC + b"\x00" * 600)
    t0 = time.monotonic()
    with pytest.raises(UnreadableFileError, match="did not finish") as e:
        conv.convert(src, "xlsx", tmp_path, timeout=1)
    assert time.monotonic() - t0 < 15
    assert str(src) in str(e.value)
    pid = int(pidfile.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_isolated_profile_and_neutral_input_name(tmp_path, monkeypatch):
    """LibreOffice gets its own profile directory and never sees the clerk's file name."""
    fake = tmp_path / "soffice"
    log = tmp_path / "args"
    fake.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$@\" > {log}\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("REDACTOR_SOFFICE", str(fake))
    src = tmp_path / "张三的补助申请.xls"
    src.write_bytes(conv.OLE_MAGIC + b"\x00" * 600)
    with pytest.raises(UnreadableFileError, match="could not read"):  # the fake produced nothing
        conv.convert(src, "xlsx", tmp_path)
    args = log.read_text(encoding="utf-8").splitlines()
    profile = [a for a in args if a.startswith("-env:UserInstallation=file:///")]
    assert len(profile) == 1 and "redactor-lo-" in profile[0]
    assert "--headless" in args and not any("张三" in a for a in args)
    assert args[-1].endswith("/input.wps")  # unknown OLE content: staged under a neutral name


def test_describe_names_both_formats():
    note = conv.describe("xls", ".et", "xlsx")
    assert ".et" in note and "Excel 97" in note and ".xlsx" in note
