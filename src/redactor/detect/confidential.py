"""Confidentiality pre-check: classification marks, internal marks, the disclosure attribute,
and a unit's own sensitive-term lists.

Kinds (category ``confidential``, see redactor/findings.py):

``classified_mark``
    绝密 / 机密 / 秘密 with or without ★ and a 保密期限 (``机密★5年``, ``秘密★长期``,
    ``绝密★2030年12月31日``, ``秘密★解密条件``), 国家秘密 / 涉密 used as a marking.
    attrs: ``level`` (绝密/机密/秘密, or the marking), ``period`` (when given), ``position``.
``internal_mark``
    内部资料, 内部文件, 注意保存, 工作秘密, 不得外传, 仅供领导参阅 ... attrs: ``mark``, ``position``.
``disclosure_attribute``
    此件公开发布 / 此件主动公开 / 此件删减后公开 / 此件依申请公开 / 此件不公开, the labelled OA
    form (公开属性：主动公开, with ☑/□ boxes) and the bracketed 附注 （此件公开发布）.
    attrs: ``value`` (one of 公开发布, 主动公开, 删减后公开, 依申请公开, 不公开: the policy maps it
    to a verdict with ``Policy.disclosure``), ``form`` (the wording found), ``position``.
``sensitive_term``
    terms from the user's lists (``Policy.sensitive_terms``), see :func:`load_term_list`.

Context, not keywords. A published report says 完善了保密审查机制, 除涉密事项外均已公开, or
describes its procedure with 公开属性分为“主动公开”“依申请公开”“不予公开”; none of that is a
mark. A mark is recognised by

* position: the document head (the first ``[head] lines`` non-empty lines of the body, counted
  across segments: a text file is one multi-line segment, a DOCX paragraph is one segment),
  a page header or footer, or a line of its own;
* form: ★ between level and period, the 份号 pattern on the line above, the bracketed 附注
  line （此件公开发布）, the labelled field 公开属性：…;
* quotation context: a form inside “”/「」/"" or right after 如/例如/分为/标注 … is being talked
  about, and own-line forms listed under a line such as ``公开属性标注示例如下：`` are examples.

Each finding's ``explanation`` says which of these made it fire. What is NOT recognised:
a bare level word inside prose (秘密发展党的组织), a mark in a table cell below the head (a
catalogue that lists other documents' levels), and the attribute printed mid-sentence.

The vocabulary and forms are data: ``patterns/confidential.toml``.
"""
from __future__ import annotations

import os
import sys
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import regex

from ..document import BODY, FOOTER, HEADER, OCR, TABLE, TEXTBOX, TRACKED_INSERT, Document
from ..errors import ConfigError
from ..findings import Finding
from ..patterns_data import open_pattern_file, pattern_path
from ..textfold import fold
from .base import DetectContext

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

PATTERN_FILE = "confidential.toml"

# Origins whose lines are part of the reading flow of the document (the head is counted there).
# A paragraph with a tracked insertion is still body text (the copy accepts the insertion).
FLOW_ORIGINS = (BODY, TABLE, TEXTBOX, OCR, TRACKED_INSERT)
# Page furniture: a mark there applies to every page.
PAGE_ORIGINS = (HEADER, FOOTER)

_OPEN = r"[(\[【〔<]"
_CLOSE = r"[)\]】〕>]"
_SP = "[ \\t\u3000\u00a0]"  # also matches the raw (unfolded) ideographic and no-break spaces
_MAX_MARK_LINE = 80  # a line made only of head marks is short; longer lines are prose


def _spaced(word: str) -> str:
    """A word whose characters may be spread apart (Word templates print 机  密, 特  急)."""
    return f"{_SP}{{0,3}}".join(regex.escape(ch) for ch in word)


def _alt(words: Iterable[str], spaced: bool = False) -> str:
    words = sorted(set(words), key=len, reverse=True)
    return "|".join(_spaced(w) if spaced else regex.escape(w) for w in words)


def _squash(s: str) -> str:
    return regex.sub(r"\s+", "", s)


