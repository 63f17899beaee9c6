"""SARIF 2.1.0 for code-hosting CI: one result per finding that needs action, per file error.

Mapping (kept stable; CI annotations depend on it):
  - ``ruleId`` is the finding's rule (``id_card.gb11643_18``); each rule is listed once in
    ``tool.driver.rules`` with the kind, category and label in ``properties``.
  - ``level``: a finding whose verdict is ``block`` -> ``error``, ``redact`` -> ``warning``,
    ``info`` -> ``note``. An unreadable file -> rule ``redactor.unreadable``, ``error``.
  - the message holds the kind's label, the masked preview and the explanation: never the
    raw value (the preview is the only form of the value a report carries).
  - location: the file as a URI relative to ``%SRCROOT%`` (the working directory), and for
    text formats the line and column (``columnKind`` unicodeCodePoints). Pages, table cells
    and paragraphs, which SARIF has no field for, are in ``result.properties.location`` and
    in a logical location ``page 2 · table 0 row 4 col 1``.
  - ``properties.verdict`` on each artifact gives the file's verdict (publish/redact/block/error).
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..findings import label_of
from ..policy import BLOCK, ERROR, INFO, REDACT
from ..reporting import FindingRecord, RunReport
from . import format_location

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {BLOCK: "error", REDACT: "warning", INFO: "note"}
UNREADABLE_RULE = "redactor.unreadable"


def _uri(path: str, root: Path) -> tuple[str, bool]:
    """(uri, relative?) for a report path: relative to root when inside it, else file:// URI."""
    if path == "-":
        return "stdin", True
    p = Path(path)
    try:
        rel = p.resolve().relative_to(root)
        return quote(rel.as_posix()), True
    except ValueError:
        return p.resolve().as_uri(), False


def _region(loc: dict[str, Any]) -> dict[str, int] | None:
    if "line" not in loc:
        return None
    region = {"startLine": int(loc["line"])}
    if "column" in loc:
        region["startColumn"] = int(loc["column"])
        # Same line: the end column is start + the span's length (offsets are code points).
        if "start" in loc and "end" in loc and loc["end"] > loc["start"]:
            region["endColumn"] = int(loc["column"]) + int(loc["end"]) - int(loc["start"])
    return region


def _fingerprint(path: str, r: FindingRecord) -> str:
    # Stable across runs for the same finding; built from the masked preview, never the value.
    key = json.dumps([path, r.kind, r.rule, r.preview, r.location.get("segment"), r.location.get("start")],
                     ensure_ascii=False)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def to_sarif(run: RunReport, root: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    from .. import __version__

    base = Path(root or os.getcwd()).resolve()
    rules: dict[str, dict[str, Any]] = {}
    results: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []

    def rule_index(rule_id: str, kind: str, category: str, level: str, text: str) -> int:
        if rule_id not in rules:
            rules[rule_id] = {
                "id": rule_id,
                "name": kind,
                "shortDescription": {"text": text},
                "defaultConfiguration": {"level": level},
                "properties": {"kind": kind, "category": category, "label": label_of(kind)},
            }
        return list(rules).index(rule_id)

    seen: dict[str, int] = {}
    for f in run.files:
        uri, relative = _uri(f.path, base)
        if uri not in seen:  # artifacts must be unique: a file named twice is listed once
            seen[uri] = len(artifacts)
            location: dict[str, Any] = {"uri": uri}
            if relative:
                location["uriBaseId"] = "%SRCROOT%"
            artifact: dict[str, Any] = {"location": location,
                                        "properties": {"verdict": f.verdict, "reasons": f.reasons}}
            if f.format:
                artifact["properties"]["format"] = f.format
            artifacts.append(artifact)
        art_loc: dict[str, Any] = {**artifacts[seen[uri]]["location"], "index": seen[uri]}
        if f.verdict == ERROR:
            idx = rule_index(UNREADABLE_RULE, "unreadable", "error", "error", "the file could not be read or verified")
            results.append({
                "ruleId": UNREADABLE_RULE,
                "ruleIndex": idx,
                "level": "error",
                "message": {"text": f.error or "; ".join(f.reasons) or "unreadable"},
                "locations": [{"physicalLocation": {"artifactLocation": art_loc}}],
            })
            continue
        for r in f.findings:
            level = LEVELS.get(r.verdict, "note")
            idx = rule_index(r.rule, r.kind, r.category, level, f"{label_of(r.kind)} ({r.kind})")
            where = format_location(r.location)
            physical: dict[str, Any] = {"artifactLocation": art_loc}
            region = _region(r.location)
            if region:
                physical["region"] = region
            result: dict[str, Any] = {
                "ruleId": r.rule,
                "ruleIndex": idx,
                "level": level,
                "message": {"text": f"{label_of(r.kind)} '{r.preview}' ({where}): {r.explanation}".strip()},
                "locations": [{
                    "physicalLocation": physical,
                    "logicalLocations": [{"name": where, "kind": "element"}],
                }],
                "partialFingerprints": {"redactorFinding/v1": _fingerprint(f.path, r)},
                "properties": {
                    "kind": r.kind,
                    "category": r.category,
                    "verdict": r.verdict,
                    "action": r.action,
                    "score": r.score,
                    "preview": r.preview,
                    "location": {k: v for k, v in r.location.items()},
                    "fileVerdict": f.verdict,
                },
            }
            results.append(result)

    summary = run.summary()
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "redactor",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": list(rules.values()),
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri() + "/"}},
            "artifacts": artifacts,
            "results": results,
            "columnKind": "unicodeCodePoints",
            "invocations": [{
                "executionSuccessful": summary["verdicts"][ERROR] == 0,
                "exitCode": summary["exit_code"],
            }],
            "properties": {"summary": summary},
        }],
    }


def write_sarif(run: RunReport, path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> None:
    Path(path).write_text(json.dumps(to_sarif(run, root), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
