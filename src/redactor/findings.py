"""The plain data types at the edges of every stage: kinds, Finding, and span helpers.

A new identifier type starts here: add it to KINDS (category, label, default action), then
write its rule in ``patterns/structured.toml`` (or a detector in ``redactor/detect``).
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
    category: str
    label: str  # used by the label operator and in reports: [身份证号]


# kind -> (category, label). Other modules (names, documents, confidentiality) add theirs
# through register_kind() so that this table stays the single source of truth.
KINDS: dict[str, KindInfo] = {
    "id_card": KindInfo(PERSONAL, "身份证号"),
    "mobile": KindInfo(PERSONAL, "手机号"),
    "landline": KindInfo(PERSONAL, "电话"),
    "email": KindInfo(PERSONAL, "邮箱"),
    "bank_card": KindInfo(PERSONAL, "银行卡号"),
    "passport": KindInfo(PERSONAL, "护照号"),
    "permit": KindInfo(PERSONAL, "通行证号"),
    "license_plate": KindInfo(PERSONAL, "车牌号"),
    "ip_address": KindInfo(PERSONAL, "IP地址"),
    "person": KindInfo(PERSONAL, "姓名"),
    "address": KindInfo(PERSONAL, "地址"),
    "credit_code": KindInfo(ORGANISATION, "统一社会信用代码"),
    "public_phone": KindInfo(ORGANISATION, "公开电话"),
    "official": KindInfo(ORGANISATION, "公职人员姓名"),
    "classified_mark": KindInfo(CONFIDENTIAL, "密级标志"),
    "internal_mark": KindInfo(CONFIDENTIAL, "内部标志"),
    "disclosure_attribute": KindInfo(CONFIDENTIAL, "公开属性"),
    "sensitive_term": KindInfo(CONFIDENTIAL, "敏感词"),
    "tracked_change": KindInfo(HIDDEN, "修订"),
    "comment": KindInfo(HIDDEN, "批注"),
    "hidden_text": KindInfo(HIDDEN, "隐藏文字"),
    "metadata": KindInfo(HIDDEN, "文档属性"),
    "embedded_object": KindInfo(HIDDEN, "嵌入对象"),
    "fake_redaction": KindInfo(HIDDEN, "未真正遮盖的文字"),
    "no_text_layer": KindInfo(HIDDEN, "无文字层页面"),
    "annotation": KindInfo(HIDDEN, "注释"),
    "attachment": KindInfo(HIDDEN, "附件"),
}


def register_kind(kind: str, category: str, label: str) -> None:
    """Add a kind (idempotent). Detectors in other modules call this at import time."""
    if kind not in KINDS:
        KINDS[kind] = KindInfo(category, label)
        from .policy import _default_kind_policy  # noqa: PLC0415 - avoid an import cycle

        _default_kind_policy.cache_clear()  # a kind seen before registration had the fallback


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
