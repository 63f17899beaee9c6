"""Benchmark: model load time and scan_text throughput with names and addresses on.

    python benchmarks/bench_names.py [--corpus corpora/test.jsonl] [--repeat 3]

Runs on one core (BLAS/OpenMP threads pinned to 1, process pinned to one CPU where the OS
allows it). Load time is measured in a fresh interpreter: ``import redactor`` plus loading the
shipped name model. Throughput: ``Redactor().scan_text`` over every document of the corpus
(all detectors, overlap resolution), best of ``--repeat`` passes, after one warm-up document.
Reported per wall-clock second and per CPU second of this process: on a shared machine (load
average above the number of cores) the wall-clock figure measures the neighbours too, so the
CPU-second figure is the one-core throughput. Targets (issue 3): >= 50,000 characters/s, load < 2 s.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

ROOT = Path(__file__).resolve().parent.parent


def load_seconds() -> tuple[float, float, float]:
    code = (
        "import time; t=time.perf_counter(); import redactor; t1=time.perf_counter(); c1=time.process_time();"
        "from redactor.detect import ner; ner.load(); t2=time.perf_counter(); c2=time.process_time();"
        "print(t1-t, t2-t1, c2-c1)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ.copy())
    a, b, c = out.stdout.split()
    return float(a), float(b), float(c)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "corpora" / "test.jsonl"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        except OSError:
            pass

    import_s, model_s, model_cpu = load_seconds()
    from redactor.pipeline import Redactor
    from redactor.policy import Policy

    texts = [json.loads(line)["text"] for line in Path(args.corpus).read_text(encoding="utf-8").splitlines() if line.strip()]
    chars = sum(map(len, texts))
    results = {}
    for label, policy in (("names on", Policy()), ("names off", Policy(names=False))):
        red = Redactor(policy)
        red.scan_text(texts[0])  # warm-up: builds detectors, loads the model
        best, best_cpu = float("inf"), float("inf")
        for _ in range(args.repeat):
            t, c = time.perf_counter(), time.process_time()
            for text in texts:
                red.scan_text(text)
            best = min(best, time.perf_counter() - t)
            best_cpu = min(best_cpu, time.process_time() - c)
        results[label] = (chars / best, chars / best_cpu)
    report = {
        "corpus": os.path.relpath(args.corpus, ROOT),
        "documents": len(texts),
        "characters": chars,
        "import_seconds": round(import_s, 3),
        "model_load_seconds": round(model_s, 3),
        "model_load_cpu_seconds": round(model_cpu, 3),
        "chars_per_second_names_on": round(results["names on"][0]),
        "chars_per_cpu_second_names_on": round(results["names on"][1]),
        "chars_per_second_names_off": round(results["names off"][0]),
        "chars_per_cpu_second_names_off": round(results["names off"][1]),
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for k, v in report.items():
            print(f"{k:28} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
