"""收入总表 and 支出总表 agree code by code.

**What it does**: for every 功能分类 code (类, 款 and 项) the 总计 of the
收入总表 must equal the 合计 of the 支出总表, and the two 总计 rows must agree.

**Why it matters**: income and expenditure are the same money seen by
source and by use; per code they must match.

**Example** (万元)::

    wrong:  表2 2200101 行政运行 总计 8,954.33   表3 2200101 合计 8,944.33
    right:  表2 2200101 行政运行 总计 8,954.33   表3 2200101 合计 8,954.33
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _amount_column, _by_code, _code_table, _eq, _final_accounts, _sets


class IncomeExpenditure(Rule):
    code = "X303"
    name = "income-expenditure-match"
    severity = "error"
    summary = Msg("收入总表与支出总表按科目一致", "income and expenditure tables agree by code")
    title_zh = "收入总表与支出总表"
    doc_zh = """
    收入总表与支出总表按科目一致。

    **作用**：对每个功能分类科目（类、款、项），收入总表的总计须等于支出总表的合计，两表的总计行也须一致。

    **原因**：按科目收支不一致，说明某个科目的金额在一张表中录错。

    **示例**（万元）：错误：表 2 2200101 行政运行 总计 8,954.33，表 3 2200101 合计 8,944.33。正确：两处都是 8,954.33。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t2, t3 = _code_table(s.get("budget.income")), _code_table(s.get("budget.expenditure"))
            if t2 is None or t3 is None or _final_accounts(t2) or _final_accounts(t3):
                continue  # in final accounts a code's income and spending differ by its balance
            c2, c3 = _amount_column(t2), _amount_column(t3)
            if c2 is None or c3 is None:
                continue
            yield from _by_code(self, doc, ctx, t2, tb.code_rows(t2), c2, None, t3, tb.code_rows(t3), c3, "等于", "equal")
            r2, r3 = tb.total_row(t2), tb.total_row(t3)
            if r2 is not None and r3 is not None:
                n2, n3 = tb.table_name(t2), tb.table_name(t3)
                yield _eq(self, r2.cells[c2.index], r3.cells[c3.index],
                          f"{n2}总计应等于{n3}总计", f"{n2} total must equal {n3} total")
