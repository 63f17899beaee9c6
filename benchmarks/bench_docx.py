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

    python benchmarks/bench_docx.py --baseline /work/main/src

also runs the same measurement with another checkout's ``src`` (a subprocess per side,
alternated ``--rounds`` times, best of each) and prints after/before ratios of pages/s: the
machine is shared, so both sides are measured in one run, interleaved.

    python benchmarks/bench_docx.py --ab /work/main/src/redactor/formats/docx.py

loads an earlier DOCX adapter module from a file (as ``redactor.formats._docx_before``, sharing
this checkout's pipeline and detectors) and times both adapters in one process, alternating
run by run, the order swapped each round, a garbage collection before each run (best of
``--repeat`` each): the fairest before/after on a busy machine.

    python benchmarks/bench_docx.py --memory

prints the peak resident memory (a fresh process per case) of check and redact on a
paragraph bomb (300 KB inflating to 3 million empty paragraphs: refused), on a document just
under the adapter's markup budget (refused or read, never over 1 GB) and on the 50-page file.
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


def measure_json(pages: int, repeat: int) -> dict[str, float]:
    """pages/s of check and redact (both policies) on the generated document: one side of --baseline."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        src, _ = F.long_document(Path(tmp) / "long.docx", pages=pages)
        out["extract"] = pages / best_of(repeat, lambda: DocxAdapter().extract(src))
        for label, policy in (("default", Policy()), ("no-names", Policy(names=False))):
            r = Redactor(policy)
            r.scan(src)
            dest = Path(tmp) / "out" / "long.docx"
            r.redact(src, dest)
            out[f"check {label}"] = pages / best_of(repeat, lambda r=r: r.scan(src))
            out[f"redact {label}"] = pages / best_of(repeat, lambda r=r, d=dest: r.redact(src, d))
    return out


def compare(baseline: str, pages: int, repeat: int, rounds: int) -> None:
    import json
    import os
    import subprocess

    here = str(Path(__file__).resolve().parent.parent / "src")
    best: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    for _ in range(rounds):
        for side, src in (("before", baseline), ("after", here)):
            env = dict(os.environ, PYTHONPATH=src)
            res = subprocess.run([sys.executable, __file__, "--json", "--pages", str(pages), "--repeat", str(repeat)],
                                 env=env, capture_output=True, text=True, check=True)
            for k, v in json.loads(res.stdout.strip().splitlines()[-1]).items():
                best[side][k] = max(best[side].get(k, 0.0), v)
    print(f"pages/s, best of {rounds} rounds x {repeat} runs; before = {baseline}, after = {here}")
    for k in best["after"]:
        b, a = best["before"].get(k, 0.0), best["after"][k]
        print(f"  {k:18s} before {b:7.1f}  after {a:7.1f}  ratio {a / b if b else float('nan'):.2f}")


def ab(before_file: str, pages: int, repeat: int) -> None:
    import importlib.util

    from redactor import formats

    spec = importlib.util.spec_from_file_location("redactor.formats._docx_before", before_file)
    old = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = old
    spec.loader.exec_module(old)
    sides = {"before": old.DocxAdapter, "after": DocxAdapter}
    key = next(f.adapter for f in formats.FORMATS if f.name == "docx")
    with tempfile.TemporaryDirectory() as tmp:
        src, _ = F.long_document(Path(tmp) / "long.docx", pages=pages)
        best: dict[tuple[str, str], float] = {}
        runners = {"default": Redactor(Policy()), "no-names": Redactor(Policy(names=False))}
        for r in runners.values():
            r.scan(src)
        import gc

        def timed(k: tuple[str, str], fn) -> None:
            gc.collect()  # each run starts from the same heap: no collection left over from the other side
            t = time.perf_counter()
            fn()
            best[k] = min(best.get(k, 9e9), time.perf_counter() - t)

        for i in range(repeat):
            for side, cls in (list(sides.items()) if i % 2 == 0 else list(sides.items())[::-1]):
                formats._cache[key] = cls()
                timed(("extract", side), lambda cls=cls: cls().extract(src))
                for label, r in runners.items():
                    timed((f"check {label}", side), lambda r=r: r.scan(src))
                    timed((f"redact {label}", side), lambda r=r, side=side: r.redact(src, Path(tmp) / f"out-{side}.docx"))
        formats._cache.pop(key, None)
    print(f"pages/s, {pages} pages, best of {repeat} alternating runs in one process; before = {before_file}")
    for what in ("extract", "check default", "redact default", "check no-names", "redact no-names"):
        b, a = pages / best[(what, "before")], pages / best[(what, "after")]
        print(f"  {what:16s} before {b:7.1f}  after {a:7.1f}  ratio {a / b:.2f}")


def memory_cases() -> None:
    """Peak RSS of check and redact, a fresh process per case (see the module doc)."""
    import random
    import subprocess

    cases = {}
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        head = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document '
                b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
        tail = b"<w:p><w:r><w:t>13800000000</w:t></w:r></w:p></w:body></w:document>"

        def with_body(name: str, body: bytes) -> Path:
            import io

            buf = io.BytesIO()
            F.new_document().save(buf)
            raw = F.RawDocx(buf.getvalue())
            raw.parts["word/document.xml"] = head + body + tail
            path = t / name
            path.write_bytes(raw.to_bytes())
            return path

        cases["paragraph bomb (3M <w:p/>)"] = with_body("bomb.docx", b"<w:p/>" * 3_000_000)
        rng = random.Random(1)
        cases["0.95M paragraphs, ids (under budget)"] = with_body(
            "many.docx", b"".join(b'<w:p w:rsidR="%08X"/>' % rng.getrandbits(32) for _ in range(950_000)))
        cases["1.5M paragraphs, ids (over budget)"] = with_body(
            "over.docx", b"".join(b'<w:p w:rsidR="%08X"/>' % rng.getrandbits(32) for _ in range(1_500_000)))
        cases["50 pages"] = F.long_document(t / "long.docx", pages=50)[0]
        code = ("import resource,sys;from redactor.pipeline import Redactor;from redactor.policy import Policy;"
                "import redactor.formats.docx;"
                "r=Redactor(Policy(names=False));"
                "rep=r.scan(sys.argv[1]) if sys.argv[2]=='check' else r.redact(sys.argv[1],sys.argv[1]+'.out.docx');"
                "print(rep.verdict,(rep.error or '')[:70].replace(sys.argv[1],'FILE'));"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss//1024)")
        for label, path in cases.items():
            for mode in ("check", "redact"):
                res = subprocess.run([sys.executable, "-c", code, str(path), mode], capture_output=True, text=True)
                lines = res.stdout.strip().splitlines()
                verdict, peak = (lines[0], lines[1]) if len(lines) == 2 else (res.stderr.strip()[-80:], "?")
                print(f"  {label:38s} {path.stat().st_size // 1024:6d} KiB  {mode:6s} peak RSS {peak:>5s} MB  {verdict}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--verify-pages", action="store_true", help="count pages with LibreOffice (soffice)")
    ap.add_argument("--baseline", help="another checkout's src/ to compare pages/s with, in the same run")
    ap.add_argument("--rounds", type=int, default=3, help="alternations of the two sides with --baseline")
    ap.add_argument("--memory", action="store_true", help="peak memory of check/redact on bombs and big files")
    ap.add_argument("--ab", help="an earlier formats/docx.py to time against, alternating in one process")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.json:
        import json

        print(json.dumps(measure_json(args.pages, args.repeat)))
        return
    if args.ab:
        ab(args.ab, args.pages, args.repeat)
        return
    if args.baseline:
        compare(args.baseline, args.pages, args.repeat, args.rounds)
        return
    if args.memory:
        memory_cases()
        return

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
