"""Overlap resolution: one span of text gets one masking decision.

Only findings that compete for the same characters are resolved: personal and organisation
findings (an 18-digit string may be an ID, a card and a credit code at once). Confidential
and hidden findings describe the file, not a value to mask, and are kept as they are.
Findings are first grouped into clusters of transitively overlapping spans (one sort and a
sweep, O(n log n)); the ranking then runs inside each small cluster.
"""
from __future__ import annotations

from typing import Iterable

from .findings import CONFIDENTIAL, HIDDEN, PERSONAL, Finding, sorted_findings


def _rank(f: Finding) -> tuple[float, int, int]:
    # Higher score first, then personal over organisation (the safer reading), then longer.
    return (f.score, 1 if f.category == PERSONAL else 0, f.end - f.start)


def _clusters(findings: list[Finding]) -> Iterable[list[Finding]]:
    group: list[Finding] = []
    seg, end = None, -1
    for f in sorted(findings, key=lambda f: (f.segment, f.start)):
        if group and (f.segment != seg or f.start >= end):
            yield group
            group = []
        if not group:
            seg, end = f.segment, f.end
        group.append(f)
        end = max(end, f.end)
    if group:
        yield group


def _resolve_cluster(cluster: list[Finding]) -> list[Finding]:
    if len(cluster) == 1:
        return cluster
    accepted: list[Finding] = []
    for f in sorted(cluster, key=_rank, reverse=True):
        clash = [i for i, a in enumerate(accepted) if a.start < f.end and f.start < a.end]
        if not clash:
            accepted.append(f)
            continue
        if f.category != PERSONAL:
            continue
        for i in clash:
            a = accepted[i]
            if (a.start <= f.start and f.end <= a.end) or a.category != PERSONAL:
                continue
            # Partial overlap of two personal findings: mask the union under the winner's kind,
            # so no character that any personal finding claimed stays readable.
            accepted[i] = a.with_(start=min(a.start, f.start), end=max(a.end, f.end),
                                  text=_union_text(a, f), rule=a.rule + "+" + f.rule)
    return accepted


def resolve_overlaps(findings: Iterable[Finding]) -> list[Finding]:
    passive: list[Finding] = []
    unique: dict[tuple[int, int, int, str], Finding] = {}
    for f in findings:
        if f.category in (CONFIDENTIAL, HIDDEN):
            passive.append(f)
            continue
        key = (f.segment, f.start, f.end, f.kind)  # the same value found by two rules
        if key not in unique or f.score > unique[key].score:
            unique[key] = f
    accepted: list[Finding] = []
    for cluster in _clusters(list(unique.values())):
        accepted.extend(_resolve_cluster(cluster))
    return sorted_findings(passive + accepted)


def _union_text(a: Finding, b: Finding) -> str:
    first, second = (a, b) if a.start <= b.start else (b, a)
    overlap = first.end - second.start
    if overlap >= len(second.text):
        return first.text
    return first.text + second.text[overlap:]