@dataclass(frozen=True)
class Vocabulary:
    """Compiled forms from patterns/confidential.toml."""

    head_lines: int
    levels: tuple[str, ...]
    internal_levels: tuple[str, ...]
    values: dict[str, str]
    checked: str
    unchecked: str
    open_quotes: str
    close_quotes: str
    cues: tuple[str, ...]
    list_intro: tuple[str, ...]
    mark_line: "regex.Pattern[str]"     # a line made only of head tokens (fullmatch)
    mark_prefix: "regex.Pattern[str]"   # head tokens opening a longer head line (match)
    token: "regex.Pattern[str]"         # one head token, with named groups
    star_inline: "regex.Pattern[str]"   # 机密★5年 anywhere in a line
    attr_line: "regex.Pattern[str]"     # （此件公开发布） as a whole line
    attr_bare: "regex.Pattern[str]"     # （主动公开） as a whole line
    attr_label: "regex.Pattern[str]"    # 公开属性：主动公开
    attr_choice: "regex.Pattern[str]"   # one (optionally boxed) value in a labelled line
    attr_tail: "regex.Pattern[str]"     # ...（此件公开发布） at the end of a line
    internal_tail: "regex.Pattern[str]"  # ...简报（内部参阅） at the end of a head line
    internal_inline: "regex.Pattern[str]"  # an internal mark anywhere (page header/footer only)
    trigger: "regex.Pattern[str]"       # any keyword at all: lines without one are skipped fast


def _build_vocabulary(data: dict) -> Vocabulary:
    cls = data["classified"]
    levels = tuple(cls["levels"])
    stars = regex.escape(cls["stars"])
    star = f"[{stars}]"
    period = f"(?x:{cls['period']})"
    level = f"(?:{_alt(levels, spaced=True)})"
    cls_labels = f"(?:{_alt(cls['labels'])})"
    markings = _alt(cls["markings"], spaced=True)
    urg = data["urgency"]
    urgency = f"(?:(?:{_alt(urg['labels'])}){_SP}*:{_SP}*)?(?:{_alt(urg['words'], spaced=True)})"
    copy = f"(?x:{data['copy_number']['pattern']})"
    internal = data["internal"]
    internal_alt = _alt(internal["marks"], spaced=True)
    internal_levels = _alt(internal["levels"], spaced=True)

    weak = f"[{regex.escape(cls.get('weak_stars', ''))}]" if cls.get("weak_stars") else None
    star_tail = f"{_SP}*{star}(?!{star}){_SP}*(?P<period>(?:{period}))?"
    if weak:
        star_tail = f"(?:{star_tail}|{_SP}*{weak}{_SP}*(?P<period_w>(?:{period})))"
    classified_token = (
        f"(?:{cls_labels}{_SP}*:{_SP}*)?"
        f"(?:(?P<level>{level})(?:{star_tail})?|{star}(?!{star}){_SP}*(?P<level2>{level}))"
    )
    # Order matters for finditer at one position: the longer/labelled forms first.
    token_body = (
        f"(?P<internal_label>{cls_labels}{_SP}*:{_SP}*(?:{internal_levels}))"
        f"|(?P<internal>{internal_alt})"
        f"|(?P<marking>{markings})"
        f"|(?P<classified>{classified_token})"
        f"|(?P<urgency>{urgency})"
        f"|(?P<copy>(?<![0-9]){copy}(?![0-9]))"
    )
    token = f"{_OPEN}?{_SP}*(?:{token_body}){_SP}*{_CLOSE}?"
    sep = r"[\s,，、·•;；/|*-]"
    # A list item (国家秘密；/ 秘密、) is not a mark: after the last token only a full stop.
    mark_line = regex.compile(f"{sep}*(?:{token}{sep}*)*{token}\\s*[。.!！]?\\s*")
    # Each token followed by a separator: 秘密发展党的组织 does not open with a token.
    mark_prefix = regex.compile(f"{sep}*(?:{token}{sep}+)+")
    star_inline = regex.compile(
        f"(?P<level>{level}){_SP}*{star}(?!{star}){_SP}*(?P<period>(?:{period}))?"
        f"|(?<!{star}){star}{_SP}*(?P<level2>{level})"
    )

    dis = data["disclosure"]
    values = dict(dis["values"])
    value_alt = _alt(values)
    subjects = _alt(dis["subjects"])
    labels = _alt(dis["labels"])
    checked = dis["checked"]
    unchecked = dis["unchecked"]
    attr_line = regex.compile(
        f"\\s*(?P<open>{_OPEN})?\\s*(?P<subject>{subjects})\\s*(?P<value>{value_alt})\\s*(?P<close>{_CLOSE})?\\s*[。.]?\\s*"
    )
    attr_bare = regex.compile(f"\\s*{_OPEN}\\s*(?P<value>{value_alt})\\s*{_CLOSE}\\s*")
    attr_label = regex.compile(f"\\s*(?P<open>{_OPEN})?\\s*(?P<label>{labels})\\s*:\\s*(?P<rest>.{{1,80}}?)\\s*(?P<close>{_CLOSE})?\\s*")
    boxes = regex.escape(checked + unchecked)
    attr_choice = regex.compile(f"(?P<box>[{boxes}])?{_SP}*(?P<value>{value_alt})")
    attr_tail = regex.compile(
        f"(?P<open>{_OPEN})\\s*(?P<subject>{subjects})\\s*(?P<value>{value_alt})\\s*{_CLOSE}\\s*[。.]?\\s*$"
    )
    internal_group = f"(?:{internal_alt})(?:[ \\t,，、·]*(?:{internal_alt}))*"
    internal_tail = regex.compile(f"{_OPEN}\\s*(?P<mark>{internal_group})\\s*{_CLOSE}\\s*$")
    internal_inline = regex.compile(f"(?P<mark>{internal_alt})")

    ctx = data["context"]
    return Vocabulary(
        head_lines=int(data["head"]["lines"]),
        levels=levels,
        internal_levels=tuple(internal["levels"]),
        values=values,
        checked=checked,
        unchecked=unchecked,
        open_quotes=ctx["open_quotes"],
        close_quotes=ctx["close_quotes"],
        cues=tuple(sorted(ctx["cues"], key=len, reverse=True)),
        list_intro=tuple(ctx["list_intro"]),
        mark_line=mark_line,
        mark_prefix=mark_prefix,
        token=regex.compile(token),
        star_inline=star_inline,
        attr_line=attr_line,
        attr_bare=attr_bare,
        attr_label=attr_label,
        attr_choice=attr_choice,
        attr_tail=attr_tail,
        internal_tail=internal_tail,
        internal_inline=internal_inline,
        trigger=regex.compile(
            "|".join(f"(?:{p})" for p in (level, markings, internal_alt, subjects, labels, value_alt)) + f"|{star}"
        ),
    )


