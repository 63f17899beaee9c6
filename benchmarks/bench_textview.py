"""Throughput of the normalised text view and of the OpenCC converter it uses.

    python benchmarks/bench_textview.py [--corpus ../shared/data/realdev/dev.jsonl ...]
    python benchmarks/bench_textview.py --opencc-path DIR   # another OpenCC build, e.g. one
        installed with `pip install --target DIR opencc-python-reimplemented` (both packages
        install a module named `opencc`, so they cannot share one environment)

Reads the corpora at run time (real texts; none is copied into the repository) and prints, per
CPU second of this process: ``view_of`` over every document, OpenCC ``t2s`` over the documents
in traditional script (genre marked 繁体) and over the others, and the converter's load time.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT.parent / "shared/data/realdev/dev.jsonl", ROOT.parent / "shared/data/realdev/test.jsonl"]


def best_cpu(n: int, fn) -> float:
    times = []
    for _ in range(n):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return max(min(times), 1e-9)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--opencc-path", help="directory holding another build of the `opencc` module")
    args = ap.parse_args()
    if args.opencc_path:
        sys.path.insert(0, args.opencc_path)
    docs = [json.loads(line) for p in args.corpus if p.exists() for line in p.open(encoding="utf-8")]
    if not docs:
        raise SystemExit("no corpus found: pass --corpus FILE.jsonl")
    trad = "".join(d["text"] for d in docs if "繁体" in d.get("genre", ""))
    simp = "".join(d["text"] for d in docs if "繁体" not in d.get("genre", ""))

    t = time.process_time()
    import opencc  # noqa: PLC0415 - after --opencc-path

    conv = opencc.OpenCC("t2s")
    load = time.process_time() - t
    print(f"opencc module   : {opencc.__file__}")
    print(f"converter load  : {load * 1000:.0f} ms CPU")
    for name, text in (("traditional", trad), ("simplified", simp)):
        if text:
            sec = best_cpu(args.repeat, lambda text=text: conv.convert(text))
            print(f"t2s {name:<12}: {len(text) / sec / 1e3:9,.0f} k chars per CPU second ({len(text):,} chars)")

    if args.opencc_path:
        return  # the view itself imports the installed OpenCC; compare the converter only
    from redactor.textview import view_of  # noqa: PLC0415

    t = time.process_time()
    view_of("預熱")  # the tables the view builds on first use
    print(f"view first use  : {(time.process_time() - t) * 1000:.0f} ms CPU (tables and converter)")
    texts = [d["text"] for d in docs]
    total = sum(map(len, texts))
    sec = best_cpu(args.repeat, lambda: [view_of(x) for x in texts])
    changed = sum(1 for x in texts if not view_of(x).is_identity)
    print(f"view_of         : {total / sec / 1e3:9,.0f} k chars per CPU second ({len(texts)} documents, "
          f"{total:,} chars; {changed} documents differ from their view)")


if __name__ == "__main__":
    main()
