"""Report renderers over the plain ``RunReport``: HTML for a clerk, SARIF for CI annotations.

JSON stays in ``redactor.reporting`` (``RunReport.to_dict()``, schema ``redactor.report/1``);
the terminal view lives in ``redactor.terminal``. Every renderer reads FileReports only, so
no renderer can leak a raw value: findings carry masked previews from the pipeline.
"""
from __future__ import annotations

from typing import Any, Mapping

# Locations in reports already count from 1 (reporting.location_of); shown as they are.
_HIDDEN = {"segment", "start", "end", "column_header", "origin", "column", "subtype"}


def _main_parts() -> frozenset[str]:
    from ..formats import main_parts  # noqa: PLC0415 - the format registry, no adapter imported

    return main_parts()


def format_location(loc: Mapping[str, Any]) -> str:
    """Where a finding is, for a person: ``page 2 · table 1, row 5, col 2``, ``line 3:7``,
    ``header1 · paragraph 2``, ``property author``. Counting starts at 1 everywhere.

    The segment's origin (comment, footer, metadata, tracked_delete ...) is appended when it is
    not the body or a table, so hidden places stand out; then the column header, if known.
    """
    parts: list[str] = []
    if "page" in loc:
        parts.append(f"page {loc['page']}")
    part = loc.get("part")
    if isinstance(part, str) and part not in _main_parts():
        parts.append(part.rsplit("/", 1)[-1].removesuffix(".xml"))
    cell = [f"{k} {loc[k]}" for k in ("table", "row", "col") if k in loc]
    if cell:
        parts.append(", ".join(cell))
    if "paragraph" in loc:
        parts.append(f"paragraph {loc['paragraph']}")
    if "line" in loc:
        parts.append(f"line {loc['line']}" + (f":{loc['column']}" if "column" in loc else ""))
    for key, value in loc.items():
        if key in ("page", "part", "table", "row", "col", "paragraph", "line") or key in _HIDDEN:
            continue
        text = f"{key} {value}"
        if key == "annotation" and loc.get("subtype"):
            text += f" ({loc['subtype']})"
        parts.append(text)
    origin = loc.get("origin")
    if origin and origin not in ("body", "table"):
        parts.append(f"({origin})")
    if loc.get("column_header"):
        parts.append(f"[{loc['column_header']}]")
    return " · ".join(parts) if parts else f"segment {loc.get('segment', 0)}"


def __getattr__(name: str):  # lazy: `redactor.report.render_html` without importing both
    if name in ("render_html", "write_html"):
        from . import html

        return getattr(html, name)
    if name in ("to_sarif", "write_sarif"):
        from . import sarif

        return getattr(sarif, name)
    raise AttributeError(name)


__all__ = ["format_location", "render_html", "write_html", "to_sarif", "write_sarif"]
