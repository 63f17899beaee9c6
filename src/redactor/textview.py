"""The normalised view of a text that every detector sees, with an offset map back to the original.

Detect on a normalised view, mask the original (DESIGN.md). The view of a segment is built in
three steps:

  1. characters: a pinyin reading in brackets after a character dropped (區(qū) -> 區); format
     characters removed (``\\p{Cf}``: zero-width space/joiners U+200B..U+200F,
     word joiner U+2060.., soft hyphen U+00AD, bidi embeddings and overrides U+202A..U+202E,
     isolates, BOM U+FEFF; and variation selectors), which hide inside identifiers and names;
     compatibility forms of letters and digits folded by NFKC (full-width ``５``, mathematical
     ``𝟏``, Kangxi radicals, CJK compatibility ideographs). Punctuation keeps its form (``，：（``
     are cues the name and mark rules read), and enclosed or superscript forms (``①``, ``²``) are
     list markers and units, not characters of a value.
  2. one character for one character: traditional script to simplified (OpenCC ``t2s``,
     phrase-level), and a run of 7 or more Chinese numerals read as digits (``一三九…``: a phone
     written out).
  3. removals: a line break inside a number when the two parts make an identifier's length (an
     ID number wrapped to the next line), and letter-spacing between single Han characters
     (``唐 德 明``, ``内 部 资 料``).

Steps 1 and 3 may change lengths, so the view keeps a map back to the original. A view span maps
to the original span from its first character's start to its last character's end: characters
removed *inside* a value (a zero-width space between two digits) are inside the mapped span, and
masking replaces them with the value; those just outside are not part of it.

``fold`` (below) is a different, cheaper tool: a length-preserving fold of full-width ASCII,
look-alike spaces and dashes that pattern rules apply to the view for matching.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .document import Document
    from .findings import Finding

# --- fold: length-preserving, for pattern matching -----------------------------------------------
# One character to one character keeps every offset valid; str.translate runs in C.
_FOLD: dict[int, int] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD[0x3000] = 0x20  # ideographic space
_FOLD[0x00A0] = 0x20  # no-break space
for _dash in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63):
    _FOLD[_dash] = 0x2D  # hyphen/minus look-alikes


def fold(text: str) -> str:
    """``text`` with full-width ASCII and look-alike spaces/dashes folded; same length."""
    if text.isascii():
        return text
    return text.translate(_FOLD)


# --- step 1: format characters and compatibility forms ---------------------------------------------
# Where compatibility forms of letters and digits live (scanned once, at first use: ~40 ms).
_COMPAT_RANGES = ((0x00A0, 0x3400), (0xF900, 0xFFF0), (0x1D400, 0x1D800), (0x1FBF0, 0x1FBFA), (0x2F800, 0x2FA20))
_FOLD_TAGS = ("", "<font>", "<wide>", "<narrow>", "<compat>")
# Format characters (Unicode category Cf) outside the BMP; those in the BMP are found by a scan.
_ASTRAL_FORMAT = (
    "\U000110BD\U000110CD\U00013430-\U0001343F\U0001BCA0-\U0001BCA3\U0001D173-\U0001D17A"
    "\U000E0001\U000E0020-\U000E007F\U000E0100-\U000E01EF"  # ... and variation selectors 17-256
)
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=1)
def _compat_letters() -> dict[str, str]:
    """Characters whose NFKC form is a different run of letters/digits: ５ -> 5, 𝟏 -> 1, ⼀ -> 一."""
    out: dict[str, str] = {}
    for lo, hi in _COMPAT_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            dec = unicodedata.decomposition(ch)
            if not dec:
                continue
            tag = dec.split()[0] if dec.startswith("<") else ""
            if tag not in _FOLD_TAGS:
                continue  # <circle>, <super>, <square>, <fraction> ...: markers and units
            norm = unicodedata.normalize("NFKC", ch)
            if norm != ch and norm.isalnum():
                out[ch] = norm
    return out


def _class(codepoints: Iterable[int]) -> str:
    """A character class of ranges (the stdlib engine is ~10x faster on ranges than on a list)."""
    runs: list[list[int]] = []
    for cp in sorted(codepoints):
        if runs and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp])
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in runs)


@lru_cache(maxsize=1)
def _char_step() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Patterns of the characters step 1 changes: in the BMP, and outside it (rarely needed)."""
    fmt = _format_codepoints()
    compat = [ord(c) for c in _compat_letters()]
    bmp = re.compile(f"[{_class(fmt + [cp for cp in compat if cp < 0x10000])}]+")
    astral = re.compile(f"[{_class(fmt + compat)}{_ASTRAL_FORMAT}]+")
    return bmp, astral


