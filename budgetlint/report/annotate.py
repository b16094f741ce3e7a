"""Annotated workbooks: ``budgetlint check --annotate OUT.xlsx``.

For a spreadsheet input (.xlsx/.xlsm) the output is a *copy* of the workbook
with

- every offending cell filled by severity (red: error, amber: warning, blue:
  info) and carrying a comment: rule, message, expected, actual, difference
  and the cells that were added up;
- every cell that was added up filled in lavender, its comment naming the
  findings it takes part in;
- a sheet ``检查结果`` (``budgetlint`` in English) listing every finding with a
  link to its cell, opened first.

The copy is made by patching the package (:mod:`.ooxml`): new cell formats
that copy each marked cell's own format with another fill, comment parts, the
summary sheet — and every other part copied byte for byte, so cached formula
values, fonts, charts, images and defined names are kept and checking the copy
gives the findings of the original.

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

from ._common import explanation, finding_decimals, fmt_num, rule_title, table_heading, term_amount, term_where, where, words

SUMMARY_SHEET = {"zh": "检查结果", "en": "budgetlint"}
SUMMARY_CODENAME = "budgetlintFindings"  # marks the summary sheet, so checking an annotated copy skips it
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
    """Collects marks per target cell: the findings anchored there and those it is a term of."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.bad: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)
        self.terms: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = defaultdict(list)

    def _term_lines(self, items: list[tuple[int, dict[str, Any]]]) -> str:
        w = words(self.lang)
        sep = "：" if self.lang != "en" else ": "
        return "\n".join(f"{w['term_of']}{sep}#{n} {f['code']} {f['message']}" for n, f in items)

    def marks(self) -> Iterable[tuple[str, str, str, str]]:
        """(sheet, A1, fill colour, comment text) for every marked cell, terms first."""
        for (sheet, coord), items in self.terms.items():
            if (sheet, coord) not in self.bad:
                yield sheet, coord, TERM_FILL, self._term_lines(items)
        for (sheet, coord), items in self.bad.items():
            sev = min((f["severity"] for _, f in items), key=lambda s: {"error": 0, "warning": 1}.get(s, 2))
            parts = [f"#{n} {explanation(f, self.lang)}" for n, f in items]
            extra = self.terms.get((sheet, coord))
            if extra:
                parts.append(self._term_lines(extra))
            yield sheet, coord, SEVERITY_FILL.get(sev, SEVERITY_FILL["info"]), "\n\n".join(parts)

    def apply(self, wb: Any) -> None:
        """Marks on an openpyxl workbook (the tables rendered from a non-spreadsheet input)."""
        from openpyxl.styles import Border, PatternFill, Side

        thick = Side(style="medium", color="C00000")
        dashed = Side(style="dashed", color="7030A0")
        for sheet, coord, fill, text in self.marks():
            if sheet not in wb.sheetnames:
                continue
            cell = _real_cell(wb[sheet], coord)
            cell.fill = PatternFill("solid", fgColor=fill)
            side = dashed if fill == TERM_FILL else thick
            cell.border = Border(left=side, right=side, top=side, bottom=side)
            if cell.comment is not None and cell.comment.text:
                text = f"{cell.comment.text}\n\n---\n{text}"
            cell.comment = _comment(text)


# --------------------------------------------------------------------------- the summary sheet

_WIDTHS = [5, 8, 8, 22, 30, 22, 28, 22, 26, 60, 12, 12, 10, 10, 60]
_NUM_COLS = (11, 12, 13, 14)  # expected, actual, difference, tolerance
_LINK_COL = 6


def _summary_rows(findings: Sequence[dict[str, Any]], links: dict[int, tuple[str, str]], lang: str, source: str) -> tuple[str, list[str], list[list[Any]]]:
    """Title, column heads and one row per finding (the link column holds ``sheet!A1``)."""
    w = words(lang)
    name_head = "名称" if lang != "en" else "name"
    heads = ["#", w["severity"], w["rule"], name_head, w["where"], w["link"], w["table"], w["row"], w["column"],
             w["message"], w["expected"], w["actual"], w["difference"], w["tolerance"], w["terms"]]
    title = f"{source}：{len(findings)} {w['findings']}" if lang != "en" else f"{source}: {len(findings)} findings"
    rows = []
    for n, f in enumerate(findings, start=1):
        target = links.get(n)
        rows.append([
            n, w.get(f["severity"], f["severity"]), f["code"], rule_title(f["code"], f.get("name") or "", lang), where(f),
            f"{target[0]}!{target[1]}" if target else "",
            table_heading(f.get("table")), (f.get("row") or {}).get("label") or "", (f.get("column") or {}).get("label") or "",
            f["message"], f.get("expected"), f.get("actual"), f.get("difference"), f.get("tolerance"),
            "; ".join(f"{term_amount(t, f)} {t.get('label') or ''} ({term_where(t)})" for t in f.get("terms") or []),
        ])
    return title, heads, rows


