"""Loaders: one module per input format, each returning a :class:`~budgetlint.grid.RawDocument`.

:func:`load_document` picks the loader from the suffix and the first bytes,
enforces the input limits, runs the understanding step and never raises: a
file that cannot be read becomes a :class:`~budgetlint.model.Document` whose
``error`` names the cause, so the run goes on with the other files.
"""

from __future__ import annotations

import importlib
import os
import stat
from pathlib import Path
from typing import Callable

from ..grid import RawDocument
from ..limits import Deadline, LimitError, check_zip, file_kind, time_guard
from ..model import Document

# suffix -> (format name, module, function)
FORMATS: dict[str, tuple[str, str, str]] = {
    ".txt": ("text", "text", "load"),
    ".text": ("text", "text", "load"),
    ".md": ("text", "text", "load"),
    ".csv": ("csv", "csv", "load"),
    ".tsv": ("tsv", "csv", "load"),
    ".xlsx": ("xlsx", "xlsx", "load"),
    ".xlsm": ("xlsx", "xlsx", "load"),
    ".xls": ("xls", "xls", "load"),
    ".docx": ("docx", "docx", "load"),
    ".pdf": ("pdf", "pdf", "load"),
    ".html": ("html", "html", "load"),
    ".htm": ("html", "html", "load"),
}

# Bytes we refuse to read at all (documented in the README).
MAX_FILE_BYTES = int(os.environ.get("BUDGETLINT_MAX_FILE_BYTES", 50 * 1024 * 1024))


class LoadError(Exception):
    """A file could not be read; the message names the cause for the user."""


def detect_format(path: Path, head: bytes) -> str | None:
    """The format from the first bytes, falling back to the suffix."""
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if suffix == ".docx":
            return "docx"
        if suffix in (".xlsx", ".xlsm"):
            return "xlsx"
        return _ooxml_kind(path)  # a workbook or document saved under another name
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if suffix in FORMATS:
        return FORMATS[suffix][0]
    low = head[:512].lower()
    if b"<html" in low or b"<table" in low:
        return "html"
    return None


