"""GitHub Actions workflow commands: the most important findings as annotations, plus a job summary.

``::error file=…,line=…,title=…::message`` (``warning`` for warnings,
``notice`` for infos).  Spreadsheet cells have no line: the annotation sits
on the file and its message starts with ``Sheet!A1``.  Values are escaped the
way the Actions runner expects (``%``, CR, LF; and ``:`` ``,`` in properties).

GitHub shows only a few annotations per step, so at most
``max_annotations_per_file`` per file and ``max_annotations`` in all are
printed (errors first, then warnings, then infos; 0 means no limit), followed
by one notice that counts the others.  :func:`step_summary` renders the whole
run as Markdown for ``$GITHUB_STEP_SUMMARY``.
"""

from __future__ import annotations

from typing import IO, Any

from ._common import SEVERITY_RANK, table_heading, words

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: dict[str, Any], lang: str) -> str:
    props = [f"file={escape_property(f['path'])}"]
    if f.get("line") is not None:
        props.append(f"line={int(f['line'])}")
    from ._common import rule_title

    title = f"budgetlint {f['code']} ({rule_title(f['code'], f['name'], lang) or f['name']})"
    props.append(f"title={escape_property(title)}")
    parts = []
    if f.get("sheet") or f.get("cell"):
        parts.append(f"{f.get('sheet') or ''}!{f.get('cell') or ''}".lstrip("!"))
    if f.get("page") is not None:
        parts.append(f"p.{f['page']}")
    head = table_heading(f.get("table"))
    if head:
        parts.append(head)
    row = (f.get("row") or {}).get("label")
    col = (f.get("column") or {}).get("label")
    if row or col:
        parts.append(" · ".join(x for x in (row, col) if x))
    msg = f["message"]
    if parts:
        msg = f"[{' | '.join(parts)}] {msg}"
    return f"::{COMMANDS.get(f['severity'], 'warning')} {','.join(props)}::{escape_data(msg)}"


def _unreadable(path: str, error: str, w: dict[str, str]) -> str:
    return f"::error file={escape_property(path)},title=budgetlint::{escape_data(w['cannot_read'] + ': ' + error)}"


def select_annotations(items: list[tuple[str, str]], max_total: int = 50, max_per_file: int = 10) -> list[int]:
    """Indexes of the (path, severity) items to show: most severe first, capped per file and in all (0: no cap)."""
    order = sorted(range(len(items)), key=lambda i: (-SEVERITY_RANK.get(items[i][1], 0), i))
    per_file: dict[str, int] = {}
    chosen = []
    for i in order:
        path = items[i][0]
        if max_per_file and per_file.get(path, 0) >= max_per_file:
            continue
        if max_total and len(chosen) >= max_total:
            break
        per_file[path] = per_file.get(path, 0) + 1
        chosen.append(i)
    return chosen


def render(report: Any, out: IO[str], *, max_annotations: int = 50, max_annotations_per_file: int = 10, **_: Any) -> None:
    lang = getattr(report, "lang", "zh")
    w = words(lang)
    from ._common import terminal_safe_tree

    data = terminal_safe_tree(report.to_json())  # CI logs are terminals too
    lines: list[str] = []
    items: list[tuple[str, str]] = []
    for fi in data["files"]:
        if fi.get("error"):
            lines.append(_unreadable(fi["path"], fi["error"], w))
            items.append((fi["path"], "error"))
    for f in data["findings"]:
        lines.append(annotation(f, lang))
        items.append((f["path"], f["severity"]))
    chosen = select_annotations(items, max_annotations, max_annotations_per_file)
    for i in chosen:
        out.write(lines[i] + "\n")
    hidden = [items[i][1] for i in range(len(items)) if i not in set(chosen)]
    if hidden:
        counts = {k: hidden.count(k) for k in ("error", "warning", "info")}
        if lang == "en":
            text = (f"{len(hidden)} more findings are not shown as annotations ({counts['error']} errors, "
                    f"{counts['warning']} warnings, {counts['info']} infos): see the job summary or run budgetlint locally")
        else:
            text = (f"另有 {len(hidden)} 个发现未显示为注释（{counts['error']} 个错误，{counts['warning']} 个警告，"
                    f"{counts['info']} 条提示），请查看作业摘要或在本地运行 budgetlint")
        out.write(f"::notice title=budgetlint::{escape_data(text)}\n")


