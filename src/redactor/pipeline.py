"""The flow: extract -> detect -> resolve -> decide -> mask -> write -> verify -> report.

``Redactor`` holds a policy and the detectors built for it (built lazily, once). Its methods
are the public API behind ``redactor.scan_text`` and friends; many files run through
``redactor.engine.run_batch`` (the CLI, ``-j N``, ``--dask`` and the service alike).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Iterable, Iterator, Sequence

from .detect import build_detectors
from .detect.base import DetectContext
from .document import BODY, Document, Edit, Segment
from .errors import RedactorError, UnreadableFileError, VerificationError, describe_exception
from .findings import HIDDEN, PERSONAL, Finding, kind_info
from .formats import adapter_for, copy_suffix_for
from .formats.text import apply_edits
from .operators import OPERATORS, OperatorState
from .policy import BLOCK, ERROR, INFO, PUBLISH, REDACT, Policy, worst
from .reporting import FileReport, FindingRecord, location_of, preview_of, reasons_for, safe_attrs
from .resolve import resolve_overlaps
from .textfold import fold
from .textview import DocumentView

STDIN = "-"


@dataclass(frozen=True)
class Decision:
    """A finding with what the policy decided: the operator and the verdict it implies."""

    finding: Finding
    operator: str
    verdict: str

    @property
    def masks(self) -> bool:
        # personal kinds, and kinds a policy may switch to masking (officials = "mask")
        info = kind_info(self.finding.kind)
        maskable = info.masks if info else True  # an unknown kind is treated as personal
        return self.verdict in (REDACT, BLOCK) and self.operator != "keep" and maskable

    @property
    def action(self) -> str:
        """What the copy does with it: the operator, 'remove' for hidden content the adapter
        scrubs, or 'keep' (reported only)."""
        if self.masks:
            return self.operator
        if self.finding.category == HIDDEN and self.operator == "remove" and self.verdict != BLOCK:
            return "remove"
        return "keep"


class Redactor:
    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()
        self._detectors: list[object] | None = None

    @property
    def detectors(self) -> list[object]:
        if self._detectors is None:
            self._detectors = build_detectors(self.policy)
        return self._detectors

    # --- detection -----------------------------------------------------------------------
    def scan_document(self, doc: Document) -> list[Finding]:
        """All findings of a document, filtered by the policy and with overlaps resolved."""
        # Detectors read the normalised view of each segment; findings come back to the original.
        views = DocumentView.of(doc)
        original, doc = doc, views.document
        found: list[Finding] = []
        per_segment = [d for d in self.detectors if hasattr(d, "detect")]
        whole_doc = [d for d in self.detectors if hasattr(d, "detect_document")]
        for i, seg in enumerate(doc.segments):
            if not seg.text:
                continue
            ctx = DetectContext(index=i, segment=seg, document=doc, policy=self.policy)
            for det in per_segment:
                found.extend(det.detect(seg.text, ctx))  # type: ignore[attr-defined]
        ctx = DetectContext(document=doc, policy=self.policy)
        for det in whole_doc:
            found.extend(det.detect_document(doc, list(found), ctx))  # type: ignore[attr-defined]
        found = views.to_original(found)
        found.extend(original.notices)
        return resolve_overlaps(self._keep(found))

    def _keep(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        p = self.policy
        for f in findings:
            kp = p.for_kind(f.kind)
            if not kp.enabled or f.score < p.threshold_for(f.kind):
                continue
            if f.category == PERSONAL and p.is_allowed(f.text.strip()):
                continue
            yield f

    def decide(self, findings: Sequence[Finding]) -> list[Decision]:
        return [Decision(f, self.policy.operator_for(f), self.policy.verdict_for(f)) for f in findings]

    def edits(self, decisions: Sequence[Decision], state: OperatorState | None = None) -> list[Edit]:
        state = state or OperatorState(hmac_key=self.policy.hmac_key_bytes())
        out = []
        for d in decisions:
            if d.masks:
                f = d.finding
                out.append(Edit(f.segment, f.start, f.end, OPERATORS[d.operator](f, state)))
        return out

    # --- text API ------------------------------------------------------------------------
    def scan_text(self, text: str) -> list[Finding]:
        return self.scan_document(_text_document(text))

    def redact_text(self, text: str) -> str:
        doc = _text_document(text)
        edits = self.edits(self.decide(self.scan_document(doc)))
        return apply_edits(text, edits)

    # --- files ---------------------------------------------------------------------------
    def scan(self, path: str | os.PathLike[str], rel: str | None = None) -> FileReport:
        """Check one file (or '-' for stdin): verdict, reasons and masked findings.

        ``rel``: the path whose names are checked too (default: the file's name; a folder run
        passes the path inside the folder, see ``filenames.py``).
        """
        return self._process(str(path), out=None, rel=rel)

    def redact(self, path: str | os.PathLike[str], out: str | os.PathLike[str], rel: str | None = None) -> FileReport:
        """Check one file and write its redacted copy to ``out`` (atomically, verified).

        Blocked files are not written. Files with nothing to redact are copied byte for byte.
        A legacy file read after conversion (.xls) is written in the modern format, under
        ``out`` with that format's suffix (``FileReport.output`` says where).
        """
        return self._process(str(path), out=str(out), rel=rel)

    def _process(self, path: str, out: str | None, rel: str | None = None) -> FileReport:
        fmt = None
        try:
            doc = self._extract(path)
            fmt = doc.format
            decisions = self.decide(self.scan_document(doc))
            report = self._report(path, doc, decisions)
            if path != STDIN:  # personal information in the file's (and its folders') names
                from .filenames import add_to_report

                add_to_report(self, report, PurePath(rel or Path(path).name))
            if out is not None and report.verdict != BLOCK:
                self._write(path, doc, decisions, out, report)
            return report
        except RedactorError as e:
            return FileReport(path=path, verdict=ERROR, format=fmt, error=str(e), reasons=[str(e)])
        except (OSError, ValueError, KeyError, IndexError, TypeError, AttributeError, RuntimeError) as e:
            # Third-party parsers raise anything on corrupt input; name the file, keep going.
            msg = f"[E299] {path}: cannot process: {describe_exception(e)}"
            return FileReport(path=path, verdict=ERROR, format=fmt, error=msg, reasons=[msg])

    def _extract(self, path: str) -> Document:
        if path == STDIN:
            import sys

            return _text_document(sys.stdin.read(), path=STDIN)
        p = Path(path)
        if not p.exists():
            raise UnreadableFileError("no such file", path=path)
        if not p.is_file():
            raise UnreadableFileError("not a regular file", path=path)
        size = p.stat().st_size
        if size == 0:
            raise UnreadableFileError("file is empty", path=path)
        if size > self.policy.max_file_mb * 1024 * 1024:
            raise UnreadableFileError(
                f"file is too large ({size / 1048576:.0f} MB > max_file_mb {self.policy.max_file_mb:g})", path=path
            )
        return adapter_for(p).extract(p)

    def _report(self, path: str, doc: Document, decisions: Sequence[Decision]) -> FileReport:
        records = [
            FindingRecord(
                kind=d.finding.kind,
                category=d.finding.category,
                score=d.finding.score,
                rule=d.finding.rule,
                explanation=d.finding.explanation,
                location=location_of(d.finding, doc),
                preview=preview_of(d.finding),
                action=d.action,
                verdict=d.verdict if d.verdict != PUBLISH else INFO,
                attrs=safe_attrs(d.finding),
            )
            for d in decisions
        ]
        verdict = worst(r.verdict if r.verdict != INFO else PUBLISH for r in records)
        return FileReport(path=path, verdict=verdict, format=doc.format, findings=records, reasons=reasons_for(records))

    def _write(self, path: str, doc: Document, decisions: Sequence[Decision], out: str, report: FileReport) -> None:
        if out == STDIN:
            import sys

            if doc.format != "text":
                raise UnreadableFileError("only text can be written to stdout", path=path)
            sys.stdout.write(apply_edits(doc.segments[0].text, self.edits(decisions)))
            report.output = STDIN
            return
        dest = Path(out)
        converted = path != STDIN and copy_suffix_for(path).lower() != Path(path).suffix.lower()
        if converted and dest.suffix.lower() != copy_suffix_for(path).lower():
            dest = dest.with_suffix(copy_suffix_for(path))  # an .xls is written as .xlsx
        if path != STDIN and dest.exists() and dest.resolve() == Path(path).resolve():
            raise RedactorError("output would overwrite the input", path=path)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            if report.verdict == PUBLISH and path != STDIN and not converted:
                shutil.copyfile(path, tmp)  # nothing to change: the copy is the same bytes
            else:
                edits = self.edits(decisions)
                if path == STDIN:
                    tmp.write_text(apply_edits(doc.segments[0].text, edits), encoding="utf-8")
                else:
                    adapter_for(path).write(doc, edits, tmp)
                self._verify(tmp, dest.suffix if path != STDIN else ".txt", decisions, path)
            os.replace(tmp, dest)
            report.output = str(dest)
        finally:
            if tmp.exists():
                tmp.unlink()

    def _verify(self, written: Path, suffix: str, decisions: Sequence[Decision], path: str) -> None:
        """Read the copy back with the same extractor and re-scan it: nothing masked may survive."""
        adapter = adapter_for(Path("x" + suffix))
        doc = adapter.extract(written)
        body = _squash(doc.text)
        for d in decisions:
            if d.masks:
                value = _squash(d.finding.text)
                if len(value) >= 5 and value in body:
                    raise VerificationError(f"a masked {d.finding.kind} is still readable in the copy", path=path)
        leftovers = [d for d in self.decide(self.scan_document(doc)) if d.masks]
        if leftovers:
            kinds = ", ".join(sorted({d.finding.kind for d in leftovers}))
            raise VerificationError(f"the redacted copy still contains: {kinds}", path=path)


def _squash(text: str) -> str:
    """Folded text with separators removed, for 'is the value still there' checks."""
    return "".join(ch for ch in fold(text) if ch.isalnum()).upper()


def _text_document(text: str, path: str = "<text>") -> Document:
    return Document(path=path, format="text", segments=[Segment(text=text, origin=BODY)])
