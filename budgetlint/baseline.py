"""Baselines: accept the findings of today, fail only on new ones.

``budgetlint check --write-baseline FILE`` records every current finding;
``--baseline FILE`` then hides the recorded findings and reports (and fails
on) the others only.

A finding is recorded by its *identity* and its *numbers*.  The identity is
built from what a reader would use to find the problem again, never from line
numbers, so inserting a paragraph above a table does not turn old findings
into new ones:

- the rule code (upper case);
- the file, relative to the baseline file's folder (so the baseline works from
  any working directory);
- the table's printed number and title (not its position in the document);
- the row's code and label, and the column's label (normalised: NFKC, no spaces);
- for findings outside a table (prose), the labels of the cells they add up,
  or else the message.

The numbers are the expected and actual values and the values of the cells
added up.  A recorded finding matches only while both are unchanged: a second
mistake in a row that already has an accepted finding changes its numbers and
fails the run.

Two findings may share an identity (the same labels in two tables with the
same title, e.g. many 项目支出绩效目标表).  Their *fingerprints* (also used by
SARIF and GitLab) are told apart by their order among the findings of that
identity in the file, so fingerprints are unique within a file; matching a
baseline entry falls back on the identity, so fixing the first of them does
not make the second one new.

Each entry may carry a ``reason`` (why the finding is accepted); re-recording
a baseline keeps the reasons of the entries that still match.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Iterable, Sequence

from .model import Finding

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)  # version 1 entries have no numbers: they match on identity alone


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
        (f.get("code") or "").upper(),
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


def _digest(parts: Sequence[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def identity(finding: Finding | dict[str, Any], root: str | os.PathLike | None = None) -> str:
    """A short hex digest of :func:`fingerprint_parts` (shared by findings with the same labels)."""
    return _digest(fingerprint_parts(finding, root))


def fingerprint(finding: Finding | dict[str, Any], root: str | os.PathLike | None = None, occurrence: int = 0) -> str:
    """The fingerprint of the ``occurrence``-th finding (0-based, in file order) with this identity."""
    parts = fingerprint_parts(finding, root)
    if occurrence:
        parts.append(f"#{occurrence + 1}")
    return _digest(parts)


def occurrences(findings: Sequence[Finding | dict[str, Any]]) -> list[int]:
    """For each finding, how many findings before it in the list have its identity (root-independent)."""
    seen: Counter = Counter()
    out = []
    for f in findings:
        key = "\x1f".join(fingerprint_parts(f))
        out.append(seen[key])
        seen[key] += 1
    return out


def fingerprints(findings: Sequence[Finding | dict[str, Any]], root: str | os.PathLike | None = None,
                 occurrence: Sequence[int] | None = None) -> list[str]:
    """Fingerprints unique within each file, for findings in report order."""
    occ = occurrence if occurrence is not None else occurrences(findings)
    return [fingerprint(f, root, n) for f, n in zip(findings, occ)]


def report_occurrences(report: Any, findings: Sequence[Finding]) -> list[int]:
    """Occurrence numbers of ``findings`` as fixed for the whole run (before a baseline hid some), else computed."""
    fixed = getattr(report, "occurrences", None) or {}
    if fixed and all(id(f) in fixed for f in findings):
        return [fixed[id(f)] for f in findings]
    return occurrences(findings)


def _num(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return str(v)
    try:
        d = Decimal(str(v))
    except (InvalidOperation, ValueError):
        return str(v)
    return format(d.normalize(), "f") if d == d else str(v)


def numbers(finding: Finding | dict[str, Any]) -> str | None:
    """A digest of the finding's numbers (expected, actual, signed term values); None when it has none."""
    f = finding.to_json() if isinstance(finding, Finding) else finding
    values = [_num(f.get("expected")), _num(f.get("actual"))]
    values += [f"{'-' if (t.get('sign') or 1) < 0 else '+'}{_num(t.get('value'))}" for t in f.get("terms") or []]
    if not any(v.strip("+-") for v in values):
        return None
    return hashlib.sha256("|".join(values).encode("utf-8")).hexdigest()[:16]


