"""FileReport and RunReport: the plain, leak-free results every interface shows.

A report never holds a raw value: each finding is turned into a FindingRecord with a masked
preview here, at the one place where findings leave the pipeline.
"""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Sequence

from .document import Document
from .findings import CONFIDENTIAL, Finding
from .operators import preview as masked_preview
from .policy import BLOCK, ERROR, PUBLISH, REDACT

SCHEMA = "redactor.report/1"


_validator: Any = None


def validate_report(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``data`` follows redactor.report/1."""
    global _validator
    if _validator is None:
        import jsonschema  # noqa: PLC0415 - a test dependency; validation is opt-in

        _validator = jsonschema.Draft202012Validator(report_schema())
    _validator.validate(data)


def report_schema() -> dict[str, Any]:
    """The JSON Schema of ``redactor.report/1`` (shipped in the package: report/report.schema.json)."""
    import json  # noqa: PLC0415
    from importlib import resources  # noqa: PLC0415

    return json.loads((resources.files("redactor") / "report" / "report.schema.json").read_text(encoding="utf-8"))

# Exit codes (documented in README): CI gates depend on them.
EXIT_CLEAN = 0       # every file may be published as is
EXIT_FINDINGS = 1    # some file needs redaction or review
EXIT_USAGE = 2       # bad command line or configuration
EXIT_UNREADABLE = 3  # some input could not be read (the others were still processed)


@dataclass(frozen=True)
class FindingRecord:
    kind: str
    category: str
    score: float
    rule: str
    explanation: str
    location: dict[str, Any]
    preview: str
    action: str   # the operator applied in a redacted copy ("keep": reported only)
    verdict: str  # what this finding means for the file: info, redact, block
    attrs: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        if not d["attrs"]:
            del d["attrs"]
        return d


# Format adapters number tables, rows, cells, paragraphs, comments, boxes and annotations from 0
# (list indices) and pages and lines from 1. A report counts every position a person reads from
# 1 (schema redactor.report/1, README); only ``segment``, ``start`` and ``end``, offsets into
# the extracted text for programs, count from 0.
ZERO_BASED_KEYS = frozenset(("table", "row", "col", "paragraph", "box", "annotation", "outline", "comment", "sheet_index"))


def _one_based(key: str, value: Any) -> Any:
    if key in ZERO_BASED_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return value + 1
    if key == "comment" and isinstance(value, str) and value.isdigit():
        return int(value) + 1  # DOCX comment ids are strings of 0-based numbers
    return value


def location_of(f: Finding, doc: Document | None) -> dict[str, Any]:
    loc: dict[str, Any] = {"segment": f.segment}
    if doc is not None and 0 <= f.segment < len(doc.segments):
        seg = doc.segments[f.segment]
        loc["origin"] = seg.origin
        loc.update({k: _one_based(k, v) for k, v in seg.location.items()})
        text = seg.text
        if doc.format == "text" or "\n" in text:
            line = text.count("\n", 0, f.start) + 1
            col = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
            loc.setdefault("line", line)
            loc["column"] = col
        if seg.column_header:
            loc["column_header"] = seg.column_header
    loc["start"], loc["end"] = f.start, f.end
    return loc


def preview_of(f: Finding) -> str:
    # Marks (机密★5年, 此件不公开) are not personal data: showing them helps the clerk decide.
    if f.category == CONFIDENTIAL:
        return f.text if len(f.text) <= 40 else f.text[:39] + "…"
    return masked_preview(f)


def safe_attrs(f: Finding) -> dict[str, Any]:
    """Detector attrs go to reports only if they are plain scalars and not the raw value."""
    out = {}
    for k, v in f.attrs.items():
        if isinstance(v, (str, int, float, bool)) and (not isinstance(v, str) or f.text not in v or f.category == CONFIDENTIAL):
            out[k] = v
    return out


@dataclass
class FileReport:
    path: str
    verdict: str
    format: str | None = None
    findings: list[FindingRecord] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    error: str | None = None
    output: str | None = None  # where the redacted copy was written (redact mode)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FileReport":
        """The inverse of ``to_dict`` (a resume ledger keeps finished files' reports as JSON)."""
        findings = [FindingRecord(**{"attrs": {}, **r}) for r in d.get("findings", [])]
        return cls(path=d["path"], verdict=d["verdict"], format=d.get("format"), findings=findings,
                   reasons=list(d.get("reasons", [])), error=d.get("error"), output=d.get("output"))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "path": self.path,
            "format": self.format,
            "verdict": self.verdict,
            "reasons": self.reasons,
            "findings": [r.to_dict() for r in self.findings],
        }
        if self.error is not None:
            d["error"] = self.error
        if self.output is not None:
            d["output"] = self.output
        return d


class Tally:
    """Counters for a run's summary and exit code: a streamed run keeps these, not its files."""

    def __init__(self, files: Sequence[FileReport] = ()) -> None:
        self.verdicts: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        for f in files:
            self.add(f)

    def add(self, f: FileReport) -> None:
        self.verdicts[f.verdict] += 1
        self.kinds.update(r.kind for r in f.findings)

    @property
    def exit_code(self) -> int:
        if self.verdicts[ERROR]:
            return EXIT_UNREADABLE
        if self.verdicts[REDACT] or self.verdicts[BLOCK]:
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def summary(self) -> dict[str, Any]:
        return {
            "files": sum(self.verdicts.values()),
            "verdicts": {v: self.verdicts.get(v, 0) for v in (PUBLISH, REDACT, BLOCK, ERROR)},
            "findings": dict(sorted(self.kinds.items())),
            "exit_code": self.exit_code,
        }


@dataclass
class RunReport:
    files: list[FileReport] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return Tally(self.files).exit_code

    def summary(self) -> dict[str, Any]:
        return Tally(self.files).summary()

    def to_dict(self) -> dict[str, Any]:
        data = {"schema": SCHEMA, "files": [f.to_dict() for f in self.files], "summary": self.summary()}
        if os.environ.get("REDACTOR_VALIDATE_REPORTS"):
            validate_report(data)  # the test suite sets this: every report checked against the schema
        return data


def reasons_for(records: Sequence[FindingRecord]) -> list[str]:
    """Human-readable reasons for a verdict, most severe first."""
    out: list[str] = []
    blocking = [r for r in records if r.verdict == BLOCK]
    for r in blocking:
        where = ", ".join(f"{k} {v}" for k, v in r.location.items() if k in ("page", "line", "paragraph", "origin"))
        out.append(f"{r.kind} '{r.preview}' ({where}): {r.explanation}")
    redacting = Counter(r.kind for r in records if r.verdict == REDACT)
    if redacting:
        out.append("to redact: " + ", ".join(f"{n} {k}" for k, n in redacting.most_common()))
    return out
