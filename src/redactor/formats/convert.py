"""Legacy office files (.doc, .wps, .rtf, .odt, .xls, .et ...) to DOCX/XLSX with LibreOffice.

The adapters for these formats convert first and then read the modern file, so one reader and
one writer per family does all the checking; the copy is written in the modern format.

    kind = sniff(path.read_bytes())           # 'xls', 'doc', 'xlsx', 'wps-native' ... by content
    with converted(path, "xlsx") as xlsx:     # a temporary .xlsx, removed on exit
        data = xlsx.read_bytes()

What a name says is not what a file is: WPS Office saves ``.wps``/``.et`` either in Kingsoft's
own formats or as Word/Excel 97 files under that name, and clerks rename ``.docx`` files to
``.doc``. ``sniff`` reads the content: the OLE2 compound file's directory (a ``WordDocument``
stream is Word 97, ``Workbook``/``Book`` is Excel 97/95), a ZIP's part names (OOXML, ODF), or
an RTF/HTML head. LibreOffice is then given a copy with the suffix that matches the content.

LibreOffice runs headless as a subprocess with

- an isolated profile directory per conversion (``-env:UserInstallation=file:///tmp/...``):
  a user's own LibreOffice settings, macros and recent-file list are never touched, and
  conversions running in parallel do not fight over one profile's lock;
- a timeout (``REDACTOR_SOFFICE_TIMEOUT``, default 120 s), after which its whole process group
  is killed;
- the input under a neutral name (``input.xls``): a file name may hold a person's name, and
  LibreOffice should not see it or write it anywhere.

LibreOffice is found on PATH (``soffice``) or at ``$REDACTOR_SOFFICE``. Without it, converting
raises ``UnreadableFileError`` (E200) with the install hint: such a file is an error in the
report, never skipped. LibreOffice's own output is never quoted in a message (it can echo
file names).
"""
from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import UnreadableFileError

DEFAULT_TIMEOUT = 120.0
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What the file is (by content) -> the suffix LibreOffice gets, and the filter it imports with
# when its own type detection needs help (HTML saved under an office name).
_SUFFIX = {
    "doc": ".doc", "xls": ".xls", "docx": ".docx", "xlsx": ".xlsx", "odt": ".odt", "ods": ".ods",
    "rtf": ".rtf", "works": ".wps", "wps-native": ".wps", "et-native": ".et", "html": ".html",
    "text": ".txt", "unknown": "",
}
# Export filters (LibreOffice filter names) for the targets we read.
_EXPORT = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}
_HTML_IMPORT = {"docx": "HTML (StarWriter)", "xlsx": "calc_HTML_WebQuery"}
INSTALL_HINT = {
    "docx": "Debian: apt-get install libreoffice-writer-nogui",
    "xlsx": "Debian: apt-get install libreoffice-calc-nogui",
}

DESCRIPTIONS = {
    "doc": "a Word 97-2003 document", "xls": "an Excel 97-2003 workbook", "docx": "a Word (OOXML) document",
    "xlsx": "an Excel (OOXML) workbook", "odt": "an OpenDocument text", "ods": "an OpenDocument spreadsheet",
    "rtf": "an RTF document", "works": "a Microsoft Works document", "wps-native": "a WPS Writer file in Kingsoft's own format",
    "et-native": "a WPS Spreadsheets file in Kingsoft's own format", "html": "an HTML page", "text": "plain text",
    "unknown": "a file of unknown type",
}


# --- what a file is ----------------------------------------------------------------------------


def sniff(data: bytes) -> str:
    """The file's type by content: doc, xls, docx, xlsx, odt, ods, rtf, works, wps-native,
    et-native, html, text or unknown."""
    if data[:8] == OLE_MAGIC:
        return _sniff_ole(data)
    if data[:4] == b"PK\x03\x04":
        return _sniff_zip(data)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<table", b"<meta", b"<head", b"<body")) or b"<html" in head:
        return "html"
    if data and b"\x00" not in data[:4096]:
        return "text"
    return "unknown"


def _sniff_zip(data: bytes) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "unknown"
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if "xl/workbook.xml" in names or any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "mimetype" in names:
        try:
            mime = zipfile.ZipFile(io.BytesIO(data)).read("mimetype")[:100]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
            return "unknown"
        if mime.endswith(b"opendocument.text"):
            return "odt"
        if mime.endswith(b"opendocument.spreadsheet"):
            return "ods"
    return "unknown"


