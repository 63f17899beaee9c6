"""`redactor check` on a folder of web pages, OFD files, pictures and a bad legacy file."""
from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from redactor import cli
from redactor.formats import ocr

sys.path.insert(0, str(Path(__file__).parent))
import html_fixtures as H
import image_fixtures as I
import ofd_fixtures as O


def _scan_only_ofd(path: Path) -> None:
    """An OFD whose page is a picture without text: nobody could check it."""
    src, _ = O.official_ofd(path, extras=False, signed=False)
    data = {i.filename: zipfile.ZipFile(src).read(i.filename) for i in zipfile.ZipFile(src).infolist()}
    page = etree.fromstring(data["Doc_0/Pages/Page_1/Content.xml"])
    for obj in list(page.iter(O.q("TextObject"))):
        obj.getparent().remove(obj)
    img = next(page.iter(O.q("ImageObject")))
    img.set("Boundary", "0 0 210 297")
    img.set("CTM", "210 0 0 297 0 0")
    data["Doc_0/Pages/Page_1/Content.xml"] = O.xml(page)
    with zipfile.ZipFile(src, "w") as z:
        for k, v in data.items():
            z.writestr(k, v)


@pytest.mark.skipif(ocr.available() is not None or shutil.which("tesseract") is None,
                    reason="Tesseract with chi_sim is not installed")
def test_mixed_folder_verdicts(tmp_path, capsys):
    docs = tmp_path / "docs"
    (docs / "网页").mkdir(parents=True)
    H.portal_page(docs / "网页" / "公示.html")
    H.clean_page(docs / "网页" / "通知.htm")
    O.official_ofd(docs / "公文.ofd")
    O.plain_ofd(docs / "清单.ofd", ["关于开展安全生产检查的通知"])
    _scan_only_ofd(docs / "扫描.ofd")
    I.blank_picture(docs / "印章.png")
    (docs / "旧文件.doc").write_text("只是一段文字。", encoding="utf-8")
    code = cli.main(["check", str(docs), "--no-names", "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    verdicts = {Path(f["path"]).name: (f["format"], f["verdict"]) for f in out["files"]}
    assert verdicts == {
        "公示.html": ("html", "redact"), "通知.htm": ("html", "publish"), "公文.ofd": ("ofd", "redact"),
        "清单.ofd": ("ofd", "publish"), "扫描.ofd": ("ofd", "block"), "印章.png": ("image", "publish"),
        "旧文件.doc": (None, "error"),
    }
    assert code == 3  # some file could not be read; every other file was still checked
