"""DOCX → PDF with LibreOffice headless (``soffice --convert-to pdf``).

Each process uses its own LibreOffice profile (``-env:UserInstallation``) so parallel
workers (pytest-xdist, several web processes) never share one; the profile is kept for the
life of the process, so only the first conversion pays for creating it. Conversions within
one process are serialised by a lock (one profile cannot serve two conversions at once).
Several files are converted in one LibreOffice call (``convert_many``), which is how a set
of documents served together is produced quickly.

There is no silent fallback: without ``soffice`` every conversion raises
``DocumentRenderError`` saying so.
"""

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from django.conf import settings

TIMEOUT_SECONDS = 120
_lock = threading.Lock()
_profile_dir: Path | None = None
_profile_pid: int | None = None


class DocumentRenderError(RuntimeError):
    """A document could not be produced (template or conversion failure); message in Chinese."""


def soffice_binary() -> str:
    """Path of the LibreOffice executable (setting ``ZHIFA_SOFFICE`` overrides the search)."""
    configured = getattr(settings, "ZHIFA_SOFFICE", "") or os.environ.get("ZHIFA_SOFFICE", "")
    found = configured or shutil.which("soffice") or shutil.which("libreoffice")
    if not found or not Path(found).exists():
        raise DocumentRenderError(
            "未找到 LibreOffice（soffice），无法生成 PDF 文书。请安装 libreoffice-writer-nogui 和中文字体"
            "（fonts-wqy-zenhei），或在环境变量 ZHIFA_SOFFICE 中指定 soffice 的路径。"
        )
    return found


def _profile() -> Path:
    """This process's LibreOffice profile directory (created lazily, removed at exit)."""
    global _profile_dir, _profile_pid
    pid = os.getpid()
    if _profile_dir is None or _profile_pid != pid:  # a forked child gets its own
        _profile_dir = Path(tempfile.gettempdir()) / f"zhifa-lo-profile-{pid}"
        _profile_pid = pid
        atexit.register(shutil.rmtree, _profile_dir, True)
    return _profile_dir


def convert_many(docx_files: list[bytes], *, timeout: int = TIMEOUT_SECONDS) -> list[bytes]:
    """Convert DOCX documents to PDF in one LibreOffice run; PDFs in the same order."""
    if not docx_files:
        return []
    binary = soffice_binary()
    with _lock, tempfile.TemporaryDirectory(prefix="zhifa-docs-") as work:
        work_dir = Path(work)
        sources = []
        for index, data in enumerate(docx_files):
            source = work_dir / f"doc{index:03d}.docx"
            source.write_bytes(data)
            sources.append(source)
        out_dir = work_dir / "pdf"
        command = [
            binary, f"-env:UserInstallation={_profile().as_uri()}", "--headless", "--norestore",
            "--nolockcheck", "--nodefault", "--convert-to", "pdf", "--outdir", str(out_dir),
            *[str(s) for s in sources],
        ]
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
            )
        except OSError as exc:
            raise DocumentRenderError(f"无法启动 LibreOffice（{binary}）：{exc}") from None
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # soffice and the soffice.bin it started
            process.communicate()
            raise DocumentRenderError(f"LibreOffice 转换 PDF 超时（超过{timeout}秒），已终止。") from None
        pdfs = []
        for source in sources:
            target = out_dir / f"{source.stem}.pdf"
            if not target.exists() or target.stat().st_size == 0:
                detail = (stderr or stdout).decode("utf-8", "replace").strip()[-500:]
                raise DocumentRenderError(
                    f"LibreOffice 未能把文书转换为 PDF（退出码 {process.returncode}）。{detail}".strip()
                )
            pdfs.append(target.read_bytes())
        return pdfs


def convert(docx: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    """Convert one DOCX document to PDF."""
    return convert_many([docx], timeout=timeout)[0]
