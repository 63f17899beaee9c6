"""Write the two sample PDFs in samples/ (synthetic data only; deterministic output).

    python scripts/make_sample_pdf.py [OUTDIR]

samples/pdf_clean.pdf     a two-page notice with no personal data: `redactor check` passes it.
samples/pdf_personal.pdf  a subsidy notice with a synthetic applicant (name, ID wrapping across
                          a line, mobile), a ruled table of recipients whose IDs wrap inside
                          their cells, an ID "redacted" with a black box drawn over it (the text
                          is still there), a reviewer's comment annotation and an author in the
                          document properties. `redactor check` reports all of it; `redactor
                          redact` removes it.

Chinese is drawn with a Type0/Identity-H font (embedded subset of WenQuanYi Zen Hei, Debian
fonts-wqy-zenhei), digits with Helvetica. People come from redactor.synth.Synth.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pdf_fixtures as F  # noqa: E402

from redactor.synth import Synth  # noqa: E402


def personal(path: Path) -> None:
    s = Synth.seeded(2024)
    b = F.PdfBuilder()
    b.author = s.name()
    b.title = "临时救助金发放公示"
    b.new_page()
    b.text(160, 780, "关于临时救助金发放情况的公示", size=16)
    applicant, idn, mobile = s.name(), s.id18(), s.mobile()
    intro = "根据《社会救助暂行办法》，经申请人申请、乡镇审核、县民政局审批，申请人" + applicant + "（公民身份号码"
    width = b.width(intro[:40], 11)
    y = b.paragraph(72, 740, intro + idn + "，联系电话" + mobile + "）符合临时救助条件，现将发放情况公示如下。", width)
    xs = [72, 110, 180, 290, 400, 500]
    rows = [(s.name(), s.id18(), s.mobile(), f"{1000 + 500 * i}.00") for i in range(4)]
    ys = [y - 20 - i * 40 for i in range(len(rows) + 2)]
    b.grid(xs, ys)
    for i, head in enumerate(["序号", "姓名", "身份证号码", "联系电话", "金额（元）"]):
        b.text(xs[i] + 4, ys[0] - 24, head, size=10)
    for r, (name, rid, mob, amount) in enumerate(rows):
        top = ys[r + 1]
        b.text(xs[0] + 4, top - 24, str(r + 1), size=10)
        b.text(xs[1] + 4, top - 24, name, size=10)
        b.text(xs[2] + 4, top - 16, rid[:12], size=10)
        b.text(xs[2] + 4, top - 30, rid[12:], size=10)
        b.text(xs[3] + 4, top - 24, mob, size=10)
        b.text(xs[4] + 4, top - 24, amount, size=10)
    y = ys[-1] - 30
    hidden = s.id18()
    x = 72 + b.text(72, y, "复核人身份证号：")
    w = b.text(x, y, hidden)
    b.rect(x - 1, y - 4, w + 2, 14)  # a black box drawn over the text: not a redaction
    y = b.paragraph(72, y - 30, "公示期为5个工作日。如有异议，请在公示期内向县民政局反映。监督电话：12345。", 451)
    b.text(360, y - 20, "县民政局")
    b.text(360, y - 38, "2024年6月1日")
    b.annotation(f"请再核实{rows[0][0]}的联系电话{rows[0][2]}", (480, 700, 520, 740), author=b.author)
    b.save(path)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else ROOT / "samples"
    out.mkdir(parents=True, exist_ok=True)
    F.clean(out / "pdf_clean.pdf", pages=2)
    personal(out / "pdf_personal.pdf")
    for p in sorted(out.glob("pdf_*.pdf")):
        print(f"{p} ({p.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
