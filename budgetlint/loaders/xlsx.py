"""XLSX workbooks (openpyxl): every sheet, title rows, merged headers, cached formula values.

The input is opened read-only in spirit: openpyxl never writes it.  Cells are
read twice when the workbook has formulas: once for the cached values (what
Excel showed), once to notice formulas whose cached value is missing (the
workbook was saved without being recalculated) — those are reported.
Numbers keep the decimals their number format displays.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal
from pathlib import Path

from ..grid import RawDocument
from ..model import Cell, Location
from ._sheet import split_grid

_DEC_RE = re.compile(r"\.(0+)")


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
    for ws in wb.worksheets:
        if getattr(ws, "sheet_state", "visible") != "visible":
            continue
        budget.tick()
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
                cells.append(Cell(raw=display_text(value, xc.number_format), loc=loc))
            while cells and not cells[-1].raw.strip():
                cells.pop()
            rows.append(cells)
        tables, prose = split_grid(rows)
        for t in tables:
            t.hints["sheet"] = ws.title
        doc.tables.extend(tables)
        for p in prose:
            p.index = len(doc.prose)
            doc.prose.append(p)
    return doc


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
