"""GitLab Code Quality report: a JSON array of issues the merge-request widget shows.

Each issue has ``description``, ``check_name`` (the rule code), ``fingerprint``
(the baseline fingerprint: rule, file, table, row and column labels — stable
across unrelated edits, and unique within a file: GitLab merges issues that
share one), ``severity`` (``major`` for errors, ``minor`` for
warnings, ``info``) and ``location`` (path and line; spreadsheet and PDF
findings, which have no line, point at line 1 and name the cell or page in the
description).
"""

from __future__ import annotations

import json
from typing import IO, Any

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def issue(f: dict[str, Any], fp: str | None = None) -> dict[str, Any]:
    from ..baseline import fingerprint

    where = []
    if f.get("sheet") or f.get("cell"):
        where.append(f"{f.get('sheet') or ''}!{f.get('cell') or ''}".lstrip("!"))
    if f.get("page") is not None:
        where.append(f"p.{f['page']}")
    prefix = f"[{' '.join(where)}] " if where else ""
    return {
        "description": f"{prefix}{f['code']} {f['message']}",
        "check_name": f["code"],
        "fingerprint": fp or fingerprint(f),
        "severity": SEVERITY.get(f["severity"], "info"),
        "location": {"path": f["path"], "lines": {"begin": int(f["line"]) if f.get("line") is not None else 1}},
    }


def render(report: Any, out: IO[str], **_: Any) -> None:
    from ..baseline import fingerprint, report_occurrences

    data = report.to_json()
    occurrence = report_occurrences(report, report.findings)  # the same order as data["findings"]
    issues = [issue(f, fingerprint(f, None, n)) for f, n in zip(data["findings"], occurrence)]
    issues += [
        {
            "description": f"L001 {fi['error']}", "check_name": "L001",
            "fingerprint": fingerprint_of_file(fi["path"]), "severity": "major",
            "location": {"path": fi["path"], "lines": {"begin": 1}},
        }
        for fi in data["files"] if fi.get("error") and not any(f["code"] == "L001" and f["path"] == fi["path"] for f in data["findings"])
    ]
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")


def fingerprint_of_file(path: str) -> str:
    import hashlib

    return hashlib.sha256(f"L001\x1f{path}".encode("utf-8")).hexdigest()[:32]
