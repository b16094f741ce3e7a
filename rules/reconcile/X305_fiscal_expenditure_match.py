"""财政拨款收支总表 expenditure by source agrees with the source's own table.

**What it does**: on the 支出 side of the 财政拨款收支总表, the 一般公共预算
column must equal the 一般公共预算支出表, the 政府性基金预算 column the
政府性基金预算支出表 and the 国有资本经营预算 column the 国有资本经营预算支出表 —
per 功能分类 code and in 支出总计.  An empty source table stands for zero.

**Why it matters**: each source table details one column of the
财政拨款收支总表; a difference means the detail and the summary disagree.

**Example** (万元)::

    wrong:  表4 220 一般公共预算 13,724.33   表5 220 合计 13,742.33
    right:  表4 220 一般公共预算 13,724.33   表5 220 合计 13,724.33
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from budgetlint.model import Document, Row
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _SOURCES, _amount_column, _by_code, _eq, _sets


class FiscalExpenditure(Rule):
    code = "X305"
    name = "fiscal-expenditure-match"
    severity = "error"
    summary = Msg("财政拨款收支总表支出与分资金来源的支出表一致", "fiscal summary expenditure matches the per-source tables")
    title_zh = "财政拨款支出"
    doc_zh = """
    财政拨款收支总表按资金来源的支出与该来源的支出表一致。

    **作用**：把财政拨款收支总表中一般公共预算、政府性基金等各来源按科目的支出，与该来源自己的支出表比较。

    **原因**：同一来源同一科目的支出在两表中不同，说明某处录错。

    **示例**（万元）：错误：表 4 220 一般公共预算 13,724.33，表 5 220 合计 13,742.33。正确：两处都是 13,724.33。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t4 = s.get("budget.fiscal_summary")
            if t4 is None:
                continue
            _, exp = tb.sides(t4)
            if exp is None:
                continue
            rows4: dict[str, Row] = {}
            total4 = None
            for row, lab in exp.rows():
                if tb.bare(lab) in ("支出总计", "总计") and total4 is None:
                    total4 = row
                    continue
                code, _ = tb.label_code(lab)
                code = code or row.code
                if code and code not in rows4:
                    rows4[code] = row
            n4 = tb.table_name(t4)
            for word, kind in _SOURCES:
                col4 = tb.find_column(exp.columns, word)
                target = s.get(kind)
                if col4 is None or target is None:
                    continue
                tn = tb.table_name(target)
                col = _amount_column(target)
                ttotal = tb.total_row(target)
                if tb.is_empty(target) or col is None or ttotal is None:
                    if total4 is not None and tb.nonzero(total4.cells[col4.index]):
                        cell = total4.cells[col4.index]
                        yield ctx.finding(
                            self, doc, cell,
                            Msg("{t4}支出总计“{col}”为 {amount}，但{t}为空表", "{t4} total expenditure “{col}” is {amount} but {t} is empty"),
                            expected=Decimal(0), actual=cell.value, t4=n4, col=col4.leaf, amount=cell.value, t=tn,
                        )
                    continue
                yield from _by_code(self, doc, ctx, t4, rows4, col4, exp.label_col, target, tb.code_rows(target), col,
                                    "等于", "equal")
                if total4 is not None:
                    yield _eq(self, total4.cells[col4.index], ttotal.cells[col.index],
                              f"{n4}支出总计“{col4.leaf}”应等于{tn}总计", f"{n4} total expenditure “{col4.leaf}” must equal {tn} total")
