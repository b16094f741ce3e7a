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
from decimal import ROUND_HALF_UP, Decimal
from typing import Sequence


from .model import MONEY_FACTORS, Cell

SCALE_DIGITS = 4
_SCALE = 10**SCALE_DIGITS


def unit_factor(unit: str | None) -> int:
    return MONEY_FACTORS.get(unit or "", 1)


_TWICE_SCALE = Decimal(2 * _SCALE)


def doubled(value: Decimal, unit: str | None) -> int:
    """Twice the value in 10⁻⁴ of the base unit, as an exact integer."""
    scaled = value * _TWICE_SCALE  # exact for any printed amount (far below 28 significant digits)
    whole = int(scaled)
    if scaled == whole:
        return whole * unit_factor(unit)
    return int((value * unit_factor(unit) * _TWICE_SCALE).to_integral_value())


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
    ok = holds(t - s, slack, np.asarray(relations))
    return [Judgement(bool(o), int(a), int(b), int(c)) for o, a, b, c in zip(ok, t, s, slack)]


def holds(diff, slack, relations):
    """The interval rule: ``total − Σ`` (``diff``) against the summed half-units (``slack``), per relation.

    Works on integers (``relations`` a string) and on numpy arrays
    (``relations`` a string or an array of them): ``"="`` both ways, ``">="``
    the total not below the sum, ``"<="`` not above it.
    """
    below_ok, above_ok = -diff <= slack, diff <= slack
    if isinstance(relations, str):
        return (below_ok & above_ok) if relations == "=" else (below_ok if relations == ">=" else above_ok)
    import numpy as np

    return np.where(relations == "=", below_ok & above_ok, np.where(relations == ">=", below_ok, above_ok))


def bulk_sums(m: "TableMatrix", total_rows, total_cols, term_inst, term_rows, term_cols, term_signs, n: int):
    """(total, Σ sign·term, slack, has a value) per instance, in the doubled integer scale.

    Instance ``i``'s total is cell ``(total_rows[i], total_cols[i])``; its terms
    are the entries ``k`` with ``term_inst[k] == i`` (sorted by instance).
    """
    import numpy as np

    tr, tc = np.asarray(total_rows, dtype=np.intp), np.asarray(total_cols, dtype=np.intp)
    total = m.q2[tr, tc]
    slack = m.s2[tr, tc].copy()
    filled = ~m.blank[tr, tc]
    sums = np.zeros(n, dtype=np.int64)
    if len(term_inst):
        inst = np.asarray(term_inst, dtype=np.intp)
        rr, cc = np.asarray(term_rows, dtype=np.intp), np.asarray(term_cols, dtype=np.intp)
        starts = np.flatnonzero(np.r_[True, inst[1:] != inst[:-1]])
        owners = inst[starts]
        sums[owners] = np.add.reduceat(m.q2[rr, cc] * np.asarray(term_signs, dtype=np.int64), starts)
        slack[owners] += np.add.reduceat(m.s2[rr, cc], starts)
        filled[owners] |= np.logical_or.reduceat(~m.blank[rr, cc], starts)
    return total, sums, slack, filled


@dataclass(slots=True)
class RatioJudgement:
    """The outcome of a ratio: whether it holds, whether it is defined (a positive denominator),
    and the ratio the cells give (for the message, at the printed ratio's precision)."""

    ok: bool
    defined: bool
    expected: Decimal
    actual: Decimal


def _sum2(cells: Sequence[tuple[int, Cell]], magnitudes: bool) -> tuple[int, int]:
    q = s = 0
    for sign, cell in cells:
        v, h = cell_doubled(cell)
        q += sign * (abs(v) if magnitudes else v)
        s += h
    return q, s


def judge_ratio(ratio: Cell, numerator: Sequence[tuple[int, Cell]], denominator: Sequence[tuple[int, Cell]],
                scale: Decimal = Decimal(100), magnitudes: bool = False) -> RatioJudgement:
    """Does the printed ``ratio`` meet ``scale · Σ numerator ÷ Σ denominator`` within their rounding?

    Each cell stands for its interval; the quotient of the numerator's
    interval (not below zero) by the denominator's is compared with the
    ratio's interval, in exact integers.  Undefined (not ok) when the
    denominator's interval reaches zero.
    """
    n2, ns2 = _sum2(numerator, magnitudes)
    d2, ds2 = _sum2(denominator, magnitudes)
    y2, ys2 = cell_doubled(ratio)
    if magnitudes:
        y2 = abs(y2)
    actual = ratio.value if ratio.value is not None else Decimal(0)  # as printed (its decimals kept for the message)
    actual = abs(actual) if magnitudes else actual
    if d2 - ds2 <= 0:
        return RatioJudgement(False, False, Decimal(0), actual)
    k = int(scale * 2 * _SCALE) * unit_factor(ratio.unit)  # the ratio's doubled scale
    lo_num, hi_num = max(0, n2 - ns2) * k, (n2 + ns2) * k
    # lo = lo_num / (d2 + ds2) <= y2 + ys2  and  hi = hi_num / (d2 - ds2) >= y2 - ys2, cross-multiplied
    ok = lo_num <= (y2 + ys2) * (d2 + ds2) and hi_num >= (y2 - ys2) * (d2 - ds2)
    places = Decimal(1).scaleb(-max(ratio.decimals, 0))
    expected = (Decimal(n2) * scale / Decimal(d2)).quantize(places, rounding=ROUND_HALF_UP)
    return RatioJudgement(ok, True, expected, actual)


