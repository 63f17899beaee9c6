"""Seconds per file for `check` and `redact` on a typical web page, OFD and scanned picture.

    python benchmarks/bench_formats.py [--repeat 3] [--names]

The files are generated (synthetic people):
  * a portal page saved to disk: a 300-link menu, 200 paragraphs of notice text each with a name
    and a mobile, a footer; GBK, about 80 KB (the shape of a county portal's 公示 page);
  * a 5-page OFD: 40 lines per page, one character per DeltaX entry, an ID and a mobile on
    every fifth line;
  * an A4 scan at 200 dpi (1654 x 2339 px) as JPEG with 12 lines of text, one ID and one mobile
    (OCR by Tesseract: this dominates; redact OCRs the copy again to verify it).
Times are wall-clock, best of --repeat after one warm-up, in this process (OMP_THREAD_LIMIT=1
for Tesseract). Extraction alone (the adapter, no detectors) is timed too.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))


def portal(path: Path) -> Path:
    from redactor.synth import Synth

    s = Synth.seeded(1)
    nav = "".join(f'<li class="nav-item item{i}"><a href="/xxgk/col{i}/index.html" title="栏目{i}">政务公开栏目{i}</a></li>'
                  for i in range(300))
    paras = "".join(f'<p class="MsoNormal" style="text-indent:2em"><span style="font-family:仿宋_GB2312">经审核，'
                    f'{s.name()}申请的低保事项符合条件，联系电话{s.mobile()}，特此公示。各单位要高度重视，认真组织开展'
                    f'自查自纠工作，确保按时完成任务。</span></p>' for _ in range(200))
    page = (f'<!DOCTYPE html><html><head><meta charset="gb2312"><title>公示</title></head><body><ul class="nav">{nav}'
            f'</ul><div class="article">{paras}</div><div class="footer">主办单位：某县人民政府办公室</div></body></html>')
    path.write_bytes(page.encode("gbk"))
    return path


def ofd(path: Path) -> Path:
    import io
    import zipfile

    import ofd_fixtures as F

    from redactor.synth import Synth

    s = Synth.seeded(2)
    src = F.plain_ofd(path, ["x"])
    data = {i.filename: zipfile.ZipFile(src).read(i.filename) for i in zipfile.ZipFile(src).infolist()}
    doc = data["Doc_0/Document.xml"].decode("utf-8")
    pages_xml = ""
    for p in range(5):
        ids = F.Ids()
        page = F.el(None, "Page")
        layer = F.el(F.el(page, "Content"), "Layer", ID=ids(), Type="Body")
        for i in range(40):
            text = ("申请人身份证号码" + s.id18() + "，联系电话" + s.mobile()) if i % 5 == 0 else \
                "根据有关规定，经村民委员会评议、乡镇人民政府审核，现将结果予以公示。"
            F.text_object(layer, ids, 20, 20 + 6.5 * i, text)
        data[f"Doc_0/Pages/Page_{p}/Content.xml"] = F.xml(page)
        pages_xml += f'<ofd:Page ID="{p + 1}" BaseLoc="Pages/Page_{p}/Content.xml"/>'
    start = doc.index("<ofd:Pages>") + len("<ofd:Pages>")
    end = doc.index("</ofd:Pages>")
    data["Doc_0/Document.xml"] = (doc[:start] + pages_xml + doc[end:]).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in data.items():
            z.writestr(k, v)
    path.write_bytes(buf.getvalue())
    return path


def scan(path: Path) -> Path:
    import image_fixtures as F

    from redactor.synth import Synth

    s = Synth.seeded(3)
    lines = ["关于城乡低保对象的公示", "申请人身份证号码：" + s.id18(), "联系电话：" + s.mobile()] + \
        ["经村民委员会评议、乡镇人民政府审核，现将结果予以公示。"] * 9
    img = F.draw(lines, size_px=40, width_px=1654)
    from PIL import Image

    page = Image.new("RGB", (1654, 2339), (250, 250, 246))
    page.paste(img, (0, 200))
    page.save(path, format="JPEG", quality=90, dpi=(200, 200))
    return path


def best(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--names", action="store_true", help="also run with the name detector")
    args = ap.parse_args()
    from redactor.formats import adapter_for
    from redactor.pipeline import Redactor
    from redactor.policy import Policy

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        files = [("web page (80 KB, GBK)", portal(tmp / "page.html")), ("OFD (5 pages)", ofd(tmp / "doc.ofd")),
                 ("scan (A4, 200 dpi JPEG)", scan(tmp / "scan.jpg"))]
        print(f"{'file':28} {'policy':10} {'extract':>9} {'check':>9} {'redact':>9}")
        for names in ([False, True] if args.names else [False]):
            r = Redactor(Policy(names=names))
            r.scan_text("预热：张三")
            for label, path in files:
                rep = max(1, args.repeat if path.suffix != ".jpg" else 1)
                t_ex = best(lambda p=path: adapter_for(p).extract(p), rep)
                t_check = best(lambda p=path, r=r: r.scan(p), rep)
                out = tmp / ("out" + path.suffix)
                t_red = best(lambda p=path, o=out, r=r: r.redact(p, o), rep)
                verdict = r.scan(path).verdict
                print(f"{label:28} {'names' if names else 'no-names':10} {t_ex:8.2f}s {t_check:8.2f}s {t_red:8.2f}s"
                      f"  ({verdict})")


if __name__ == "__main__":
    main()
