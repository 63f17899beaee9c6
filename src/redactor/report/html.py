"""One self-contained HTML report for a clerk: no network, no external files.

Per file: verdict, reasons and findings (kind, masked preview, rule, location, action,
score, explanation). Tables are rendered on the server, so the report reads fine without
JavaScript; the inline script adds sorting (click a column header) and filtering by verdict,
kind and text. The filter state is kept in the URL fragment (``#verdict=block&kind=id_card``)
so a filtered view can be bookmarked. A Content-Security-Policy forbids every network load.
"""
from __future__ import annotations

import os
from collections import Counter
from datetime import datetime, timezone
from html import escape
from pathlib import Path

from ..findings import label_of
from ..policy import BLOCK, ERROR, PUBLISH, REDACT
from ..reporting import FileReport, RunReport
from . import format_location

VERDICTS = (PUBLISH, REDACT, BLOCK, ERROR)
VERDICT_LABEL = {PUBLISH: "publish · 可公开", REDACT: "redact · 删减后公开", BLOCK: "block · 不得公开", ERROR: "error · 无法处理"}
VERDICT_RANK = {PUBLISH: 0, REDACT: 1, BLOCK: 2, ERROR: 3}

CSS = """
:root{--publish:#2e7d32;--redact:#f9a825;--block:#d32f2f;--error:#6a1b9a;--info:#607d8b;--line:#d0d7de;--muted:#57606a}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:14px 24px}
header h1{font-size:20px;margin:0 0 4px}
header .meta{color:#c9d1d9;font-size:13px}
main{padding:16px 24px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:14px}
.card{border:2px solid var(--line);border-radius:8px;background:#fff;padding:10px 16px;min-width:150px;cursor:pointer;text-align:left;font:inherit}
.card .n{font-size:26px;font-weight:700;display:block}
.card[aria-pressed=true]{border-color:#0969da;box-shadow:0 0 0 3px #54aeff66}
.card.publish .n{color:var(--publish)}.card.redact .n{color:#b26a00}.card.block .n{color:var(--block)}.card.error .n{color:var(--error)}
.filters{display:flex;gap:16px;align-items:center;flex-wrap:wrap;background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin-bottom:14px}
.filters label{font-size:14px;color:var(--muted)}
.filters select,.filters input{font:inherit;padding:4px 6px;margin-left:6px}
#shown{margin-left:auto;color:var(--muted);font-size:14px}
table{border-collapse:collapse;width:100%;background:#fff}
table.files{border:1px solid var(--line)}
th,td{padding:6px 10px;text-align:left;vertical-align:top;font-size:14px}
table.files>thead th{background:#eaeef2;border-bottom:1px solid var(--line);position:sticky;top:0}
th.sortable{cursor:pointer;user-select:none;white-space:nowrap}
th.sortable::after{content:" ↕";color:#8c959f}
th[aria-sort=ascending]::after{content:" ▲";color:#0969da}
th[aria-sort=descending]::after{content:" ▼";color:#0969da}
tbody.file{border-top:1px solid var(--line)}
tbody.file.hidden,tr.finding.hidden{display:none}
td.path{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all;min-width:200px}
.badge{display:inline-block;border-radius:12px;padding:2px 10px;font-size:13px;font-weight:700;color:#fff;white-space:nowrap}
.badge.publish{background:var(--publish)}.badge.redact{background:var(--redact);color:#1f2328}.badge.block{background:var(--block)}.badge.error{background:var(--error)}.badge.info{background:var(--info)}
ul.reasons{margin:0;padding-left:18px}
tr.detail>td{padding:0 10px 10px 28px}
details summary{cursor:pointer;color:#0969da;font-size:13px;padding:4px 0}
table.findings{border:1px solid var(--line);margin-top:4px}
table.findings th{background:#f6f8fa;border-bottom:1px solid var(--line);font-size:13px}
table.findings td{border-top:1px solid #eaeef2;font-size:13px}
td.preview,td.rule{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
td.expl{color:var(--muted);max-width:420px}
.kind small{color:var(--muted);display:block}
.empty{color:var(--muted);padding:20px;text-align:center}
footer{color:var(--muted);font-size:12px;padding:10px 24px 24px}
"""

