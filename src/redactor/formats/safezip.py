"""Open ZIP packages (DOCX, XLSX, OFD ...) with limits checked *before* anything is inflated.

A ZIP's central directory declares each member's size; a zip bomb declares small sizes and
lies, or declares huge ones. We refuse a package whose declared sizes, member count or
compression ratio are over the limits, and we read members through a stream that stops at
the declared size plus a margin, so a lying header cannot make us inflate gigabytes. Every
failure (bad CRC, truncated data, unsupported compression, encryption) becomes an
``UnreadableFileError`` naming the file and the member, never a traceback and never the
member's content.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import UnreadableFileError


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 10_000
    max_total: int = 1 << 30          # 1 GiB declared, all members together
    max_member: int = 512 << 20       # 512 MiB declared, one member
    max_ratio: float = 200.0          # declared size / compressed size, for members over 1 MiB
    ratio_floor: int = 1 << 20        # small members may compress better than the ratio (empty XML)


DEFAULT_LIMITS = ZipLimits()
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, NotImplementedError, ValueError, OSError)


class SafeZip:
    """A read-only ZIP with checked limits. ``read(name)`` returns a member's bytes."""

    def __init__(self, source: bytes | Path, path: str, kind: str = "ZIP", limits: ZipLimits = DEFAULT_LIMITS) -> None:
        self.path = path
        self.kind = kind
        self.limits = limits
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source)
            self.infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise UnreadableFileError(f"not a valid {kind} file (not a ZIP package; corrupt or truncated?)", path=path) from None
        self._check()
        self.by_name = {i.filename: i for i in self.infos}

    def _check(self) -> None:
        lim = self.limits
        if len(self.infos) > lim.max_members:
            raise UnreadableFileError(f"{self.kind} package has {len(self.infos)} members (limit {lim.max_members})", path=self.path)
        total = 0
        for info in self.infos:
            if info.flag_bits & 0x1:
                raise UnreadableFileError(f"{self.kind} package is encrypted", path=self.path)
            if info.file_size > lim.max_member:
                raise UnreadableFileError(
                    f"member '{_safe_name(info.filename)}' declares {info.file_size >> 20} MiB (limit {lim.max_member >> 20} MiB)",
                    path=self.path)
            if info.file_size > lim.ratio_floor and info.file_size > lim.max_ratio * max(1, info.compress_size):
                raise UnreadableFileError(
                    f"member '{_safe_name(info.filename)}' compresses {info.file_size / max(1, info.compress_size):.0f}:1 "
                    f"(limit {lim.max_ratio:.0f}:1): a zip bomb?", path=self.path)
            total += info.file_size
        if total > lim.max_total:
            raise UnreadableFileError(
                f"{self.kind} package unpacks to {total >> 20} MiB (limit {lim.max_total >> 20} MiB)", path=self.path)

    @property
    def names(self) -> list[str]:
        return [i.filename for i in self.infos]

    def read(self, name: str) -> bytes:
        info = self.by_name.get(name)
        if info is None:
            raise UnreadableFileError(f"part '{_safe_name(name)}' is missing from the {self.kind} package", path=self.path)
        cap = info.file_size + 1024  # the declared size is checked; a liar is stopped here
        try:
            with self.zip.open(info) as fh:
                data = fh.read(cap + 1)
        except _READ_ERRORS as e:
            raise UnreadableFileError(
                f"part '{_safe_name(name)}' is corrupt ({type(e).__name__})", path=self.path) from None
        if len(data) > cap:
            raise UnreadableFileError(f"part '{_safe_name(name)}' is larger than its header says: refusing it", path=self.path)
        return data


def _safe_name(name: str) -> str:
    """A member name for a message: names are chosen by whoever made the file, so keep them short."""
    name = name.replace("\n", " ")
    return name if len(name) <= 80 else name[:77] + "..."
