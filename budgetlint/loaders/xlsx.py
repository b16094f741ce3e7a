"""XLSX workbooks (openpyxl): every sheet, title rows, merged headers, cached formula values.

The input is opened read-only in spirit: openpyxl never writes it.  Cells are
read twice when the workbook has formulas: once for the cached values (what
Excel showed), once to notice formulas whose cached value is missing (the
workbook was saved without being recalculated) — those are reported.
Numbers keep the decimals their number format displays.

Numbers stored as text (Excel's green triangle) are read as numbers and
recorded in ``meta["text_numbers"]``; a SUM formula whose range holds some is
recorded in ``meta["formula_skips"]`` (Excel's SUM leaves them out, so its
cached value differs from the sum of what is printed).  The summary sheet of
an annotated copy (code name ``budgetlintFindings``) is not read.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from pathlib import Path

from ..grid import RawDocument
from ..model import Cell, Location
from ..numbers import parse_number
from ._sheet import split_grid

_DEC_RE = re.compile(r"\.(0+)")
SUMMARY_CODENAME = "budgetlintFindings"  # the summary sheet of an annotated copy
_SUM_CALL = re.compile(r"\b(?:SUM|SUBTOTAL|SUMIF|SUMIFS|SUMPRODUCT)\s*\(", re.IGNORECASE)
_REF = re.compile(r"(?:(?:'((?:[^']|'')+)'|([^\s'!(),:=+\-*/&<>^]+))!)?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def _col_no(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def summed_refs(formula: str, sheet: str) -> list[tuple[int, int, int, int]]:
    """The ranges (row1, col1, row2, col2; 1-based) that the SUM-like calls of ``formula`` add up on ``sheet``.

    Only aggregate functions skip numbers stored as text; ``=B2+B3`` converts them.
    """
    out = []
    for m in _SUM_CALL.finditer(formula):
        depth, i = 1, m.end()
        while i < len(formula) and depth:
            depth += {"(": 1, ")": -1}.get(formula[i], 0)
            i += 1
        for r in _REF.finditer(formula[m.end(): i]):
            other = (r.group(1) or "").replace("''", "'") or r.group(2)
            if other and other != sheet:
                continue
            c1, r1 = _col_no(r.group(3)), int(r.group(4))
            c2, r2 = (_col_no(r.group(5)), int(r.group(6))) if r.group(5) else (c1, r1)
            out.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return out


def _is_text_number(value: object) -> bool:
    if not isinstance(value, str) or not value.strip() or len(value) > 40:
        return False
    n = parse_number(value)
    return n.value is not None and n.unit is None and n.comparator is None and not n.percent


def column_letter(col: int) -> str:
    out = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def display_text(value: object, number_format: str | None) -> str:
    """The text a spreadsheet shows for a cell value (numbers with their format's decimals)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        fmt = number_format or "General"
        pct = "%" in fmt
        v = float(value) * (100 if pct else 1)
        m = _DEC_RE.search(fmt.split(";")[0])
        if fmt != "General" and ("0" in fmt or "#" in fmt):
            decimals = len(m.group(1)) if m else 0
            comma = "," in fmt.split(";")[0]
            s = f"{v:,.{decimals}f}" if comma else f"{v:.{decimals}f}"
        else:
            s = repr(round(v, 10)) if isinstance(value, float) else str(value)
            if s.endswith(".0"):
                s = s[:-2]
        return s + ("%" if pct else "")
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()[:10]
    return str(value)


def _is_exact(value: object, number_format: str | None) -> bool:
    """A number shown in the General format is shown as stored: it was typed or computed, not rounded for display."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and (number_format or "General") in ("General", "@")


def load(path: Path) -> RawDocument:
    from ..limits import Budget, check_zip

    budget = Budget()
    check_zip(path, budget.limits)
    import openpyxl

    doc = RawDocument(path=str(path), format="xlsx")
    # opened through a file object: openpyxl would refuse a workbook saved under another suffix
    with open(path, "rb") as fh:
        wb = openpyxl.load_workbook(fh, data_only=True, read_only=False)
    try:
        if _has_formulas(path):
            with open(path, "rb") as fh:
                wb_f = openpyxl.load_workbook(fh, data_only=False, read_only=False)
        else:
            wb_f = None
    except Exception:  # noqa: BLE001 - the values are what matter
        wb_f = None
    text_numbers: dict[str, list[str]] = {}
    formula_skips: dict[str, dict[str, tuple[str, list[str]]]] = {}
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            continue
        budget.tick()
        if getattr(ws.sheet_properties, "codeName", None) == SUMMARY_CODENAME:
            continue
        as_text: list[tuple[int, int]] = []
        merged_cover: set[tuple[int, int]] = set()
        for rng in ws.merged_cells.ranges:
            budget.cells(rng.size["rows"] * rng.size["columns"])  # a merge over a million cells costs them
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged_cover.add((r, c))
        ws_f = wb_f[ws.title] if wb_f is not None else None
        rows: list[list[Cell]] = []
        max_col = ws.max_column or 0
        for r_idx, row in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=max_col), start=1):
            budget.cells(max_col)
            if not r_idx & 255:
                budget.tick()
            cells = []
            for c_idx, xc in enumerate(row, start=1):
                ref = f"{column_letter(c_idx - 1)}{r_idx}"
                loc = Location(str(path), sheet=ws.title, cell=ref)
                if (r_idx, c_idx) in merged_cover:
                    cells.append(Cell(raw="", loc=loc))
                    continue
                value = xc.value
                if value is None and ws_f is not None:
                    fv = ws_f.cell(row=r_idx, column=c_idx).value
                    if isinstance(fv, str) and fv.startswith("="):
                        doc.problems.append(("公式无缓存值", f"{ws.title}!{ref} 的公式 {fv} 没有保存计算结果，按空白处理", loc))
                if isinstance(value, str) and _is_text_number(value):
                    as_text.append((r_idx, c_idx))
                cells.append(Cell(raw=display_text(value, xc.number_format), loc=loc, exact=_is_exact(value, xc.number_format)))
            while cells and not cells[-1].raw.strip():
                cells.pop()
            rows.append(cells)
        if as_text:
            text_numbers[ws.title] = [f"{column_letter(c - 1)}{r}" for r, c in as_text]
            if ws_f is not None:
                skips = _formula_skips(ws_f, as_text)
                if skips:
                    formula_skips[ws.title] = skips
        tables, prose = split_grid(rows)
        for t in tables:
            t.hints["sheet"] = ws.title
        doc.tables.extend(tables)
        for p in prose:
            p.index = len(doc.prose)
            doc.prose.append(p)
    if text_numbers:
        doc.meta["text_numbers"] = text_numbers
    if formula_skips:
        doc.meta["formula_skips"] = formula_skips
    return doc


def _formula_skips(ws_f, as_text: list[tuple[int, int]]) -> dict[str, tuple[str, list[str]]]:
    """A1 of each SUM formula cell → (formula, the numbers stored as text its ranges leave out)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for row in ws_f.iter_rows():
        for xc in row:
            f = xc.value
            if not (isinstance(f, str) and f.startswith("=") and _SUM_CALL.search(f)):
                continue
            ranges = summed_refs(f, ws_f.title)
            hit = [f"{column_letter(c - 1)}{r}" for r, c in as_text if any(r1 <= r <= r2 and c1 <= c <= c2 for r1, c1, r2, c2 in ranges)]
            if hit:
                out[f"{column_letter(xc.column - 1)}{xc.row}"] = (f, hit)
    return out


def _has_formulas(path: Path) -> bool:
    """True when any worksheet XML holds a formula element (cheap: reads the zip, expands nothing big)."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                with zf.open(info) as fh:
                    chunk = fh.read(4 * 1024 * 1024)
                    if b"<f>" in chunk or b"<f " in chunk or b"<x:f" in chunk:
                        return True
    return False
