"""SARIF 2.1.0 output, for code-scanning dashboards (GitHub, Azure DevOps, IDE viewers).

One run; the driver lists every rule that ran (or reported) with its
documentation; each finding is a result with

- a physical location: the file (a URI relative to the working directory,
  ``%SRCROOT%``) and a region GitHub code scanning accepts: ``startLine`` is the
  source line for text-like inputs, the row number of the cell for
  spreadsheets, the page for PDFs, the paragraph for Word documents, else 1;
- the message starts with the sheet cell (``[表6!C8]``) or page (``[p.3]``)
  when the region is not a source line;
- a logical location ``Sheet!A1`` (kind ``element``) for spreadsheet cells;
- related locations for the cells that were added up (the identity's terms);
- a stable partial fingerprint (the baseline fingerprint, unique within a
  file), so dashboards match a finding across runs even when lines move;
- the numbers (expected, actual, difference, tolerance) and the table, row and
  column labels in ``properties``.

Files that could not be read become tool execution notifications.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote

from ._common import table_heading

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "budgetlintFingerprint/v1"
SRCROOT = "%SRCROOT%"


def artifact_uri(path: str, cwd: str | None = None) -> tuple[str, str | None]:
    """(uri, uriBaseId): relative to the working directory (``../`` for a file beside it), else a file: URI (another drive)."""
    cwd = os.path.abspath(cwd or os.getcwd())
    absolute = os.path.abspath(path)
    try:
        rel = os.path.relpath(absolute, cwd)
    except ValueError:  # another drive on Windows: no relative reference exists
        return Path(absolute).as_uri(), None
    return quote(Path(rel).as_posix(), safe="/"), SRCROOT


def _cell_row(cell: str | None) -> int | None:
    """The row number of an A1 reference (``C8`` → 8)."""
    digits = "".join(ch for ch in cell or "" if ch.isdigit())
    return int(digits) if digits and int(digits) >= 1 else None


def start_line(item: dict[str, Any]) -> int:
    """The region line of a located item: source line, else the cell's row, the page, the paragraph, else 1."""
    for value in (item.get("line"), _cell_row(item.get("cell")), item.get("page"), item.get("paragraph")):
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return value
    return 1


def place(item: dict[str, Any]) -> str:
    """``表6!C8``, ``p.3`` or ``¶12``: where an item is when its region line is not a source line."""
    if isinstance(item.get("line"), int) and item["line"] >= 1:
        return ""
    parts = []
    if item.get("sheet") or item.get("cell"):
        parts.append(f"{item.get('sheet') or ''}!{item.get('cell') or ''}".strip("!"))
    if item.get("page") is not None:
        parts.append(f"p.{item['page']}")
    if item.get("paragraph") is not None and not parts:
        parts.append(f"¶{item['paragraph']}")
    return " ".join(parts)


def _rule_descriptor(rule: Any, lang: str) -> dict[str, Any]:
    try:
        doc = rule.doc(lang) if hasattr(rule, "doc") else ""
    except TypeError:  # a plug-in whose doc() takes no language
        doc = rule.doc()
    summary = rule.summary.get(lang) if getattr(rule, "summary", None) else ""
    short = summary or rule.name or rule.code
    first_para = doc.split("\n\n", 1)[0].strip() if doc else ""
    d: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name or rule.code,
        "shortDescription": {"text": short},
        "fullDescription": {"text": first_para or short},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "warning"), "enabled": bool(getattr(rule, "default_enabled", True))},
        "properties": {"tags": ["budget", rule.family() if hasattr(rule, "family") else rule.code[:1]]},
    }
    if doc:
        d["help"] = {"text": doc, "markdown": doc}
    if getattr(rule, "config_keys", ()):
        d["properties"]["configKeys"] = list(rule.config_keys)
    return d


def _fallback_descriptor(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f["code"],
        "name": f.get("name") or f["code"],
        "shortDescription": {"text": f.get("name") or f["code"]},
        "defaultConfiguration": {"level": LEVELS.get(f["severity"], "warning")},
    }


def _location(item: dict[str, Any], artifacts: dict[str, int], cwd: str | None, message: str | None = None) -> dict[str, Any]:
    path = item["path"]
    uri, base = artifact_uri(path, cwd)
    art: dict[str, Any] = {"uri": uri, "index": artifacts[path]}
    if base:
        art["uriBaseId"] = base
    phys: dict[str, Any] = {"artifactLocation": art, "region": {"startLine": start_line(item)}}
    loc: dict[str, Any] = {"physicalLocation": phys}
    if item.get("cell"):
        fq = f"{item['sheet']}!{item['cell']}" if item.get("sheet") else item["cell"]
        loc["logicalLocations"] = [{"name": item["cell"], "fullyQualifiedName": fq, "kind": "element"}]
    props = {k: item[k] for k in ("sheet", "cell", "page", "paragraph") if item.get(k) is not None}
    if props:
        loc["properties"] = props
    if message:
        loc["message"] = {"text": message}
    return loc