@lru_cache(maxsize=1)
def _format_codepoints() -> list[int]:
    """Format characters in the BMP (category Cf), the grapheme joiner, variation selectors."""
    return [cp for cp in range(0x10000) if unicodedata.category(chr(cp)) == "Cf"] + [0x034F, *range(0xFE00, 0xFE10)]


@lru_cache(maxsize=1)
def _format_only() -> re.Pattern[str]:
    return re.compile(f"[{_class(_format_codepoints())}{_ASTRAL_FORMAT}]+")


def without_format(text: str) -> str:
    """``text`` without format characters (zero-width, soft hyphen, bidi controls, BOM)."""
    if text.isascii():
        return text
    return _format_only().sub("", text)


def _char_edits(text: str) -> list[tuple[int, int, str]]:
    bmp, astral = _char_step()
    pattern = astral if _ASTRAL.search(text) else bmp
    compat = _compat_letters()
    readings = _readings(text)
    inside = {i for s, e, _ in readings for i in range(s, e)}
    edits = list(readings)
    for m in pattern.finditer(text):
        for i in range(m.start(), m.end()):
            if i not in inside:
                # a format character goes; a compatibility form becomes its letters
                edits.append((i, i + 1, compat.get(text[i], "")))
    return sorted(edits)


# A pinyin reading in brackets after a character, as some sites print (區(qū), 節(jié)), is part of
# that character: the pair reads as the character alone. A tone mark is required, so that a
# list marker (a) or an English word in brackets stays.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_READING = re.compile(f"[(（](?=[a-zü]*[{_TONED}])[a-zü{_TONED}]{{1,7}}[)）]")


def _readings(text: str) -> list[tuple[int, int, str]]:
    if "(" not in text and "（" not in text:
        return []
    return [
        (m.start() - 1, m.end(), text[m.start() - 1])
        for m in _READING.finditer(text)
        if _han_at(text, m.start() - 1)
    ]


# --- step 2: traditional -> simplified, Chinese numerals -> digits ---------------------------------
@lru_cache(maxsize=1)
def _t2s():
    """OpenCC's t2s converter and a pattern of the characters it changes."""
    import opencc

    conv = opencc.OpenCC("t2s")
    chars = [chr(c) for lo, hi in ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)) for c in range(lo, hi)]
    converted = conv.convert("\n".join(chars)).split("\n")
    changed = sorted(c for c, s in zip(chars, converted) if c != s)
    # a class of ~4,000 characters: searching for one runs at ~50M chars/s, OpenCC at ~9M
    return conv, re.compile("[" + "".join(changed) + "]")


def to_simplified(text: str) -> str:
    """Traditional script to simplified (OpenCC t2s); the same length as ``text``."""
    conv, trad = _t2s()
    if not trad.search(text):
        return text
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    # A phrase whose simplified form has another length (none in OpenCC's tables today): convert
    # line by line, and character by character where a line still changes length.
    fixed = []
    for line in text.split("\n"):
        conv_line = conv.convert(line)
        if len(conv_line) != len(line):
            conv_line = "".join(s if len(s := conv.convert(c)) == 1 else c for c in line)
        fixed.append(conv_line)
    return "\n".join(fixed)