def load_vocabulary(path: str | os.PathLike[str] | None = None) -> Vocabulary:
    """Load the mark vocabulary (default: the shipped patterns/confidential.toml)."""
    if path is None:
        return _default_vocabulary()
    where = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        return _build_vocabulary(data)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"not valid TOML: {e}", path=where) from None
    except KeyError as e:
        raise ConfigError(f"missing key {e}", path=where) from None
    except regex.error as e:
        raise ConfigError(f"bad pattern: {e}", path=where) from None


@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    with open_pattern_file(PATTERN_FILE) as f:
        data = tomllib.loads(f.read())
    try:
        return _build_vocabulary(data)
    except (KeyError, regex.error) as e:  # pragma: no cover - the shipped file is tested
        raise ConfigError(f"broken pattern file: {e}", path=str(pattern_path(PATTERN_FILE))) from None


# --- lines and positions ------------------------------------------------------------------------
@dataclass(frozen=True)
class _Line:
    start: int      # offset of the line in the segment text
    text: str       # the line's text, folded (same length as the original), without the newline
    number: int     # 1-based line number within the segment


def _split(text: str) -> tuple[list[str], list[int]]:
    """Lines of a segment (without newline and trailing CR) and their start offsets."""
    texts = text.split("\n")
    starts = [0] * len(texts)
    pos = 0
    for k, raw in enumerate(texts):
        starts[k] = pos
        pos += len(raw) + 1
        if raw.endswith("\r"):
            texts[k] = raw[:-1]
    return texts, starts


@dataclass(frozen=True)
class _Where:
    kind: str        # "head", "header", "footer", "own_line", "table"
    head_line: int   # 1-based rank among the head's non-empty lines (0 when not in the head)

    @property
    def in_head(self) -> bool:
        return self.kind in ("head", "header", "footer")

    def describe(self) -> str:
        if self.kind == "head":
            return f"in the document head (line {self.head_line} of the head)"
        if self.kind == "header":
            return "in the page header"
        if self.kind == "footer":
            return "in the page footer"
        if self.kind == "table":
            return "in a table cell below the head"
        return "below the document head"


def _line_ref(line: _Line, ctx: DetectContext) -> str:
    where = {HEADER: "page header", FOOTER: "page footer", TABLE: "table cell"}.get(ctx.origin)
    if where:
        return where
    seg = ctx.segment
    page = f"page {seg.location['page']}, " if seg is not None and "page" in seg.location else ""
    if seg is not None and "\n" not in seg.text and ctx.document is not None and len(ctx.document.segments) > 1:
        return f"{page}paragraph {seg.location.get('paragraph', ctx.index) + 1}"  # people count from 1
    return f"{page}line {line.number}"