def _number_format(decimals: int | None) -> str:
    d = decimals if decimals is not None and 0 < decimals <= 6 else 0
    return "#,##0" + ("." + "0" * d if d else "")


def _write_summary(wb: Any, findings: Sequence[dict[str, Any]], links: dict[int, tuple[str, str]], lang: str, source: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    w = words(lang)
    ws = wb.create_sheet(_sheet_title(wb, SUMMARY_SHEET.get(lang, SUMMARY_SHEET["zh"])), 0)
    ws.sheet_properties.codeName = SUMMARY_CODENAME
    title, heads, rows = _summary_rows(findings, links, lang, source)
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(heads)
    for c in ws[2]:
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9D9D9")
    for f, row in zip(findings, rows):
        link_text = row[_LINK_COL - 1]
        row[_LINK_COL - 1] = None
        ws.append(row)
        r = ws.max_row
        ws.cell(row=r, column=2).fill = PatternFill("solid", fgColor=SEVERITY_FILL.get(f["severity"], SEVERITY_FILL["info"]))
        if link_text:
            sheet, coord = link_text.rsplit("!", 1)
            link = ws.cell(row=r, column=_LINK_COL, value=link_text)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{sheet}'!{coord}", display=link_text)
            link.font = Font(color="0563C1", underline="single")
        for col in _NUM_COLS:
            ws.cell(row=r, column=col).number_format = _number_format(finding_decimals(f))
        ws.cell(row=r, column=10).alignment = Alignment(wrap_text=True, vertical="top")
    if not findings:
        ws.append(["", w["none"]])
    for i, wd in enumerate(_WIDTHS, start=1):
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


def _spreadsheet_marks(findings: Sequence[dict[str, Any]], lang: str) -> tuple[_Marker, dict[int, tuple[str, str]]]:
    marker = _Marker(lang)
    links: dict[int, tuple[str, str]] = {}
    for n, f in enumerate(findings, start=1):
        if f.get("sheet") and f.get("cell"):
            marker.bad[(f["sheet"], f["cell"])].append((n, f))
            links[n] = (f["sheet"], f["cell"])
        for t in f.get("terms") or []:
            if t.get("sheet") and t.get("cell"):
                marker.terms[(t["sheet"], t["cell"])].append((n, f))
    return marker, links


def annotated_copy(doc: Any, findings: Sequence[dict[str, Any]], lang: str = "zh", data: bytes | None = None) -> bytes:
    """The annotated copy of a spreadsheet input, as the bytes of an xlsx package.

    Only the parts that carry marks change (see :mod:`.xlsx_patch`); ``data``
    is the input's content (read from ``doc.path`` when not given).
    """
    from .xlsx_patch import annotate_package

    if data is None:
        data = Path(doc.path).read_bytes()
    marker, links = _spreadsheet_marks(findings, lang)
    title, heads, rows = _summary_rows(findings, links, lang, doc.path)
    summary = {
        "name": SUMMARY_SHEET.get(lang, SUMMARY_SHEET["zh"]), "codename": SUMMARY_CODENAME, "title": title, "heads": heads,
        "rows": rows, "widths": _WIDTHS, "numbers": _NUM_COLS, "link": _LINK_COL, "none": words(lang)["none"],
        "severities": [SEVERITY_FILL.get(f["severity"], SEVERITY_FILL["info"]) for f in findings],
        "formats": [_number_format(finding_decimals(f)) for f in findings],
    }
    return annotate_package(data, list(marker.marks()), summary)


def annotated_workbook(doc: Any, findings: Sequence[dict[str, Any]], lang: str = "zh") -> Any:
    """A new openpyxl workbook rendering the document's tables that have findings (not saved).

    Spreadsheet inputs are annotated as copies instead (:func:`annotated_copy`).
    """
    from openpyxl import Workbook

    marker = _Marker(lang)
    links: dict[int, tuple[str, str]] = {}
    findings = [_xl_tree(f) for f in findings]
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
    marker.apply(wb)
    _write_summary(wb, findings, links, lang, doc.path)
    for ws in wb.worksheets:  # every sheet here was written from the document's text
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
        findings = by_path.get(doc.path, [])
        data = None
        if _spreadsheet_source(doc):
            from .ooxml import PackageError

            try:
                data = annotated_copy(doc, findings, lang)
            except PackageError:  # a package we cannot patch safely: render its tables instead
                data = None
        if data is None:
            buf = io.BytesIO()
            annotated_workbook(doc, findings, lang).save(buf)
            data = buf.getvalue()
        atomic_write_bytes(target, data, protect=protect)
        written.append(str(target))
    return written