def sum_holds(total: Cell | None, cells: Sequence[Cell], constant: Decimal | None = None, relation: str = "=") -> bool:
    """Whether one identity holds with the interval rule: ``total`` (or ``constant``) (relation) Σ ``cells``.

    For rules that decide something from an identity (which statement is the
    whole of a list, whether shares are complete) rather than report it.
    """
    s2 = sl2 = 0
    for c in cells:
        v, h = cell_doubled(c)
        s2 += v
        sl2 += h
    if total is not None:
        t2, ts2 = cell_doubled(total)
    else:
        t2, ts2 = doubled(constant or Decimal(0), cells[0].unit if cells else None), 0
    return bool(holds(t2 - s2, ts2 + sl2, relation))


def forced_hundred(shares: Sequence[Cell], expected: Sequence[Decimal], ok: Sequence[bool]) -> list[int]:
    """Which shares of one structure were nudged by a last digit so that the printed shares total exactly 100.

    ``expected`` are the shares the amounts give (rounded to the printed
    digits), ``ok`` whether each printed share holds within rounding.  Shares
    off by more than one last digit are real errors (counted at their correct
    value).  When the printed shares add up to 100 while the correct ones do
    not, the shares off by one last digit in the direction that closes the gap
    (no more of them than the gap has digits) are rounding (domain §3).
    """
    hundred = Decimal(100)
    dec = max(s.decimals for s in shares)
    unit = Decimal(1).scaleb(-dec)
    values = [s.value or Decimal(0) for s in shares]
    small = [k for k in range(len(shares)) if not ok[k] and abs(values[k] - expected[k]) == unit]
    printed = sum((values[k] if (ok[k] or k in small) else expected[k] for k in range(len(shares))), Decimal(0))
    correct = sum(expected, Decimal(0))
    if printed != hundred or correct == hundred or not small:
        return []
    if len(small) <= abs(correct - hundred) / unit and all((values[k] - expected[k]) * (correct - hundred) < 0 for k in small):
        return small
    return []


def agree(a: Decimal, b: Decimal, tolerance: Decimal) -> bool:
    """Two amounts (say, two corrections of one cell asked by two sums) are the same within ``tolerance``."""
    return abs(a - b) <= tolerance


def within_multiple(expected: Decimal, actual: Decimal, tolerance: Decimal, k: Decimal) -> bool:
    """Whether ``expected`` is ``k`` times ``actual`` within ``k`` times the tolerance of one (a sum counted k times)."""
    return abs(expected - k * actual) <= k * tolerance


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


# --------------------------------------------------------------------------- tables as arrays
#
# Large tables hold tens of thousands of identities, almost all of which hold.
# The engine judges the bulk identities of a table (a total row or column
# against its terms over the whole table) as numpy arrays over the table's
# matrix, with exactly the interval rule above (:func:`bulk_sums`,
# :func:`holds`), and explains only those it must report.  Understanding
# judges its candidate structures the same way (:func:`failing_rows`,
# :func:`failing_columns`, :func:`failing_mask`).


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
    q_add, s_add, b_add, p_add, e_add = q.append, s.append, b.append, p.append, e.append
    cache = _DOUBLED_CACHE
    width = len(table.columns)
    for row in table.rows:
        cells = row.cells
        if len(cells) != width:  # never expected; keep the array rectangular anyway
            from .model import Cell as _Cell

            cells = (list(cells) + [_Cell("", cells[0].loc if cells else None)] * width)[:width]
        for cell in cells:
            v = cell.value
            if v is None:  # no value: nothing to add and no slack (most cells of most tables)
                q_add(0)
                s_add(0)
                b_add(True)
            else:
                hit = cache.get((v, cell.decimals, cell.unit, cell.exact))
                if hit is None:
                    hit = cell_doubled(cell)
                q_add(hit[0])
                s_add(hit[1])
                b_add(False)
            p_add(cell.percent)
            e_add(cell.blank)
    shape = (len(table.rows), len(table.columns))
    m = TableMatrix(
        np.array(q, dtype=np.int64).reshape(shape), np.array(s, dtype=np.int64).reshape(shape),
        np.array(b, dtype=bool).reshape(shape), np.array(p, dtype=bool).reshape(shape),
        np.array(e, dtype=bool).reshape(shape),
    )
    table.meta["_matrix"] = m
    return m


def _needs(diff: np.ndarray, slack: np.ndarray, relation: str, show_rounding: bool) -> np.ndarray:
    bad = ~holds(diff, slack, relation)
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
