"""GitHub Actions workflow commands: one annotation per finding.

``::error file=…,line=…,title=…::message`` (``warning`` for warnings,
``notice`` for infos).  Spreadsheet cells have no line: the annotation sits
on the file and its message starts with ``Sheet!A1``.  Values are escaped the
way the Actions runner expects (``%``, CR, LF; and ``:`` ``,`` in properties).
"""

from __future__ import annotations

from typing import IO, Any

from ._common import table_heading, words

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: dict[str, Any], lang: str) -> str:
    props = [f"file={escape_property(f['path'])}"]
    if f.get("line") is not None:
        props.append(f"line={int(f['line'])}")
    title = f"budgetlint {f['code']} ({f['name']})"
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


def render(report: Any, out: IO[str], **_: Any) -> None:
    lang = getattr(report, "lang", "zh")
    w = words(lang)
    from ._common import terminal_safe_tree

    data = terminal_safe_tree(report.to_json())  # CI logs are terminals too
    for fi in data["files"]:
        if fi.get("error"):
            out.write(
                f"::error file={escape_property(fi['path'])},title=budgetlint::"
                f"{escape_data(w['cannot_read'] + ': ' + fi['error'])}\n"
            )
    for f in data["findings"]:
        out.write(annotation(f, lang) + "\n")
