"""Throughput of scan_text (structured identifiers) next to a bare regex scan, in one run.

    python benchmarks/bench_structured.py [--mb 10]

Generates a corpus of Chinese government-style text with synthetic identifiers (about one
every 400 characters), then times, on the same text:
  bare:  one finditer of the combined alternation of every rule in patterns/structured.toml
  rules: each rule's own finditer over the whole text, summed (reference)
  full:  redactor.scan_text with names off (the normalised text view, fold, candidates, rules,
         validation, context, the confidentiality checker, policy, overlaps)
  view:  redactor.textview.view_of alone (its share of full is printed)
Prints MB/s for each and the ratio full/bare (target: <= 3). Machines here are noisy: the
ratio measured in one run is the number to compare, not the absolute times; scan_text is also
given per CPU second of this process (what one core does, whatever the neighbours do). To
compare two checkouts, run this script with each one's ``src`` on PYTHONPATH.
"""
from __future__ import annotations

import argparse
import random
import time

import regex

import redactor
from redactor.detect.structured import StructuredDetector
from redactor.policy import Policy
from redactor.synth import GENERATORS, Synth

try:
    from redactor.textview import view_of
except ImportError:  # a checkout from before the text view (for before/after comparisons)
    view_of = None

FILLER = (
    "根据《中华人民共和国政府信息公开条例》第二十条规定，现将有关情况公示如下。"
    "各乡镇人民政府、县直各部门要高度重视，切实加强组织领导，确保各项工作落到实处。"
    "2019年全县完成固定资产投资123.45亿元，同比增长8.6%。索引号：005192315/2019-00123。"
    "楚政办发〔2019〕12号文件要求，严格落实12345政务服务便民热线工作机制。"
)
LABELS = {"id_card": "身份证号码：", "mobile": "联系电话：", "landline": "电话：", "bank_card": "银行卡号：",
          "credit_code": "统一社会信用代码：", "email": "邮箱：", "passport": "护照号码：", "permit": "通行证号码：",
          "license_plate": "车牌号：", "ip_address": "IP地址："}


def corpus(mb: float, seed: int = 0) -> str:
    rnd = random.Random(seed)
    synth = Synth(rnd)
    parts: list[str] = []
    size = 0
    kinds = sorted(GENERATORS)
    while size < mb * 1_000_000:
        kind = rnd.choice(kinds)
        piece = FILLER[: rnd.randint(100, len(FILLER))] + LABELS[kind] + GENERATORS[kind](synth) + "。\n"
        parts.append(piece)
        size += len(piece.encode("utf-8"))
    return "".join(parts)


def best_of(n: int, fn) -> float:
    return best_of_both(n, fn)[0]


def best_of_both(n: int, fn) -> tuple[float, float]:
    """Best wall-clock and best CPU time of n runs."""
    wall, cpu = [], []
    for _ in range(n):
        t, c = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    text = corpus(args.mb)
    mb = len(text.encode("utf-8")) / 1_000_000
    det = StructuredDetector.default()
    bare = regex.compile("|".join(f"(?:{r.pattern.pattern})" for r in det.rules))
    policy = Policy(names=False)
    redactor.scan_text("预热", policy)  # load rules and region codes outside the timing

    hits = 0

    def run_bare():
        nonlocal hits
        hits = sum(1 for _ in bare.finditer(text))

    found = 0

    def run_full():
        nonlocal found
        found = len(redactor.scan_text(text, policy))

    def run_per_rule():
        for r in det.rules:
            for _ in r.pattern.finditer(text):
                pass

    t_view = best_of(args.repeat, lambda: view_of(text)) if view_of else None
    t_rules = best_of(1, run_per_rule)
    t_bare = best_of(args.repeat, run_bare)
    t_full, c_full = best_of_both(args.repeat, run_full)
    print(f"corpus: {mb:.1f} MB, {len(text):,} chars")
    print(f"bare regex scan : {mb / t_bare:7.2f} MB/s  ({hits:,} raw matches)")
    print(f"each rule alone : {mb / t_rules:7.2f} MB/s  (sum of {len(det.rules)} separate passes, for reference)")
    print(f"scan_text       : {mb / t_full:7.2f} MB/s  ({found:,} findings; {mb / c_full:.2f} MB per CPU second)")
    if t_view is not None:
        print(f"text view       : {mb / t_view:7.2f} MB/s  ({t_view / t_full:.0%} of scan_text)")
    print(f"ratio full/bare : {t_full / t_bare:.2f}x  (target <= 3x)")


if __name__ == "__main__":
    main()
