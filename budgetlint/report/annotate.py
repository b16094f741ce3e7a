"""Annotated workbooks: ``budgetlint check --annotate OUT.xlsx``.

For a spreadsheet input (.xlsx/.xlsm) the output is a *copy* of the workbook
with

- every offending cell filled by severity (red: error, amber: warning, blue:
  info) and carrying a comment: rule, message, expected, actual, difference
  and the cells that were added up;
- every cell that was added up filled in lavender, its comment naming the
  findings it takes part in;
- a first sheet ``budgetlint`` listing every finding with a link to its cell.

For any other input (text, CSV, Word, PDF, HTML, .xls) the output is a new
workbook that renders the extracted tables that have findings (or hold cells
other findings added up), one sheet per table, with the same marks, plus the
same summary sheet.  A "位置" column gives each row's place in the source.

The input is never modified: it is only read, and the output goes through
:mod:`budgetlint.atomic`, which refuses to write over any checked file.
"""

from __future__ import annotations

import io
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable, Sequence

from ._common import explanation, fmt_num, table_heading, term_where, where, words

SUMMARY_SHEET = "budgetlint"
SEVERITY_FILL = {"error": "FFC7CE", "warning": "FFEB9C", "info": "DDEBF7"}
SEVERITY_FONT = {"error": "9C0006", "warning": "9C5700", "info": "1F4E78"}
TERM_FILL = "E4DFEC"
SPREADSHEET_FORMATS = ("xlsx",)
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _xl(text: Any) -> Any:
    """Text a worksheet can hold: control characters (escape sequences from a file) removed."""
    if not isinstance(text, str) or text.isprintable():
        return text
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from ._common import terminal_safe

    return ILLEGAL_CHARACTERS_RE.sub("", terminal_safe(text))


