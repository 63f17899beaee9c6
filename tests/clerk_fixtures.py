"""Shared helpers for the clerk / CI-gate tests: a small mixed folder of synthetic documents.

Every value comes from redactor.synth (valid-looking, belonging to nobody).
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from redactor.synth import Synth

REDACTOR = [sys.executable, "-m", "redactor"]


def make_folder(root: Path, seed: int = 7) -> dict[str, Path]:
    """Three verdicts, one unreadable file, a nested folder: returns name -> path."""
    s = Synth.seeded(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "sub").mkdir(exist_ok=True)
    files = {
        "personal": root / "申请表.txt",
        "classified": root / "sub" / "通知.txt",
        "clean": root / "clean.md",
        "empty": root / "empty.txt",
    }
    files["personal"].write_text(
        f"申请人身份证号：{s.id18()}\n联系电话：{s.mobile()}\n银行卡号：{s.bank_card(19)}\n", encoding="utf-8")
    files["classified"].write_text("机密★5年\n\n关于做好年度工作的通知\n各单位：请按要求办理。\n", encoding="utf-8")
    files["clean"].write_text("# 工作动态\n\n本周召开工作会议，研究部署下一阶段任务。\n", encoding="utf-8")
    files["empty"].write_bytes(b"")
    return files


SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def add_samples(root: Path) -> list[Path]:
    """Copy the repository's sample .docx/.pdf files (synthetic) into root, when present."""
    import shutil

    out = []
    for f in sorted(SAMPLES.glob("*")) if SAMPLES.is_dir() else []:
        if f.suffix in (".docx", ".pdf"):
            root.mkdir(parents=True, exist_ok=True)
            out.append(Path(shutil.copy(f, root / f.name)))
    return out


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    e.update(extra)
    return e


def run_cli(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*REDACTOR, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env=kw.pop("env", None) or env(), **kw)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {out[-2000:]}")
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout} s")
