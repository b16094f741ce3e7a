"""The one rounding implementation: XBRL Calculations 1.1 style interval checks.

A value printed with ``d`` decimals stands for ``[v - ½·10⁻ᵈ, v + ½·10⁻ᵈ]``.
A sum is consistent when the interval of Σ terms overlaps the interval of the
total, i.e. ``|total - Σ| <= ½·10⁻ᵈ(total) + Σ ½·10⁻ᵈ(term)``.  All values are
turned into exact integers (twice the value in 10⁻⁴ of 元 for money, of the
printed unit otherwise) so a difference sitting exactly on the bound never
flips with float noise, and every identity of a run is judged in one numpy
pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where it is used: the command line starts without it
    import numpy as np

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence


from .model import MONEY_FACTORS, Cell

SCALE_DIGITS = 4
_SCALE = 10**SCALE_DIGITS


def unit_factor(unit: str | None) -> int:
    return MONEY_FACTORS.get(unit or "", 1)


def doubled(value: Decimal, unit: str | None) -> int:
    """Twice the value in 10⁻⁴ of the base unit, as an exact integer."""
    scaled = value.scaleb(SCALE_DIGITS)  # exact: only the exponent changes
    if scaled == scaled.to_integral_value():
        return int(scaled) * 2 * unit_factor(unit)
    return int((value * unit_factor(unit) * _SCALE * 2).to_integral_value())


def slack2(decimals: int, unit: str | None, blank: bool = False, exact: bool = False) -> int:
    """Twice the half-unit of the last printed digit, in the same integer scale (0 for an exact value)."""
    if blank or exact:
        return 0
    d = min(max(decimals, 0), SCALE_DIGITS)
    return unit_factor(unit) * 10 ** (SCALE_DIGITS - d)


_DOUBLED_CACHE: dict[tuple, tuple[int, int]] = {}


def cell_doubled(cell: Cell) -> tuple[int, int]:
    """(twice the value, twice the half-unit) of a cell, memoised: tables repeat their numbers."""
    key = (cell.value, cell.decimals, cell.unit, cell.exact)
    hit = _DOUBLED_CACHE.get(key)
    if hit is None:
        v = cell.value if cell.value is not None else Decimal(0)
        hit = (doubled(v, cell.unit), slack2(cell.decimals, cell.unit, cell.value is None, cell.exact))
        if len(_DOUBLED_CACHE) < 200_000:
            _DOUBLED_CACHE[key] = hit
    return hit


def from_doubled(q2: int, unit: str | None) -> Decimal:
    return Decimal(q2) / (unit_factor(unit) * _SCALE * 2)


@dataclass(slots=True)
class Judgement:
    """The outcome of one identity, in the doubled integer scale."""

    ok: bool
    total2: int
    sum2: int
    slack2: int

    @property
    def diff2(self) -> int:
        return self.total2 - self.sum2


def judge(
    totals: Sequence[int], total_slacks: Sequence[int], sums: Sequence[int], term_slacks: Sequence[int], relations: Sequence[str]
) -> list[Judgement]:
    """Judge many identities at once.  ``sums``/``term_slacks`` are already per identity."""
    import numpy as np
    if not totals:
        return []
    t = np.asarray(totals, dtype=np.int64)
    s = np.asarray(sums, dtype=np.int64)
    slack = np.asarray(total_slacks, dtype=np.int64) + np.asarray(term_slacks, dtype=np.int64)
    rel = np.asarray(relations)
    diff = t - s
    ok = np.where(rel == "=", np.abs(diff) <= slack, np.where(rel == ">=", -diff <= slack, diff <= slack))
    return [Judgement(bool(o), int(a), int(b), int(c)) for o, a, b, c in zip(ok, t, s, slack)]


def segment_sums(values: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """Sum ``values`` over contiguous segments beginning at ``starts`` (empty segments give 0)."""
    import numpy as np
    out = np.zeros(n, dtype=np.int64)
    if values.size == 0:
        return out
    counts = np.diff(np.append(starts, values.size))
    nonempty = counts > 0
    if nonempty.any():
        out[nonempty] = np.add.reduceat(values, starts[nonempty])
    return out


# --------------------------------------------------------------------------- bulk checks
#
# Large tables hold tens of thousands of identities, almost all of which hold.
# Rules that generate them by the row or by the column first judge them here,
# as numpy arrays over the table, with exactly the interval rule above, and
# build the explained Identity objects only for those that fail (or, when
# rounding differences are asked for, that differ at all).  The engine then
# judges those again through the same code, so a finding never depends on
# which path found it.


@dataclass(slots=True)
class TableMatrix:
    """Twice the values and twice the half-units of every cell of a table, as int64 [rows, cols]."""

    q2: np.ndarray
    s2: np.ndarray
    blank: np.ndarray  # no value (blank or text)
    percent: np.ndarray
    empty: np.ndarray  # printed blank ('', -, —): "no value" that is not text


def table_matrix(table) -> TableMatrix:
    """The table's cells as integer arrays (cached on the table)."""
    import numpy as np
    cached = table.meta.get("_matrix")
    if cached is not None:
        return cached
    q, s, b, p, e = [], [], [], [], []
    cache = _DOUBLED_CACHE
    width = len(table.columns)
    for row in table.rows:
        cells = row.cells
        if len(cells) != width:  # never expected; keep the array rectangular anyway
            from .model import Cell as _Cell

            cells = (list(cells) + [_Cell("", cells[0].loc if cells else None)] * width)[:width]
        for cell in cells:
            v = cell.value
            hit = cache.get((v, cell.decimals, cell.unit, cell.exact))
            if hit is None:
                hit = cell_doubled(cell)
            q.append(hit[0])
            s.append(hit[1])
            b.append(v is None)
            p.append(cell.percent)
            e.append(cell.blank)
    shape = (len(table.rows), len(table.columns))
    m = TableMatrix(
        np.array(q, dtype=np.int64).reshape(shape), np.array(s, dtype=np.int64).reshape(shape),
        np.array(b, dtype=bool).reshape(shape), np.array(p, dtype=bool).reshape(shape),
        np.array(e, dtype=bool).reshape(shape),
    )
    table.meta["_matrix"] = m
    return m


