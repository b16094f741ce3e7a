"""Input limits: what budgetlint agrees to read, in one documented place.

Every loader reads untrusted files.  The limits below keep a run bounded in
size, memory and time whatever a file contains; a file over a limit is refused
with a clear message (it becomes that file's error, the run goes on).  Each
limit can be changed with an environment variable; ``docs/limits.md`` explains
them.

===========================  =======================================  ==================
limit                        environment variable                     default
===========================  =======================================  ==================
file size                    ``BUDGETLINT_MAX_FILE_BYTES``            50 MiB
uncompressed OOXML (zip)     ``BUDGETLINT_MAX_UNZIPPED_BYTES``        256 MiB
zip member compression ratio ``BUDGETLINT_MAX_ZIP_RATIO``             100 (members > 4 MiB)
zip members                  ``BUDGETLINT_MAX_ZIP_MEMBERS``           10,000
cells per file               ``BUDGETLINT_MAX_CELLS``                 1,000,000
PDF pages                    ``BUDGETLINT_MAX_PAGES``                 2,000
text lines / paragraphs      ``BUDGETLINT_MAX_LINES``                 2,000,000
seconds per file             ``BUDGETLINT_MAX_SECONDS``               120
PDF operators per page       ``BUDGETLINT_MAX_PDF_OPERATORS``         100,000 (×20 per file)
PDF content stream (decoded) ``BUDGETLINT_MAX_PDF_STREAM_BYTES``      8 MiB
===========================  =======================================  ==================

:func:`check_zip` is the safety check every zip-based reader (xlsx, docx) calls
before handing the file to a library: it reads only the zip directory and the
first bytes of each XML part, so a zip bomb or an XML entity bomb is refused
before anything is expanded.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

MiB = 1024 * 1024


def _env_int(name: str, default: int) -> int:
    try:
        value = int(os.environ.get(name, "") or default)
    except ValueError:
        return default
    return value if value > 0 else default


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits in force (read from the environment when created)."""

    max_file_bytes: int = 50 * MiB
    max_unzipped_bytes: int = 256 * MiB
    max_zip_ratio: int = 100
    zip_ratio_floor: int = 4 * MiB  # members smaller than this are not ratio-checked
    max_zip_members: int = 10_000
    max_cells: int = 1_000_000
    max_pages: int = 2_000
    max_lines: int = 2_000_000
    max_seconds: int = 120
    max_pdf_operators: int = 100_000
    max_pdf_stream_bytes: int = 8 * MiB

    @classmethod
    def from_env(cls) -> "Limits":
        d = cls()
        return cls(
            max_file_bytes=_env_int("BUDGETLINT_MAX_FILE_BYTES", d.max_file_bytes),
            max_unzipped_bytes=_env_int("BUDGETLINT_MAX_UNZIPPED_BYTES", d.max_unzipped_bytes),
            max_zip_ratio=_env_int("BUDGETLINT_MAX_ZIP_RATIO", d.max_zip_ratio),
            max_zip_members=_env_int("BUDGETLINT_MAX_ZIP_MEMBERS", d.max_zip_members),
            max_cells=_env_int("BUDGETLINT_MAX_CELLS", d.max_cells),
            max_pages=_env_int("BUDGETLINT_MAX_PAGES", d.max_pages),
            max_lines=_env_int("BUDGETLINT_MAX_LINES", d.max_lines),
            max_seconds=_env_int("BUDGETLINT_MAX_SECONDS", d.max_seconds),
            max_pdf_operators=_env_int("BUDGETLINT_MAX_PDF_OPERATORS", d.max_pdf_operators),
            max_pdf_stream_bytes=_env_int("BUDGETLINT_MAX_PDF_STREAM_BYTES", d.max_pdf_stream_bytes),
        )


def current() -> Limits:
    """The limits for this moment (environment read each time: tests and CLI may change it)."""
    return Limits.from_env()


class LimitError(Exception):
    """A file is refused because it exceeds a documented limit or looks hostile.

    The message is for the user (Chinese, naming the limit and how to raise it).
    """


def _human(n: int) -> str:
    if n >= MiB:
        return f"{n / MiB:,.1f} MiB"
    if n >= 1024:
        return f"{n / 1024:,.1f} KiB"
    return f"{n:,} 字节"