_NUMERAL = "〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖"
_NUMERAL_DIGITS = str.maketrans(_NUMERAL, "001234567891123456789")
# 7+ numerals (a local landline number at least), single spaces or dashes between them allowed.
_NUMERAL_RUN = re.compile(f"[{_NUMERAL}](?:[ \\-]?[{_NUMERAL}]){{6,}}")

# --- step 3: removals --------------------------------------------------------------------------
# A line break inside a number: digits at the end of a line, digits at the start of the next.
# The head is a whole token (not the end of 0878-6426217) and the tail is not a year, a date or
# an amount (…6426217\n2023年3月).
_BROKEN_NUMBER = re.compile(
    r"(?<![0-9.\-])([1-9][0-9]{5,16})([ \t\u3000]*\r?\n[ \t\u3000]*)([0-9]{2,15}[Xx]?)"
    r"(?![0-9A-Za-z.\-]|[ \t\u3000]*[年月日时点分秒号元万亿个人次件户岁%])"
)
# Lengths of identifiers the joined run must have: mobile 11, legacy ID 15, ID 18 (with its
# check character); a card (16-19) only after a label on the head's line, since statistics
# tables put long numbers on consecutive lines.
_ID_LENGTHS = frozenset({11, 15, 18})
_CARD_LENGTHS = frozenset({16, 17, 18, 19})
_HAN = "\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\U00020000-\U0003134F"
_LABEL_END = re.compile(f"[{_HAN}：:]\\s*$")
_SPACE = re.compile("[ \u3000\u00A0]")
_IS_HAN = re.compile(f"[{_HAN}]")


def _number_breaks(text: str) -> list[tuple[int, int, str]]:
    edits = []
    i = text.find("\n")
    while i != -1:  # newlines are few; look at each rather than run a pattern everywhere
        before, after = text[max(0, i - 3) : i].rstrip(" \t\u3000\r"), text[i + 1 : i + 4].lstrip(" \t\u3000")
        if before[-1:].isdigit() and after[:1].isdigit():
            lo = max(0, i - 24)
            for m in _BROKEN_NUMBER.finditer(text, lo, i + 24):
                if m.start(2) <= i < m.end(2) and _joins_identifier(text, m):
                    edits.append((m.start(2), m.end(2), ""))
        i = text.find("\n", i + 1)
    return edits


def _joins_identifier(text: str, m: re.Match[str]) -> bool:
    head, tail = m.group(1), m.group(3)
    n = len(head) + len(tail)
    if len(tail) < 3 or n == 11 and not (head[0] == "1" and head[1] in "3456789"):
        return False
    return n in _ID_LENGTHS or (n in _CARD_LENGTHS and tail.isdigit() and _label_before(text, m.start()))


def _label_before(text: str, i: int) -> bool:
    line_start = text.rfind("\n", 0, i) + 1
    return _LABEL_END.search(text[line_start:i]) is not None


def _han_at(text: str, i: int) -> bool:
    return 0 <= i < len(text) and _IS_HAN.match(text, i) is not None


def _letter_spacing(text: str) -> list[tuple[int, int, str]]:
    """A space between two single Han characters: 唐 德 明 -> 唐德明, 杞　明　国务院 -> 杞明　国务院.
    A space next to a longer word stays, so a list of names (张三 李四) keeps its separators."""
    return [
        (p, p + 1, "")
        for p in (m.start() for m in _SPACE.finditer(text))
        if _han_at(text, p - 1) and _han_at(text, p + 1) and not (_han_at(text, p - 2) or _han_at(text, p + 2))
    ]


# --- the offset map ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Stage:
    """One length-changing step, as its edits in source order (parallel tuples).

    Edit k replaced source[o_start[k]:o_end[k]] by view[v_start[k]:v_start[k] + v_len[k]].
    """

    o_start: tuple[int, ...]
    o_end: tuple[int, ...]
    v_start: tuple[int, ...]
    v_len: tuple[int, ...]

    def _char(self, i: int) -> tuple[int, int]:
        """Source (start, end) of view character i."""
        k = bisect_right(self.v_start, i) - 1
        if k < 0:
            return i, i + 1
        vs, vl, os_, oe = self.v_start[k], self.v_len[k], self.o_start[k], self.o_end[k]
        if i < vs + vl:  # inside a replacement
            if vl == oe - os_:
                return os_ + i - vs, os_ + i - vs + 1
            return os_, oe
        pos = oe + i - vs - vl
        return pos, pos + 1

    def start(self, i: int) -> int:
        return self._char(i)[0]

    def end(self, j: int) -> int:
        return self._char(j - 1)[1] if j > 0 else self.start(0)