def ole_streams(data: bytes) -> set[str]:
    """Names of the entries in an OLE2 compound file's directory ([MS-CFB]); empty if it is
    not one or its directory cannot be followed."""
    if len(data) < 512 or data[:8] != OLE_MAGIC:
        return set()
    try:
        shift, = struct.unpack_from("<H", data, 30)
        if shift not in (9, 12):
            return set()
        size = 1 << shift
        n_fat, first_dir, _, _, _, first_difat, n_difat = struct.unpack_from("<IIIIIII", data, 44)
        n_sectors = max(0, (len(data) - size) // size)

        def sector(i: int) -> bytes:
            off = size + i * size
            return data[off:off + size]

        # The FAT's own sectors: 109 in the header, the rest in the DIFAT chain.
        fat_sectors = list(struct.unpack_from("<109I", data, 76))
        nxt, hops = first_difat, 0
        while nxt < 0xFFFFFFFA and hops < n_difat and hops < n_sectors:
            entries = struct.unpack(f"<{size // 4}I", sector(nxt))
            fat_sectors.extend(entries[:-1])
            nxt = entries[-1]
            hops += 1
        fat: list[int] = []
        for s in fat_sectors[:n_fat]:
            if s >= n_sectors:
                break
            fat.extend(struct.unpack(f"<{size // 4}I", sector(s)))
        names: set[str] = set()
        cur, seen = first_dir, set()
        while cur < min(len(fat), n_sectors) and cur not in seen:
            seen.add(cur)
            block = sector(cur)
            for off in range(0, size, 128):
                entry = block[off:off + 128]
                name_len, = struct.unpack_from("<H", entry, 64)
                if 2 <= name_len <= 64 and entry[66] in (1, 2, 5):
                    names.add(entry[:name_len - 2].decode("utf-16-le", "replace"))
            cur = fat[cur]
        return names
    except (struct.error, IndexError):
        return set()


def _sniff_ole(data: bytes) -> str:
    streams = {n.lower() for n in ole_streams(data)}
    if "worddocument" in streams:
        return "doc"
    if "workbook" in streams or "book" in streams:
        return "xls"
    if "contents" in streams or "matost" in streams:  # Microsoft Works word processor
        return "works"
    # An OLE2 file with neither stream: Kingsoft's own formats keep their content elsewhere.
    if any(n.startswith("et") or "sheet" in n for n in streams):
        return "et-native"
    return "wps-native"


# --- LibreOffice -------------------------------------------------------------------------------


def soffice_path() -> str | None:
    """The LibreOffice executable (``$REDACTOR_SOFFICE`` or ``soffice`` on PATH), or None."""
    explicit = os.environ.get("REDACTOR_SOFFICE")
    if explicit:
        return explicit if os.path.isfile(explicit) and os.access(explicit, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout_seconds() -> float:
    try:
        return max(5.0, float(os.environ.get("REDACTOR_SOFFICE_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def convert(path: str | Path, to: str, out_dir: str | Path, *, kind: str | None = None,
            timeout: float | None = None) -> Path:
    """Convert ``path`` to ``to`` ('docx' or 'xlsx') in ``out_dir``; return the new file's path.

    A file that already is ``to`` (a .xlsx renamed .et) is copied, not converted. Raises
    ``UnreadableFileError`` (E200, naming ``path``) when LibreOffice is missing, times out, or
    cannot read the file.
    """
    if to not in _EXPORT:
        raise ValueError(f"cannot convert to {to!r}")
    src = Path(path)
    shown = str(path)
    data = src.read_bytes()
    kind = kind or sniff(data)
    out_dir = Path(out_dir)
    target = out_dir / f"converted.{to}"
    if kind == to:
        target.write_bytes(data)
        return target
    exe = soffice_path()
    if exe is None:
        raise UnreadableFileError(
            f"reading {src.suffix or 'this file'} needs LibreOffice, which is not installed "
            f"({INSTALL_HINT[to]}; or set REDACTOR_SOFFICE=/path/to/soffice)", path=shown)
    limit = timeout if timeout is not None else timeout_seconds()
    with tempfile.TemporaryDirectory(prefix="redactor-lo-") as work:
        work_dir = Path(work)
        profile, inbox, outbox = work_dir / "profile", work_dir / "in", work_dir / "out"
        for d in (profile, inbox, outbox):
            d.mkdir()
        staged = inbox / ("input" + (_SUFFIX.get(kind) or src.suffix.lower()))
        staged.write_bytes(data)
        cmd = [exe, "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault",
               "--nofirststartwizard", f"-env:UserInstallation={profile.as_uri()}"]
        if kind == "html":
            cmd.append(f"--infilter={_HTML_IMPORT[to]}")
        cmd += ["--convert-to", _EXPORT[to], "--outdir", str(outbox), str(staged)]
        _run(cmd, limit, shown, work_dir)
        produced = outbox / f"input.{to}"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise UnreadableFileError(
                f"LibreOffice could not read this file as {DESCRIPTIONS.get(kind, kind)} "
                "(corrupt, password-protected, or a format it does not support"
                + ("; save it as .docx/.xlsx in WPS Office" if kind.endswith("-native") else "") + ")",
                path=shown)
        shutil.move(str(produced), target)
    return target


def _run(cmd: list[str], limit: float, shown: str, work_dir: Path) -> None:
    env = dict(os.environ)
    env.update({"HOME": str(work_dir), "SAL_USE_VCLPLUGIN": "svp", "LC_ALL": env.get("LC_ALL", "C.UTF-8")})
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                cwd=work_dir, env=env, start_new_session=True)
    except OSError as e:
        raise UnreadableFileError(f"LibreOffice could not be started ({type(e).__name__})", path=shown) from None
    try:
        proc.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        raise UnreadableFileError(
            f"LibreOffice did not finish converting within {limit:.0f} s (REDACTOR_SOFFICE_TIMEOUT)", path=shown
        ) from None
    finally:
        if proc.poll() is None:  # an interrupt while waiting: leave no LibreOffice behind
            _kill_group(proc)


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


@contextmanager
def converted(path: str | Path, to: str, *, kind: str | None = None, timeout: float | None = None) -> Iterator[Path]:
    """``convert`` into a temporary directory that is removed when the block ends."""
    with tempfile.TemporaryDirectory(prefix="redactor-conv-") as out_dir:
        yield convert(path, to, out_dir, kind=kind, timeout=timeout)


def describe(kind: str, suffix: str, to: str) -> str:
    """A report note: what the file was and what the copy is."""
    if kind == to:
        return f"{suffix or 'the file'} is {DESCRIPTIONS[kind]} under another name; the redacted copy is written as .{to}"
    return (f"{suffix or 'the file'} is {DESCRIPTIONS.get(kind, kind)}: read after conversion to .{to} with LibreOffice; "
            f"the redacted copy is written as .{to}")
