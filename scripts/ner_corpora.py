"""Readers for the reference NER corpora in ../shared/data/ner (read at run time, never copied).

Every reader yields ``(text, [(start, end), ...])`` with the person spans only (end exclusive).
See ../shared/data/ner/PROVENANCE.md for where each corpus comes from.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

NER_DIR = Path(os.environ.get("REDACTOR_NER_DATA", Path(__file__).resolve().parents[2] / "shared" / "data" / "ner"))

Example = tuple[str, list[tuple[int, int]]]


def _bio_lines(path: Path, sep: str | None, person: set[str], strip_digit: bool = False) -> Iterator[Example]:
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> Example | None:
        if not chars:
            return None
        spans: list[tuple[int, int]] = []
        start = None
        for i, t in enumerate(tags + ["O"]):
            pos, _, typ = t.partition("-")
            inside = typ in person
            if start is not None and (not inside or pos in ("B", "S")):
                spans.append((start, i))
                start = None
            if inside and pos in ("B", "S") or inside and start is None:
                start = i
            if inside and pos in ("E", "S"):
                spans.append((start, i + 1))
                start = None
        return "".join(chars), spans

    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                ex = flush()
                if ex:
                    yield ex
                chars, tags = [], []
                continue
            parts = line.split(sep) if sep else line.split()
            if len(parts) < 2:
                continue
            ch = parts[0]
            if strip_digit and len(ch) > 1 and ch[-1].isdigit():
                ch = ch[:-1]
            if len(ch) != 1:
                ch = ch[:1] or " "
            chars.append(ch)
            tags.append(parts[-1])
    ex = flush()
    if ex:
        yield ex


def msra_test() -> Iterator[Example]:
    return _bio_lines(NER_DIR / "msra" / "msra_test_bio.txt", "\t", {"PER"})


def peoples_daily(split: str) -> Iterator[Example]:
    return _bio_lines(NER_DIR / "peoples_daily_1998" / f"example.{split}", " ", {"PER"})


def resume(split: str) -> Iterator[Example]:
    return _bio_lines(NER_DIR / "resume" / f"{split}.char.bmes", " ", {"NAME"})


def weibo(split: str) -> Iterator[Example]:
    return _bio_lines(NER_DIR / "weibo" / f"weiboNER_2nd_conll.{split}", "\t", {"PER.NAM"}, strip_digit=True)


def cluener(split: str) -> Iterator[Example]:
    with (NER_DIR / "cluener2020" / f"{split}.json").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            spans = [(s, e + 1) for mentions in d.get("label", {}).get("name", {}).values() for s, e in mentions]
            yield d["text"], sorted(spans)


def cail_masked() -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """CAIL2021 judgment sentences; spans are the (already masked) suspect and victim names."""
    seen: set[str] = set()
    with (NER_DIR / "cail2021_xxcq" / "xxcq_mid.json").open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = d["context"]
            if text in seen:
                continue
            seen.add(text)
            spans = []
            for ent in d["entities"]:
                if ent["label"] in ("NHCS", "NHVI"):
                    for sp in ent["span"]:
                        s, e = map(int, sp.split(";"))
                        spans.append((s, e))
            yield text, sorted(set(spans))
