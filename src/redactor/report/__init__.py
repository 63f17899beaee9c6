"""Report renderers over the plain ``RunReport``: HTML for a clerk, SARIF for CI annotations.

JSON stays in ``redactor.reporting`` (``RunReport.to_dict()``, schema ``redactor.report/1``);
the terminal view lives in ``redactor.terminal``. Every renderer reads FileReports only, so
no renderer can leak a raw value: findings carry masked previews from the pipeline.
"""
from __future__ import annotations

from typing import Any, Mapping

# Location keys a person understands, in the order they are shown: page, then table cell,
# then paragraph / line. Other keys (part, property, origin) follow.
_ORDER = ("page", "part", "table", "row", "col", "paragraph", "line", "column", "property")
_HIDDEN = {"segment", "start", "end", "column_header", "origin"}


def format_location(loc: Mapping[str, Any]) -> str:
    """``{"page": 2, "table": 0, "row": 4, "col": 1}`` -> ``page 2 · table 0 row 4 col 1``.

    Values are shown as the format adapter gave them. The segment's origin (header, comment,
    metadata ...) is appended when it is not the body, so hidden places stand out.
    """
    parts: list[str] = []
    cell = [f"{k} {loc[k]}" for k in ("table", "row", "col") if k in loc]
    for key in _ORDER:
        if key not in loc or key in ("row", "col"):
            continue
        if key == "table":
            parts.append(" ".join(cell))
        elif key == "column":
            if parts and parts[-1].startswith("line "):
                parts[-1] += f":{loc[key]}"
            else:
                parts.append(f"column {loc[key]}")
        else:
            parts.append(f"{key} {loc[key]}")
    if "table" not in loc and cell:
        parts.append(" ".join(cell))
    for key, value in loc.items():
        if key not in _ORDER and key not in _HIDDEN:
            parts.append(f"{key} {value}")
    origin = loc.get("origin")
    if origin and origin != "body":
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