class _HeadIndex:
    """How many non-empty flow lines come before each segment, capped at the head size.

    Computed once per document (a DOCX has one segment per paragraph: recounting from the
    start for every paragraph would be quadratic).
    """

    def __init__(self, cap: int) -> None:
        self.cap = cap
        # (document, counts) in ONE attribute: a detector shared by threads swaps it atomically.
        self._cache: tuple[Document | None, list[int]] = (None, [])

    def lines_before(self, ctx: DetectContext) -> int:
        doc = ctx.document
        if doc is None or ctx.index <= 0:
            return 0
        cached_doc, before = self._cache
        if cached_doc is not doc or len(before) != len(doc.segments):
            before = []
            count = 0
            for seg in doc.segments:
                before.append(count)
                if count < self.cap and seg.origin in FLOW_ORIGINS:
                    count += sum(1 for line in seg.text.split("\n") if line.strip())
            self._cache = (doc, before)
        return min(before[ctx.index], self.cap) if ctx.index < len(before) else self.cap


# --- the detector -------------------------------------------------------------------------------
class ConfidentialDetector:
    """Finds classification marks, internal marks and the disclosure attribute by position and form."""

    name = "confidential"

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.v = vocabulary or load_vocabulary()
        self._head = _HeadIndex(self.v.head_lines)

    # -- context helpers --
    def _quoted(self, line: str, start: int) -> bool:
        """Is position ``start`` of ``line`` inside quotation marks?"""
        before = line[:start]
        depth = 0
        for ch in before:
            if ch in self.v.open_quotes and ch in self.v.close_quotes:  # " and ' toggle
                depth = 0 if depth else 1
            elif ch in self.v.open_quotes:
                depth += 1
            elif ch in self.v.close_quotes and depth:
                depth -= 1
        return depth > 0

    def _cue(self, line: str, start: int) -> str | None:
        """The example/description cue right before ``start`` (如, 例如, 分为, 标注 ...), if any."""
        before = line[:start].rstrip(" \t:,，、")
        for cue in self.v.cues:
            if before.endswith(cue):
                return cue
        return None

    def _is_markish(self, line: str) -> bool:
        s = line.strip()
        if not s or len(s) > _MAX_MARK_LINE:
            return False
        v = self.v
        return bool(
            v.mark_line.fullmatch(s) or v.attr_line.fullmatch(s) or v.attr_bare.fullmatch(s) or v.attr_label.fullmatch(s)
        )

    def _neighbours(self, lines: Sequence[str], i: int, ctx: DetectContext, below: bool = False) -> list[str]:
        """Non-empty folded lines nearest first, above ``lines[i]`` (or below it), continuing into
        the neighbouring flow segments (DOCX paragraphs); at most 40."""
        near = list(lines[i + 1:i + 41]) if below else list(reversed(lines[max(0, i - 40):i]))
        doc = ctx.document
        if doc is not None and ctx.origin in FLOW_ORIGINS:
            segs = doc.segments[ctx.index + 1:ctx.index + 13] if below else reversed(doc.segments[max(0, ctx.index - 12):ctx.index])
            for seg in segs:
                if seg.origin not in FLOW_ORIGINS:
                    continue
                seg_lines = seg.text.split("\n")
                near.extend(seg_lines if below else reversed(seg_lines))
        out = []
        for text in near:
            t = fold(text).strip()
            if t:
                out.append(t)
                if len(out) >= 40:
                    break
        return out

    def _example_intro(self, lines: Sequence[str], i: int, ctx: DetectContext) -> str | None:
        """If the own-line mark at ``lines[i]`` sits in a list of examples introduced by a line
        such as ``公开属性标注示例如下：``, or right below a list item ending with ；/、/，,
        return that line; else None."""
        for k, s in enumerate(self._neighbours(lines, i, ctx)):
            if k == 0 and s[-1] in ";；、,，":
                return s  # the line above is a list item (商业秘密；): so is this one
            if self._is_markish(s):
                continue
            if s.endswith(":") and any(w in s for w in self.v.list_intro):
                return s
            return None
        return None

    def _own_line_value(self, s: str) -> str | None:
        """The attribute value of a line that is an attribute on its own, else None."""
        v = self.v
        m = v.attr_line.fullmatch(s) or v.attr_bare.fullmatch(s)
        if m:
            return v.values[m.group("value")]
        m = v.attr_label.fullmatch(s)
        if m:
            choices = list(v.attr_choice.finditer(m.group("rest")))
            if len(choices) == 1:
                return v.values[choices[0].group("value")]
        return None

    def _conflicting_attributes(self, lines: Sequence[str], i: int, ctx: DetectContext, value: str) -> str | None:
        """A document carries one attribute: if the attribute lines right next to this one give
        other values (此件公开发布 / 此件删减后公开 / 此件不公开 one under the other), the
        options are being listed. Returns one of the other values, or None."""
        for below in (False, True):
            for s in self._neighbours(lines, i, ctx, below=below):
                other = self._own_line_value(s)
                if other is None:
                    break
                if other != value:
                    return other
        return None

    def _where(self, ctx: DetectContext, head_rank: int) -> _Where:
        origin = ctx.origin
        if origin == HEADER:
            return _Where("header", 0)
        if origin == FOOTER:
            return _Where("footer", 0)
        first_page = ctx.segment is None or ctx.segment.location.get("page", 1) == 1
        if origin in FLOW_ORIGINS and head_rank <= self.v.head_lines and first_page:
            return _Where("head", head_rank)
        if origin == TABLE:
            return _Where("table", 0)
        return _Where("own_line", 0)

    # -- detection --
    def detect(self, text: str, ctx: DetectContext) -> Iterator[Finding]:
        v = self.v
        # The keywords are CJK words and stars, which folding leaves alone: look for them in the
        # raw text, and fold only the lines that have one (and the head).
        first = v.trigger.search(text)
        if first is None:
            return  # no level, mark, attribute word or star anywhere: nothing can fire
        texts, starts = _split(text)
        candidates = sorted({bisect_right(starts, m.start()) - 1 for m in v.trigger.finditer(text, first.start())})
        # Head ranks (and the 份号 seen on the line above) for the lines inside the head only.
        rank = self._head.lines_before(ctx)
        ranks: dict[int, int] = {}
        copies: dict[int, str] = {}
        prev_copy: str | None = None
        k = 0
        while rank < v.head_lines and k < len(texts):
            s = fold(texts[k]).strip()
            if s:
                rank += 1
                ranks[k] = rank
                if prev_copy:
                    copies[k] = prev_copy
                prev_copy = None
                if len(s) <= _MAX_MARK_LINE and v.mark_line.fullmatch(s):
                    for t in v.token.finditer(s):
                        if t.group("copy"):
                            prev_copy = t.group("copy").strip()
            k += 1
        for i in candidates:
            line = _Line(starts[i], fold(texts[i]), i + 1)
            where = self._where(ctx, ranks.get(i, v.head_lines + 1))
            yield from self._line_findings(texts, i, line, where, ctx, copies.get(i), text)

    def _finding(self, kind: str, line: _Line, start: int, end: int, text: str, score: float, rule: str,
                 why: str, ctx: DetectContext, **attrs: object) -> Finding:
        a, b = line.start + start, line.start + end
        return Finding(kind, a, b, text[a:b], score, rule, why, ctx.index, attrs)

    def _line_findings(self, lines: Sequence[str], i: int, line: _Line, where: _Where, ctx: DetectContext,
                       prev_copy: str | None, text: str) -> Iterator[Finding]:
        v = self.v
        raw = line.text
        lead = len(raw) - len(raw.lstrip())
        s = raw.strip()
        if not s or not v.trigger.search(s):
            return
        own_line_ok = where.kind != "table"  # a catalogue table lists other documents' marks
        emitted: set[tuple[int, int, str]] = set()

        def emit(f: Finding) -> Iterator[Finding]:
            key = (f.start, f.end, f.kind)
            if key not in emitted:
                emitted.add(key)
                yield f

        # 1. A line made only of head marks: 份号 / 密级★期限 / 紧急程度 / 内部资料 注意保存.
        if len(s) <= _MAX_MARK_LINE and v.mark_line.fullmatch(s):
            tokens = list(v.token.finditer(s))
            kinds = {k for t in tokens for k in ("internal_label", "internal", "marking", "classified") if t.group(k)}
            levels = {_squash(t.group("level") or t.group("level2")) for t in tokens if t.group("classified")}
            if len(levels) > 1:
                kinds = set()  # 绝密、机密、秘密: the levels are being listed; a document has one
            intro = self._example_intro(lines, i, ctx) if kinds else None
            if kinds and intro is None and (own_line_ok or where.in_head):
                urgency = [t.group("urgency").strip() for t in tokens if t.group("urgency")]
                copy = [t.group("copy").strip() for t in tokens if t.group("copy")]
                extra = []
                if copy:
                    extra.append(f"with 份号 {copy[0]} on the same line")
                elif prev_copy and where.kind == "head":
                    extra.append(f"after the 份号 pattern {prev_copy} on the line above")
                if urgency:
                    extra.append(f"with urgency {_squash(urgency[0])}")
                tail = ("; " + ", ".join(extra)) if extra else ""
                for t in tokens:
                    yield from emit_token(t, lead, line, where, tail, text, ctx, emit)
            if own_line_ok or where.in_head:
                return  # a line of marks is not also an attribute line or prose
            # a table cell below the head: only the ★ form (step 4) counts there

        # 1b. A head line that opens with marks and goes on with other head text: a PDF line
        # where 份号, 密级 and 紧急程度 were joined with the issuing office (000001 秘密 特急 青溪县…).
        # Needs corroboration: a 份号, an urgency word, the ★, or two marks among the opening tokens.
        if where.kind == "head":
            m = v.mark_prefix.match(s)
            if m:
                tokens = list(v.token.finditer(s, 0, m.end()))
                marks = [t for t in tokens if t.group("classified") or t.group("marking") or t.group("internal")
                         or t.group("internal_label")]
                support = [_squash(t.group()) for t in tokens if t.group("copy") or t.group("urgency")]
                support += [_squash(t.group()) for t in marks if any(c in t.group() for c in "★☆")]
                if len(marks) >= 2:
                    support.append("+".join(_squash(t.group()) for t in marks[:2]))
                if marks and support and self._example_intro(lines, i, ctx) is None:
                    tail = f"; opening a longer head line, with {', '.join(support[:2])}"
                    for t in marks:
                        yield from emit_token(t, lead, line, where, tail, text, ctx, emit, prefix=True)

        # 2. The disclosure attribute as a line of its own: （此件公开发布）, 此件不公开。
        if own_line_ok or where.in_head:
            m = v.attr_line.fullmatch(s)
            if m:
                value = v.values[m.group("value")]
                if self._example_intro(lines, i, ctx) is None and not self._conflicting_attributes(lines, i, ctx, value):
                    bracketed = bool(m.group("open") and m.group("close"))
                    form = "bracketed attribute line" if bracketed else "attribute on a line of its own"
                    value = v.values[m.group("value")]
                    why = (f"disclosure attribute {m.group('subject')}{m.group('value')} (value {value}): "
                           f"{form} ({_line_ref(line, ctx)})")
                    yield from emit(self._finding(
                        "disclosure_attribute", line, lead, lead + len(s), text, 0.95 if bracketed else 0.9,
                        "disclosure.bracketed_line" if bracketed else "disclosure.own_line", why, ctx,
                        value=value, form=_squash(m.group("subject") + m.group("value")), position=where.kind))
                return
            m = v.attr_bare.fullmatch(s)
            if m:
                value = v.values[m.group("value")]
                if self._example_intro(lines, i, ctx) is None and not self._conflicting_attributes(lines, i, ctx, value):
                    why = (f"disclosure attribute （{m.group('value')}） (value {value}): bracketed attribute line "
                           f"({_line_ref(line, ctx)})")
                    yield from emit(self._finding(
                        "disclosure_attribute", line, lead, lead + len(s), text, 0.8, "disclosure.bracketed_value",
                        why, ctx, value=value, form=m.group("value"), position=where.kind))
                return
            m = v.attr_label.fullmatch(s)
            if m:
                for f in self._label_line(m, lines, i, line, lead, where, ctx, text):
                    yield from emit(f)
                return

        # 3. The bracketed attribute at the end of a line (成文日期（此件公开发布）).
        m = v.attr_tail.search(s)
        if m and m.start() > 0 and own_line_ok:
            cue = self._cue(s, m.start())
            if not self._quoted(s, m.start()) and cue is None:
                value = v.values[m.group("value")]
                why = (f"disclosure attribute （{m.group('subject')}{m.group('value')}） (value {value}): "
                       f"bracketed attribute closing the line ({_line_ref(line, ctx)}; not quoted, no 如/标注 cue)")
                yield from emit(self._finding(
                    "disclosure_attribute", line, lead + m.start(), lead + m.end(), text, 0.85, "disclosure.bracketed_tail",
                    why, ctx, value=value, form=_squash(m.group("subject") + m.group("value")), position=where.kind))

        # 4. ★ form inside a line (机密★5年 in a title or a joined PDF line), not quoted or cued.
        for m in v.star_inline.finditer(s):
            lvl = m.group("level") or m.group("level2")
            period = m.group("period")
            if not period:
                # Without a period, a level glued to the word before or after it is prose:
                # 小秘密★★★ (a rating), ★机密级事项 (a bullet before a sentence).
                j, k = m.start(), m.end()
                if m.group("level") and j > 0 and regex.match(r"[\p{Han}A-Za-z0-9]", s[j - 1]):
                    continue
                if k < len(s) and regex.match(r"[\p{Han}A-Za-z0-9]", s[k]):
                    continue
            if self._quoted(s, m.start()):
                continue
            cue = self._cue(s, m.start())
            if cue is not None:
                continue
            level = _squash(lvl)
            why = (f"classification mark {_squash(m.group())}: level {level} in the ★ form"
                   + (f" with period {_squash(period)}" if period else "")
                   + f", inside a line {where.describe()}"
                   + " (not quoted, no 如/例如/标注 cue)")
            yield from emit(self._finding(
                "classified_mark", line, lead + m.start(), lead + m.end(), text, 0.75, "classified.star_inline", why, ctx,
                level=level, period=_squash(period) if period else "", position=where.kind))

        # 5. Internal mark in brackets closing a head line: XX工作简报（内部参阅）.
        if where.kind == "head":
            m = v.internal_tail.search(s)
            if m and not self._quoted(s, m.start()) and self._cue(s, m.start()) is None:
                mark = _squash(m.group("mark"))
                why = f"internal mark （{mark}） in brackets closing a line {where.describe()}"
                yield from emit(self._finding(
                    "internal_mark", line, lead + m.start(), lead + m.end(), text, 0.8, "internal.head_bracket", why, ctx,
                    mark=mark, position=where.kind))

        # 6. Page header/footer: an internal mark anywhere in it (不得外传 next to the unit's name).
        if where.kind in ("header", "footer"):
            for m in v.internal_inline.finditer(s):
                if self._quoted(s, m.start()) or self._cue(s, m.start()) is not None:
                    continue
                mark = _squash(m.group("mark"))
                if mark == "内部":  # bare 内部 only counts on a line made of marks
                    continue
                why = f"internal mark {mark} {where.describe()}"
                yield from emit(self._finding(
                    "internal_mark", line, lead + m.start(), lead + m.end(), text, 0.85, "internal.page_furniture", why,
                    ctx, mark=mark, position=where.kind))

    def _label_line(self, m: "regex.Match[str]", lines: Sequence[str], i: int, line: _Line, lead: int,
                    where: _Where, ctx: DetectContext, text: str) -> Iterator[Finding]:
        """公开属性：主动公开, or a form with boxes: 公开属性：☑主动公开 □依申请公开 □不予公开."""
        v = self.v
        rest = m.group("rest")
        choices = list(v.attr_choice.finditer(rest))
        if not choices:
            return
        # The rest of the line must be nothing but the choices (a sentence is prose).
        leftover = v.attr_choice.sub("", rest)
        if regex.sub(r"[\s,，、;；/|。.]", "", leftover.translate({ord(c): None for c in v.checked + v.unchecked})):
            return
        boxed = [c for c in choices if c.group("box")]
        if boxed:
            picked = [c for c in boxed if c.group("box") in v.checked]
            if len(picked) != 1:
                return  # nothing ticked (a blank form) or several (a person must look)
            choice, how = picked[0], f"ticked box {picked[0].group('box')}"
        elif len(choices) == 1:
            choice, how = choices[0], "labelled field"
        else:
            return  # 公开属性：主动公开、依申请公开、不予公开 lists the options
        value = v.values[choice.group("value")]
        if self._example_intro(lines, i, ctx) is not None or self._conflicting_attributes(lines, i, ctx, value):
            return
        why = (f"disclosure attribute {m.group('label')}：{choice.group('value')} (value {value}): {how} "
               f"on a line of its own ({_line_ref(line, ctx)})")
        start = m.start("rest") + choice.start("value")
        yield self._finding(
            "disclosure_attribute", line, lead + m.start("label"), lead + start + len(choice.group("value")), text, 0.9,
            "disclosure.labelled", why, ctx, value=value, form=choice.group("value"), position=where.kind)


