"""Pages per second for `check` and `redact` on a generated 50-page PDF, with peak memory.

    python benchmarks/bench_pdf.py [--pages 50] [--repeat 3] [--cjk identity|subset] [--baseline REV]

``--baseline REV`` also runs every row on the code of git revision REV (``git archive`` of its
``src/`` into a temporary folder, put first on PYTHONPATH) on the same file in the same run,
and prints the ratio current / baseline: compare ratios, not absolute numbers, on a shared
machine.

The PDF comes from tests/pdf_fixtures.many_pages: on each page a heading, a long paragraph
with a synthetic person (name, ID, mobile), a ruled 4x4 table and a closing paragraph;
Chinese in a Type0/Identity-H font, digits in Helvetica. It is run with every detector
family present in this checkout (names included when ``redactor.detect.names`` exists) and
again with ``Policy(names=False)`` (the CLI's --no-names). Also timed: extraction alone (the
PDF adapter, no detectors) and pdfplumber's own character parse, for reference.

Each measurement runs in a fresh child process so that its peak RSS (getrusage maxrss) is
its own; times are the best of ``--repeat`` runs after one warm-up (detector models loaded
before timing). Pages/s are computed from the child's CPU time (time.process_time), which is
what one core delivers even when the machine is shared; wall-clock time is printed too. One process, one thread: OMP_THREAD_LIMIT=1. Targets (issue 4): check >= 10
pages/s, redact >= 5 pages/s.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

TARGET_CHECK, TARGET_REDACT = 10.0, 5.0


def _child(mode: str, names: bool, path: str, repeat: int) -> dict:
    from redactor.pipeline import Redactor
    from redactor.policy import Policy

    policy = Policy(names=names)
    r = Redactor(policy)
    r.scan_text("申请人张三，身份证号码。")  # load detectors (and the names model) before timing
    outdir = tempfile.mkdtemp()

    def once() -> None:
        if mode == "plumber":
            import pdfplumber

            with pdfplumber.open(path) as pdf:
                for p in pdf.pages:
                    p.chars  # noqa: B018 - parse the page
                    p.close()
        elif mode == "extract":
            from redactor.formats.pdf import PdfAdapter

            PdfAdapter().extract(Path(path))
        elif mode == "check":
            rep = r.scan(path)
            assert rep.verdict != "error", rep.error
        elif mode == "redact":
            out = os.path.join(outdir, "out.pdf")
            rep = r.redact(path, out)
            assert rep.verdict == "redact" and rep.output == out, (rep.verdict, rep.error)
            os.unlink(out)

    once()
    best, wall = float("inf"), float("inf")
    for _ in range(repeat):
        t, w = time.process_time(), time.perf_counter()
        once()
        best = min(best, time.process_time() - t)
        wall = min(wall, time.perf_counter() - w)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"seconds": best, "wall": wall, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "child_cpu": children.ru_utime + children.ru_stime}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cjk", default="identity", choices=["identity", "subset"])
    ap.add_argument("--baseline", metavar="REV", help="also time git revision REV and print current/baseline")
    ap.add_argument("--child", nargs=4, metavar=("MODE", "NAMES", "PATH", "REPEAT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, names, path, repeat = args.child
        out = _child(mode, names == "1", path, int(repeat))
        import redactor

        out["code"] = str(Path(redactor.__file__).resolve().parent)
        print(json.dumps(out))
        return 0

    import pdf_fixtures as F

    from redactor.detect import DETECTOR_FAMILIES

    tmp = Path(tempfile.mkdtemp())
    path = tmp / "bench.pdf"
    F.many_pages(path, pages=args.pages, cjk=args.cjk)
    has_names = True
    try:
        __import__(DETECTOR_FAMILIES["names"])
    except ModuleNotFoundError:
        has_names = False
    print(f"{args.pages}-page PDF ({args.cjk} CJK font), {path.stat().st_size / 1024:.0f} KiB; "
          f"best of {args.repeat}, one process, one thread")
    env = dict(os.environ, OMP_THREAD_LIMIT="1", PYTHONHASHSEED="0")
    src = str(HERE.parent / "src")
    trees = [("current", src)]
    if args.baseline:
        trees.insert(0, (args.baseline, _export(args.baseline, tmp)))
    rows = [("plumber", False), ("extract", False), ("check", False), ("redact", False)]
    if has_names:
        rows += [("check", True), ("redact", True)]
    ok = True
    for mode, names in rows:
        speeds = {}
        for tree, tree_src in trees:
            child_env = dict(env, PYTHONPATH=tree_src + os.pathsep + env.get("PYTHONPATH", ""))
            res = subprocess.run([sys.executable, __file__, "--child", mode, "1" if names else "0", str(path), str(args.repeat)],
                                 capture_output=True, text=True, env=child_env, check=False)
            label = {"plumber": "pdfplumber chars only", "extract": "PDF adapter extract"}.get(
                mode, f"{mode} ({'names on' if names else 'names off'})")
            if len(trees) > 1:
                label = f"{label} [{tree}]"
            if res.returncode != 0:
                print(f"{label}: failed\n{res.stderr[-2000:]}")
                ok = False
                continue
            data = json.loads(res.stdout.strip().splitlines()[-1])
            assert Path(data["code"]).is_relative_to(Path(tree_src).resolve()), f"{tree} ran the code in {data['code']}"
            pps = args.pages / data["seconds"]
            speeds[tree] = pps
            target = {"check": TARGET_CHECK, "redact": TARGET_REDACT}.get(mode)
            mark = "" if target is None else (" ok" if pps >= target else f" BELOW target {target:g}")
            print(f"{label:40} {pps:7.1f} pages/s  cpu {data['seconds']:6.2f} s  wall {data['wall']:6.2f} s  "
                  f"peak RSS {data['maxrss_mb']:6.0f} MB{mark}")
            if tree == "current" and target is not None and names == has_names and pps < target:
                ok = False
        if args.baseline and len(speeds) == 2:
            print(f"{'':40} ratio current / {args.baseline}: {speeds['current'] / speeds[args.baseline]:.2f}")
    collateral(path)
    return 0 if ok else 1


def _export(rev: str, tmp: Path) -> str:
    """The ``src/`` and ``patterns/`` trees of git revision ``rev``, extracted into ``tmp``."""
    dest = tmp / "baseline"
    dest.mkdir()
    archive = subprocess.run(["git", "-C", str(HERE.parent), "archive", rev, "src", "patterns"], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return str(dest / "src")


def collateral(path: Path) -> None:
    """Why not pdfium for writing: it can delete whole text objects only. Count the other
    characters that deleting the text objects holding each masked value would also delete
    (pikepdf glyph removal deletes none: tests/test_pdf.py::test_kept_text_does_not_move)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from redactor.formats.pdf import PdfAdapter
    from redactor.pipeline import Redactor
    from redactor.policy import Policy

    r = Redactor(Policy())  # names on: a masked name shares its text object with the sentence around it
    doc = PdfAdapter().extract(path)
    values = sorted({d.finding.text for d in r.decide(r.scan_document(doc)) if d.masks})
    pdf = pdfium.PdfDocument(str(path))
    masked = lost = 0
    for i in range(len(pdf)):
        tp = pdf[i].get_textpage()
        n = tp.count_chars()
        text = tp.get_text_range()
        objs = [ctypes.cast(raw.FPDFText_GetTextObject(tp.raw, k), ctypes.c_void_p).value for k in range(n)]
        for v in values:
            start = text.find(v)
            while start >= 0:
                hit = {objs[k] for k in range(start, start + len(v)) if k < n and objs[k]}
                gone = sum(1 for k in range(n) if objs[k] in hit and not text[k].isspace())
                masked += len(v)
                lost += gone - len(v)
                start = text.find(v, start + 1)
        tp.close()
    pdf.close()
    if masked:
        print(f"pdfium whole-object removal: {lost} other characters deleted for {masked} masked characters "
              f"({lost / masked:.1f} per masked character); pikepdf glyph removal: 0")


if __name__ == "__main__":
    sys.exit(main())