def _ooxml_kind(path: Path) -> str | None:
    """docx or xlsx from the zip's directory (names only: nothing is expanded)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def _loader_for(fmt: str) -> Callable[[Path], RawDocument]:
    module = {"text": "text", "csv": "csv", "tsv": "csv", "xlsx": "xlsx", "xls": "xls", "docx": "docx", "pdf": "pdf", "html": "html"}[fmt]
    try:
        mod = importlib.import_module(f"{__name__}.{module}")
    except ImportError as exc:  # an optional dependency is missing
        raise LoadError(f"缺少读取 {fmt} 文件的组件（no reader for {fmt} files is available: {exc}）") from exc
    return getattr(mod, "load")


STDIN = "-"


def _read_stream(path: str | Path) -> bytes:
    """All bytes of a pipe, a character device or standard input, refused past the file-size limit."""
    import sys

    from ..limits import current

    limit = current().max_file_bytes
    chunks: list[bytes] = []
    total = 0
    fh = sys.stdin.buffer if str(path) == STDIN else open(path, "rb")
    try:
        while True:
            block = fh.read(1 << 20)
            if not block:
                break
            total += len(block)
            if total > limit:
                raise LimitError(
                    f"输入流超过文件大小上限 {limit:,} 字节，未读取（stream over the size limit; BUDGETLINT_MAX_FILE_BYTES）"
                )
            chunks.append(block)
    finally:
        if fh is not sys.stdin.buffer:
            fh.close()
    return b"".join(chunks)


def load_raw(path: str | Path, deadline: Deadline | None = None) -> RawDocument:
    """Read one file (or a stream: ``-``, a FIFO, a character device) into raw grids and prose."""
    p = Path(path)
    if str(path) == STDIN:
        return _load_stream(path, deadline)
    try:
        st = p.stat()
    except (OSError, RuntimeError) as exc:
        raise LoadError(f"无法打开文件（cannot open file: {getattr(exc, 'strerror', None) or exc}）") from exc
    kind = None if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode) else file_kind(st.st_mode)
    if kind:  # a directory, socket or block device is never opened (a FIFO or character device is read as a stream)
        if stat.S_ISDIR(st.st_mode):
            raise LoadError("是目录，不是文件（is a directory）")
        raise LoadError(f"是{kind[0]}，不是文件，未打开（is {kind[1]}, not a file: not opened）")
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return _load_stream(path, deadline)
    size = st.st_size
    if size > MAX_FILE_BYTES:
        raise LoadError(f"文件大小 {size:,} 字节，超过 {MAX_FILE_BYTES:,} 字节的上限（file is over the size limit）")
    try:
        with open(p, "rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise LoadError(f"无法打开文件（cannot open file: {exc.strerror or exc}）") from exc
    fmt = detect_format(p, head)
    if fmt is None:
        raise LoadError(f"不支持的文件类型「{p.suffix or p.name}」（unsupported file type）")
    if fmt in ("xlsx", "docx"):
        check_zip(p)  # zip bombs and XML entity tricks are refused before any library opens the file
    with (deadline.stage("load") if deadline is not None else time_guard()):
        return _loader_for(fmt)(p)


def _load_stream(path: str | Path, deadline: Deadline | None) -> RawDocument:
    """A stream is read once, within the size limit, into a private temporary file that the loaders read."""
    import shutil
    import tempfile

    data = _read_stream(path)
    suffix = Path(str(path)).suffix.lower() if str(path) != STDIN else ""
    if suffix not in FORMATS:
        fmt = detect_format(Path("stream"), data[:2048])
        suffix = {"pdf": ".pdf", "xls": ".xls", "html": ".html"}.get(fmt or "", ".txt")
        if data.startswith(b"PK\x03\x04"):
            suffix = ".docx" if b"word/" in data[:65536] else ".xlsx"
    folder = tempfile.mkdtemp(prefix="budgetlint-stream-")
    try:
        tmp = Path(folder) / f"input{suffix}"
        with open(tmp, "wb") as fh:
            fh.write(data)
        del data
        raw = load_raw(tmp, deadline)
        raw.path = str(path)
        return raw
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def load_document(path: str | Path, display_path: str | None = None) -> Document:
    """Read and understand one file.  Never raises; errors land in ``Document.error``."""
    from ..understand import understand_document

    shown = display_path or str(path)
    deadline = Deadline()
    try:
        raw = load_raw(path, deadline)
    except (LoadError, LimitError) as exc:
        return Document(path=shown, format=_guess_format(path), error=str(exc))
    except MemoryError:
        return Document(path=shown, format=_guess_format(path), error="文件过大，超出内存限制（file too large to read within the memory limit）")
    except RecursionError:
        return Document(path=shown, format=_guess_format(path), error="文件结构嵌套过深（file structure is nested too deeply）")
    except Exception as exc:  # noqa: BLE001 - a broken file must not stop the run
        return Document(path=shown, format=_guess_format(path), error=f"文件已损坏或格式不符，无法读取（cannot read file: {type(exc).__name__}: {exc}）")
    raw.path = shown
    try:
        with deadline.stage("understand"):
            doc = understand_document(raw)
    except LimitError as exc:
        return Document(path=shown, format=raw.format, error=str(exc))
    except RecursionError:
        return Document(path=shown, format=raw.format, error="文件结构嵌套过深（file structure is nested too deeply）")
    except Exception as exc:  # noqa: BLE001
        return Document(path=shown, format=raw.format, error=f"无法识别表格（cannot understand tables: {type(exc).__name__}: {exc}）")
    doc.meta["deadline"] = deadline  # the rules spend what is left of the file's time
    return doc


def _guess_format(path: str | Path) -> str:
    return FORMATS.get(Path(path).suffix.lower(), ("unknown",))[0]