def emit_token(t: "regex.Match[str]", lead: int, line: _Line, where: _Where, tail: str, text: str,
               ctx: DetectContext, emit, prefix: bool = False) -> Iterator[Finding]:
    """Findings for one token of a line made only of head marks, or (``prefix``) of the marks
    opening a longer head line (scored lower: 0.85 at most)."""
    start, end = lead + t.start(), lead + t.end()
    # Trim the optional brackets and spaces around the token from the span.
    raw = line.text
    while start < end and raw[start] in " \t\u3000([【〔<":
        start += 1
    while end > start and raw[end - 1] in " \t\u3000)]】〕>":
        end -= 1
    a, b = line.start + start, line.start + end
    token = _squash(raw[start:end])
    how = "at the start of a head line" if prefix else "on a line made only of head marks"
    cap = 0.85 if prefix else 1.0
    if t.group("classified"):
        level = _squash(t.group("level") or t.group("level2"))
        period = _squash(t.group("period") or t.group("period_w") or "")
        star = bool(period) or any(c in token for c in "★☆")
        score = min(cap, 0.95 if where.in_head else 0.9 if star else 0.6)
        form = ("★ form" + (f" with period {period}" if period else "")) if star else "bare level"
        why = f"classification mark {token}: level {level}, {form}, {how}, {where.describe()}{tail}"
        yield from emit(Finding("classified_mark", a, b, text[a:b], score,
                                "classified.head_prefix" if prefix else "classified.mark_line", why, ctx.index,
                                {"level": level, "period": period, "position": where.kind}))
    elif t.group("marking"):
        score = min(cap, 0.9 if where.in_head else 0.6)
        why = f"classification marking {token} {how}, {where.describe()}{tail}"
        yield from emit(Finding("classified_mark", a, b, text[a:b], score,
                                "classified.head_prefix" if prefix else "classified.marking_line", why, ctx.index,
                                {"level": token, "period": "", "position": where.kind}))
    elif t.group("internal") or t.group("internal_label"):
        score = min(cap, 0.95 if where.in_head else 0.7)
        mark = _squash(t.group("internal") or t.group("internal_label"))
        why = f"internal mark {mark} {how}, {where.describe()}{tail}"
        yield from emit(Finding("internal_mark", a, b, text[a:b], score,
                                "internal.head_prefix" if prefix else "internal.mark_line", why, ctx.index,
                                {"mark": mark, "position": where.kind}))


