"""Baselines: accept the findings of today, fail only on new ones.

``budgetlint check --write-baseline FILE`` records every current finding by a
stable fingerprint; ``--baseline FILE`` then hides the recorded findings and
reports (and fails on) the others only.

A fingerprint is built from what a reader would use to find the problem again,
never from line numbers, so inserting a paragraph above a table does not turn
old findings into new ones:

- the rule code;
- the file, relative to the baseline file's folder (so the baseline works from
  any working directory);
- the table's printed number and title (not its position in the document);
- the row's code and label, and the column's label (normalised: NFKC, no spaces);
- for findings outside a table (prose), the labels of the cells they add up,
  or else the message.

Two findings may share a fingerprint (the same labels in two tables with the
same title, e.g. many 项目支出绩效目标表).  The baseline stores one entry per
finding, so it keeps their *count*: a third one is new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .model import Finding

FORMAT_VERSION = 1


class BaselineError(Exception):
    """The baseline file cannot be read (exit code 2)."""


def _norm(text: Any) -> str:
    if text is None:
        return ""
    t = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", t)


def relative_path(path: str, root: str | os.PathLike | None) -> str:
    """``path`` relative to ``root`` with forward slashes (absolute when on another drive)."""
    if root is None:
        return Path(path).as_posix()
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, os.path.abspath(root))
    except ValueError:  # another drive on Windows
        rel = absolute
    return Path(rel).as_posix()


def fingerprint_parts(finding: Finding | dict[str, Any], root: str | os.PathLike | None = None) -> list[str]:
    """The stable identity of a finding, as readable parts (see the module docstring)."""
    f = finding.to_json() if isinstance(finding, Finding) else finding
    table = f.get("table") or {}
    row = f.get("row") or {}
    column = f.get("column") or {}
    parts = [
        f.get("code") or "",
        relative_path(f.get("path") or "", root),
        _norm(table.get("number")),
        _norm(table.get("title")) or _norm(table.get("kind")),
        _norm(row.get("code")),
        _norm(row.get("label")),
        _norm(column.get("label")),
    ]
    if not (row or column):
        labels = sorted({_norm(t.get("label")) for t in f.get("terms") or [] if t.get("label")})
        if labels:
            parts.append("|".join(labels))
        elif not table:
            parts.append(_norm(f.get("message")))
    return parts


def fingerprint(finding: Finding | dict[str, Any], root: str | os.PathLike | None = None) -> str:
    """A short hex digest of :func:`fingerprint_parts`."""
    payload = "\x1f".join(fingerprint_parts(finding, root))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


@dataclass
class Baseline:
    """Recorded fingerprints with their multiplicity."""

    root: str
    counts: Counter = field(default_factory=Counter)
    entries: list[dict[str, Any]] = field(default_factory=list)

    def split(self, findings: Sequence[Finding]) -> tuple[list[Finding], list[Finding]]:
        """(new, known): findings beyond the recorded count of their fingerprint are new."""
        left = Counter(self.counts)
        new: list[Finding] = []
        known: list[Finding] = []
        for f in findings:
            fp = fingerprint(f, self.root)
            if left[fp] > 0:
                left[fp] -= 1
                known.append(f)
            else:
                new.append(f)
        return new, known


def baseline_data(findings: Iterable[Finding], root: str | os.PathLike) -> dict[str, Any]:
    """The JSON document of a baseline for ``findings``; paths relative to ``root``."""
    from . import __version__

    entries = []
    for f in findings:
        entries.append({
            "fingerprint": fingerprint(f, root),
            "code": f.code,
            "path": relative_path(f.path, root),
            "table": " ".join(x for x in ((f.table or {}).get("number"), (f.table or {}).get("title")) if x) or None,
            "row": (f.row or {}).get("label"),
            "column": (f.column or {}).get("label"),
            "message": f.message,
        })
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"], e["message"]))
    return {"budgetlint_baseline": FORMAT_VERSION, "budgetlint": __version__, "findings": entries}


def write_baseline(path: str | os.PathLike, findings: Iterable[Finding], protect: Iterable[str] = ()) -> int:
    """Write the baseline file atomically; returns the number of findings recorded."""
    from .atomic import atomic_write_text

    root = os.path.dirname(os.path.abspath(path))
    data = baseline_data(findings, root)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", protect=protect)
    return len(data["findings"])


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline written by :func:`write_baseline`."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a budgetlint baseline (invalid JSON: {exc})") from exc
    if not isinstance(data, dict) or data.get("budgetlint_baseline") != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a budgetlint baseline (version {FORMAT_VERSION} expected)")
    counts: Counter = Counter()
    for e in data["findings"]:
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str):
            raise BaselineError(f"{path}: baseline entry without a fingerprint: {e!r}")
        counts[e["fingerprint"]] += 1
    return Baseline(root=os.path.dirname(os.path.abspath(path)), counts=counts, entries=data["findings"])
