"""Personal information in file and folder names (``张三的补助申请.docx``, ``13812345678.txt``).

A name is scanned like text, component by component (the file's suffix left out). What the
policy masks in a document it masks in a name: the findings go into the file's report with
location ``{"origin": "filename", "name": <the masked component>, "start", "end"}`` (offsets into
that name; never the raw one), and
``redactor redact`` writes the copy under the masked path (``张某的补助申请.docx``; folder names
too). Characters a file system refuses (``*`` of a mask on Windows, ``/``) are replaced by
their full-width forms.

    rename = renamer(redactor)           # what walk.plan calls for each path inside OUTDIR
    rename(PurePath("张三/张三的补助申请.docx"))  # PurePath('张某/张某的补助申请.docx')
    add_to_report(redactor, report, PurePath("张三的补助申请.docx"))
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import TYPE_CHECKING

from .formats.text import apply_edits
from .policy import INFO, PUBLISH, worst
from .reporting import FindingRecord, preview_of, reasons_for, safe_attrs

if TYPE_CHECKING:
    from .pipeline import Decision, Redactor
    from .reporting import FileReport

FILENAME = "filename"
_UNSAFE = str.maketrans({"*": "＊", "/": "／", "\\": "＼", ":": "：", "?": "？", '"': "＂", "<": "＜", ">": "＞",
                         "|": "｜", "\x00": ""})


def _split(part: str, is_file: bool) -> tuple[str, str]:
    if not is_file:
        return part, ""
    suffix = PurePath(part).suffix
    return (part[: -len(suffix)], suffix) if suffix and len(suffix) < len(part) else (part, "")


def scan_component(redactor: Redactor, part: str, is_file: bool) -> tuple[str, list[Decision]]:
    """(the masked component, the decisions on its findings)."""
    stem, suffix = _split(part, is_file)
    if not stem.strip():
        return part, []
    decisions = redactor.decide(redactor.scan_text(stem))
    edits = redactor.edits(decisions)
    if not edits:
        return part, decisions
    masked = apply_edits(stem, [e.__class__(e.segment, e.start, e.end, e.replacement.translate(_UNSAFE))
                                for e in edits])
    return masked + suffix, decisions


def renamer(redactor: Redactor) -> Callable[[PurePath], PurePath]:
    """A function that masks every component of a relative path (cached per component)."""
    cache: dict[tuple[str, bool], str] = {}

    def rename(rel: PurePath) -> PurePath:
        parts = rel.parts
        out = []
        for k, part in enumerate(parts):
            key = (part, k == len(parts) - 1)
            if key not in cache:
                cache[key] = scan_component(redactor, part, key[1])[0]
            out.append(cache[key])
        return PurePath(*out) if out else rel

    return rename


def add_to_report(redactor: Redactor, report: FileReport, rel: PurePath) -> None:
    """Add the findings in the components of ``rel`` to ``report`` (verdict and reasons too)."""
    parts = rel.parts
    added: list[FindingRecord] = []
    for k, part in enumerate(parts):
        masked, decisions = scan_component(redactor, part, k == len(parts) - 1)
        for d in decisions:
            f = d.finding
            # segment 0 and start/end (which index into the name) keep the report's location shape
            location = {"segment": 0, "origin": FILENAME, "name": masked, "start": f.start, "end": f.end}
            if len(parts) > 1:
                location["component"] = k + 1
            added.append(FindingRecord(
                kind=f.kind, category=f.category, score=f.score, rule=f.rule, explanation=f.explanation,
                location=location, preview=preview_of(f), action=d.action,
                verdict=d.verdict if d.verdict != PUBLISH else INFO, attrs=safe_attrs(f)))
    if not added:
        return
    report.findings[:0] = added
    report.verdict = worst([report.verdict] + [r.verdict if r.verdict != INFO else PUBLISH for r in added])
    report.reasons = reasons_for(report.findings)
