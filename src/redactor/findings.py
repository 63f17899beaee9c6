"""The plain data types at the edges of every stage: kinds, Finding, and span helpers.

A new identifier type starts with one row in ``patterns/kinds.toml`` (category, label,
default operator and verdict, mask parameters), then its rule in ``patterns/structured.toml``
(or a detector in ``redactor/detect``).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Mapping

# Categories used in reports and in verdict rules.
PERSONAL = "personal"          # personal information of a private person: masked
ORGANISATION = "organisation"  # identifies an organisation or a public office: reported only
CONFIDENTIAL = "confidential"  # classified / internal marks, disclosure attribute: blocks
HIDDEN = "hidden"              # content a reader does not see: comments, tracked changes, metadata


@dataclass(frozen=True)
class KindInfo:
    """One row of ``patterns/kinds.toml``."""

    kind: str
    category: str
    label: str  # used by the label operator and in reports: [身份证号]
    operator: str  # default operator (redactor/operators.py)
    verdict: str  # redact | block | info | by_value
    keep: tuple[int, int] | None = None  # mask operator: characters kept at head and tail
    maskable: bool = False  # an organisation kind a policy may switch to masking (officials)

    @property
    def masks(self) -> bool:
        """Can a decision about this kind edit the text (personal kinds, or a maskable one)?"""
        return self.category == PERSONAL or self.maskable


_CATEGORIES = (PERSONAL, ORGANISATION, CONFIDENTIAL, HIDDEN)
_VERDICTS = ("redact", "block", "info", "by_value")
_ROW_KEYS = {"category", "label", "operator", "verdict", "keep", "maskable"}


def load_kinds(source: Mapping[str, Any], where: str = "kinds.toml") -> dict[str, KindInfo]:
    """Validate the kinds table (a parsed TOML mapping) into KindInfo rows."""
    from .errors import ConfigError  # noqa: PLC0415 - errors imports nothing from here, but keep it lazy

    out: dict[str, KindInfo] = {}
    for kind, row in source.items():
        if not isinstance(row, Mapping):
            raise ConfigError(f"kind '{kind}': must be a table", path=where)
        unknown = set(row) - _ROW_KEYS
        if unknown:
            raise ConfigError(f"kind '{kind}': unknown key(s) {', '.join(sorted(unknown))}", path=where)
        if row.get("category") not in _CATEGORIES:
            raise ConfigError(f"kind '{kind}': category must be one of {', '.join(_CATEGORIES)}", path=where)
        if row.get("verdict") not in _VERDICTS:
            raise ConfigError(f"kind '{kind}': verdict must be one of {', '.join(_VERDICTS)}", path=where)
        if not isinstance(row.get("label"), str) or not isinstance(row.get("operator"), str):
            raise ConfigError(f"kind '{kind}': label and operator are required strings", path=where)
        keep = row.get("keep")
        if keep is not None:
            if not (isinstance(keep, list) and len(keep) == 2 and all(isinstance(k, int) and k >= 0 for k in keep)):
                raise ConfigError(f"kind '{kind}': keep must be [head, tail] (two counts)", path=where)
            keep = (keep[0], keep[1])
        out[kind] = KindInfo(
            kind, row["category"], row["label"], row["operator"], row["verdict"], keep, bool(row.get("maskable", False))
        )
    return out


def _read_kinds_table() -> dict[str, KindInfo]:
    import sys  # noqa: PLC0415

    if sys.version_info >= (3, 11):
        import tomllib  # noqa: PLC0415
    else:  # pragma: no cover
        import tomli as tomllib  # noqa: PLC0415
    from .patterns_data import pattern_path  # noqa: PLC0415

    path = pattern_path("kinds.toml")
    return load_kinds(tomllib.loads(path.read_text(encoding="utf-8")), where=str(path))


# kind -> KindInfo, from patterns/kinds.toml: the single source of truth (read once, at import;
# the file is small). No module registers kinds at import time.
KINDS: dict[str, KindInfo] = _read_kinds_table()


def kind_info(kind: str) -> KindInfo | None:
    return KINDS.get(kind)


def category_of(kind: str) -> str:
    info = KINDS.get(kind)
    return info.category if info else PERSONAL  # unknown kinds are treated as the strictest


def label_of(kind: str) -> str:
    info = KINDS.get(kind)
    return info.label if info else kind


@dataclass(frozen=True)
class Finding:
    """One thing found in one segment of a document.

    ``start``/``end`` index into the segment's text (Python string offsets, end exclusive).
    ``text`` is the raw value: it is needed to mask and to verify, and it is never written
    to a report (``repr`` hides it, reports use a masked preview).
    ``attrs`` carries detector-specific plain data (e.g. the parsed disclosure attribute).
    """

    kind: str
    start: int
    end: int
    text: str = field(repr=False)
    score: float
    rule: str
    explanation: str
    segment: int = 0
    attrs: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def category(self) -> str:
        return category_of(self.kind)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    def with_(self, **changes: Any) -> "Finding":
        return replace(self, **changes)


def overlaps(a: Finding, b: Finding) -> bool:
    return a.segment == b.segment and a.start < b.end and b.start < a.end


def sort_key(f: Finding) -> tuple[int, int, int]:
    return (f.segment, f.start, -f.end)


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=sort_key)
