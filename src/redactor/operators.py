"""Operators: small named functions that turn a finding into its replacement text.

Each operator is ``(finding, state) -> str``. ``state`` is per document, so a pseudonym is
consistent within a document (same value, same replacement) and nothing leaks across files.
A new masking rule goes here: write the function and add it to OPERATORS.
"""
from __future__ import annotations

import hashlib
import re
import hmac as _hmac
from dataclasses import dataclass, field
from typing import Callable

from .errors import ConfigError
from .findings import Finding, kind_info, label_of
from .textfold import fold
from .textview import without_format

MASK_CHAR = "*"
_COUNTRY_PREFIX = re.compile(r"^(?:\+|＋|00|００)(?:86|８６)[ -]?")

def keep_ends(kind: str) -> tuple[int, int]:
    """Partial masking: significant characters kept at each end (``keep`` in patterns/kinds.toml)."""
    info = kind_info(kind)
    return info.keep if info and info.keep else (0, 0)


def _significant(ch: str) -> bool:
    return ch.isalnum()


def _mask_keep(text: str, head: int, tail: int) -> str:
    """Replace significant characters with MASK_CHAR except the first `head` and last `tail`.

    Separators (spaces, dashes, dots) stay, so '138 1234 5678' becomes '138 **** 5678'.
    """
    positions = [i for i, ch in enumerate(text) if _significant(ch)]
    n = len(positions)
    if head + tail >= n:  # too short to keep anything meaningful
        head, tail = (1, 0) if n > 1 else (0, 0)
    keep = set(positions[:head]) | set(positions[n - tail:] if tail else [])
    return "".join(ch if (i in keep or not _significant(ch)) else MASK_CHAR for i, ch in enumerate(text))


def _mask_email(text: str) -> str:
    local, _, domain = text.partition("@")
    return (local[:1] + MASK_CHAR * max(1, len(local) - 1)) + "@" + domain


def _mask_ip(text: str) -> str:
    parts = fold(text).split(".")
    return ".".join([parts[0]] + [MASK_CHAR] * (len(parts) - 1))


def _mask_person(text: str) -> str:
    # SPC practice for published judgments: keep the surname, replace the given name by 某.
    from .names_mask import mask_name  # noqa: PLC0415 - tiny module, kept apart for reuse

    return mask_name(text)


@dataclass
class OperatorState:
    """Per-document state: pseudonym tables and the HMAC key."""

    hmac_key: bytes | None = None
    pseudonyms: dict[tuple[str, str], str] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)


def mask(f: Finding, state: OperatorState) -> str:
    # zero-width and bidi characters inside a value are replaced with it, not kept in the mask
    f = f.with_(text=without_format(f.text))
    if f.kind == "email":
        return _mask_email(f.text)
    if f.kind == "ip_address":
        return _mask_ip(f.text)
    if f.kind in ("person", "official"):
        return _mask_person(f.text)
    if f.kind == "mobile":
        # Keep +86/0086 as it is and mask the national number: +86 139-****-5678.
        m = _COUNTRY_PREFIX.match(f.text)
        if m:
            return m.group() + _mask_keep(f.text[m.end():], 3, 4)
    head, tail = keep_ends(f.kind)
    return _mask_keep(f.text, head, tail)


def label(f: Finding, state: OperatorState) -> str:
    return f"[{label_of(f.kind)}]"


def _key(f: Finding) -> tuple[str, str]:
    value = "".join(ch for ch in fold(f.text) if ch.isalnum()).upper()
    return (f.kind, value)


def pseudonym(f: Finding, state: OperatorState) -> str:
    """Same value -> same replacement within a document: [身份证号1], [身份证号2]; names 张某1."""
    key = _key(f)
    if key not in state.pseudonyms:
        group = f.kind
        if f.kind in ("person", "official"):
            group = f"person:{f.text[:1]}"
        n = state.counters.get(group, 0) + 1
        state.counters[group] = n
        if f.kind in ("person", "official"):
            state.pseudonyms[key] = f"{f.text[:1]}某{n}"
        else:
            state.pseudonyms[key] = f"[{label_of(f.kind)}{n}]"
    return state.pseudonyms[key]


def generalize(f: Finding, state: OperatorState) -> str:
    """Keep the coarse part: region of an ID, prefix of a phone, network of an IP."""
    if f.kind == "id_card":
        return _mask_keep(f.text, 6, 0)
    if f.kind in ("mobile", "landline"):
        return _mask_keep(f.text, 3 if f.kind == "mobile" else 4, 0)
    if f.kind == "ip_address":
        parts = fold(f.text).split(".")
        return ".".join(parts[:2] + [MASK_CHAR] * 2)
    if f.kind == "address":
        from .names_mask import generalize_address  # noqa: PLC0415

        return generalize_address(f.text)
    return label(f, state)


def hmac(f: Finding, state: OperatorState) -> str:
    """Keyed HMAC-SHA256 of the normalised value: links records without revealing them."""
    if not state.hmac_key:
        raise ConfigError("operator 'hmac' needs a key: set hmac_key in the config or REDACTOR_HMAC_KEY")
    digest = _hmac.new(state.hmac_key, "|".join(_key(f)).encode(), hashlib.sha256).hexdigest()[:12]
    return f"[{label_of(f.kind)}:{digest}]"


def remove(f: Finding, state: OperatorState) -> str:
    return ""


def keep(f: Finding, state: OperatorState) -> str:
    return f.text


OPERATORS: dict[str, Callable[[Finding, OperatorState], str]] = {
    "mask": mask,
    "label": label,
    "pseudonym": pseudonym,
    "generalize": generalize,
    "hmac": hmac,
    "remove": remove,
    "keep": keep,
}


def preview(f: Finding) -> str:
    """What a report shows for a finding: always a masked form, never the raw value. An address
    shows what the default copy keeps (the administrative part down to the township), so the
    clerk sees which address it is; everything else shows the partial mask."""
    if f.kind == "address":
        return generalize(f, OperatorState())
    return mask(f, OperatorState())
