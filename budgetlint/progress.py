"""A progress bar for long runs: shown on a terminal when many files are checked, silent otherwise.

The engine calls ``callback(i, n, path)`` before reading file ``i`` of ``n``;
the bar appears only once ``n`` reaches ``min_files`` and is removed when the
run ends, so the report that follows is not interleaved with it.  Written to
standard error, so redirected reports (``> report.json``) stay clean.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import IO, Callable, Iterator

MIN_FILES = 10

Callback = Callable[[int, int, str], None]


@contextmanager
def progress_callback(
    enabled: bool | None = None, *, stream: IO[str] | None = None, min_files: int = MIN_FILES, lang: str = "zh",
    force_terminal: bool | None = None,
) -> Iterator[Callback | None]:
    """Yield a progress callback for :func:`budgetlint.engine.run`, or ``None`` when quiet.

    ``enabled=None`` means: only when ``stream`` (standard error) is a terminal.
    """
    stream = stream if stream is not None else sys.stderr
    if enabled is None:
        enabled = bool(getattr(stream, "isatty", lambda: False)())
    if not enabled:
        yield None
        return
    state: dict[str, object] = {}
    label = "读取" if lang != "en" else "reading"

    def callback(i: int, n: int, path: str) -> None:
        if n < min_files:
            return
        if "bar" not in state:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            console = Console(file=stream, force_terminal=force_terminal, stderr=stream is sys.stderr)
            bar = Progress(
                TextColumn("[bold]budgetlint[/] {task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=console, transient=True,
            )
            bar.start()
            state["bar"] = bar
            state["task"] = bar.add_task(label, total=n)
        bar = state["bar"]
        name = path if len(path) <= 40 else "…" + path[-39:]
        bar.update(state["task"], completed=i, description=f"{label} {name}")  # type: ignore[attr-defined]
        state["n"] = n

    try:
        yield callback
    finally:
        bar = state.get("bar")
        if bar is not None:
            bar.update(state["task"], completed=state.get("n", 0))  # type: ignore[attr-defined]
            bar.stop()  # type: ignore[attr-defined]
