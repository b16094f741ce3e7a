"""Helpers shared by the rules of family C (crossfoot).

The rules themselves are one per file beside this one.
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any, Iterator, Sequence

from budgetlint.model import Column, Document, Table
from budgetlint.rule import BulkIdentity, Context, Identity, Msg, Rule, Term


# Column formulas defined by column names (regular expressions on the column's
# leaf label, spaces removed).  ``crossfoot.formulas`` in the configuration
# adds entries of the same shape.
DERIVED_FORMULAS: list[dict[str, Any]] = [
    {
        "name": "年初预算数＋追加预算数＝预算调整数",
        "total": r"^(预算调整数|调整预算数|调整后预算数?|全年预算数|调整后预算)$",
        "plus": [r"^年初预算数?$", r"^(追加预算数?|追加数|调整增减数?|追加调整数?|预算追加数)$"],
        "minus": [],
    },
]


def _tables(doc: Document, ctx: Context) -> Iterator[Table]:
    skip = ctx.option("crossfoot.skip_kinds", ()) or ()
    for t in doc.tables:
        if t.kind.startswith("perf.") or t.kind in skip or not t.rows:
            continue
        yield t


def _short(col: Column) -> str:
    return col.leaf or col.label


def _row_nodes(table: Table, total_col: int):
    """The rows of the side a column belongs to (filler rows left out)."""
    from budgetlint.understand.structure import row_trees

    for tree in row_trees(table):
        if total_col in tree.side.value_cols:
            return tree.nodes
    return []


def _row_identities(
    rule: Rule, table: Table, total_col: int, terms: Sequence[tuple[int, int]], relation: str, zh: str, en: str,
) -> Iterator[BulkIdentity]:
    """``total_col`` (relation) Σ sign·column in every row of its side, as one bulk identity.  ``zh``/``en`` may use ``{row}``."""
    nodes = _row_nodes(table, total_col)
    if nodes:
        yield BulkIdentity.columns(rule, table, [n.row.index for n in nodes], total_col, list(terms),
                                   partial(_cross_identity, rule, table, nodes, total_col, list(terms), relation, zh, en), relation)


def _cross_identity(rule, table: Table, nodes, total_col: int, terms, relation: str, zh: str, en: str, i: int) -> Identity | None:
    """The located identity of the cross-foot of row ``nodes[i]``, built only when it must be explained."""
    node = nodes[i]
    tc = node.row.cells[total_col]
    cells = [(s, node.row.cells[c]) for s, c in terms]
    if tc.percent or any(x.percent for _, x in cells):
        return None
    if relation != "=" and any(x.value is not None and x.value < 0 for x in (tc, *(x for _, x in cells))):
        return None  # a change column: a part of a change may exceed it
    sev = "warning" if relation != "=" and tc.value is None else None
    row = node.display()
    return Identity(
        rule=rule, total=tc, terms=[Term(x, s) for s, x in cells], relation=relation,
        what=Msg(zh.format(row=row), en.format(row=row)), severity=sev,
        key=(rule.code, table.index, node.index, total_col),
    )


def _join(table: Table, terms: Sequence[tuple[int, int]], lang: str) -> str:
    out = ""
    for i, (s, c) in enumerate(terms):
        name = _short(table.columns[c])
        if lang == "en":
            out += ("" if i == 0 and s > 0 else (" − " if s < 0 else " + ")) + f"'{name}'"
        else:
            out += ("" if i == 0 and s > 0 else ("－" if s < 0 else "＋")) + f"「{name}」"
    return out


def _stated(table: Table) -> list[tuple[int, list[tuple[int, int]], str]]:
    """Formulas written in the 栏次 row (``3=1+2``) or in a header label (``合计（3=1+2）``)."""
    by_number = {c.number: c.index for c in table.columns if c.number and c.role == "value"}
    found: dict[int, str] = dict(table.meta.get("column_formulas") or {})
    for c in table.columns:
        for p in c.path:
            m = re.search(r"(\d{1,2})\s*[=＝]\s*(\d{1,2}(?:\s*[+＋\-－−]\s*\d{1,2})+)", p)
            if m and c.index not in found:
                found[c.index] = m.group(2)
                by_number.setdefault(m.group(1), c.index)
    out = []
    for col, expr in found.items():
        if col >= len(table.columns) or table.columns[col].role != "value":
            continue
        terms: list[tuple[int, int]] = []
        ok = True
        for sign, num in re.findall(r"([+＋\-－−]?)\s*(\d{1,2})", expr):
            c = by_number.get(num)
            if c is None or c == col:
                ok = False
                break
            terms.append((-1 if sign in ("-", "－", "−") else 1, c))
        if ok and terms:
            number = table.columns[col].number or "?"
            out.append((col, terms, f"栏次 {number}={expr}"))
    return out


def _named(table: Table, formulas: Sequence[dict[str, Any]]) -> list[tuple[int, list[tuple[int, int]], str]]:
    """Formulas implied by column names, matched within one table side."""
    from budgetlint.understand.structure import is_ratio_column, norm, sides

    out = []
    for side in sides(table):
        cols = [table.columns[c] for c in side.value_cols if not is_ratio_column(table.columns[c])]
        for f in formulas:
            try:
                total = _one(cols, f.get("total", ""), norm)
                plus = [_one(cols, rx, norm) for rx in f.get("plus", ())]
                minus = [_one(cols, rx, norm) for rx in f.get("minus", ())]
            except re.error:
                continue
            if total is None or any(c is None for c in plus + minus) or not plus:
                continue
            terms = [(1, c) for c in plus] + [(-1, c) for c in minus]
            if total in {c for _, c in terms}:
                continue
            out.append((total, terms, str(f.get("name") or "")))
    return out


def _one(cols: Sequence[Column], rx: str, norm) -> int | None:
    """The single column whose leaf matches ``rx`` (None when none or several do)."""
    hits = [c.index for c in cols if re.search(rx, norm(c.leaf))]
    return hits[0] if len(hits) == 1 else None