_ANY = object()  # numbers of an entry written before numbers were recorded: matches any


@dataclass
class Baseline:
    """Recorded findings: fingerprint, identity, numbers and reason of each entry."""

    root: str
    entries: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)  # after split(): entries no finding matched

    @property
    def counts(self) -> Counter:
        return Counter(e["fingerprint"] for e in self.entries)

    def match(self, findings: Sequence[Finding], occurrence: Sequence[int] | None = None, *, numbers_must_match: bool = True,
              former: dict[str, list[str]] | None = None) -> list[dict[str, Any] | None]:
        """For each finding the entry it matches (each entry used once), else None.

        First by fingerprint and numbers, then by identity and numbers (the
        order among findings of one identity may have changed).  ``former``
        names the former codes of rules (``{"X311": ["P409"]}``): an entry
        recorded under a former code of the finding's rule matches it too.
        """
        occ = occurrence if occurrence is not None else occurrences(findings)
        keys: list[list[tuple[str, str, Any]]] = []
        for f, n in zip(findings, occ):
            num = numbers(f)
            cands = [(fingerprint(f, self.root, n), identity(f, self.root), num)]
            code = f.code if isinstance(f, Finding) else f.get("code", "")
            for old in (former or {}).get(code, ()):
                as_old = dict(f.to_json() if isinstance(f, Finding) else f, code=old)
                cands.append((fingerprint(as_old, self.root, n), identity(as_old, self.root), num))
            keys.append(cands)
        free = list(range(len(self.entries)))
        out: list[dict[str, Any] | None] = [None] * len(findings)

        def entry_numbers(e: dict[str, Any]) -> Any:
            return e["numbers"] if "numbers" in e else _ANY

        for field_index, entry_key in ((0, "fingerprint"), (1, "identity")):
            index: dict[str, list[int]] = {}
            for i in free:
                e = self.entries[i]
                k = e.get(entry_key) or (e["fingerprint"] if entry_key == "identity" else None)
                if k:
                    index.setdefault(k, []).append(i)
            used: set[int] = set()
            for j, cands in enumerate(keys):
                for key in cands:
                    if out[j] is not None:
                        break
                    for i in index.get(key[field_index], ()):
                        if i in used:
                            continue
                        en = entry_numbers(self.entries[i])
                        if numbers_must_match and en is not _ANY and en != key[2]:
                            continue
                        out[j] = self.entries[i]
                        used.add(i)
                        break
            free = [i for i in free if i not in used]
        return out

    def split(self, findings: Sequence[Finding], occurrence: Sequence[int] | None = None,
              former: dict[str, list[str]] | None = None) -> tuple[list[Finding], list[Finding]]:
        """(new, known): a finding is known when an entry with its identity and its numbers is recorded."""
        matched = self.match(findings, occurrence, former=former)
        new = [f for f, e in zip(findings, matched) if e is None]
        known = [f for f, e in zip(findings, matched) if e is not None]
        used = {id(e) for e in matched if e is not None}
        self.unmatched = [e for e in self.entries if id(e) not in used]
        return new, known


def baseline_data(findings: Sequence[Finding], root: str | os.PathLike, occurrence: Sequence[int] | None = None,
                  previous: Baseline | None = None) -> dict[str, Any]:
    """The JSON document of a baseline for ``findings``; paths relative to ``root``.

    Reasons recorded in ``previous`` are kept for the findings that still have their identity.
    """
    from . import __version__

    occ = occurrence if occurrence is not None else occurrences(findings)
    kept = previous.match(findings, occ, numbers_must_match=False) if previous is not None else [None] * len(findings)
    entries = []
    for f, n, old in zip(findings, occ, kept):
        entry: dict[str, Any] = {
            "fingerprint": fingerprint(f, root, n),
            "identity": identity(f, root),
            "numbers": numbers(f),
            "code": f.code,
            "path": relative_path(f.path, root),
            "table": " ".join(x for x in ((f.table or {}).get("number"), (f.table or {}).get("title")) if x) or None,
            "row": (f.row or {}).get("label"),
            "column": (f.column or {}).get("label"),
            "expected": f.expected,
            "actual": f.actual,
            "message": f.message,
        }
        if old is not None and isinstance(old.get("reason"), str) and old["reason"].strip():
            entry["reason"] = old["reason"]
        entries.append(entry)
    entries.sort(key=lambda e: (e["path"], e["code"], e["fingerprint"], e["message"]))
    return {"budgetlint_baseline": FORMAT_VERSION, "budgetlint": __version__, "findings": entries}


