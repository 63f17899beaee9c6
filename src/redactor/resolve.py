"""Overlap resolution: one span of text gets one masking decision.

Only findings that compete for the same characters are resolved: personal and organisation
findings (an 18-digit string may be an ID, a card and a credit code at once). Confidential
and hidden findings describe the file, not a value to mask, and are kept as they are.
"""
from __future__ import annotations

from typing import Iterable

from .findings import CONFIDENTIAL, HIDDEN, PERSONAL, Finding, sorted_findings


def _rank(f: Finding) -> tuple[float, int, int]:
    # Higher score first, then personal over organisation (the safer reading), then longer.
    return (f.score, 1 if f.category == PERSONAL else 0, f.end - f.start)


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    """Keep the best finding for each overlapping group; extend it to cover partial overlaps
    with other personal findings so no character that any personal finding claimed stays."""
    passive: list[Finding] = []
    competing: list[Finding] = []
    for f in findings:
        (passive if f.category in (CONFIDENTIAL, HIDDEN) else competing).append(f)
    # Exact duplicates (same kind and span from two rules) collapse first.
    unique: dict[tuple[int, int, int, str], Finding] = {}
    for f in competing:
        key = (f.segment, f.start, f.end, f.kind)
        if key not in unique or f.score > unique[key].score:
            unique[key] = f
    accepted: list[Finding] = []
    for f in sorted(unique.values(), key=_rank, reverse=True):
        clash = [i for i, a in enumerate(accepted) if a.segment == f.segment and a.start < f.end and f.start < a.end]
        if not clash:
            accepted.append(f)
            continue
        if f.category != PERSONAL:
            continue
        for i in clash:
            a = accepted[i]
            if a.start <= f.start and f.end <= a.end:
                continue
            if a.category != PERSONAL:  # a personal value reaches outside an organisation code
                continue
            # Partial overlap of two personal findings: mask the union under the winner's kind.
            start, end = min(a.start, f.start), max(a.end, f.end)
            text = _union_text(a, f)
            accepted[i] = a.with_(start=start, end=end, text=text, rule=a.rule + "+" + f.rule)
    return sorted_findings(passive + accepted)


def _union_text(a: Finding, b: Finding) -> str:
    first, second = (a, b) if a.start <= b.start else (b, a)
    overlap = first.end - second.start
    if overlap >= len(second.text):
        return first.text
    return first.text + second.text[overlap:]
