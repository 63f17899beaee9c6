"""Template-level cross-validation of the person/official detector on TRAIN+DEV only.

    python scripts/names_cv.py                 # 4 folds, person/official P/R per fold and pooled
    python scripts/names_cv.py --errors 40     # also print misses / false positives (with context)
    python scripts/names_cv.py --no-model      # rules only (the shipped model was trained on train)
    python scripts/names_cv.py --swap-surnames # every annotated name gets a real surname missing from
                                               # patterns/surnames.txt (name material never seen)

corpora/test.jsonl is never read. Every template id in corpora/manifest.json has the form
``genre.pool.index``; test-only templates (``index % 4 == 3``) never occur in train/dev. The
remaining templates of each pool are dealt round-robin into ``--folds`` groups (by their
position in the sorted list of indexes of that pool, so every pool and genre is split the same
way). Fold k evaluates the train+dev documents that use at least one fold-k template carrying
annotated values (a pool with person/official spans in some document), i.e. it looks at the
documents built from one quarter of each pool. The numbers are a *proxy*: the rules and the
model have seen train, so the CV is for looking at errors by template group (what a rule
written for one template misses on its neighbours), not an unbiased estimate; the test split
(held-out templates, places and name material) stays the only honest score.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from redactor.evaluate import Counts, compare
from redactor.pipeline import Redactor
from redactor.policy import Policy

KINDS = ("person", "official")
# Real Chinese surnames that patterns/surnames.txt lacks (Hubei/Guizhou 庹, Yunnan 撒 沐, ...):
# documents name people whose surname no list has. None of them occurs in the corpus.
UNLISTED_SURNAMES = "笮眭蹇庹禚麴撒斛沐"


def swap_surnames(doc: dict) -> dict:
    """The same document with every annotated single-character surname replaced, consistently
    per name, by an unlisted one (same length, so the offsets stay valid)."""
    from redactor.detect import gazetteer

    sn = gazetteer.surnames()
    text = doc["text"]
    new_of: dict[str, str] = {}
    for sp in doc["spans"]:
        if sp["kind"] not in KINDS:
            continue
        name = text[sp["start"]:sp["end"]]
        sur = sn.at(name, 0)
        if sur and len(sur) == 1 and name not in new_of:
            new_of[name] = UNLISTED_SURNAMES[len(new_of) % len(UNLISTED_SURNAMES)] + name[1:]
    chars = list(text)
    for sp in doc["spans"]:
        name = text[sp["start"]:sp["end"]]
        if sp["kind"] in KINDS and name in new_of:
            chars[sp["start"]:sp["end"]] = new_of[name]
    return {**doc, "text": "".join(chars)}


def folds_of(manifest: dict, nfolds: int) -> dict[str, int]:
    """template id -> fold, for every template used in train/dev."""
    pools: dict[str, set[int]] = defaultdict(set)
    for meta in manifest["documents"].values():
        if meta["split"] == "test":
            continue
        for t in meta["templates"]:
            pool, _, idx = t.rpartition(".")
            pools[pool].add(int(idx))
    out = {}
    for pool, idxs in pools.items():
        for pos, idx in enumerate(sorted(idxs)):
            out[f"{pool}.{idx}"] = pos % nfolds
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=4)
    ap.add_argument("--errors", type=int, default=0, help="print up to N misses and N false positives")
    ap.add_argument("--no-model", action="store_true", help="rules only")
    ap.add_argument("--swap-surnames", action="store_true", help="give every annotated name an unlisted surname")
    ap.add_argument("--genre", default="", help="only documents whose id starts with this prefix")
    args = ap.parse_args(argv)

    manifest = json.loads((ROOT / "corpora" / "manifest.json").read_text(encoding="utf-8"))
    fold = folds_of(manifest, args.folds)
    docs = []
    for split in ("train", "dev"):  # never test
        with (ROOT / "corpora" / f"{split}.jsonl").open(encoding="utf-8") as fh:
            docs += [json.loads(line) for line in fh if line.strip()]
    docs = [d for d in docs if d["id"].startswith(args.genre)]
    if args.swap_surnames:
        docs = [swap_surnames(d) for d in docs]
    # pools whose templates carry annotated names somewhere: a template there may hold a name
    named_pools = set()
    for d in docs:
        if any(s["kind"] in KINDS for s in d["spans"]):
            named_pools.update(t.rpartition(".")[0] for t in manifest["documents"][d["id"]]["templates"])

    red = Redactor(Policy())
    if args.no_model:
        from redactor.detect.names import NameDetector

        for det in red.detectors:
            if isinstance(det, NameDetector):
                det.use_model = False
    preds: dict[str, dict[str, list]] = {}
    for d in docs:
        p: dict[str, list] = defaultdict(list)
        for f in red.scan_text(d["text"]):
            if f.kind in KINDS:
                p[f.kind].append((f.start, f.end))
        preds[d["id"]] = p

    pooled = {k: Counts() for k in KINDS}
    errors: list[tuple[str, str, str, str]] = []
    print(f"{'fold':6} {'docs':>5}  " + "  ".join(f"{k + ' P/R/R~':>26}" for k in KINDS))
    for k in range(args.folds):
        sel = [
            d for d in docs
            if any(fold.get(t) == k and t.rpartition(".")[0] in named_pools for t in manifest["documents"][d["id"]]["templates"])
        ]
        per = {kind: Counts() for kind in KINDS}
        for d in sel:
            gold = defaultdict(list)
            for s in d["spans"]:
                gold[s["kind"]].append((s["start"], s["end"]))
            for kind in KINDS:
                c = compare(gold[kind], preds[d["id"]][kind])
                per[kind].add(c)
                pooled[kind].add(c)
                gs, ps = set(gold[kind]), set(preds[d["id"]][kind])
                t = d["text"]
                for a, b in sorted(gs - ps):
                    errors.append((f"fold{k}", "MISS " + kind, d["id"], f"{t[max(0, a - 12):a]}[{t[a:b]}]{t[b:b + 12]}"))
                for a, b in sorted(ps - gs):
                    errors.append((f"fold{k}", "FP   " + kind, d["id"], f"{t[max(0, a - 12):a]}[{t[a:b]}]{t[b:b + 12]}"))
        cells = []
        for kind in KINDS:
            s = per[kind].scores()
            cells.append(f"{s['strict_p']:.3f}/{s['strict_r']:.3f}/{s['overlap_r']:.3f} ({per[kind].gold:4d})")
        print(f"fold{k:<2} {len(sel):5d}  " + "  ".join(f"{c:>26}" for c in cells))
    cells = []
    for kind in KINDS:
        s = pooled[kind].scores()
        cells.append(f"{s['strict_p']:.3f}/{s['strict_r']:.3f}/{s['overlap_r']:.3f} ({pooled[kind].gold:4d})")
    print(f"{'pooled':6} {'':5}  " + "  ".join(f"{c:>26}" for c in cells))
    if args.errors:
        seen: set[tuple[str, str, str]] = set()
        shown = defaultdict(int)
        for f, what, did, ctx in errors:
            key = (what, did, ctx)
            if key in seen or shown[what[:4]] >= args.errors:
                continue
            seen.add(key)
            shown[what[:4]] += 1
            print(f"{f} {what:16} {did:10} {ctx}".replace("\n", "⏎").replace("\t", "⇥"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
