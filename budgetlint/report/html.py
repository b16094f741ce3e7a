"""HTML report for finance staff: one self-contained file, no network, no external assets.

Layout:

- a summary: files, tables, findings by severity and by rule, and the files
  that could not be read;
- per file, every table that has a finding (or holds a cell another finding
  adds up) rendered as understood — header tree, row locations in a gutter —
  with the offending cells highlighted by severity and the cells that were
  added up outlined; hovering (or focusing) a cell shows the explanation, and
  the list beside the table gives rule, message, expected, actual, difference
  and the terms with links to their cells;
- findings outside tables (prose) with the paragraph they point at.

Styles and the small hover script are inline; the file works offline and from
an e-mail attachment.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from html import escape
from typing import IO, Any, Iterable

from ._common import explanation, finding_decimals, fmt_num, kind_name, rule_title, table_heading, term_amount, term_where, where, words

CSS = """
:root { --err:#c62828; --err-bg:#ffebee; --warn:#b26a00; --warn-bg:#fff3e0; --info:#1565c0; --info-bg:#e3f2fd;
  --term:#6a1b9a; --term-bg:#f3e5f5; --line:#d0d7de; --muted:#57606a; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  margin: 0; padding: 16px 24px; color: #1f2328; background: #fff; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 18px 0 6px; } .muted { color: var(--muted); font-weight: normal; font-size: 12px; }
table.bl-stats { border-collapse: collapse; margin: 6px 0 12px; }
table.bl-stats td, table.bl-stats th { border: 1px solid var(--line); padding: 3px 10px; text-align: left; }
table.bl-stats td.n { text-align: right; font-variant-numeric: tabular-nums; }
.sev-error { color: var(--err); font-weight: bold; } .sev-warning { color: var(--warn); font-weight: bold; }
.sev-info { color: var(--info); font-weight: bold; }
.bl-layout { display: flex; gap: 16px; align-items: flex-start; }
.bl-grid-wrap { overflow: auto; max-height: 80vh; border: 1px solid var(--line); flex: 1 1 60%; }
table.bl-grid { border-collapse: collapse; font-size: 13px; }
table.bl-grid th, table.bl-grid td { border: 1px solid var(--line); padding: 2px 6px; white-space: nowrap; }
table.bl-grid thead th { background: #f6f8fa; position: sticky; top: 0; z-index: 1; }
table.bl-grid td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.bl-grid td.gut { color: var(--muted); font-size: 11px; background: #fafbfc; }
table.bl-grid tr.total td { font-weight: bold; }
td.bl-term { outline: 2px dashed var(--term); outline-offset: -2px; background: var(--term-bg); }
td.bl-bad { position: relative; cursor: help; }
td.bl-bad.bl-error { background: var(--err-bg); outline: 2px solid var(--err); outline-offset: -2px; }
td.bl-bad.bl-warning { background: var(--warn-bg); outline: 2px solid var(--warn); outline-offset: -2px; }
td.bl-bad.bl-info { background: var(--info-bg); outline: 2px solid var(--info); outline-offset: -2px; }
td.bl-focus, li.bl-focus { box-shadow: 0 0 0 3px #ffd54f inset; }
.bl-tip { display: none; position: absolute; left: 0; top: 100%; z-index: 5; min-width: 320px; max-width: 560px;
  white-space: pre-wrap; text-align: left; font-weight: normal; background: #fff; color: #1f2328;
  border: 1px solid var(--muted); box-shadow: 0 4px 12px rgba(0,0,0,.2); padding: 6px 8px; font-size: 12px; }
td.bl-bad:hover .bl-tip, td.bl-bad:focus .bl-tip { display: block; }
ol.bl-findings { flex: 1 1 40%; margin: 0; padding-left: 22px; max-height: 80vh; overflow: auto; }
li.bl-finding { margin: 0 0 10px; padding: 4px 6px; border-left: 4px solid var(--line); }
li.bl-finding.bl-error { border-color: var(--err); } li.bl-finding.bl-warning { border-color: var(--warn); }
li.bl-finding.bl-info { border-color: var(--info); }
.bl-nums { font-variant-numeric: tabular-nums; } .bl-nums b { margin-right: 2px; }
ul.bl-terms { margin: 2px 0 0; padding-left: 18px; font-size: 12px; }
ul.bl-terms a { color: var(--term); }
blockquote.bl-prose { margin: 4px 0; padding: 4px 8px; background: #f6f8fa; border-left: 3px solid var(--line); }
mark { background: var(--term-bg); outline: 1px dashed var(--term); }
@media (max-width: 1100px) { .bl-layout { flex-direction: column; } }
"""

SCRIPT = """
(function () {
  function ids(el, attr) { return (el.getAttribute(attr) || '').split(' ').filter(Boolean); }
  function toggle(list, on) { list.forEach(function (id) { var e = document.getElementById(id);
    if (e) { e.classList[on ? 'add' : 'remove']('bl-focus'); } }); }
  document.querySelectorAll('li.bl-finding').forEach(function (li) {
    var cells = ids(li, 'data-cells').concat(ids(li, 'data-terms'));
    li.addEventListener('mouseenter', function () { toggle(cells, true); });
    li.addEventListener('mouseleave', function () { toggle(cells, false); });
  });
  document.querySelectorAll('td.bl-bad').forEach(function (td) {
    var fs = ids(td, 'data-findings');
    td.addEventListener('mouseenter', function () { toggle(fs, true); });
    td.addEventListener('mouseleave', function () { toggle(fs, false); });
  });
  document.body.setAttribute('data-ready', 'true');
})();
"""


def cell_id(file_no: int, table: int, row: int, col: int) -> str:
    return f"c{file_no}-{table}-{row}-{col}"


def _header_rows(table: Any, ncols: int) -> list[list[tuple[str, int, int]]]:
    """Header rows as (text, colspan, rowspan) from the columns' label paths (merged like the original)."""
    paths = [tuple(table.columns[i].path) if i < len(table.columns) else () for i in range(ncols)]
    depth = max((len(p) for p in paths), default=0)
    if depth == 0:
        return [[(table.columns[i].label if i < len(table.columns) else f"#{i + 1}", 1, 1) for i in range(ncols)]]
    rows: list[list[tuple[str, int, int]]] = [[] for _ in range(depth)]
    for level in range(depth):
        i = 0
        while i < ncols:
            p = paths[i]
            if len(p) <= level:  # covered by a cell spanning down from above
                if not p and level == 0:
                    rows[0].append(("", 1, depth))
                i += 1
                continue
            if level == len(p) - 1:  # a leaf: spans the remaining header rows
                rows[level].append((p[level], 1, depth - level))
                i += 1
                continue
            j = i + 1
            while j < ncols and len(paths[j]) > level + 1 and paths[j][: level + 1] == p[: level + 1]:
                j += 1
            rows[level].append((p[level], j - i, 1))
            i = j
    return rows


class _Marks:
    """Which cells of which tables carry findings or terms, and the explanations."""

    def __init__(self) -> None:
        self.bad: dict[tuple[int, int, int], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        self.terms: dict[tuple[int, int, int], list[str]] = defaultdict(list)
        self.tables: dict[int, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        self.referenced: set[int] = set()


def _pos(item: dict[str, Any] | None, key: str) -> int | None:
    if not item:
        return None
    v = item.get(key)
    return v if isinstance(v, int) else None


def _anchor(f: dict[str, Any]) -> tuple[int, int, int] | None:
    t = _pos(f.get("table"), "index")
    r = _pos(f.get("row"), "index")
    c = _pos(f.get("column"), "index")
    if t is None or r is None or c is None:
        return None
    return (t, r, c)


def _term_pos(t: dict[str, Any]) -> tuple[int, int, int] | None:
    if not all(isinstance(t.get(k), int) for k in ("table", "row", "column")):
        return None
    return (t["table"], t["row"], t["column"])


def _render_table(out: list[str], file_no: int, table: Any, marks: _Marks, lang: str) -> None:
    w = words(lang)
    tno = table.index
    ncols = max([len(table.columns)] + [len(r.cells) for r in table.rows])
    head = table_heading({"number": table.number, "title": table.title, "index": tno})
    loc = term_where({"line": table.loc.line, "sheet": table.loc.sheet, "cell": table.loc.cell, "page": table.loc.page}) if table.loc else ""
    unit = (f" · 单位：{escape(table.unit)}" if lang != "en" else f" · unit: {escape(table.unit)}") if table.unit else ""
    out.append(f'<section class="bl-table" id="t{file_no}-{tno}" data-table="{tno}">')
    out.append(f"<h3>{escape(head)} <span class=\"muted\">{escape(kind_name(table.kind, lang))} · {escape(loc)}{unit}</span></h3>")
    if tno in marks.referenced and not marks.tables.get(tno):
        out.append(f'<p class="muted">{escape(w["referenced"])}</p>')
    out.append('<div class="bl-layout"><div class="bl-grid-wrap"><table class="bl-grid">')
    out.append("<thead>")
    hrows = _header_rows(table, ncols)
    for k, hr in enumerate(hrows):
        out.append("<tr>")
        if k == 0:
            out.append(f'<th rowspan="{len(hrows)}" class="gut"></th>')
        for text, colspan, rowspan in hr:
            attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            out.append(f"<th{attrs}>{escape(text)}</th>")
        out.append("</tr>")
    out.append("</thead><tbody>")
    for r in table.rows:
        cls = ' class="total"' if r.kind == "total" else ""
        rl = r.loc
        gut = f"L{rl.line}" if rl.line is not None else (rl.cell or "")
        if rl.sheet and rl.cell:
            gut = "".join(ch for ch in rl.cell if ch.isdigit())
        out.append(f'<tr{cls} data-row="{r.index}"><td class="gut">{escape(gut)}</td>')
        for ci in range(ncols):
            cell = r.cells[ci] if ci < len(r.cells) else None
            text = cell.raw if cell is not None else ""
            key = (tno, r.index, ci)
            classes = []
            if cell is not None and cell.value is not None:
                classes.append("num")
            attrs = [f'id="{cell_id(file_no, tno, r.index, ci)}"']
            tip = ""
            bad = marks.bad.get(key)
            if bad:
                sev = min((f["severity"] for _, f in bad), key=lambda s: {"error": 0, "warning": 1}.get(s, 2))
                classes += ["bl-bad", f"bl-{sev}"]
                attrs.append(f'data-findings="{" ".join(fid for fid, _ in bad)}"')
                attrs.append('tabindex="0"')
                expl = "\n\n".join(explanation(f, lang) for _, f in bad)
                attrs.append(f'title="{escape(expl)}"')
                tip = f'<span class="bl-tip">{escape(expl)}</span>'
            if key in marks.terms:
                classes.append("bl-term")
                attrs.append(f'data-term-of="{" ".join(marks.terms[key])}"')
            if classes:
                attrs.append(f'class="{" ".join(classes)}"')
            if cell is not None and cell.loc is not None:
                attrs.append(f'data-loc="{escape(cell.loc.describe())}"')
            out.append(f"<td {' '.join(attrs)}>{escape(text)}{tip}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    items = marks.tables.get(tno, [])
    if items:
        out.append('<ol class="bl-findings">')
        for fid, f in items:
            _render_finding(out, file_no, fid, f, lang, attrs=f.get("_attrs"))
        out.append("</ol>")
    out.append("</div></section>")


def _render_finding(out: list[str], file_no: int, fid: str, f: dict[str, Any], lang: str, prose: str | None = None,
                    attrs: dict[str, str] | None = None) -> None:
    w = words(lang)
    sev = f["severity"]
    a = _anchor(f)
    cells = cell_id(file_no, *a) if a else ""
    term_ids = [cell_id(file_no, *p) for p in (_term_pos(t) for t in f.get("terms") or []) if p]
    more = "".join(f' {k}="{escape(v)}"' for k, v in (attrs or {}).items())
    out.append(
        f'<li class="bl-finding bl-{escape(sev)}" id="{fid}" data-code="{escape(f["code"])}" '
        f'data-severity="{escape(sev)}" data-cells="{cells}" data-terms="{" ".join(term_ids)}"{more}>'
    )
    out.append(
        f'<span class="sev-{escape(sev)}">{escape(f["code"])}</span> <span class="muted">{escape(rule_title(f["code"], f["name"], lang))} · '
        f'{escape(w.get(sev, sev))} · {escape(where(f))}</span><br>{escape(f["message"])}'
    )
    loc = []
    if f.get("row") and f["row"].get("label"):
        loc.append(f"{w['row']}：{f['row']['label']}" if lang != "en" else f"row: {f['row']['label']}")
    if f.get("column") and f["column"].get("label"):
        loc.append(f"{w['column']}：{f['column']['label']}" if lang != "en" else f"column: {f['column']['label']}")
    if loc:
        out.append(f'<div class="muted">{escape("；".join(loc) if lang != "en" else "; ".join(loc))}</div>')
    if f.get("expected") is not None or f.get("actual") is not None:
        dec = finding_decimals(f)
        parts = []
        for key in ("expected", "actual", "difference", "tolerance"):
            if f.get(key) is None:
                continue
            shown = fmt_num(f[key], dec)
            shown = f"±{shown}" if key == "tolerance" else shown
            cls = f' class="bl-{key}"' if key in ("expected", "actual") else ""
            parts.append(f"<b>{escape(w[key])}</b> <span{cls}>{escape(shown)}</span>")
        out.append(f'<div class="bl-nums">{" &nbsp; ".join(parts)}</div>')
    if prose:
        out.append(f'<blockquote class="bl-prose">{prose}</blockquote>')
    terms = f.get("terms") or []
    if terms:
        out.append(f'<div class="muted">{escape(w["terms"])}：</div><ul class="bl-terms">')
        for t in terms:
            p = _term_pos(t)
            label = escape(f"{term_amount(t, f)} {t.get('label') or ''}")
            loc_text = escape(term_where(t))
            if p:
                out.append(f'<li><a href="#{cell_id(file_no, *p)}">{label}</a> <span class="muted">{loc_text}</span></li>')
            else:
                out.append(f'<li>{label} <span class="muted">{loc_text}</span></li>')
        out.append("</ul>")
    out.append("</li>")


_AMOUNT = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?")


def _prose_html(doc: Any, f: dict[str, Any]) -> str | None:
    """The paragraph a prose finding points at, with the amounts it used marked."""
    if doc is None or f.get("line") is None and f.get("paragraph") is None:
        return None
    para = None
    for p in doc.prose:
        if f.get("line") is not None and p.loc.line == f["line"] or f.get("line") is None and p.loc.paragraph == f.get("paragraph"):
            para = p
            break
    if para is None:
        return None
    text = para.text
    # the amounts the finding is about: its own value (actual) and any prose terms on this paragraph
    wanted = {f.get("actual")} if f.get("actual") is not None else set()
    for t in f.get("terms") or []:
        if t.get("table") is None and t.get("value") is not None:
            wanted.add(t["value"])
    pieces: list[tuple[int, int]] = []
    for m in _AMOUNT.finditer(text):
        try:
            v = float(m.group(0).replace(",", ""))
        except ValueError:
            continue
        if any(abs(v - w) < 1e-9 for w in wanted):
            pieces.append((m.start(), m.end()))
    pieces.sort()
    out, last = [], 0
    for s, e in pieces:
        out.append(escape(text[last:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        last = e
    out.append(escape(text[last:]))
    return "".join(out)


def _summary(out: list[str], data: dict[str, Any], lang: str) -> None:
    w = words(lang)
    s = data["summary"]
    out.append(f'<section id="summary"><h2>{escape(w["summary"])}</h2>')
    out.append(f'<p class="bl-summary-line">{escape(w["checked"].format(**s))}</p>')
    out.append('<table class="bl-stats" id="by-severity"><thead><tr>'
               f'<th>{escape(w["severity"])}</th><th>{escape(w["count"])}</th></tr></thead><tbody>')
    for sev, key in (("error", "errors"), ("warning", "warnings"), ("info", "infos")):
        out.append(f'<tr data-severity="{sev}"><td class="sev-{sev}">{escape(w[sev])}</td><td class="n">{s[key]}</td></tr>')
    out.append("</tbody></table>")
    counts = Counter((f["code"], f["name"]) for f in data["findings"])
    sevs: dict[str, Counter] = defaultdict(Counter)
    for f in data["findings"]:
        sevs[f["code"]][f["severity"]] += 1
    if counts:
        out.append(f'<h3>{escape(w["by_rule"])}</h3><table class="bl-stats" id="by-rule"><thead><tr>'
                   f'<th>{escape(w["rule"])}</th><th></th><th>{escape(w["error"])}</th><th>{escape(w["warning"])}</th>'
                   f'<th>{escape(w["info"])}</th><th>{escape(w["count"])}</th></tr></thead><tbody>')
        for (code, name), n in sorted(counts.items()):
            c = sevs[code]
            out.append(
                f'<tr data-code="{escape(code)}"><td>{escape(code)}</td><td>{escape(rule_title(code, name, lang))}</td><td class="n">{c["error"]}</td>'
                f'<td class="n">{c["warning"]}</td><td class="n">{c["info"]}</td><td class="n">{n}</td></tr>'
            )
        out.append("</tbody></table>")
    per_file = Counter(f["path"] for f in data["findings"])
    out.append(f'<h3>{escape(w["files"])}</h3><table class="bl-stats" id="by-file"><thead><tr><th>{escape(w["file"])}</th>'
               f'<th>{escape(w["tables"])}</th><th>{escape(w["findings"])}</th></tr></thead><tbody>')
    for k, fi in enumerate(data["files"]):
        name = escape(fi["path"])
        link = f'<a href="#file{k}">{name}</a>' if per_file.get(fi["path"]) or fi.get("error") else name
        err = f' <span class="sev-error">{escape(w["cannot_read"])}：{escape(fi["error"])}</span>' if fi.get("error") else ""
        out.append(f'<tr><td>{link}{err}</td><td class="n">{fi["tables"]}</td><td class="n">{per_file.get(fi["path"], 0)}</td></tr>')
    out.append("</tbody></table></section>")


def render_html(report: Any) -> str:
    """The whole report as one self-contained HTML file."""
    from .. import __version__

    lang = getattr(report, "lang", "zh")
    w = words(lang)
    out: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(w['title'])}</title><style>{CSS}</style></head><body>",
        f'<header><h1>{escape(w["title"])}</h1><div class="muted">{escape(w["generated"].format(version=__version__))}</div></header>',
        render_sections(report),
        f"<script>{SCRIPT}</script></body></html>",
    ]
    return "\n".join(out) + "\n"


def render_sections(report: Any, finding_attrs: Iterable[dict[str, str]] | None = None) -> str:
    """The summary and the per-file sections, without page, styles or script.

    Shared by the report file and the local page of ``budgetlint serve``, which
    embeds the sections in its own page; ``finding_attrs`` (aligned with
    ``report.findings``) adds attributes to each finding's list item.
    """
    lang = getattr(report, "lang", "zh")
    w = words(lang)
    data = report.to_json()
    if finding_attrs is not None:
        for f, attrs in zip(data["findings"], finding_attrs):
            f["_attrs"] = attrs
    docs = {d.path: d for d in getattr(report, "documents", []) or []}
    out: list[str] = []
    _summary(out, data, lang)
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in data["findings"]:
        by_file[f["path"]].append(f)
    paths = [fi["path"] for fi in data["files"]] + [p for p in by_file if p not in {fi["path"] for fi in data["files"]}]
    errors = {fi["path"]: fi.get("error") for fi in data["files"]}
    counter = 0
    for file_no, path in enumerate(paths):
        findings = by_file.get(path, [])
        if not findings and not errors.get(path):
            continue
        out.append(f'<section class="bl-file" id="file{file_no}" data-path="{escape(path)}"><h2>{escape(path)}</h2>')
        if errors.get(path):
            out.append(f'<p class="sev-error">{escape(w["cannot_read"])}：{escape(errors[path])}</p>')
        doc = docs.get(path)
        marks = _Marks()
        outside: list[tuple[str, dict[str, Any]]] = []
        for f in findings:
            counter += 1
            fid = f"f{counter}"
            a = _anchor(f)
            tables = doc.tables if doc is not None else []
            if a and 0 <= a[0] < len(tables):
                marks.bad[a].append((fid, f))
                marks.tables[a[0]].append((fid, f))
            else:
                outside.append((fid, f))
            for t in f.get("terms") or []:
                p = _term_pos(t)
                if p and 0 <= p[0] < len(tables):
                    marks.terms[p].append(fid)
                    if not a or p[0] != a[0]:
                        marks.referenced.add(p[0])
        shown = sorted(set(marks.tables) | marks.referenced)
        for tno in shown:
            _render_table(out, file_no, doc.tables[tno], marks, lang)
        if outside:
            out.append(f'<section class="bl-other"><h3>{escape(w["other"])}</h3><ol class="bl-findings">')
            for fid, f in outside:
                _render_finding(out, file_no, fid, f, lang, prose=_prose_html(doc, f), attrs=f.get("_attrs"))
            out.append("</ol></section>")
        out.append("</section>")
    if not data["findings"] and not any(errors.values()):
        out.append(f'<p class="bl-none">{escape(w["none"])}</p>')
    return "\n".join(out)


def render(report: Any, out: IO[str], **_: Any) -> None:
    out.write(render_html(report))


def marked_cells(findings: Iterable[dict[str, Any]]) -> set[tuple[int, int, int]]:
    """(table, row, column) of every anchor cell among ``findings`` (used by tests and the workbook)."""
    return {a for a in (_anchor(f) for f in findings) if a}
