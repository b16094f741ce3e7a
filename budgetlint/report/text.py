"""Terminal output: findings grouped by file and table, with the numbers to redo by hand.

Colours only when writing to a terminal (rich decides); plain text otherwise.
"""

from __future__ import annotations

from itertools import groupby
from typing import IO, Any

from ._common import kind_name, numbers_line, rule_title, term_amount

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
_WORDS = {
    "zh": {
        "expected": "应为", "actual": "实为", "difference": "相差", "tolerance": "容差", "terms": "参与计算",
        "row": "行", "column": "列", "table": "表", "summary": "共检查 {files} 个文件、{tables} 张表：{errors} 个错误，{warnings} 个警告，{infos} 条提示",
        "file_error": "无法读取", "none": "未发现问题", "stats": "按规则统计",
        "error": "错误", "warning": "警告", "info": "提示",
        "together": "{a} 与 {b} 是同一份公开文件的文字和表格，已作为一份文件一并检查（正文对照表格）",
    },
    "en": {
        "expected": "expected", "actual": "actual", "difference": "difference", "tolerance": "tolerance", "terms": "terms",
        "row": "row", "column": "column", "table": "table", "summary": "{files} files, {tables} tables checked: {errors} errors, {warnings} warnings, {infos} infos",
        "file_error": "cannot read", "none": "no problems found", "stats": "findings per rule",
        "together": "{a} and {b} are the text and the tables of one disclosure: checked together as one document (prose against tables)",
    },
}


def _where(f: dict[str, Any]) -> str:
    parts = [f["path"]]
    if f.get("sheet") or f.get("cell"):
        parts.append(f"[{f['sheet']}!{f['cell']}]" if f.get("sheet") else f"[{f['cell']}]")
    if f.get("line") is not None:
        parts.append(f":{f['line']}")
    if f.get("page") is not None:
        parts.append(f" p.{f['page']}")
    return "".join(parts)


def _term_where(t: dict[str, Any]) -> str:
    if t.get("sheet") or t.get("cell"):
        return f"{t.get('sheet') or ''}!{t.get('cell') or ''}".lstrip("!")
    if t.get("line") is not None:
        return f"L{t['line']}"
    if t.get("page") is not None:
        return f"p.{t['page']}"
    return ""


def render(report: Any, out: IO[str], *, statistics: bool = False, color: bool | None = None, **_: Any) -> None:
    from rich.console import Console
    from rich.markup import escape

    lang = getattr(report, "lang", "zh")
    w = _WORDS.get(lang, _WORDS["zh"])
    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=color, no_color=(color is False), emoji=False)
    from ._common import terminal_safe_tree

    data = terminal_safe_tree(report.to_json())  # no escape sequence from a file reaches the terminal
    for fi in data["files"]:
        if fi.get("error"):
            console.print(f"[bold red]{escape(fi['path'])}[/]: {w['file_error']}: {escape(fi['error'])}")
    shown_pairs: set[str] = set()
    for fi in data["files"]:
        other = fi.get("companion")
        if isinstance(other, str) and other not in shown_pairs:
            shown_pairs.add(fi["path"])
            console.print(f"[dim]{escape(w['together'].format(a=fi['path'], b=other))}[/]")
    findings = data["findings"]
    for path, group in groupby(findings, key=lambda f: f["path"]):
        console.print(f"[bold]{escape(path)}[/]")
        for tkey, tgroup in groupby(group, key=lambda f: (f["table"] or {}).get("index")):
            tgroup = list(tgroup)
            t = tgroup[0]["table"]
            if t:
                head = " ".join(x for x in (t.get("number") or "", t.get("title") or "") if x) or f"#{t['index'] + 1}"
                prefix = "" if head.startswith(("表", "附件", "附表")) else w["table"] + " "
                kind = kind_name(t.get("kind"), lang)
                console.print(f"  [bold]{prefix}{escape(head)}[/]" + (f" [dim]（{escape(kind)}）[/]" if lang != "en" else f" [dim]({escape(kind)})[/]"))
            for f in tgroup:
                sev = f["severity"]
                console.print(
                    f"    [dim]{escape(_where(f))}[/] [{_SEV_STYLE.get(sev, '')}]{f['code']}[/] {escape(f['message'])}"
                )
                loc = []
                colon, semi = ("：", "；") if lang != "en" else (": ", "; ")
                if f.get("row") and f["row"].get("label"):
                    loc.append(f"{w['row']}{colon}{f['row']['label']}")
                if f.get("column") and f["column"].get("label"):
                    loc.append(f"{w['column']}{colon}{f['column']['label']}")
                if loc:
                    console.print(f"      [dim]{escape(semi.join(loc))}[/]")
                nums = numbers_line(f, lang, sep=" ") if f.get("expected") is not None or f.get("actual") is not None else ""
                if nums:
                    console.print(f"      {escape(nums)}")
                if f.get("terms"):
                    shown = f["terms"][:12]
                    items = [
                        f"{term_amount(t, f)} {t.get('label') or ''} ({_term_where(t)})"
                        for t in shown
                    ]
                    more = f" … (+{len(f['terms']) - len(shown)})" if len(f["terms"]) > len(shown) else ""
                    console.print(f"      [dim]{w['terms']}{'：' if lang != 'en' else ': '}{escape('  '.join(items))}{more}[/]")
    s = data["summary"]
    if not findings:
        console.print(f"[green]{w['none']}[/]")
    if statistics:
        from collections import Counter

        counts = Counter((f["code"], f["name"], f["severity"]) for f in findings)
        console.print(f"[bold]{w['stats']}[/]")
        for (code, name, sev), n in sorted(counts.items()):
            title = rule_title(code, name, lang)
            console.print(f"  {n:5d}  {code:6s} {escape(title)} [{_SEV_STYLE.get(sev, '')}]{w.get(sev, sev)}[/]")
    console.print(w["summary"].format(**s))