def _apply(text: str, edits: Sequence[tuple[int, int, str]]) -> tuple[str, _Stage | None]:
    """Apply sorted, non-overlapping edits (start, end, replacement); the new text and its map."""
    if not edits:
        return text, None
    parts: list[str] = []
    o_start, o_end, v_start, v_len = [], [], [], []
    pos = v = 0
    for s, e, rep in edits:
        parts.append(text[pos:s])
        v += s - pos
        o_start.append(s)
        o_end.append(e)
        v_start.append(v)
        v_len.append(len(rep))
        parts.append(rep)
        v += len(rep)
        pos = e
    parts.append(text[pos:])
    return "".join(parts), _Stage(tuple(o_start), tuple(o_end), tuple(v_start), tuple(v_len))


@dataclass(frozen=True)
class TextView:
    """``text`` is what detectors read; ``span`` maps a view span back into ``original``."""

    original: str
    text: str
    stages: tuple[_Stage, ...] = ()  # applied in order: original -> ... -> text

    @property
    def is_identity(self) -> bool:
        return not self.stages and self.text == self.original

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of view span [start, end)."""
        if end <= start:
            for st in reversed(self.stages):
                start = st.start(start)
            return start, start
        for st in reversed(self.stages):
            start, end = st.start(start), st.end(end)
        return start, end

    def to_original(self, f: Finding) -> Finding:
        """The finding with its span and text in the original string."""
        if not self.stages:
            return f if self.text is self.original else f.with_(text=self.original[f.start : f.end])
        s, e = self.span(f.start, f.end)
        return f.with_(start=s, end=e, text=self.original[s:e])


def view_of(text: str) -> TextView:
    """The normalised view of ``text`` (see the module docstring)."""
    if text.isascii():
        view, stage = _apply(text, _number_breaks(text))
        return TextView(text, view, (stage,) if stage else ())
    stages: list[_Stage] = []
    # 1. format characters out, compatibility letters and digits folded
    view, stage = _apply(text, _char_edits(text))
    if stage:
        stages.append(stage)
    # 2. one for one: simplified script, numerals as digits
    view = to_simplified(view)
    if any(c in view for c in _NUMERAL):
        view = _NUMERAL_RUN.sub(lambda m: m.group().translate(_NUMERAL_DIGITS), view)
    # 3. removals
    edits = sorted(_number_breaks(view) + _letter_spacing(view))
    view, stage = _apply(view, edits)
    if stage:
        stages.append(stage)
    return TextView(text, view, tuple(stages))


@dataclass(frozen=True)
class DocumentView:
    """The views of a document's segments, the document detectors see, and the way back."""

    views: tuple[TextView, ...]
    document: Document

    @classmethod
    def of(cls, doc: Document) -> DocumentView:
        views = tuple(view_of(s.text) for s in doc.segments)
        if all(v.is_identity for v in views):
            return cls(views, doc)
        segments = [
            replace(seg, text=v.text, column_header=view_of(seg.column_header).text if seg.column_header else None)
            for seg, v in zip(doc.segments, views)
        ]
        return cls(views, replace(doc, segments=segments, notices=[], handle=None))

    def to_original(self, findings: Iterable[Finding]) -> list[Finding]:
        """Findings on the view, with spans and texts in the original segments."""
        out = []
        for f in findings:
            v = self.views[f.segment] if 0 <= f.segment < len(self.views) else None
            out.append(v.to_original(f) if v is not None and not v.is_identity else f)
        return out


__all__ = ["DocumentView", "TextView", "fold", "to_simplified", "view_of", "without_format"]
