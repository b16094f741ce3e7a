"""Projects of the 项目支出表 (T7) paired with performance-target tables by unit and project name.

Used by X311 (a target table's fiscal funds against its project's row in T7).
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from budgetlint.model import Cell, Table
from budgetlint.understand.forms import PerfTable, squash


@dataclasses.dataclass
class _Project:
    unit: str
    name: str | None
    amount: Cell
    row_line: int | None


def _norm(name: str | None) -> str:
    t = squash(name)
    return re.sub(r"[（(]盖章[)）]", "", t)


@lru_cache(maxsize=16384)
def _shortened(a: str, b: str) -> bool:
    """``a`` is ``b`` with characters left out (or the reverse): a shortened or wrapped name."""
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or len(short) < 0.6 * len(long_) or not set(short) <= set(long_):
        return False
    it = iter(long_)
    return all(ch in it for ch in short)


def _fiscal(pt: PerfTable) -> Cell | None:
    return pt.funds.fiscal if pt.funds.fiscal is not None else pt.funds.total


def project_rows(table: Table) -> list[_Project]:
    """Unit → project rows of a 项目支出表, coping with shifted pages and wrapped unit names."""
    name_col = next((c.index for c in table.columns if any("项目名称" in p for p in c.path)), None)
    label_col = next((c.index for c in table.columns if c.role == "label" and c.index != name_col), None)
    amount_col = next((c.index for c in table.columns if c.role == "value" and any("合计" in p for p in c.path)), None)
    if amount_col is None:
        amount_col = next((c.index for c in table.columns if c.role == "value"), None)
    if amount_col is None:
        return []
    out: list[_Project] = []
    unit = ""
    prev_unit_row = False
    for row in table.rows:
        if row.kind == "total":
            continue
        cells = row.cells
        lab = squash(cells[label_col].raw) if label_col is not None else ""
        nam = squash(cells[name_col].raw) if name_col is not None else ""
        if not row.code:
            text = lab or nam
            if not text:
                continue
            if prev_unit_row and cells[amount_col].value is None and len(text) <= 6:
                unit += text  # the wrapped tail of a unit name ("大队")
                continue
            unit = text
            prev_unit_row = True
            continue
        prev_unit_row = False
        if len(row.code) != 7:
            continue
        proj = nam if nam and lab else None  # a shifted row puts the function name where the project goes
        out.append(_Project(unit, proj, cells[amount_col], row.loc.line))
    return out
