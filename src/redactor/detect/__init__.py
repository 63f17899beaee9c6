"""Detectors. Each module finds one family of things; the registry below builds the set for a policy.

Where things go:
  structured.py    regex + validator rules from patterns/structured.toml (IDs, phones, cards ...)
  validators.py    check-digit and plausibility functions the rules refer to by name
  terms.py         allow/deny lists from the policy
  names.py         person names and addresses (NER pipeline)
  confidential.py  classification and internal marks, disclosure attribute
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from .base import DetectContext

if TYPE_CHECKING:
    from ..policy import Policy

# module path of each detector family; each module exposes build(policy) -> list of detectors.
# A family whose module is not present in this build is skipped (it is reported by `redactor
# config --show`), so a partial checkout still works on the families it has.
DETECTOR_FAMILIES: dict[str, str] = {
    "structured": "redactor.detect.structured",
    "terms": "redactor.detect.terms",
    "confidential": "redactor.detect.confidential",
    "names": "redactor.detect.names",
}


def build_detectors(policy: "Policy") -> list[object]:
    detectors: list[object] = []
    for family, module in DETECTOR_FAMILIES.items():
        if family == "names" and not policy.names:
            continue
        try:
            mod = import_module(module)
        except ModuleNotFoundError as e:
            if e.name == module:
                continue
            raise
        detectors.extend(mod.build(policy))
    return detectors


__all__ = ["DetectContext", "build_detectors", "DETECTOR_FAMILIES"]
