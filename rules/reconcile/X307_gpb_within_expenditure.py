"""一般公共预算 spending per code does not exceed the whole 支出总表.

**What it does**: the 一般公共预算支出表 is one funding source of the
支出总表, so for every 功能分类 code, and in 合计, 基本支出 and 项目支出 alike,
its amount must be at most the 支出总表's amount for that code.

**Why it matters**: a part larger than its whole means a code was
mistyped or an amount moved to the wrong line.

**Example** (万元)::

    wrong:  表5 2200199 项目支出 4,780.00   表3 2200199 项目支出 4,708.00
    right:  表5 2200199 项目支出 4,780.00   表3 2200199 项目支出 5,129.00
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _by_code, _code_table, _eq, _sets


class GpbWithinExpenditure(Rule):
    code = "X307"
    name = "gpb-within-expenditure"
    severity = "error"
    summary = Msg("一般公共预算支出不超过支出总表同一科目", "general budget spending per code is at most the expenditure table's")
    title_zh = "一般公共预算不超过总支出"
    doc_zh = """
    一般公共预算支出按科目不超过支出总表同一科目。

    **作用**：逐个科目检查一般公共预算支出表的金额不大于支出总表中同一科目的金额（一般公共预算只是全部支出的一部分）。

    **原因**：部分大于整体，说明某张表中该科目金额录错。

    **示例**（万元）：错误：表 5 2200199 项目支出 4,780.00，表 3 2200199 项目支出 4,708.00。正确：表 3 为 5,129.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t5, t3 = _code_table(s.get("budget.gpb_expenditure")), _code_table(s.get("budget.expenditure"))
            if t5 is None or t3 is None:
                continue
            rows5, rows3 = tb.code_rows(t5), tb.code_rows(t3)
            total5, total3 = tb.total_row(t5), tb.total_row(t3)
            n5, n3 = tb.table_name(t5), tb.table_name(t3)
            first = True
            for c5 in t5.value_columns():
                c3 = next((c for c in t3.value_columns() if tb.leaf(c) == tb.leaf(c5)), None)
                if c3 is None:
                    continue
                yield from _by_code(self, doc, ctx, t5, rows5, c5, None, t3, rows3, c3, "不大于", "be at most",
                                    relation="<=", report_missing_b=first, report_missing_a=False)
                first = False
                if total5 is not None and total3 is not None:
                    yield _eq(self, total5.cells[c5.index], total3.cells[c3.index],
                              f"{n5}总计“{c5.leaf}”应不大于{n3}总计", f"{n5} total “{c5.leaf}” must be at most {n3} total",
                              relation="<=")