JS = r"""
(function(){
  "use strict";
  var files = Array.prototype.slice.call(document.querySelectorAll("tbody.file"));
  var fVerdict = document.getElementById("f-verdict");
  var fKind = document.getElementById("f-kind");
  var fText = document.getElementById("f-text");
  var shown = document.getElementById("shown");
  var empty = document.getElementById("empty");
  var cards = Array.prototype.slice.call(document.querySelectorAll("button.card"));

  function apply(){
    var v = fVerdict.value, k = fKind.value, t = fText.value.trim().toLowerCase();
    var n = 0;
    files.forEach(function(tb){
      var kinds = tb.getAttribute("data-kinds").split(" ");
      var ok = (!v || tb.getAttribute("data-verdict") === v) && (!k || kinds.indexOf(k) >= 0) &&
               (!t || tb.textContent.toLowerCase().indexOf(t) >= 0);
      tb.classList.toggle("hidden", !ok);
      tb.querySelectorAll("tr.finding").forEach(function(tr){
        tr.classList.toggle("hidden", !!k && tr.getAttribute("data-kind") !== k);
      });
      if (ok) n++;
    });
    shown.textContent = n + " of " + files.length + " files shown";
    empty.hidden = n !== 0;
    cards.forEach(function(c){ c.setAttribute("aria-pressed", String(c.getAttribute("data-verdict") === v)); });
    var h = [];
    if (v) h.push("verdict=" + encodeURIComponent(v));
    if (k) h.push("kind=" + encodeURIComponent(k));
    if (t) h.push("q=" + encodeURIComponent(t));
    var hash = h.length ? "#" + h.join("&") : "";
    if (location.hash !== hash && history.replaceState) history.replaceState(null, "", hash || location.pathname);
    document.body.setAttribute("data-shown", String(n));
  }

  function fromHash(){
    var h = location.hash.replace(/^#/, "").split("&");
    h.forEach(function(part){
      var kv = part.split("="), key = kv[0], val = decodeURIComponent(kv[1] || "");
      if (key === "verdict") fVerdict.value = val;
      if (key === "kind") fKind.value = val;
      if (key === "q") fText.value = val;
    });
  }

  cards.forEach(function(c){
    c.addEventListener("click", function(){
      var v = c.getAttribute("data-verdict");
      fVerdict.value = fVerdict.value === v ? "" : v;
      apply();
    });
  });
  [fVerdict, fKind].forEach(function(el){ el.addEventListener("change", apply); });
  fText.addEventListener("input", apply);

  function keyOf(el, key){
    var raw = el.getAttribute("data-" + key);
    if (raw === null) return "";
    var num = parseFloat(raw);
    return (raw !== "" && !isNaN(num) && String(num) === raw) ? num : raw.toLowerCase();
  }
  function cmp(a, b){ return a < b ? -1 : a > b ? 1 : 0; }

  document.querySelectorAll("th.sortable").forEach(function(th){
    th.addEventListener("click", function(){
      var table = th.closest("table"), key = th.getAttribute("data-key");
      var dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      table.querySelectorAll(":scope > thead th.sortable").forEach(function(o){ o.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir);
      var sign = dir === "ascending" ? 1 : -1;
      if (table.classList.contains("files")) {
        var sorted = files.slice().sort(function(a, b){
          return sign * cmp(keyOf(a, key), keyOf(b, key)) || cmp(keyOf(a, "order"), keyOf(b, "order"));
        });
        sorted.forEach(function(tb){ table.appendChild(tb); });
      } else {
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).sort(function(a, b){
          return sign * cmp(keyOf(a, key), keyOf(b, key)) || cmp(keyOf(a, "order"), keyOf(b, "order"));
        });
        rows.forEach(function(r){ body.appendChild(r); });
      }
    });
  });

  fromHash();
  apply();
  window.addEventListener("hashchange", function(){ fromHash(); apply(); });
  document.body.setAttribute("data-ready", "1");
})();
"""


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _file_body(order: int, f: FileReport) -> str:
    kinds = sorted({r.kind for r in f.findings})
    open_ = " open" if f.verdict != PUBLISH else ""
    rows = []
    for i, r in enumerate(f.findings):
        loc = format_location(r.location)
        loc_key = f"{r.location.get('page', 0):06}{r.location.get('segment', 0):06}{r.location.get('start', 0):08}" \
            if isinstance(r.location.get("page", 0), int) else str(r.location.get("page"))
        rows.append(
            f'<tr class="finding" data-kind="{_attr(r.kind)}" data-order="{i}" data-verdict="{_attr(r.verdict)}" '
            f'data-rank="{VERDICT_RANK.get(r.verdict, 0)}" data-rule="{_attr(r.rule)}" data-loc="{_attr(loc_key)}" '
            f'data-score="{r.score:g}" data-preview="{_attr(r.preview)}">'
            f'<td><span class="badge {_attr(r.verdict)}">{escape(r.verdict)}</span></td>'
            f'<td class="kind">{escape(r.kind)}<small>{escape(label_of(r.kind))}</small></td>'
            f'<td class="preview">{escape(r.preview)}</td>'
            f'<td class="rule">{escape(r.rule)}</td>'
            f'<td class="loc">{escape(loc)}</td>'
            f'<td>{escape(r.action)}</td>'
            f'<td>{r.score:.2f}</td>'
            f'<td class="expl">{escape(r.explanation)}</td></tr>'
        )
    detail = ""
    if rows or f.reasons or f.error:
        reasons = "".join(f"<li>{escape(x)}</li>" for x in f.reasons) or (
            f"<li>{escape(f.error)}</li>" if f.error else "")
        table = ""
        if rows:
            table = (
                '<table class="findings"><thead><tr>'
                '<th class="sortable" data-key="rank">Verdict</th><th class="sortable" data-key="kind">Kind</th>'
                '<th class="sortable" data-key="preview">Masked preview</th><th class="sortable" data-key="rule">Rule</th>'
                '<th class="sortable" data-key="loc">Location</th><th>Action</th>'
                '<th class="sortable" data-key="score">Score</th><th>Explanation</th>'
                f'</tr></thead><tbody>{"".join(rows)}</tbody></table>'
            )
        detail = (f'<tr class="detail"><td colspan="5"><details{open_}><summary>{len(rows)} finding(s)'
                  f'{", " + escape(f.format) if f.format else ""}</summary>'
                  f'{"<ul class=reasons>" + reasons + "</ul>" if reasons else ""}{table}</details></td></tr>')
    first_reason = escape(f.reasons[0]) if f.reasons else ""
    more = f" (+{len(f.reasons) - 1})" if len(f.reasons) > 1 else ""
    return (
        f'<tbody class="file" data-order="{order}" data-path="{_attr(f.path)}" data-verdict="{_attr(f.verdict)}" '
        f'data-rank="{VERDICT_RANK.get(f.verdict, 0)}" data-count="{len(f.findings)}" '
        f'data-format="{_attr(f.format or "")}" data-kinds="{_attr(" ".join(kinds))}">'
        f'<tr class="filerow"><td class="path">{escape(f.path)}</td>'
        f'<td><span class="badge {_attr(f.verdict)}">{escape(f.verdict)}</span></td>'
        f'<td>{len(f.findings)}</td><td>{escape(f.format or "")}</td>'
        f'<td class="reason">{first_reason}{more}</td></tr>{detail}</tbody>'
    )