# --- sensitive terms -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    pattern: str     # a literal term, or a regular expression when ``is_regex``
    is_regex: bool
    source: str      # file name
    line: int        # 1-based line in the file


def load_term_list(path: str | os.PathLike[str]) -> list[Term]:
    """Read a sensitive-term list.

    Format (UTF-8 text, patterns/ style), one entry per line::

        # comment lines start with '#'; blank lines are ignored
        天河二期                 a literal term (matched case-insensitively, full-width folded)
        金盾工程  # inline comments need a space before the '#'
        re:XM-[0-9]{4}          a regular expression (Python 'regex' syntax) after 're:'
        \\#话题                  a literal that starts with '#' or 're:' is escaped with '\\'

    Literal terms are matched anywhere (they are the unit's own project code names, internal
    system names ...): a list term is context enough. Raises ConfigError naming the file and
    line for a bad regular expression or an unreadable file.
    """
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("sensitive-term list not found", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(f"cannot read sensitive-term list: {e}", path=str(p)) from None
    terms: list[Term] = []
    for n, raw in enumerate(content.splitlines(), start=1):
        line = regex.sub(r"\s+#.*$", "", raw).strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("re:"):
            pat = line[3:].strip()
            try:
                compiled = regex.compile(pat)
            except regex.error as e:
                raise ConfigError(f"line {n}: bad regular expression {pat!r}: {e}", path=str(p)) from None
            if compiled.match(""):
                raise ConfigError(f"line {n}: regular expression {pat!r} matches the empty string", path=str(p))
            terms.append(Term(pat, True, p.name, n))
        else:
            if line.startswith("\\"):
                line = line[1:]
            terms.append(Term(fold(line), False, p.name, n))
    return terms


class SensitiveTermDetector:
    """Finds the terms of the user's lists (``Policy.sensitive_terms``); kind ``sensitive_term``."""

    name = "sensitive_terms"

    def __init__(self, terms: Sequence[Term]) -> None:
        self.terms = list(terms)
        parts = []
        for k, t in enumerate(self.terms):
            body = t.pattern if t.is_regex else regex.escape(t.pattern)
            parts.append(f"(?P<t{k}>{body})")
        # Literal terms: longest first so that 金盾工程二期 wins over 金盾工程.
        order = sorted(range(len(parts)), key=lambda k: (self.terms[k].is_regex, -len(self.terms[k].pattern)))
        self._pattern = regex.compile("|".join(parts[k] for k in order), regex.IGNORECASE) if parts else None

    def detect(self, text: str, ctx: DetectContext) -> Iterator[Finding]:
        if self._pattern is None:
            return
        for m in self._pattern.finditer(fold(text)):
            if m.end() == m.start():
                continue
            k = int(m.lastgroup[1:])
            t = self.terms[k]
            what = "pattern" if t.is_regex else "term"
            yield Finding("sensitive_term", m.start(), m.end(), text[m.start():m.end()], 1.0,
                          f"sensitive_term.{t.source}", f"listed {what} in the sensitive-term list {t.source} (line {t.line})",
                          ctx.index, {"list": t.source, "line": t.line})


def _resolve(path: str, policy) -> Path:
    p = Path(path).expanduser()
    if not p.is_absolute() and getattr(policy, "source", None):
        p = Path(policy.source).resolve().parent / p
    return p


def build(policy) -> list[object]:
    detectors: list[object] = [ConfidentialDetector()]
    terms: list[Term] = []
    for path in getattr(policy, "sensitive_terms", ()) or ():
        terms.extend(load_term_list(_resolve(path, policy)))
    if terms:
        detectors.append(SensitiveTermDetector(terms))
    return detectors