def _needs(diff: np.ndarray, slack: np.ndarray, relation: str, show_rounding: bool) -> np.ndarray:
    import numpy as np
    if relation == "=":
        bad = np.abs(diff) > slack
    elif relation == ">=":
        bad = -diff > slack
    else:
        bad = diff > slack
    return bad | (diff != 0) if show_rounding else bad


def failing_columns(table, total_row: int, term_rows: list[int], cols: list[int], relation: str, show_rounding: bool = False) -> set[int]:
    """Columns where ``row total_row (relation) Σ term_rows`` needs explaining."""
    import numpy as np
    if not cols:
        return set()
    m = table_matrix(table)
    c = np.asarray(cols, dtype=np.intp)
    t = m.q2[total_row, c]
    ts = m.s2[total_row, c]
    if term_rows:
        r = np.asarray(term_rows, dtype=np.intp)
        sums = m.q2[r][:, c].sum(axis=0)
        slack = ts + m.s2[r][:, c].sum(axis=0)
    else:
        sums = np.zeros_like(t)
        slack = ts
    need = _needs(t - sums, slack, relation, show_rounding)
    return {cols[i] for i in np.flatnonzero(need)}


def _row_sums(m: TableMatrix, rows: list[int], total_col: int, terms) -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
    """(total − Σ sign·term, slack, has any value) per row for ``column total_col = Σ sign·column``."""
    import numpy as np
    r = np.asarray(rows, dtype=np.intp)
    t = m.q2[r, total_col]
    slack = m.s2[r, total_col].copy()
    sums = np.zeros_like(t)
    filled = ~m.blank[r, total_col]
    for sign, col in terms:
        sums += sign * m.q2[r, col]
        slack += m.s2[r, col]
        filled |= ~m.blank[r, col]
    return t - sums, slack, filled


def failing_mask(m: TableMatrix, rows: list[int], total_col: int, terms, relation: str) -> tuple["np.ndarray", "np.ndarray"]:
    """(fails beyond rounding, has any value) per row for ``column total_col (relation) Σ sign·column``."""
    diff, slack, filled = _row_sums(m, rows, total_col, terms)
    return _needs(diff, slack, relation, False) & filled, filled


def failing_rows(table, rows: list[int], total_col: int, terms: list[tuple[int, int]], relation: str, show_rounding: bool = False) -> set[int]:
    """Rows where ``column total_col (relation) Σ sign·column`` needs explaining."""
    import numpy as np
    if not rows:
        return set()
    diff, slack, _ = _row_sums(table_matrix(table), rows, total_col, terms)
    need = _needs(diff, slack, relation, show_rounding)
    return {rows[i] for i in np.flatnonzero(need)}


def failing_columns_many(table, groups: list[tuple[int, list[int]]], cols: list[int], relation: str, show_rounding: bool = False) -> list[set[int]]:
    """:func:`failing_columns` for many (total row, term rows) groups of one table in one numpy pass."""
    import numpy as np

    if not groups or not cols:
        return [set() for _ in groups]
    m = table_matrix(table)
    c = np.asarray(cols, dtype=np.intp)
    q = m.q2[:, c]
    s = m.s2[:, c]
    totals = np.asarray([g[0] for g in groups], dtype=np.intp)
    flat = [r for _, rows in groups for r in rows]
    counts = np.asarray([len(rows) for _, rows in groups], dtype=np.intp)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.intp)
    sums = np.zeros((len(groups), len(cols)), dtype=np.int64)
    slack = s[totals].copy()
    if flat:
        idx = np.asarray(flat, dtype=np.intp)
        nonempty = counts > 0
        sums[nonempty] = np.add.reduceat(q[idx], starts[nonempty], axis=0)
        slack[nonempty] += np.add.reduceat(s[idx], starts[nonempty], axis=0)
    need = _needs(q[totals] - sums, slack, relation, show_rounding)
    return [{cols[j] for j in np.flatnonzero(row)} for row in need]


def filled_columns(table, total_row: int, term_rows: list[int], cols: list[int]) -> int:
    """How many of ``cols`` hold a value in the total row or any term row (the instances a row sum tests)."""
    import numpy as np
    if not cols:
        return 0
    m = table_matrix(table)
    r = np.asarray([total_row, *term_rows], dtype=np.intp)
    c = np.asarray(cols, dtype=np.intp)
    return int((~m.blank[r][:, c]).any(axis=0).sum())


def filled_rows(table, rows: list[int], total_col: int, terms: list[tuple[int, int]]) -> int:
    """How many of ``rows`` hold a value in the total column or any term column."""
    if not rows:
        return 0
    return int(_row_sums(table_matrix(table), rows, total_col, terms)[2].sum())
