"""Write the two sample Word files in samples/ (synthetic people only; deterministic bytes).

    python scripts/make_sample_docx.py [--out samples]

samples/docx_clean.docx     a notice with a table and formatted text: `redactor check` says publish
samples/docx_personal.docx  a beneficiary list: IDs and mobiles in a table, a comment holding a
                            phone number, and a tracked deletion that still holds an ID
"""
from __future__ import annotations

import argparse
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import docx_fixtures as F
from docx.oxml import parse_xml
from docx.shared import RGBColor

from redactor.synth import Synth

FIXED_DATE = (2024, 3, 1, 9, 0, 0)


def _deterministic(data: bytes) -> bytes:
    """Same content -> same bytes: fixed zip timestamps, no thumbnail."""
    raw = F.RawDocx(data)
    zin = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, raw.parts[info.filename])
    return buf.getvalue()


def _drop_thumbnail(raw: F.RawDocx) -> None:
    if "docProps/thumbnail.jpeg" in raw.parts:
        raw.order.remove("docProps/thumbnail.jpeg")
        del raw.parts["docProps/thumbnail.jpeg"]
        rels = raw.text("_rels/.rels")
        import re

        rels = re.sub(r'<Relationship [^>]*Target="docProps/thumbnail.jpeg"/>', "", rels)
        raw.set_text("_rels/.rels", rels)


def clean(path: Path) -> None:
    d = F.new_document()
    d.add_heading("关于做好2024年春季植树造林工作的通知", level=1)
    p = d.add_paragraph()
    p.add_run("各乡镇人民政府，县直各单位：").bold = True
    p = d.add_paragraph()
    p.add_run("为进一步改善生态环境，").italic = True
    r = p.add_run("经县人民政府同意")
    r.font.color.rgb = RGBColor(0x20, 0x40, 0x80)
    p.add_run("，现将2024年春季植树造林任务分解如下，请认真组织实施。")
    t = d.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, ("乡镇", "任务（亩）", "完成时限")):
        cell.text = h
    for row in (("城关镇", "120", "4月15日"), ("河口乡", "85", "4月20日"), ("石桥镇", "96", "4月20日")):
        cells = t.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = v
    d.add_paragraph("咨询电话：12345（政务服务便民热线）")
    d.add_paragraph("此件公开发布")
    buf = io.BytesIO()
    d.save(buf)
    raw = F.RawDocx(buf.getvalue())
    _drop_thumbnail(raw)
    path.write_bytes(_deterministic(raw.to_bytes()))


def personal(path: Path) -> None:
    s = Synth.seeded(2024)
    d = F.new_document()
    d.add_heading("2024年第一季度临时救助对象名单", level=1)
    d.add_paragraph("根据《社会救助暂行办法》，经审核，下列对象符合临时救助条件，现予公示。")
    t = d.add_table(rows=1, cols=4)
    t.style = "Table Grid"
    for cell, h in zip(t.rows[0].cells, ("姓名", "身份证号码", "联系电话", "救助金额（元）")):
        cell.text = h
    for amount in ("1500", "2000", "1200"):
        cells = t.add_row().cells
        for cell, v in zip(cells, (s.name(), s.id18(), s.mobile(), amount)):
            cell.text = v
    p = d.add_paragraph("公示期7天。")
    run = p.add_run("如有异议请反映。")
    reviewer = s.name()
    d.add_comment(run, text=f"已电话联系申请人，手机{s.mobile()}", author=reviewer, initials=reviewer[:1])
    p = d.add_paragraph("原申请人")
    p._p.append(parse_xml(
        f'<w:del {F.NSDECL} w:id="21" w:author="{reviewer}" w:date="2024-03-01T10:00:00Z"><w:r>'
        f'<w:delText>（身份证号{s.id18()}）</w:delText></w:r></w:del>'
    ))
    p.add_run("已撤回申请。")
    d.add_paragraph("此件删减后公开")
    buf = io.BytesIO()
    d.save(buf)
    raw = F.RawDocx(buf.getvalue())
    _drop_thumbnail(raw)
    import re

    # python-docx stamps comments with the current time
    raw.set_text("word/comments.xml", re.sub(r'w:date="[^"]*"', 'w:date="2024-03-01T10:00:00Z"',
                                             raw.text("word/comments.xml")))
    path.write_bytes(_deterministic(raw.to_bytes()))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "samples"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    clean(out / "docx_clean.docx")
    personal(out / "docx_personal.docx")
    print(f"wrote {out / 'docx_clean.docx'} and {out / 'docx_personal.docx'}")


if __name__ == "__main__":
    main()
