"""Reporters: one module per output format.  Reporters only render findings."""

from __future__ import annotations

import importlib
from typing import IO, Any

FORMATS = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
    "html": "html",
}


def render(report: Any, fmt: str, out: IO[str], **options: Any) -> None:
    """Write ``report`` in format ``fmt`` to the text stream ``out``."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; choose from {', '.join(sorted(FORMATS))}")
    mod = importlib.import_module(f"{__name__}.{FORMATS[fmt]}")
    mod.render(report, out, **options)