def write_baseline(path: str | os.PathLike, findings: Sequence[Finding], protect: Iterable[str] = (),
                   occurrence: Sequence[int] | None = None) -> int:
    """Write the baseline file atomically (keeping the reasons of an existing one); returns the number of findings recorded."""
    from .atomic import atomic_write_text

    root = os.path.dirname(os.path.abspath(path))
    previous = None
    if os.path.isfile(path):
        try:
            previous = load_baseline(path)
        except BaselineError:
            previous = None  # not a baseline: nothing to keep (writing over an input is refused below)
    data = baseline_data(findings, root, occurrence, previous)
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", protect=protect)
    return len(data["findings"])


def load_baseline(path: str | os.PathLike) -> Baseline:
    """Read a baseline written by :func:`write_baseline` (this version or the first one)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror or exc}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: not a budgetlint baseline (invalid JSON: {exc})") from exc
    if not isinstance(data, dict) or data.get("budgetlint_baseline") not in READABLE_VERSIONS or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a budgetlint baseline (version {FORMAT_VERSION} expected)")
    for e in data["findings"]:
        if not isinstance(e, dict) or not isinstance(e.get("fingerprint"), str):
            raise BaselineError(f"{path}: baseline entry without a fingerprint: {e!r}")
        if e.get("reason") is not None and not isinstance(e["reason"], str):
            raise BaselineError(f"{path}: the reason of entry {e['fingerprint']} must be a string, not {e['reason']!r}")
        if "numbers" in e and e["numbers"] is not None and not isinstance(e["numbers"], str):
            raise BaselineError(f"{path}: the numbers of entry {e['fingerprint']} must be a string, not {e['numbers']!r}")
    return Baseline(root=os.path.dirname(os.path.abspath(path)), entries=data["findings"])


def entry_for(finding: Finding, occurrence: int = 0, root: str | os.PathLike | None = None) -> dict[str, Any]:
    """The baseline entry that records one finding (the same fields :func:`write_baseline` writes)."""
    return baseline_data([finding], root, [occurrence])["findings"][0]


def add_entry(path: str | os.PathLike, entry: dict[str, Any], reason: str, protect: Iterable[str] = ()) -> int:
    """Record one more accepted finding, with the reason it is accepted, keeping every entry already in ``path``.

    Used where findings are accepted one by one (the local page of ``budgetlint
    serve``) rather than all at once.  An entry with the same fingerprint and
    numbers is replaced, so accepting a finding twice records it once with the
    latest reason.  The file is written atomically; returns the number of entries.
    """
    from . import __version__
    from .atomic import atomic_write_text

    entries: list[dict[str, Any]] = []
    if os.path.exists(path):
        entries = list(load_baseline(path).entries)  # a file that is not a baseline is never overwritten
    new = dict(entry, reason=reason)
    entries = [e for e in entries if not (e.get("fingerprint") == new["fingerprint"] and e.get("numbers") == new.get("numbers"))]
    entries.append(new)
    entries.sort(key=lambda e: (str(e.get("path") or ""), str(e.get("code") or ""), e["fingerprint"], str(e.get("message") or "")))
    data = {"budgetlint_baseline": FORMAT_VERSION, "budgetlint": __version__, "findings": entries}
    atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n", protect=protect)
    return len(entries)
