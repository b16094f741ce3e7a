"""Blocks printed side by side: rows that span two expenditure breakdowns.

A 收支预算总表 often prints expenditure twice, side by side: by function
(功能分类) and by purpose (支出用途).  Both are breakdowns of one total, so the
template merges their total lines into one row: 当年支出小计 or 支出合计 is
printed once, in the first expenditure block's label column, and its amount
once, in the last block's amount column::

    功能科目名称      金额      项目名称         金额
    一、一般公共服务  7,827.46  一、基本支出     5,678.17
    …
    当年支出小计      (merged)  (merged)         10,150.48

Read cell by cell, the first block has a total row without an amount and the
second an amount without a row name: the first looks blank (S105), the second
is never checked.  This step reads such a row as what it is — one row of both
blocks — by letting each block see the other's half.  It applies only between
blocks that are both expenditure breakdowns (their header names 支出 and not
收入): an income and an expenditure side are two lists with their own totals,
and a blank on one of them is a finding, not a merge.

A label pushed into an amount column by the extraction (支出合计 printed under
金额 because the merged cell is centred) is moved back to its block's label
column first, so the row is recognised.

What was joined is recorded in ``table.meta["spanning_rows"]`` and shown by
``budgetlint tables``.
"""

from __future__ import annotations

import re

from ..model import Cell, Table
from ..numbers import parse_number
from .labels import key
from .structure import Side, amount_col, numbering_style, sides

_CODED = re.compile(r"^\d{3}(?:\d{2}){0,2}\b")
_PLACEHOLDERS = frozenset({"-", "—", "－", "--", "/", "／", "*", "…", "0"})


def _header_text(table: Table, side: Side) -> str:
    wanted = {side.label_col, *side.value_cols}
    return "".join("".join(c.path) for c in table.columns if c.index in wanted)


def _is_expenditure_block(table: Table, side: Side) -> bool:
    head = _header_text(table, side)
    return "支出" in head and "收入" not in head


def _filled(cell: Cell) -> bool:
    return bool(cell.raw.strip())


def _blank_cell(like: Cell) -> Cell:
    return Cell("", like.loc, table=like.table, row=like.row, col=like.col, unit=like.unit)


def _move_shifted_labels(table: Table, side: Side) -> None:
    """Rows whose label sits in an amount column of ``side``: move it to the label column."""
    lc = side.label_col
    if lc is None or side.main:
        return
    for row in table.rows:
        cells = row.cells
        if lc >= len(cells) or _filled(cells[lc]):
            continue
        texts = [c for c in side.value_cols if c < len(cells) and _filled(cells[c])]
        if len(texts) != 1:
            continue
        cell = cells[texts[0]]
        t = key(cell.raw)
        if cell.value is not None or t in _PLACEHOLDERS or parse_number(t).value is not None or len(t) < 2:
            continue
        cells[lc] = cell
        cells[texts[0]] = _blank_cell(cell)


def join_spanning_rows(table: Table) -> None:
    """Let expenditure blocks printed side by side share their merged total rows (see module doc)."""
    ss = sides(table)
    if len(ss) < 2:
        return
    joined: list[dict] = []
    for a, b in zip(ss, ss[1:]):
        if not (_is_expenditure_block(table, a) and _is_expenditure_block(table, b)):
            continue
        if a.label_col is None or b.label_col is None:
            continue
        _move_shifted_labels(table, a)
        _move_shifted_labels(table, b)
        target = amount_col(table, a)
        if target is None:
            continue
        for row in table.rows:
            cells = row.cells
            if max(a.label_col, b.label_col, *a.value_cols, *b.value_cols) >= len(cells):
                continue
            if not _filled(cells[a.label_col]) or _filled(cells[b.label_col]):
                continue
            label = cells[a.label_col].raw
            if numbering_style(label) or _CODED.match(key(label)):
                continue  # an item of one breakdown (一、…, 2010101 …) never spans both
            if any(_filled(cells[c]) for c in a.value_cols):
                continue
            amounts = [c for c in b.value_cols if cells[c].value is not None]
            if len(amounts) != 1 or any(_filled(cells[c]) for c in b.value_cols if c != amounts[0]):
                continue
            cells[b.label_col] = cells[a.label_col]
            cells[target] = cells[amounts[0]]
            joined.append({"row": row.index, "label": cells[a.label_col].raw.strip(), "blocks": (a.index, b.index), "value_col": amounts[0]})
    if joined:
        table.meta["spanning_rows"] = joined
        table.meta.pop("_row_trees", None)
        table.meta.pop("_column_sums", None)
