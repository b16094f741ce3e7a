"""Safe output: write to a temporary file beside the target, then rename.

Never writes over a file that was checked in the same run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable


class OutputError(Exception):
    """An output path that must not be written (it is an input)."""


def _check(target: Path, protect: Iterable[str]) -> None:
    t = target.resolve()
    for p in protect:
        try:
            if Path(p).resolve() == t:
                raise OutputError(f"refusing to overwrite input file {p}")
        except OSError:
            continue


def atomic_write_bytes(path: str | os.PathLike, data: bytes, protect: Iterable[str] = ()) -> None:
    target = Path(path)
    _check(target, protect)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str, protect: Iterable[str] = ()) -> None:
    atomic_write_bytes(path, text.encode("utf-8"), protect)
