"""Evaluate the detectors on an annotated corpus (``corpora/*.jsonl``).

Corpus format: one JSON object per line ``{"id", "genre", "text", "spans": [{"start", "end",
"kind"}]}`` with character offsets (end exclusive). Each document is scanned with
``Redactor.scan_text`` (the full pipeline: all detectors, overlap resolution, policy
thresholds) and compared per kind:

  strict   a prediction counts when its span and kind equal a gold span's
  overlap  a prediction counts when it overlaps a gold span of the same kind
           (each gold span and each prediction is matched at most once)

Kinds are never merged: an ``official`` gold span predicted as ``person`` is a person false
positive (and an official false negative).

    redactor eval corpora/test.jsonl [--by-genre] [--json] [--kinds person,official,address]
"""
from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .policy import Policy


@dataclass
class Counts:
    gold: int = 0
    pred: int = 0
    tp_strict: int = 0
    tp_overlap_gold: int = 0  # gold spans hit by some prediction
    tp_overlap_pred: int = 0  # predictions that hit some gold span

    def add(self, other: Counts) -> None:
        for k in self.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def scores(self) -> dict[str, float]:
        def prf(tp_p: int, tp_r: int) -> tuple[float, float, float]:
            p = tp_p / self.pred if self.pred else (1.0 if not self.gold else 0.0)
            r = tp_r / self.gold if self.gold else 1.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return p, r, f

        sp, sr, sf = prf(self.tp_strict, self.tp_strict)
        op, orr, of = prf(self.tp_overlap_pred, self.tp_overlap_gold)
        return {"strict_p": sp, "strict_r": sr, "strict_f1": sf, "overlap_p": op, "overlap_r": orr, "overlap_f1": of}


@dataclass
class EvalResult:
    per_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    per_genre: dict[str, dict[str, Counts]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Counts)))
    docs: int = 0
    chars: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "docs": self.docs,
            "chars": self.chars,
            "seconds": round(self.seconds, 3),
            "kinds": {k: {**c.__dict__, **{n: round(v, 4) for n, v in c.scores().items()}} for k, c in sorted(self.per_kind.items())},
            "genres": {
                g: {k: {n: round(v, 4) for n, v in c.scores().items()} | {"gold": c.gold, "pred": c.pred} for k, c in sorted(kinds.items())}
                for g, kinds in sorted(self.per_genre.items())
            },
        }


Span = tuple[int, int]


def compare(gold: Sequence[Span], pred: Sequence[Span]) -> Counts:
    """Counts for one kind in one document."""
    c = Counts(gold=len(gold), pred=len(pred))
    gset = set(gold)
    c.tp_strict = sum(1 for p in set(pred) if p in gset)
    c.tp_overlap_gold = sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in pred))
    c.tp_overlap_pred = sum(1 for p in pred if any(p[0] < g[1] and g[0] < p[1] for g in gold))
    return c


def read_corpus(paths: Iterable[str | Path]) -> Iterator[dict]:
    for p in paths:
        path = Path(p)
        files = sorted(path.glob("test.jsonl")) or sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
        for f in files:
            with f.open(encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        yield json.loads(line)


def evaluate(paths: Iterable[str | Path], policy: Policy | None = None, kinds: Sequence[str] | None = None) -> EvalResult:
    from .pipeline import Redactor

    red = Redactor(policy or Policy())
    res = EvalResult()
    t0 = time.perf_counter()
    for doc in read_corpus(paths):
        text = doc["text"]
        gold: dict[str, list[Span]] = defaultdict(list)
        for s in doc["spans"]:
            gold[s["kind"]].append((s["start"], s["end"]))
        pred: dict[str, list[Span]] = defaultdict(list)
        for f in red.scan_text(text):
            pred[f.kind].append((f.start, f.end))
        wanted = set(kinds) if kinds else set(gold) | set(pred)
        for k in wanted:
            c = compare(gold.get(k, []), pred.get(k, []))
            res.per_kind[k].add(c)
            res.per_genre[doc.get("genre", "")][k].add(c)
        res.docs += 1
        res.chars += len(text)
    res.seconds = time.perf_counter() - t0
    return res


def format_table(res: EvalResult, by_genre: bool = False) -> str:
    """The scores as a table. A score with nothing to measure is shown as '-': precision when
    nothing was predicted, recall (and F1) when the corpus has no gold span of that kind."""
    names = [k for k in res.per_kind] + ["  " + k for kinds in res.per_genre.values() for k in kinds] if by_genre else list(res.per_kind)
    width = max([4, *map(len, names)]) + 1
    lines = [f"{res.docs} documents, {res.chars} characters, {res.seconds:.1f} s"]
    head = f"{'kind':{width}} {'gold':>5} {'pred':>5}   {'P':>6} {'R':>6} {'F1':>6}   {'P~':>6} {'R~':>6} {'F1~':>6}"
    lines += ["strict: exact span and kind; ~ overlap: same kind, spans overlap; '-': nothing to measure", head]

    def num(value: float, defined: bool) -> str:
        return f"{value:6.3f}" if defined else f"{'-':>6}"

    def row(name: str, c: Counts) -> str:
        s = c.scores()
        p_ok, r_ok = c.pred > 0, c.gold > 0
        return (
            f"{name:{width}} {c.gold:5d} {c.pred:5d}   {num(s['strict_p'], p_ok)} {num(s['strict_r'], r_ok)} "
            f"{num(s['strict_f1'], p_ok and r_ok)}   {num(s['overlap_p'], p_ok)} {num(s['overlap_r'], r_ok)} "
            f"{num(s['overlap_f1'], p_ok and r_ok)}"
        )

    for k, c in sorted(res.per_kind.items()):
        lines.append(row(k, c))
    if by_genre:
        for g, kinds in sorted(res.per_genre.items()):
            lines.append(f"-- {g}")
            for k, c in sorted(kinds.items()):
                if c.gold or c.pred:
                    lines.append(row("  " + k, c))
    return "\n".join(lines)


__all__ = ["Counts", "EvalResult", "compare", "evaluate", "format_table", "read_corpus"]


def add_subcommand(sub) -> None:
    """Register ``redactor eval CORPUS...`` on the CLI's subparsers."""
    p = sub.add_parser("eval", help="precision/recall/F1 per kind on an annotated corpus (JSONL)")
    p.add_argument("corpus", nargs="+", metavar="CORPUS", help="JSONL file(s), or a folder (its test.jsonl)")
    p.add_argument("--config", help="config file (default: built-in policy)")
    p.add_argument("--kinds", help="comma-separated kinds to score (default: all seen)")
    p.add_argument("--by-genre", action="store_true", help="also print scores per genre")
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=cmd_eval)


def cmd_eval(args) -> int:
    import sys

    from .errors import ConfigError

    policy = Policy.from_file(args.config) if args.config else Policy()
    for c in args.corpus:
        if not Path(c).exists():
            raise ConfigError(f"corpus not found: {c}")
    kinds = [k.strip() for k in args.kinds.split(",")] if args.kinds else None
    res = evaluate(args.corpus, policy, kinds)
    if args.json:
        json.dump(res.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(format_table(res, by_genre=args.by_genre))
    return 0
