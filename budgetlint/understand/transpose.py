"""Transposed tables: one row per year, one column per line item.

A data export or a multi-year comparison turns a table on its side: the first
column holds years or dates (2017, 2018, 2019 or 2017-01-01…) and the columns
are the line items (财政拨款, 收入合计, 基本支出, 支出合计…).  Such a table is
understood by turning it back: every line item becomes a row (its header cell
is its label) and every year a period column, so the ordinary row structure
(total rows, codes, numbered items) applies.

Structure is a hypothesis the numbers confirm: an export may list its columns
in any order, so the row structure read from that order is kept only when its
totals hold in most periods.  Otherwise the table is set aside as not
understood — one warning that names it, and no arithmetic findings.
"""

from __future__ import annotations

import re

from ..model import Cell, Table
from ..numbers import parse_number
from .labels import key

_PERIOD = re.compile(
    r"(?:19|20)\d{2}(?:年度?|年(?:预算|决算)数?)?"  # 2017, 2017年, 2017年度
    r"|(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2}\s*日?|月)?"  # 2017-01-01, 2017/1, 2017年1月
)


def is_period(text: str) -> bool:
    return bool(_PERIOD.fullmatch(key(text).replace(" ", "")))


def transposed_grid(header: list[list[Cell]], body: list[list[Cell]], paths: list[tuple[str, ...]], roles: list[str]) -> list[list[Cell]] | None:
    """The grid turned back (line items as rows, periods as columns), or None when the table is not transposed.

    Transposed: the first column's body cells are all periods (at least two,
    all different), every other column is an amount column with a header label,
    and there are at least two of them.
    """
    if len(body) < 2 or not header or len(roles) < 3:
        return None
    periods = [r[0] for r in body]
    texts = [key(c.raw) for c in periods]
    if not all(t and is_period(t) for t in texts) or len(set(texts)) != len(texts):
        return None
    items = list(range(1, len(roles)))
    if roles[0] != "label" or any(roles[c] != "value" or not paths[c] for c in items):
        return None
    if not all(parse_number(r[c].raw).value is not None or parse_number(r[c].raw).blank for r in body for c in items):
        return None
    corner = header[-1][0]
    grid = [[corner] + periods]
    for c in items:
        src = next((h[c] for h in reversed(header) if c < len(h) and h[c].raw.strip()), header[-1][c])
        label = Cell(raw=" ".join(paths[c]) if len(paths[c]) > 1 else paths[c][0], loc=src.loc)
        grid.append([label] + [r[c] for r in body])
    return grid


def _column_votes(table: Table) -> tuple[int, int]:
    """(checks, failures) of the header's column identities over the table's rows."""
    from ..rounding import failing_rows
    from .structure import column_sums

    rows = [r.index for r in table.rows]
    checks = fails = 0
    for cs in column_sums(table, vote=False):  # the header's own reading, before any vote
        if cs.relation != "=":
            continue
        checks += len(rows)
        fails += len(failing_rows(table, rows, cs.total, list(cs.terms), "="))
    return checks, fails


def _confirmed_totals(table: Table) -> int:
    from .structure import row_trees

    return sum(1 for tree in row_trees(table) for n in tree.totals if n.covers)


def choose_orientation(as_printed, turned_back) -> Table:
    """The reading the numbers confirm.

    As printed, when its column identities (合计 = Σ the columns under it) hold on
    most rows; turned back, when they fail, or when there are none and the turned
    table has totals that hold; a turned table whose totals fail is set aside
    (:func:`confirm`).  The builder called last owns the cells, so the chosen
    reading is built last.
    """
    table = as_printed()
    checks, fails = _column_votes(table)
    if checks and 2 * fails <= checks:
        return table
    turned = turned_back()
    turned.meta["transposed"] = True
    if not checks and (confirm(turned, set_aside=False) is not None or not _confirmed_totals(turned)):
        return as_printed()
    confirm(turned)
    return turned


def confirm(table: Table, set_aside: bool = True) -> str | None:
    """None when the row structure holds in most periods, else what failed (and the table is set aside)."""
    from ..rounding import failing_columns
    from .structure import row_trees

    cols = [c.index for c in table.columns if c.role == "value"]
    failed = None
    for tree in row_trees(table):
        for node in tree.totals:
            if not node.covers:
                continue
            bad = failing_columns(table, node.row.index, [n.row.index for n in node.covers], cols, "=")
            if 2 * len(bad) > len(cols):
                failed = f"「{node.label}」≠ " + " + ".join(f"「{n.label}」" for n in node.covers)
                break
        if failed:
            break
    if failed is None or not set_aside:
        return failed
    for col in table.columns:
        if col.role == "value":
            col.role = "text"
    table.meta.pop("_row_trees", None)
    table.meta.pop("_matrix", None)
    table.meta.pop("_column_sums", None)
    table.meta.pop("column_vote", None)
    table.meta["not_understood"] = (
        f"表格「{table.title or table.number or '未命名'}」按年份排列（每行一个年度），转置后各列的次序"
        f"不构成可验证的合计关系（{failed}），未作核对"
    )
    return failed
