"""Safe output: what a report, baseline or annotated workbook may be written over, and how.

* a missing path or a **regular file** is replaced atomically: the data go to a
  temporary file beside the target, which is then renamed over it, so a reader
  never sees a half-written file and an interrupted run leaves the old one;
* a **symbolic link** is followed: its target is replaced (or created) that way
  and the link itself is kept;
* a **character device or a FIFO** (``/dev/null``, ``/dev/stdout``, a pipe) is
  written through, never replaced: renaming a file over ``/dev/null`` would
  break it for the whole machine;
* anything else (a directory, a socket, a block device) is refused.

A new file gets the permissions the umask allows (``0666 & ~umask``), an
existing file keeps its own.  Never writes over a file that was checked in
the same run.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable


class OutputError(Exception):
    """An output path that must not be written; the message is bilingual (zh, en)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(zh)
        self.zh, self.en = zh, en

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


def _check(target: Path, protect: Iterable[str]) -> None:
    try:
        t = target.resolve()
    except (OSError, RuntimeError):  # a link loop: reported by the caller when it is opened
        return
    for p in protect:
        try:
            if Path(p).resolve() == t:
                raise OutputError(f"拒绝覆盖本次检查的输入文件 {p}（refusing to overwrite input file）", f"refusing to overwrite input file {p}")
        except (OSError, RuntimeError):
            continue


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike, data: bytes, protect: Iterable[str] = ()) -> None:
    """Write ``data`` to ``path`` following the rules in the module docstring.

    Raises :class:`OutputError` for a target that must not be written and
    ``OSError`` when the system refuses (no permission, disk full).
    """
    target = Path(path)
    _check(target, protect)
    try:
        st = os.stat(target)  # follows symbolic links
    except FileNotFoundError:
        st = None  # a new file (or a dangling link: its target is created)
    except RuntimeError as exc:  # pragma: no cover - os.stat reports loops as OSError(ELOOP)
        raise OutputError(f"无法写入 {target}：{exc}", f"cannot write {target}: {exc}") from exc
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}", f"cannot write {target}: {exc.strerror or exc}") from exc
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        # a device or a pipe: write through it, never rename anything over it
        with open(target, "wb") as fh:
            fh.write(data)
            fh.flush()
        return
    if st is not None and not stat.S_ISREG(st.st_mode):
        from .limits import file_kind

        zh, en = file_kind(st.st_mode) or ("特殊文件", "a special file")
        raise OutputError(
            f"{target} 是{zh}，不是普通文件，未写入（请给出一个文件路径）",
            f"{target} is {en}, not a regular file: nothing written (give a file path)",
        )
    real = Path(os.path.realpath(target))  # a symbolic link is kept: its target is what gets replaced
    real.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str, protect: Iterable[str] = ()) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), protect)