def _xl_tree(data: Any) -> Any:
    if isinstance(data, str):
        return _xl(data)
    if isinstance(data, dict):
        return {k: _xl_tree(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_xl_tree(v) for v in data]
    return data


def _sheet_title(wb: Any, wanted: str) -> str:
    base = _BAD_SHEET_CHARS.sub(" ", _xl(wanted)).strip().strip("'") or "表"
    base = base[:31]
    title, n = base, 2
    existing = {ws.title for ws in wb.worksheets}
    while title in existing:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    return title


def _comment(text: str, lines: int = 8) -> Any:
    from openpyxl.comments import Comment

    c = Comment(text, "budgetlint")
    c.width = 420
    c.height = max(90, min(600, 16 * (text.count("\n") + lines // 2 + 2)))
    return c


def _real_cell(ws: Any, coord: str) -> Any:
    """The cell that holds the content at ``coord`` (the top-left one of a merged range)."""
    for rng in ws.merged_cells.ranges:
        if coord in rng:
            return ws.cell(row=rng.min_row, column=rng.min_col)
    return ws[coord]


class _Marker:
    """Collects marks per target cell, then writes fills and comments once per cell."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.bad: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.terms: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)

    def apply(self, wb: Any) -> None:
        from openpyxl.styles import Border, Font, PatternFill, Side

        w = words(self.lang)
        thick = Side(style="medium", color="C00000")
        dashed = Side(style="dashed", color="7030A0")
        for (sheet, coord), items in self.terms.items():
            if sheet not in wb.sheetnames or (sheet, coord) in self.bad:
                continue
            cell = _real_cell(wb[sheet], coord)
            cell.fill = PatternFill("solid", fgColor=TERM_FILL)
            cell.border = Border(left=dashed, right=dashed, top=dashed, bottom=dashed)
            text = "\n".join(f"{w['term_of']}: #{n} {f['code']} {f['message']}" for n, f in items)
            self._set_comment(cell, text)
        for (sheet, coord), items in self.bad.items():
            if sheet not in wb.sheetnames:
                continue
            cell = _real_cell(wb[sheet], coord)
            sev = min((f["severity"] for _, f in items), key=lambda s: {"error": 0, "warning": 1}.get(s, 2))
            cell.fill = PatternFill("solid", fgColor=SEVERITY_FILL.get(sev, SEVERITY_FILL["info"]))
            cell.font = Font(bold=True, color=SEVERITY_FONT.get(sev, "000000"))
            cell.border = Border(left=thick, right=thick, top=thick, bottom=thick)
            parts = [f"#{n} {explanation(f, self.lang)}" for n, f in items]
            extra = self.terms.get((sheet, coord))
            if extra:
                parts.append("\n".join(f"{w['term_of']}: #{n} {f['code']} {f['message']}" for n, f in extra))
            self._set_comment(cell, "\n\n".join(parts))

    @staticmethod
    def _set_comment(cell: Any, text: str) -> None:
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n\n---\n{text}"
        cell.comment = _comment(text)


def _write_summary(wb: Any, findings: Sequence[dict[str, Any]], links: dict[int, tuple[str, str]], lang: str, source: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    w = words(lang)
    ws = wb.create_sheet(_sheet_title(wb, SUMMARY_SHEET), 0)
    heads = ["#", w["severity"], w["rule"], "name", w["where"], w["link"], w["table"], w["row"], w["column"],
             w["message"], w["expected"], w["actual"], w["difference"], w["tolerance"], w["terms"]]
    if lang != "en":
        heads[3] = "名称"
    ws.append([_xl(f"{source}：{len(findings)} {w['findings']}" if lang != "en" else f"{source}: {len(findings)} findings")])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(heads)
    for c in ws[2]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
    for n, f in enumerate(findings, start=1):
        row = [
            n, w.get(f["severity"], f["severity"]), f["code"], f["name"], where(f), "",
            table_heading(f.get("table")), (f.get("row") or {}).get("label") or "", (f.get("column") or {}).get("label") or "",
            f["message"], f.get("expected"), f.get("actual"), f.get("difference"), f.get("tolerance"),
            "; ".join(f"{'−' if (t.get('sign') or 1) < 0 else '+'}{fmt_num(t.get('value'))} {t.get('label') or ''} ({term_where(t)})" for t in f.get("terms") or []),
        ]
        ws.append(row)
        r = ws.max_row
        sev_cell = ws.cell(row=r, column=2)
        sev_cell.fill = PatternFill("solid", fgColor=SEVERITY_FILL.get(f["severity"], SEVERITY_FILL["info"]))
        target = links.get(n)
        if target:
            sheet, coord = target
            link = ws.cell(row=r, column=6, value=f"{sheet}!{coord}")
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet}'!{coord}", display=f"{sheet}!{coord}")
            link.font = Font(color="0563C1", underline="single")
        for col in (11, 12, 13, 14):
            ws.cell(row=r, column=col).number_format = "#,##0.00##"
        ws.cell(row=r, column=10).alignment = Alignment(wrap_text=True, vertical="top")
    if not findings:
        ws.append(["", w["none"]])
    widths = [5, 8, 8, 22, 30, 22, 28, 22, 26, 60, 12, 12, 10, 10, 60]
    from openpyxl.utils import get_column_letter

    for i, wd in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = wd
    ws.freeze_panes = "A3"
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws


def _header_rows(table: Any, ncols: int) -> list[list[tuple[str, int, int]]]:
    from .html import _header_rows as rows

    return rows(table, ncols)


def _render_table(wb: Any, table: Any, lang: str) -> tuple[Any, dict[tuple[int, int], str]]:
    """A sheet showing ``table`` as understood; returns it and (row, col) -> A1 of its body cells."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    w = words(lang)
    ws = wb.create_sheet(_sheet_title(wb, table_heading({"number": table.number, "title": table.title, "index": table.index})))
    ncols = max([len(table.columns)] + [len(r.cells) for r in table.rows])
    ws.cell(row=1, column=1, value=_xl(table_heading({"number": table.number, "title": table.title, "index": table.index}))).font = Font(bold=True, size=12)
    info = [x for x in (table.issuer and (f"编制单位：{table.issuer}" if lang != "en" else f"issuer: {table.issuer}"),
                        table.unit and (f"单位：{table.unit}" if lang != "en" else f"unit: {table.unit}"),
                        f"{w['where']}: {table.loc.describe()}" if table.loc else None) if x]
    ws.cell(row=2, column=1, value=_xl("    ".join(info)))
    hrows = _header_rows(table, ncols)
    top = 3
    grey = PatternFill("solid", fgColor="F2F2F2")
    ws.cell(row=top, column=1, value="位置" if lang != "en" else "source")
    if len(hrows) > 1:
        ws.merge_cells(start_row=top, start_column=1, end_row=top + len(hrows) - 1, end_column=1)
    occupied: set[tuple[int, int]] = set()
    for k, hr in enumerate(hrows):
        col = 2
        for text, colspan, rowspan in hr:
            while (top + k, col) in occupied:
                col += 1
            ws.cell(row=top + k, column=col, value=_xl(text))
            if colspan > 1 or rowspan > 1:
                ws.merge_cells(start_row=top + k, start_column=col, end_row=top + k + rowspan - 1, end_column=col + colspan - 1)
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied.add((top + k + dr, col + dc))
            col += colspan
    for r in range(top, top + len(hrows)):
        for c in range(1, ncols + 2):
            cell = ws.cell(row=r, column=c)
            cell.font = Font(bold=True)
            cell.fill = grey
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    positions: dict[tuple[int, int], str] = {}
    first = top + len(hrows)
    for i, row in enumerate(table.rows):
        rr = first + i
        rl = row.loc
        ws.cell(row=rr, column=1, value=term_where({"line": rl.line, "sheet": rl.sheet, "cell": rl.cell, "page": rl.page}))
        for ci in range(ncols):
            cell = row.cells[ci] if ci < len(row.cells) else None
            target = ws.cell(row=rr, column=ci + 2)
            positions[(row.index, ci)] = target.coordinate
            if cell is None:
                continue
            if cell.value is not None and not cell.comparator and not cell.percent:
                target.value = float(cell.value)
                target.number_format = "#,##0" + ("." + "0" * cell.decimals if cell.decimals else "")
            elif cell.raw.strip():
                target.value = _xl(cell.raw.strip())
        if row.kind == "total":
            for ci in range(ncols + 1):
                ws.cell(row=rr, column=ci + 1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 8
    for ci in range(ncols):
        role = table.columns[ci].role if ci < len(table.columns) else "value"
        ws.column_dimensions[get_column_letter(ci + 2)].width = {"code": 7, "label": 30, "text": 30}.get(role, 14)
    ws.freeze_panes = ws.cell(row=first, column=2)
    return ws, positions


def _spreadsheet_source(doc: Any) -> bool:
    return doc.format in SPREADSHEET_FORMATS and Path(doc.path).suffix.lower() in (".xlsx", ".xlsm")


def annotated_workbook(doc: Any, findings: Sequence[dict[str, Any]], lang: str = "zh") -> Any:
    """The annotated openpyxl workbook for one document (not saved)."""
    from openpyxl import Workbook, load_workbook

    marker = _Marker(lang)
    links: dict[int, tuple[str, str]] = {}
    findings = [_xl_tree(f) for f in findings]
    if _spreadsheet_source(doc):
        wb = load_workbook(doc.path, keep_vba=Path(doc.path).suffix.lower() == ".xlsm", rich_text=True)
        for n, f in enumerate(findings, start=1):
            if f.get("sheet") and f.get("cell"):
                marker.bad[(f["sheet"], f["cell"])].append((n, f))
                links[n] = (f["sheet"], f["cell"])
            for t in f.get("terms") or []:
                if t.get("sheet") and t.get("cell"):
                    marker.terms[(t["sheet"], t["cell"])].append((n, f))
    else:
        wb = Workbook()
        wb.remove(wb.active)
        wanted: set[int] = set()
        for f in findings:
            t = (f.get("table") or {}).get("index")
            if isinstance(t, int):
                wanted.add(t)
            for term in f.get("terms") or []:
                if isinstance(term.get("table"), int):
                    wanted.add(term["table"])
        sheets: dict[int, tuple[str, dict[tuple[int, int], str]]] = {}
        for tno in sorted(wanted):
            if 0 <= tno < len(doc.tables):
                ws, pos = _render_table(wb, doc.tables[tno], lang)
                sheets[tno] = (ws.title, pos)
        for n, f in enumerate(findings, start=1):
            t = (f.get("table") or {}).get("index")
            r = (f.get("row") or {}).get("index")
            c = (f.get("column") or {}).get("index")
            if t in sheets and (r, c) in sheets[t][1]:
                key = (sheets[t][0], sheets[t][1][(r, c)])
                marker.bad[key].append((n, f))
                links[n] = key
            for term in f.get("terms") or []:
                tt = term.get("table")
                if tt in sheets and (term.get("row"), term.get("column")) in sheets[tt][1]:
                    marker.terms[(sheets[tt][0], sheets[tt][1][(term["row"], term["column"])])].append((n, f))
    own = set() if _spreadsheet_source(doc) else {ws.title for ws in wb.worksheets}
    marker.apply(wb)
    _write_summary(wb, findings, links, lang, doc.path)
    own.add(wb.worksheets[0].title)  # the summary sheet
    for ws in wb.worksheets:
        if ws.title in own:
            text_cells_only(ws)
    return wb


# Excel reads a cell typed as text whose first character is one of these as a formula once it is
# edited; a text cell is written with the quote prefix (shown as a leading apostrophe) instead.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text_cells_only(ws: Any) -> None:
    """Make every text in the sheet a string cell: text read from a file is never a live formula.

    openpyxl turns any value starting with ``=`` into a formula; a cell holding
    ``=HYPERLINK("http://…","点此")`` copied from a CSV would become a working link.
    Such cells are typed as strings and, like every text starting with ``= + - @``,
    get Excel's quote prefix.
    """
    for row in ws.iter_rows():
        for cell in row:
            value = cell.value
            if not isinstance(value, str):
                continue
            if cell.data_type == "f" or value.startswith(_FORMULA_START):
                cell.data_type = "s"
                cell.quotePrefix = True


def output_paths(out: str | os.PathLike, docs: Sequence[Any]) -> list[tuple[Any, Path]]:
    """Where each document's workbook goes: ``out`` itself for one input; for several,
    ``out/<name>_<ext>.annotated.xlsx`` when ``out`` is a folder, else ``<out stem>-<name>_<ext>.xlsx``."""
    out = Path(out)
    if len(docs) == 1 and not out.is_dir():
        return [(docs[0], out)]
    used: set[str] = set()
    res = []
    for d in docs:
        stem = Path(d.path).name.replace(".", "_") or "input"  # keeps a.txt and a.xlsx apart
        name = f"{stem}.annotated.xlsx" if out.is_dir() else f"{out.stem}-{stem}{out.suffix or '.xlsx'}"
        base, n = name, 2
        while name in used:
            name = base.replace(".xlsx", f"-{n}.xlsx")
            n += 1
        used.add(name)
        res.append((d, (out / name) if out.is_dir() else out.with_name(name)))
    return res


def write_annotations(report: Any, out: str | os.PathLike, protect: Iterable[str] = ()) -> list[str]:
    """Write annotated workbooks for the report's documents; returns the paths written.

    With one input the workbook is written even when there is nothing to mark
    (its summary says so); with several, only documents with findings get one.
    """
    from ..atomic import atomic_write_bytes

    lang = getattr(report, "lang", "zh")
    docs = [d for d in getattr(report, "documents", []) or [] if d.error is None]
    by_path: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in report.findings:
        by_path[f.path].append(f.to_json())
    if len(docs) > 1:
        docs = [d for d in docs if by_path.get(d.path)]
    protect = list(protect) + [d.path for d in getattr(report, "documents", []) or []]
    written = []
    for doc, target in output_paths(out, docs):
        wb = annotated_workbook(doc, by_path.get(doc.path, []), lang)
        buf = io.BytesIO()
        wb.save(buf)
        atomic_write_bytes(target, buf.getvalue(), protect=protect)
        written.append(str(target))
    return written