def _md(text: Any) -> str:
    """Text for one Markdown table cell."""
    return str(text if text is not None else "").replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def step_summary(report: Any, fail_on: str = "error", max_rows: int = 100) -> str:
    """The run as Markdown for the job summary: counts, files, rules and the most important findings."""
    from ._common import where

    lang = getattr(report, "lang", "zh")
    w = words(lang)
    en = lang == "en"
    data = report.to_json()
    s = data["summary"]
    out = ["## budgetlint", "", w["checked"].format(**s), ""]
    failing = [f for f in data["findings"] if SEVERITY_RANK.get(f["severity"], 0) >= SEVERITY_RANK.get(fail_on, 2)]
    unreadable = [fi for fi in data["files"] if fi.get("error")]
    if failing or unreadable:
        out += [f"**{len(failing) + len(unreadable)}** " + ("findings fail the run" if en else "个问题使检查未通过") + f" (fail-on: {fail_on})", ""]
    by_file: dict[str, dict[str, int]] = {}
    for f in data["findings"]:
        by_file.setdefault(f["path"], {"error": 0, "warning": 0, "info": 0})[f["severity"]] += 1
    if by_file or unreadable:
        out += [f"| {w['file']} | {w['tables']} | {w['error']} | {w['warning']} | {w['info']} |", "|---|---:|---:|---:|---:|"]
        for fi in data["files"]:
            c = by_file.get(fi["path"])
            if fi.get("error"):
                out.append(f"| {_md(fi['path'])} | — | {_md(w['cannot_read'] + ': ' + fi['error'])} | | |")
            elif c:
                out.append(f"| {_md(fi['path'])} | {fi['tables']} | {c['error']} | {c['warning']} | {c['info']} |")
        out.append("")
    if data["findings"]:
        per_rule: dict[tuple[str, str], dict[str, int]] = {}
        for f in data["findings"]:
            per_rule.setdefault((f["code"], f["name"]), {"error": 0, "warning": 0, "info": 0})[f["severity"]] += 1
        out += [f"### {w['by_rule']}", "", f"| {w['rule']} | | {w['error']} | {w['warning']} | {w['info']} |", "|---|---|---:|---:|---:|"]
        for (code, name), c in sorted(per_rule.items()):
            out.append(f"| {_md(code)} | {_md(name)} | {c['error']} | {c['warning']} | {c['info']} |")
        out.append("")
        ranked = sorted(range(len(data["findings"])), key=lambda i: (-SEVERITY_RANK.get(data["findings"][i]["severity"], 0), i))
        shown = ranked[:max_rows] if max_rows else ranked
        out += [f"### {w['findings']}", "", f"| {w['severity']} | {w['rule']} | {w['where']} | {w['table']} | {w['message']} |",
                "|---|---|---|---|---|"]
        for i in shown:
            f = data["findings"][i]
            out.append(f"| {_md(w.get(f['severity'], f['severity']))} | {_md(f['code'])} | {_md(where(f))} | "
                       f"{_md(table_heading(f.get('table')))} | {_md(f['message'])} |")
        if len(shown) < len(ranked):
            more = len(ranked) - len(shown)
            out += ["", f"{more} more findings: run `budgetlint check` locally for all of them." if en
                    else f"另有 {more} 个发现未列出，请在本地运行 `budgetlint check` 查看全部。"]
        out.append("")
    elif not unreadable:
        out += [w["none"], ""]
    return "\n".join(out) + "\n"