def _result_text(f: dict[str, Any], lang: str) -> str:
    where = place(f)
    text = _context_text(f, lang)
    return f"[{where}] {text}" if where else text


def _context_text(f: dict[str, Any], lang: str) -> str:
    ctx = []
    head = table_heading(f.get("table"))
    if head:
        ctx.append(head)
    row = (f.get("row") or {}).get("label")
    col = (f.get("column") or {}).get("label")
    if row or col:
        ctx.append(" · ".join(x for x in (row, col) if x))
    if not ctx:
        return f["message"]
    sep = "；" if lang != "en" else "; "
    return f"{f['message']}（{sep.join(ctx)}）" if lang != "en" else f"{f['message']} ({sep.join(ctx)})"


def to_sarif(report: Any, cwd: str | None = None) -> dict[str, Any]:
    """The SARIF log of a report, as plain data."""
    from .. import __version__
    from ..baseline import fingerprint, report_occurrences

    lang = getattr(report, "lang", "zh")
    data = report.to_json()
    findings = data["findings"]
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for r in sorted(getattr(report, "rules", []) or [], key=lambda r: r.code):
        if r.code not in index:
            index[r.code] = len(rules)
            rules.append(_rule_descriptor(r, lang))
    for f in findings:
        if f["code"] not in index:
            index[f["code"]] = len(rules)
            rules.append(_fallback_descriptor(f))
    artifacts: dict[str, int] = {}
    artifact_list: list[dict[str, Any]] = []

    def add_artifact(path: str) -> None:
        if path in artifacts:
            return
        uri, base = artifact_uri(path, cwd)
        loc: dict[str, Any] = {"uri": uri}
        if base:
            loc["uriBaseId"] = base
        artifacts[path] = len(artifact_list)
        artifact_list.append({"location": loc})

    for fi in data["files"]:
        add_artifact(fi["path"])
    for f in findings:
        add_artifact(f["path"])
    results = []
    root = cwd or os.getcwd()
    occurrence = report_occurrences(report, report.findings)  # the same order as ``findings``
    for f, n in zip(findings, occurrence):
        res: dict[str, Any] = {
            "ruleId": f["code"],
            "ruleIndex": index[f["code"]],
            "level": LEVELS.get(f["severity"], "warning"),
            "message": {"text": _result_text(f, lang)},
            "locations": [_location(f, artifacts, cwd)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f, root, n)},
        }
        related = []
        for i, t in enumerate(f.get("terms") or []):
            item = dict(t, path=f["path"])
            label = t.get("label") or ""
            sign = "−" if (t.get("sign") or 1) < 0 else "+"
            value = "" if t.get("value") is None else f" {t['value']}"
            where = place(item)
            text = f"{sign}{value} {label}".strip() + (f" [{where}]" if where else "")
            loc = _location(item, artifacts, cwd, message=text)
            loc["id"] = i + 1
            related.append(loc)
        if related:
            res["relatedLocations"] = related
        props = {k: f[k] for k in ("expected", "actual", "difference", "tolerance") if f.get(k) is not None}
        for k in ("table", "row", "column"):
            if f.get(k):
                props[k] = f[k]
        props["severity"] = f["severity"]
        props["originalMessage"] = f["message"]
        res["properties"] = props
        results.append(res)
    notifications = []
    for fi in data["files"]:
        if fi.get("error"):
            notifications.append({
                "level": "error",
                "message": {"text": f"{fi['path']}: {fi['error']}"},
                "locations": [_location({"path": fi["path"]}, artifacts, cwd)],
                "descriptor": {"id": "unreadable-file"},
            })
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "budgetlint",
                "version": __version__,
                "semanticVersion": __version__,
                "language": "zh-CN" if lang != "en" else "en-US",
                "rules": rules,
            }
        },
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(os.path.abspath(root)).as_uri().rstrip("/") + "/"}},
        "artifacts": artifact_list,
        "results": results,
        "columnKind": "unicodeCodePoints",
        "language": "zh-CN" if lang != "en" else "en-US",
    }
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(report: Any, out: IO[str], **_: Any) -> None:
    json.dump(to_sarif(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
