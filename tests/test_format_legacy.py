"""Legacy word-processor files (.doc, .wps, .rtf, .odt): converted by LibreOffice, read and
written as DOCX. Conversions run for real (LibreOffice is installed by scripts/setup_test_env.sh);
the copy is checked with python-docx and ``find_residue``."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from redactor.formats import convert, format_for
from redactor.pipeline import Redactor
from redactor.policy import Policy
from redactor.residue import find_residue
from redactor.synth import Synth

sys.path.insert(0, str(Path(__file__).parent))

SOFFICE = convert.soffice_path()
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
POLICY = Policy(names=False)


def _docx(path: Path, sec: dict[str, str]) -> Path:
    d = docx.Document()
    d.core_properties.author = ""
    d.sections[0].header.paragraphs[0].text = "经办人电话：" + sec["header_mobile"]
    d.add_paragraph("关于发放临时救助金的公示")
    d.add_paragraph("申请人身份证号码：" + sec["body_id"] + "，联系电话：" + sec["body_mobile"] + "。")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "序号", "身份证号码"
    t.cell(1, 0).text, t.cell(1, 1).text = "1", sec["cell_id"]
    d.add_paragraph("公示期7天。")
    d.save(path)
    return path


def _secrets(seed: int) -> dict[str, str]:
    s = Synth.seeded(seed)
    return {"header_mobile": s.mobile(), "body_id": s.id18(), "body_mobile": s.mobile(), "cell_id": s.id18()}


@pytest.fixture(scope="module")
def word97(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A Word 97 .doc written by LibreOffice from a generated .docx."""
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    d = tmp_path_factory.mktemp("word97")
    sec = _secrets(21)
    src = _docx(d / "letter.docx", sec)
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(d / 'p').as_uri()}",
                    "--convert-to", "doc", "--outdir", str(d), str(src)], check=True, capture_output=True, timeout=300)
    return d / "letter.doc", sec


def _rtf(path: Path, sec: dict[str, str]) -> Path:
    def u(text: str) -> str:  # RTF writes non-ASCII as \uN? (signed 16-bit)
        return "".join(ch if ord(ch) < 128 else f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?" for ch in text)

    body = "\\par\n".join(u(line) for line in ("申请人身份证号码：" + sec["body_id"], "联系电话：" + sec["body_mobile"]))
    path.write_text("{\\rtf1\\ansi\\ansicpg936\\deff0{\\fonttbl{\\f0\\fnil\\fcharset134 SimSun;}}\n\\f0\\fs24 "
                    + body + "\\par\n}\n", encoding="ascii")
    return path


def _odt(path: Path, sec: dict[str, str]) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content '
               'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body>'
               f'<office:text><text:p>申请人身份证号码：{sec["body_id"]}</text:p>'
               f'<text:p>联系电话：<text:span>{sec["body_mobile"][:3]}</text:span>{sec["body_mobile"][3:]}</text:p>'
               '</office:text></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                '</manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)
    path.write_bytes(buf.getvalue())
    return path


@needs_soffice
def test_doc_is_redacted_into_a_docx(word97, tmp_path):
    src, sec = word97
    out = tmp_path / "letter.docx"  # the copy's name: the registry's copy suffix for .doc
    report = Redactor(POLICY).redact(src, out)
    assert report.verdict == "redact" and report.error is None, report.reasons
    assert report.format == "doc"
    note = [r for r in report.findings if r.kind == "format_converted"]
    assert len(note) == 1 and note[0].verdict == "info" and "written as .docx" in note[0].explanation
    kinds = {(r.kind, r.location.get("origin")) for r in report.findings}
    assert {("id_card", "body"), ("mobile", "body"), ("id_card", "table"), ("mobile", "header")} <= kinds
    copy = docx.Document(str(out))  # an independent reader opens the copy: it is a DOCX
    text = "\n".join(p.text for p in copy.paragraphs) + copy.tables[0].cell(1, 1).text
    assert "关于发放临时救助金的公示" in text and copy.tables[0].cell(0, 1).text == "身份证号码"
    assert find_residue(out, list(sec.values())) == []


@needs_soffice
def test_a_wps_that_is_a_word97_file_is_read_by_content(word97, tmp_path):
    src, _sec = word97
    wps = tmp_path / "通知.wps"
    wps.write_bytes(src.read_bytes())
    report = Redactor(POLICY).scan(wps)
    assert report.format == "wps" and report.verdict == "redact"
    assert any(r.rule == "docx.converted.doc" for r in report.findings)
    assert sum(r.kind == "id_card" for r in report.findings) == 2


@needs_soffice
@pytest.mark.parametrize("maker, suffix, kind", [(_rtf, ".rtf", "rtf"), (_odt, ".odt", "odt")])
def test_rtf_and_odt(tmp_path, maker, suffix, kind):
    sec = _secrets(22)
    src = maker(tmp_path / f"a{suffix}", sec)
    out = tmp_path / "a.docx"
    report = Redactor(POLICY).redact(src, out)
    assert report.verdict == "redact" and report.error is None, report.reasons
    assert any(r.rule == f"docx.converted.{kind}" for r in report.findings)
    assert {r.kind for r in report.findings} >= {"id_card", "mobile"}
    assert find_residue(out, [sec["body_id"], sec["body_mobile"]]) == []
    assert "申请人身份证号码" in "\n".join(p.text for p in docx.Document(str(out)).paragraphs)


def test_without_libreoffice_it_is_an_error_with_the_install_hint(tmp_path, monkeypatch):
    src = _rtf(tmp_path / "a.rtf", _secrets(23))
    monkeypatch.setenv("REDACTOR_SOFFICE", str(tmp_path / "missing-soffice"))
    report = Redactor(POLICY).scan(src)
    assert report.verdict == "error" and str(src) in report.error
    assert "LibreOffice" in report.error and "libreoffice-writer" in report.error


@pytest.mark.parametrize("data, needle", [
    ("只是一段文字，不是文档。".encode(), "plain text"),
    (b"\x00\x01garbage" * 10, "unknown"),
])
def test_content_that_is_no_document_is_refused(tmp_path, data, needle):
    p = tmp_path / "坏.doc"
    p.write_bytes(data)
    report = Redactor(POLICY).scan(p)
    assert report.verdict == "error" and str(p) in report.error and needle in report.error


@pytest.mark.parametrize("suffix", [".doc", ".wps", ".rtf", ".odt", ".DOC"])
def test_registry_writes_the_copy_as_docx(suffix):
    info = format_for("x" + suffix)
    assert info.copy_suffix == ".docx" and info.media_type.endswith("wordprocessingml.document")
