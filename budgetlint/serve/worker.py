"""One check, run in a worker process: read the uploads, apply the baseline, render what the page shows.

``python -m budgetlint.serve.worker`` imports the engine, reads one request
(a JSON line) from standard input, checks, writes the outcome (a pickle) to
the file the request names and exits.  A separate process (see :mod:`.jobs`) so that the per-file time alarm
of :mod:`budgetlint.limits` works (it needs a process's main thread) and a
hostile file cannot take the server down with it.  Everything returned is
plain data: strings and bytes, ready to send.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import sys
from html import escape
from typing import Any

from .messages import message


def warm_up() -> bool:
    """Import the engine and the rules once, so the first check does not wait for them."""
    from budgetlint import engine

    engine.all_rules()
    import budgetlint.report.html  # noqa: F401

    return True


def check(files: list[tuple[str, str]], lang: str, baseline_path: str | None, config_path: str | None = None,
          progress_path: str | None = None) -> dict[str, Any]:
    """Check the stored files; ``files`` holds (stored path, display name) pairs.

    Reports name each file by its display name, never by where it was stored,
    so fingerprints (and hence baseline entries) do not depend on the upload.
    Companion files (a text and a tables file of one disclosure, see
    :mod:`budgetlint.companions`) are paired by their display names, as the
    command line pairs them by their names on disk, and checked as one
    document.  ``config_path`` is the configuration file the server found
    (select, ignore, severity and rule options apply as on the command line);
    ``progress_path`` receives the display names of the files being checked,
    so that a worker stopped from outside can be reported with them.
    """
    from budgetlint import engine
    from budgetlint.baseline import BaselineError, Baseline, entry_for, load_baseline, occurrences
    from budgetlint.companions import companion_groups, load_group
    from budgetlint.config import Config, load_config
    from budgetlint.limits import current
    from budgetlint.model import Finding
    from budgetlint.report import render
    from budgetlint.report.html import render_sections

    cfg = load_config([], config_path) if config_path else Config()
    names = {}
    for stored, shown in files:
        names[stored] = shown
        names[os.path.abspath(stored)] = shown
        names[os.path.realpath(stored)] = shown
    stored_of = {shown: stored for stored, shown in files}
    docs = []
    for group in companion_groups([shown for _, shown in files]):
        if progress_path:
            _note_progress(progress_path, group)
        docs.append(engine._load_timed(load_group, [stored_of[s] for s in group]))
    report = engine.check_documents(
        docs, select=cfg.selection(), ignore=cfg.ignore, config=cfg.options, lang=lang,
        show_rounding=cfg.show_rounding, severity_overrides=cfg.severity,
    )
    _rename(report, names)
    report.findings = cfg.apply_per_file_ignores(report.findings)
    report.findings.sort(key=Finding.sort_key)  # the order of the display names, as the command line orders paths
    report.files.sort(key=lambda row: row["path"])
    report.documents.sort(key=lambda d: d.path)
    findings = list(report.findings)
    occ = occurrences(findings)
    report.occurrences = {id(f): n for f, n in zip(findings, occ)}
    hidden = 0
    baseline_problem = None
    if baseline_path and os.path.exists(baseline_path):
        try:
            loaded = load_baseline(baseline_path)
        except BaselineError as exc:
            baseline_problem = str(exc)
        else:
            # entries written by the page name files by their display name, as the
            # command line does for files beside the baseline file
            baseline = Baseline(root=None, entries=loaded.entries)  # type: ignore[arg-type]
            from .. import engine

            former = {r.code: list(r.former_codes) for r in engine.all_rules() if getattr(r, "former_codes", ())}
            report.findings, known = baseline.split(findings, occ, former=former)  # entries under a former code match too
            hidden = len(known)
    shown_occ = [report.occurrences[id(f)] for f in report.findings]
    entries = [entry_for(f, n) for f, n in zip(report.findings, shown_occ)]
    attrs = [{"data-fingerprint": e["fingerprint"]} for e in entries]
    html = render_sections(report, attrs)
    for stored, shown in names.items():  # cell locations (data-loc) carry the path they were read from
        html = html.replace(escape(stored), escape(shown))
    out_json, out_sarif = io.StringIO(), io.StringIO()
    render(report, "json", out_json)
    render(report, "sarif", out_sarif)
    workbooks = _workbooks(report, stored_of, lang)
    summary = report.summary()
    seconds = current().max_seconds
    return {
        "html": html,
        "json": out_json.getvalue(),
        "sarif": out_sarif.getvalue(),
        "summary": summary,
        "hidden": hidden,
        "baseline_problem": baseline_problem,
        "entries": {e["fingerprint"]: e for e in entries},
        "rules": sorted({f.code for f in report.findings}),
        "files": [
            {"name": fi["path"], "tables": fi.get("tables", 0), "error": fi.get("error"),
             "companion": fi.get("companion"),
             "findings": sum(1 for f in report.findings if f.path == fi["path"]),
             "workbook": fi["path"] in workbooks}
            for fi in report.files
        ],
        "together": together_lines(report.files, lang),
        "stopped": [
            message("file_stopped", lang, name=fi["path"], seconds=seconds)
            for fi in report.files if fi.get("error") and "BUDGETLINT_MAX_SECONDS" in str(fi["error"])
        ],
        "workbooks": workbooks,
    }


def together_lines(files: list[dict[str, Any]], lang: str) -> list[str]:
    """One sentence per pair of companion files, in the words of the command line's text report."""
    from budgetlint.report.text import _WORDS

    words = _WORDS.get(lang, _WORDS["zh"])
    out, shown = [], set()
    for fi in files:
        other = fi.get("companion")
        if isinstance(other, str) and other not in shown:
            shown.add(fi["path"])
            out.append(words["together"].format(a=fi["path"], b=other))
    return out


