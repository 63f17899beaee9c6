"""Pages per second for `check` and `redact` on a generated 50-page DOCX, with peak memory.

    python benchmarks/bench_docx.py [--pages 50] [--repeat 3]

The document comes from tests/docx_fixtures.long_document: one explicit page break per page;
each page has a heading, four paragraphs of running text (every third with a synthetic
name, ID and mobile) and a 9-row table (name, ID, mobile, amount), sized so that a page fits
one printed page: ``--verify-pages`` renders it with LibreOffice (if installed) and prints the
PDF page count. It is run with every
detector family present in this checkout (names included when ``redactor.detect.names``
exists) and again with ``Policy(names=False)`` (the CLI's --no-names).

Times are the best of ``--repeat`` runs, in one process on one core (the pipeline is single
threaded). Peak memory is measured in a separate pass with tracemalloc (Python allocations
only; tracemalloc slows the code, so that pass is not timed), and the process's maximum RSS
(getrusage) is printed at the end. Targets (issue 4): check >= 10 pages/s, redact >= 5 pages/s.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import docx_fixtures as F

from redactor.detect import DETECTOR_FAMILIES
from redactor.formats.docx import DocxAdapter
from redactor.pipeline import Redactor
from redactor.policy import Policy

TARGET_CHECK, TARGET_REDACT = 10.0, 5.0


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def peak_mb(fn) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


def families(policy: Policy) -> list[str]:
    from importlib import import_module

    present = []
    for fam, mod in DETECTOR_FAMILIES.items():
        if fam == "names" and not policy.names:
            continue
        try:
            import_module(mod)
        except ModuleNotFoundError:
            continue
        present.append(fam)
    return present


def rendered_pages(src: Path, tmp: Path) -> str:
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    if soffice is None:
        return "? (soffice not installed)"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp / "pdf"), str(src)], check=True, capture_output=True)
    import pypdfium2

    return str(len(pypdfium2.PdfDocument(str(tmp / "pdf" / (src.stem + ".pdf")))))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--verify-pages", action="store_true", help="count pages with LibreOffice (soffice)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        src, _ = F.long_document(Path(tmp) / "long.docx", pages=args.pages)
        size = src.stat().st_size
        doc = DocxAdapter().extract(src)
        chars = sum(len(s.text) for s in doc.segments)
        print(f"document: {args.pages} pages, {size / 1024:.0f} KiB, {len(doc.segments)} segments, {chars} characters")
        if args.verify_pages:
            print(f"LibreOffice renders it as {rendered_pages(src, Path(tmp))} PDF pages")
        t_extract = best_of(args.repeat, lambda: DocxAdapter().extract(src))
        print(f"extract only: {t_extract * 1000:.0f} ms ({args.pages / t_extract:.1f} pages/s)")

        for label, policy in (("default policy", Policy()), ("--no-names", Policy(names=False))):
            r = Redactor(policy)
            warm = r.scan(src)  # builds the detectors (model loading is not per page)
            n_findings = len(warm.findings)
            out = Path(tmp) / "out" / "long.docx"
            rep = r.redact(src, out)
            if rep.error:  # timed all the same: the work up to and including verification is done
                print(f"\n[{label}] WARNING: the redacted copy was refused: {rep.error}")
            t_check = best_of(args.repeat, lambda r=r: r.scan(src))
            t_redact = best_of(args.repeat, lambda r=r, out=out: r.redact(src, out))
            m_check = peak_mb(lambda r=r: r.scan(src))
            m_redact = peak_mb(lambda r=r, out=out: r.redact(src, out))
            pc, pr = args.pages / t_check, args.pages / t_redact
            print(f"\n[{label}] detector families: {', '.join(families(policy))}; {n_findings} findings, verdict {rep.verdict}")
            print(f"  check : {t_check * 1000:7.0f} ms  {pc:7.1f} pages/s  (target {TARGET_CHECK:g}: x{pc / TARGET_CHECK:.1f})"
                  f"  peak Python memory {m_check:.1f} MB")
            print(f"  redact: {t_redact * 1000:7.0f} ms  {pr:7.1f} pages/s  (target {TARGET_REDACT:g}: x{pr / TARGET_REDACT:.1f})"
                  f"  peak Python memory {m_redact:.1f} MB")
            print(f"  redact/check time ratio {t_redact / t_check:.2f}; extract share of check {t_extract / t_check:.0%}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\nprocess max RSS: {rss:.0f} MB")


if __name__ == "__main__":
    main()