# ---------------------------------------------------------------------------
# file size


def check_file_size(path: str | os.PathLike, limits: Limits | None = None) -> int:
    """The file's size in bytes; :class:`LimitError` when it is over ``max_file_bytes``."""
    lim = limits or current()
    size = os.stat(path).st_size
    if size > lim.max_file_bytes:
        raise LimitError(
            f"文件大小 {_human(size)} 超过上限 {_human(lim.max_file_bytes)}，未读取"
            f"（可用环境变量 BUDGETLINT_MAX_FILE_BYTES 调整）"
        )
    return size


def find_nul(path: str | os.PathLike, chunk: int = 1 << 20) -> int | None:
    """Offset of the first NUL byte in a file meant to be text, or ``None``.

    Files that start with a UTF-16 or UTF-32 byte-order mark legitimately hold
    NUL bytes and are never reported.  Reads in chunks: memory stays bounded.
    """
    with open(path, "rb") as fh:
        head = fh.read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
            return None
        fh.seek(0)
        offset = 0
        while True:
            block = fh.read(chunk)
            if not block:
                return None
            i = block.find(b"\x00")
            if i >= 0:
                return offset + i
            offset += len(block)


# ---------------------------------------------------------------------------
# zip containers (xlsx, docx)


@dataclass(frozen=True, slots=True)
class ZipSummary:
    """What :func:`check_zip` saw: number of members and their declared uncompressed size."""

    members: int
    unzipped_bytes: int


_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG_LIMIT = 64 * 1024  # bytes of an XML part read to find its root element


def check_zip(path: str | os.PathLike, limits: Limits | None = None) -> ZipSummary:
    """Refuse a zip-based document (xlsx, docx) that is a bomb or carries XML entity tricks.

    Call it before opening the file with openpyxl or python-docx.  It raises
    :class:`LimitError` (with a message for the user) when:

    * the file is not a readable zip archive, or has more than ``max_zip_members`` members;
    * the members' total uncompressed size exceeds ``max_unzipped_bytes``;
    * a member larger than ``zip_ratio_floor`` expands more than ``max_zip_ratio`` times;
    * an XML part declares a DTD (``<!DOCTYPE``/``<!ENTITY``): OOXML never needs one, and
      it is how entity expansion ("billion laughs") and external entities get in.

    Only the zip directory and at most 64 KiB of each XML part are decompressed.
    The declared sizes can be trusted afterwards because Python's :mod:`zipfile`
    never returns more than the declared size of a member (a lying member fails
    its CRC check instead).  Returns a :class:`ZipSummary`.
    """
    import zipfile

    lim = limits or current()
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise LimitError(f"不是有效的 Office Open XML（zip）文件：{exc}") from exc
    except OSError as exc:
        raise LimitError(f"无法打开文件：{exc.strerror or exc}") from exc
    with zf:
        infos = zf.infolist()
        if len(infos) > lim.max_zip_members:
            raise LimitError(
                f"压缩包内有 {len(infos):,} 个成员，超过上限 {lim.max_zip_members:,}，疑似压缩炸弹，未读取"
                f"（BUDGETLINT_MAX_ZIP_MEMBERS）"
            )
        total = 0
        for info in infos:
            total += info.file_size
            if total > lim.max_unzipped_bytes:
                raise LimitError(
                    f"解压后大小超过上限 {_human(lim.max_unzipped_bytes)}，疑似压缩炸弹，未读取"
                    f"（BUDGETLINT_MAX_UNZIPPED_BYTES）"
                )
            if info.file_size > lim.zip_ratio_floor:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > lim.max_zip_ratio:
                    raise LimitError(
                        f"压缩包成员 {info.filename} 的压缩比 {ratio:,.0f}:1 超过上限 {lim.max_zip_ratio}:1，"
                        f"疑似压缩炸弹，未读取（BUDGETLINT_MAX_ZIP_RATIO）"
                    )
        for info in infos:
            if info.filename.lower().endswith(_XML_SUFFIXES) and not info.is_dir():
                _check_xml_prolog(zf, info)
        return ZipSummary(members=len(infos), unzipped_bytes=total)