def _note_progress(path: str, group: list[str]) -> None:
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(group, ensure_ascii=False))
    except OSError:
        pass


def _rename(report: Any, names: dict[str, str]) -> None:
    """Replace stored paths by display names everywhere a report shows a path."""

    def swap(text: Any) -> Any:
        if not isinstance(text, str):
            return text
        if text in names:
            return names[text]
        for stored, shown in names.items():
            if stored in text:
                text = text.replace(stored, shown)
        return text

    for f in report.findings:
        f.path = swap(f.path)
        f.message = swap(f.message)
        for t in f.terms or []:
            if "path" in t:
                t["path"] = swap(t["path"])
    for row in report.files:
        row["path"] = swap(row["path"])
        row["error"] = swap(row.get("error"))
        comp = row.get("companion")
        row["companion"] = [swap(c) for c in comp] if isinstance(comp, list) else swap(comp)
    for doc in report.documents or []:
        doc.path = swap(doc.path)
        doc.error = swap(doc.error)
        meta = getattr(doc, "meta", None)
        if isinstance(meta, dict) and meta.get("companions"):
            meta["companions"] = [swap(c) for c in meta["companions"]]
            for key in ("tables_per_file", "formats"):
                if isinstance(meta.get(key), dict):
                    meta[key] = {swap(k): v for k, v in meta[key].items()}
    report.timings = {swap(k): v for k, v in (report.timings or {}).items()}
    for s in report.skipped or []:
        try:
            s.path = swap(s.path)
        except AttributeError:
            pass


def _workbooks(report: Any, stored: dict[str, str], lang: str) -> dict[str, bytes]:
    """Annotated workbooks by display name: a marked copy of each xlsx, the marked tables of any other file."""
    from budgetlint.report.annotate import _spreadsheet_source, annotated_copy, annotated_workbook
    from budgetlint.report.ooxml import PackageError

    by_path: dict[str, list[dict[str, Any]]] = {}
    for f in report.findings:
        by_path.setdefault(f.path, []).append(f.to_json())
    out: dict[str, bytes] = {}
    for doc in report.documents or []:
        if doc.error is not None or not doc.tables:
            continue
        # companion files: one workbook holds the tables (and the findings) of both, offered with the file of the tables
        paths = list(doc.meta.get("companions") or [doc.path])
        findings = [f for p in paths for f in by_path.get(p, [])]
        per_file = doc.meta.get("tables_per_file") or {}
        key = next((p for p in paths if per_file.get(p)), doc.path)
        data = None
        if len(paths) == 1 and _spreadsheet_source(doc) and doc.path in stored:
            try:
                with open(stored[doc.path], "rb") as fh:
                    data = annotated_copy(doc, findings, lang, data=fh.read())
            except PackageError:
                data = None
        if data is None:
            if not findings:
                continue
            buf = io.BytesIO()
            annotated_workbook(doc, findings, lang).save(buf)
            data = buf.getvalue()
        out[key] = data
    return out


def main() -> int:
    warm_up()
    line = sys.stdin.readline()
    if not line.strip():
        return 0  # the server stopped before giving this worker a job
    request = json.loads(line)
    try:
        outcome = {"ok": True, "result": check([tuple(f) for f in request["files"]], request["lang"], request.get("baseline"),
                                                request.get("config"), request.get("progress"))}
    except Exception as exc:  # reported to the page; the server goes on
        outcome = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    with open(request["out"], "wb") as fh:
        pickle.dump(outcome, fh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
