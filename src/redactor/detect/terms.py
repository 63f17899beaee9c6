"""The policy's deny list: terms and regexes that are always masked (kind ``denied``)."""
from __future__ import annotations

from typing import Iterable

import regex

from ..findings import Finding
from .base import DetectContext



class DenyListDetector:
    name = "deny_list"

    def __init__(self, terms: Iterable[str], patterns: Iterable[str]) -> None:
        parts = [regex.escape(t) for t in sorted(set(terms), key=len, reverse=True) if t]
        parts += [f"(?:{p})" for p in patterns]
        self._pattern = regex.compile("|".join(parts)) if parts else None

    def detect(self, text: str, ctx: DetectContext) -> Iterable[Finding]:
        if self._pattern is None:
            return
        for m in self._pattern.finditer(text):
            if m.end() > m.start():
                yield Finding("denied", m.start(), m.end(), m.group(), 1.0, "policy.deny",
                              "listed in the policy's deny list", ctx.index)


def build(policy) -> list[DenyListDetector]:
    if not policy.deny and not policy.deny_regex:
        return []
    return [DenyListDetector(policy.deny, policy.deny_regex)]
