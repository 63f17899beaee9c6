"""Structured identifiers (IDs, phones, cards, plates ...) from the rules in patterns/structured.toml.

Speed: every identifier is a run of ASCII letters/digits (after folding) of 6+ characters,
possibly with separators. One pass of the stdlib ``re`` engine finds those runs
("candidates"); only there are the rules tried, and only the rules whose cheap prefilter
(min_digits, needs, needs_letter) the run passes. Measured by benchmarks/bench_structured.py:
a combined alternation of all rules is 2-3x slower than this on CJK text (the engine tries
every alternative at every position); separate whole-text passes of each rule cost about the
same as this today, but grow with every rule added, while candidates do not. One digit run
can be several things (an 18-digit string may be an ID or a card): every rule is tried,
validators and context decide, and overlap resolution (redactor/resolve.py) picks one.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Mapping

import regex

from ..findings import Finding
from ..patterns_data import pattern_path
from ..textview import fold
from .base import DetectContext
from .validators import VALIDATORS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str
    pattern: "regex.Pattern[str]"
    validator: Callable[[str], bool]
    validator_name: str
    score: float
    explanation: str
    strip: str = ""
    prefix_bonus: Mapping[str, float] = field(default_factory=dict)
    all_digits_penalty: float = 0.0
    min_digits: int = 0
    needs: str = ""
    needs_letter: bool = False
    # a rule that only applies after a label (身份证号码：...) or under a column headed by one
    label: "regex.Pattern[str] | None" = None
    label_words: "regex.Pattern[str] | None" = None

    def labelled(self, folded: str, start: int, header: str) -> bool:
        if self.label is None:
            return True
        return self.label.search(folded, max(0, start - _LABEL_WINDOW), start) is not None or bool(
            header and self.label_words is not None and self.label_words.search(header)
        )

    def may_match(self, digits: int, window: str, has_letter: bool) -> bool:
        """Cheap prefilter on a candidate window; the regex decides."""
        if digits < self.min_digits or (self.needs_letter and not has_letter):
            return False
        return not self.needs or any(c in window for c in self.needs)

    def normalise(self, value: str) -> str:
        if not self.strip:
            return value
        return value.translate({ord(c): None for c in self.strip})


@dataclass(frozen=True)
class ContextWords:
    before: int
    after: int
    boost: float
    words: Mapping[str, "regex.Pattern[str]"]
    negative_before: int
    negative_penalty: float
    negative: "regex.Pattern[str] | None"
    public_before: int
    public: "regex.Pattern[str] | None"
    org_before: int = 0
    org: "regex.Pattern[str] | None" = None
    person: "regex.Pattern[str] | None" = None


def _alternation(words: Iterable[str]) -> "regex.Pattern[str] | None":
    words = sorted(set(words), key=len, reverse=True)
    if not words:
        return None
    return regex.compile("|".join(regex.escape(w) for w in words), regex.IGNORECASE)


# How far before a value its label may end (身份证号码：  532301...).
_LABEL_WINDOW = 16
_MACRO = regex.compile(r"\{\{(\w+)\}\}")


def _expand(pattern: str, macros: Mapping[str, str]) -> str:
    """Replace {{name}} by the pattern text of [macros] name (used for guards shared by rules);
    a macro may use macros defined before it."""
    for _ in range(len(macros) + 1):
        expanded = _MACRO.sub(lambda m: macros[m.group(1)], pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise KeyError("macros refer to each other in a loop")


def _label_patterns(words: Iterable[str]) -> tuple["regex.Pattern[str] | None", "regex.Pattern[str] | None"]:
    """A label that ends right before the value (身份证号码：, 公民身份号码为), and the bare words."""
    alt = _alternation(words)
    if alt is None:
        return None, None
    return regex.compile(rf"(?:{alt.pattern})\s*(?:[：:]|为|是)?\s*$"), alt


def load_rules(path: str | None = None) -> tuple[list[Rule], ContextWords]:
    """Load rules from a TOML file in the structured.toml format (default: the shipped one)."""
    from ..errors import ConfigError

    p = path or str(pattern_path("structured.toml"))
    with open(p, "rb") as f:
        data = tomllib.load(f)
    macros = data.get("macros", {})
    rules = []
    for i, r in enumerate(data.get("rule", [])):
        try:
            validator_name = r.get("validator", "always")
            label, label_words = _label_patterns(r.get("label_before", []))
            rules.append(
                Rule(
                    name=r["name"],
                    kind=r["kind"],
                    pattern=regex.compile(_expand(r["pattern"], macros)),
                    validator=VALIDATORS[validator_name],
                    validator_name=validator_name,
                    score=float(r.get("score", 0.5)),
                    explanation=r.get("explanation", r["name"]),
                    strip=r.get("strip", ""),
                    prefix_bonus=r.get("prefix_bonus", {}),
                    all_digits_penalty=float(r.get("all_digits_penalty", 0.0)),
                    min_digits=int(r.get("min_digits", 0)),
                    needs=str(r.get("needs", "")),
                    needs_letter=bool(r.get("needs_letter", False)),
                    label=label,
                    label_words=label_words,
                )
            )
        except KeyError as e:
            raise ConfigError(f"rule #{i + 1}: missing or unknown key {e}", path=p) from None
        except regex.error as e:
            raise ConfigError(f"rule {r.get('name')}: bad pattern: {e}", path=p) from None
    ctx = data.get("context", {})
    neg = data.get("negative", {})
    pub = data.get("public_phone", {})
    words = {k: _alternation(v) for k, v in ctx.get("words", {}).items()}
    return rules, ContextWords(
        before=int(ctx.get("before", 16)),
        after=int(ctx.get("after", 6)),
        boost=float(ctx.get("boost", 0.3)),
        words={k: v for k, v in words.items() if v is not None},
        negative_before=int(neg.get("before", 12)),
        negative_penalty=float(neg.get("penalty", 0.6)),
        negative=_alternation(neg.get("words", [])),
        public_before=int(pub.get("before", 14)),
        public=_alternation(pub.get("words", [])),
        org_before=int(pub.get("org_before", 0)),
        org=_alternation(pub.get("org_words", [])),
        person=_alternation(pub.get("person_words", [])),
    )


# A candidate: a run of ASCII letters/digits with the separators identifiers use inside.
# Rules may start up to 2 characters before a run ('(' of an area code, the province
# character of a plate) and end 1 after it; MIN_RUN is the shortest identifier body (a plate
# after its province character: A12345).
MIN_RUN = 6
_CANDIDATE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.@_%+\-()·• 转]{" + str(MIN_RUN - 1) + ",}")
_LEFT, _RIGHT = 3, 1
_LETTER = re.compile(r"[A-Za-z]")


class StructuredDetector:
    """Finds structured identifiers: candidate runs, then rules, validation and context scoring."""

    name = "structured"

    def __init__(self, rules: list[Rule], context: ContextWords) -> None:
        self.rules = rules
        self.context = context

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> "StructuredDetector":
        return cls(*load_rules())

    def detect(self, text: str, ctx: DetectContext) -> Iterable[Finding]:
        folded = fold(text)
        seen: set[tuple[int, int, str]] = set()
        n = len(folded)
        header = fold(ctx.column_header or "")
        for cand in _CANDIDATE.finditer(folded):
            lo, hi = max(0, cand.start() - _LEFT), min(n, cand.end() + _RIGHT)
            window = cand.group()
            digits = sum(map(window.count, "0123456789"))
            has_letter = _LETTER.search(window) is not None
            for rule in self.rules:
                if not rule.may_match(digits, window, has_letter):
                    continue
                # endpos cuts the string: a lookahead at `hi` then sees "end of text", which
                # is right because the character at cand.end() is never part of a value.
                for rm in rule.pattern.finditer(folded, lo, hi, overlapped=False):
                    key = (rm.start(), rm.end(), rule.kind)
                    if key in seen:
                        continue
                    value = rule.normalise(rm.group())
                    if not rule.validator(value) or not rule.labelled(folded, rm.start(), header):
                        continue
                    seen.add(key)
                    yield self._score(rule, folded, rm.start(), rm.end(), value, text, ctx)

    def _score(self, rule: Rule, folded: str, start: int, end: int, value: str, text: str, ctx: DetectContext) -> Finding:
        c = self.context
        score = rule.score
        why = [rule.explanation]
        for prefix, bonus in rule.prefix_bonus.items():
            if value.startswith(prefix):
                score += bonus
                why.append(f"prefix {prefix}")
        if rule.all_digits_penalty and value.isdigit():
            score -= rule.all_digits_penalty
            why.append("all digits")
        kind = rule.kind
        before = folded[max(0, start - c.before):start]
        after = folded[end:end + c.after]
        words = c.words.get(kind)
        header = ctx.column_header or ""
        if words is not None:
            hit = words.search(before) or words.search(after) or (header and words.search(header))
            if hit:
                score += c.boost
                why.append(f"context '{hit.group()}'")
        if c.negative is not None:
            neg = c.negative.search(folded[max(0, start - c.negative_before):start])
            if neg:
                score -= c.negative_penalty
                why.append(f"negative context '{neg.group()}'")
        if kind in ("landline", "mobile") and c.public is not None:
            pub = c.public.search(folded[max(0, start - c.public_before):start])
            if pub:
                kind = "public_phone"
                why.append(f"published office number ('{pub.group()}')")
            elif kind == "landline" and c.org is not None:
                window = folded[max(0, start - c.org_before):start]
                org = None
                for org in c.org.finditer(window):
                    pass  # the body named last, nearest the number
                if org and not (c.person is not None and c.person.search(window, org.end())):
                    kind = "public_phone"
                    why.append(f"office landline ('{org.group()}' named just before)")
        return Finding(
            kind=kind,
            start=start,
            end=end,
            text=text[start:end],
            score=round(max(0.0, min(1.0, score)), 3),
            rule=rule.name,
            explanation="; ".join(why),
            segment=ctx.index,
        )


def build(policy) -> list[StructuredDetector]:
    detectors = [StructuredDetector.default()]
    for path in policy.extra_patterns:
        detectors.append(StructuredDetector(*load_rules(path)))
    return detectors