def _check_xml_prolog(zf, info) -> None:
    """Refuse an XML part whose prolog (the text before the root element) declares a DTD."""
    import zipfile

    try:
        with zf.open(info) as fh:
            head = fh.read(_PROLOG_LIMIT)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise LimitError(f"压缩包成员 {info.filename} 无法解压：{exc}") from exc
    except Exception as exc:  # zlib.error and friends
        raise LimitError(f"压缩包成员 {info.filename} 无法解压：{exc}") from exc
    text = _decode_prolog(head)
    root = _root_start(text)
    prolog = text if root is None else text[:root]
    upper = prolog.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise LimitError(
            f"压缩包成员 {info.filename} 含有 DTD/实体声明（<!DOCTYPE/<!ENTITY），"
            f"可能是实体膨胀或外部实体攻击，未读取"
        )
    if root is None and len(head) >= _PROLOG_LIMIT:
        raise LimitError(f"压缩包成员 {info.filename} 的 XML 开头超过 {_PROLOG_LIMIT // 1024} KiB 仍无根元素，未读取")


def _decode_prolog(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    if len(head) >= 2 and head[0] == 0 and head[1] != 0:
        return head[: len(head) // 2 * 2].decode("utf-16-be", errors="replace")
    if len(head) >= 2 and head[1] == 0 and head[0] != 0:
        return head[: len(head) // 2 * 2].decode("utf-16-le", errors="replace")
    return head.decode("utf-8", errors="replace")


def _root_start(text: str) -> int | None:
    """Index of the root element's ``<``: the first ``<`` not opening ``<?``, ``<!``."""
    i = 0
    n = len(text)
    while True:
        j = text.find("<", i)
        if j < 0 or j + 1 >= n:
            return None
        nxt = text[j + 1]
        if nxt == "?":
            k = text.find("?>", j + 2)
            if k < 0:
                return None
            i = k + 2
        elif text.startswith("<!--", j):
            k = text.find("-->", j + 4)
            if k < 0:
                return None
            i = k + 3
        elif nxt == "!":
            return None if text.find(">", j) < 0 else _skip_decl(text, j)
        else:
            return j


def _skip_decl(text: str, j: int) -> int | None:
    # A DOCTYPE (possibly with an internal subset [...]) before the root element:
    # find the root after it so the caller sees the whole declaration in the prolog.
    depth = 0
    for k in range(j, len(text)):
        ch = text[k]
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == ">" and depth <= 0:
            rest = _root_start(text[k + 1 :])
            return None if rest is None else k + 1 + rest
    return None


# ---------------------------------------------------------------------------
# counts and time


class Budget:
    """Running counts for one file: cells, lines and elapsed time, checked by loaders.

    Loaders call :meth:`cells`, :meth:`lines` and :meth:`tick` while they read;
    each raises :class:`LimitError` as soon as a limit is passed, so a hostile
    file costs at most the limit, never the file's full size.
    """

    __slots__ = ("limits", "n_cells", "n_lines", "started", "deadline")

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or current()
        self.n_cells = 0
        self.n_lines = 0
        self.started = time.monotonic()
        # inside a file's :class:`Deadline` the clock is the one the whole file runs against
        active = _ACTIVE[-1] if _ACTIVE else None
        self.deadline = self.started + (active.remaining() if active is not None else self.limits.max_seconds)

    def cells(self, n: int = 1) -> None:
        self.n_cells += n
        if self.n_cells > self.limits.max_cells:
            raise LimitError(
                f"单元格数超过上限 {self.limits.max_cells:,}，未继续读取（BUDGETLINT_MAX_CELLS）"
            )

    def lines(self, n: int = 1) -> None:
        self.n_lines += n
        if self.n_lines > self.limits.max_lines:
            raise LimitError(
                f"文本行/段落数超过上限 {self.limits.max_lines:,}，未继续读取（BUDGETLINT_MAX_LINES）"
            )

    def pages(self, n: int) -> None:
        if n > self.limits.max_pages:
            raise LimitError(
                f"PDF 共 {n:,} 页，超过上限 {self.limits.max_pages:,} 页，未读取（BUDGETLINT_MAX_PAGES）"
            )

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitError(
                f"读取时间超过上限 {self.limits.max_seconds} 秒，已停止（BUDGETLINT_MAX_SECONDS）"
            )

    def text_lines(self, n: int, cells: int = 0) -> None:
        """Count ``n`` lines (and ``cells`` cells) of a text-like file, and look at the clock."""
        self.lines(n)
        if cells:
            self.cells(cells)
        self.tick()


class _Timeout(BaseException):
    """Raised by the alarm inside :func:`time_guard` (BaseException: library code must not swallow it)."""


@contextmanager
def time_guard(seconds: float | None = None, message: str | None = None) -> Iterator[None]:
    """Stop a read that runs over ``seconds`` (default ``max_seconds``) with :class:`LimitError`.

    A backstop for code that cannot check a :class:`Budget` itself (a parser
    stuck inside a library, a rule on a hostile table).  Uses ``SIGALRM`` in
    the main thread on POSIX; in other threads or platforms it does nothing and
    the loaders' own :meth:`Budget.tick` checks apply.
    """
    secs = seconds if seconds is not None else current().max_seconds
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or secs <= 0:
        yield
        return
    shown = f"{secs:g}" if isinstance(secs, int) or float(secs).is_integer() else f"{secs:.1f}"

    def _alarm(signum, frame):  # noqa: ARG001
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, _alarm)
    old_timer = signal.setitimer(signal.ITIMER_REAL, secs)
    try:
        yield
    except _Timeout:
        raise LimitError(message or f"读取时间超过上限 {shown} 秒，已停止（BUDGETLINT_MAX_SECONDS）") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if old_timer[0] > 0:  # re-arm an outer timer, minus nothing: best effort
            signal.setitimer(signal.ITIMER_REAL, old_timer[0])


_ACTIVE: list["Deadline"] = []  # the deadlines of the files being worked on (innermost last)

_STAGES = {
    "load": ("读取", "reading"),
    "understand": ("识别表格", "understanding the tables"),
    "rules": ("检查", "checking"),
}


class Deadline:
    """One time budget per file (``max_seconds``), spent across reading, understanding and rules.

    Each stage runs inside :meth:`stage`; the time it takes is subtracted from
    what is left, and a stage that would run past the budget is stopped with a
    :class:`LimitError` naming the stage.  Files are checked in batches, so the
    budget counts the time spent *on this file*, not the time since it was read.
    """

    __slots__ = ("seconds", "spent")

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = float(seconds if seconds is not None else current().max_seconds)
        self.spent = 0.0

    def remaining(self) -> float:
        return self.seconds - self.spent

    def message(self, stage: str) -> str:
        zh, en = _STAGES.get(stage, (stage, stage))
        limit = f"{self.seconds:g}"
        return (
            f"处理时间超过上限 {limit} 秒，在{zh}时停止，本文件的结果不予报告"
            f"（stopped at the time limit of {limit} s while {en}; BUDGETLINT_MAX_SECONDS）"
        )

    @contextmanager
    def stage(self, stage: str) -> Iterator[None]:
        left = self.remaining()
        if left <= 0:
            raise LimitError(self.message(stage))
        started = time.monotonic()
        _ACTIVE.append(self)
        try:
            with time_guard(left, self.message(stage)):
                yield
        finally:
            _ACTIVE.pop()
            self.spent += time.monotonic() - started
            if self.spent > self.seconds:  # stopped by a check inside the stage, or no alarm in this thread
                raise LimitError(self.message(stage))


def describe() -> dict[str, int]:
    """The limits in force, for ``--version``-style diagnostics and the docs."""
    lim = current()
    return {name: getattr(lim, name) for name in Limits.__dataclass_fields__}


def file_kind(mode: int) -> tuple[str, str] | None:
    """What a path that is not a regular file is, in Chinese and English (None for a regular file).

    One naming for the folder walk, the loaders and the output writer.
    """
    import stat

    for test, zh, en in (
        (stat.S_ISDIR, "目录", "a directory"),
        (stat.S_ISFIFO, "命名管道（FIFO）", "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "套接字", "a socket"),
        (stat.S_ISCHR, "字符设备", "a character device"),
        (stat.S_ISBLK, "块设备", "a block device"),
    ):
        if test(mode):
            return zh, en
    return None