def render_html(run: RunReport, title: str = "redactor report", generated: datetime | None = None) -> str:
    """The whole report as one HTML string (UTF-8, no external resources)."""
    from .. import __version__

    summary = run.summary()
    when = (generated or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    kinds = Counter(r.kind for f in run.files for r in f.findings)
    cards = "".join(
        f'<button type="button" class="card {v}" id="card-{v}" data-verdict="{v}" aria-pressed="false">'
        f'<span class="n">{summary["verdicts"][v]}</span>{escape(VERDICT_LABEL[v])}</button>'
        for v in VERDICTS
    )
    verdict_opts = "".join(f'<option value="{v}">{v} ({summary["verdicts"][v]})</option>' for v in VERDICTS)
    kind_opts = "".join(
        f'<option value="{_attr(k)}">{escape(k)} · {escape(label_of(k))} ({n})</option>' for k, n in sorted(kinds.items())
    )
    bodies = "".join(_file_body(i, f) for i, f in enumerate(run.files))
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="redactor {escape(__version__)}">
<title>{escape(title)}</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>{escape(title)}</h1>
<div class="meta">{summary["files"]} file(s) · {sum(kinds.values())} finding(s) · exit code {summary["exit_code"]} · {escape(when)} · redactor {escape(__version__)}</div></header>
<main>
<section class="cards" aria-label="files per verdict">{cards}</section>
<section class="filters" aria-label="filters">
<label>Verdict<select id="f-verdict"><option value="">all</option>{verdict_opts}</select></label>
<label>Kind<select id="f-kind"><option value="">all</option>{kind_opts}</select></label>
<label>Search<input id="f-text" type="search" placeholder="file, rule, preview…"></label>
<span id="shown">{len(run.files)} of {len(run.files)} files shown</span>
</section>
<table class="files" id="files">
<thead><tr><th class="sortable" data-key="path">File</th><th class="sortable" data-key="rank">Verdict</th>
<th class="sortable" data-key="count">Findings</th><th class="sortable" data-key="format">Format</th><th>Reason</th></tr></thead>
{bodies}
</table>
<p class="empty" id="empty" hidden>No file matches the filters.</p>
<noscript><p class="empty">Sorting and filtering need JavaScript; the tables above are complete without it.</p></noscript>
</main>
<footer>Previews are masked: this report contains no raw personal data. Schema of the JSON report: redactor.report/1.</footer>
<script>{JS}</script>
</body>
</html>
"""


def write_html(run: RunReport, path: str | os.PathLike[str], **kwargs) -> None:
    """Write the report atomically (a half-written report is never left behind)."""
    dest = Path(path)
    if dest.parent and not dest.parent.exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    tmp.write_text(render_html(run, **kwargs), encoding="utf-8")
    os.replace(tmp, dest)
