"""收支总表 expenditure by 类 agrees with 支出总表.

**What it does**: each 功能分类 类 line on the 支出 side of the 收支总表 must
equal the 合计 of the same 类 in the 支出总表, and 支出总计 must equal the
支出总表's 总计.  Lines are matched by code (``208``), or by the exact 类
name where the 收支总表 prints no codes.

**Why it matters**: the 收支总表 summarises the 支出总表; a 类 that differs
was changed in one table only.

**Example** (万元)::

    wrong:  表1 220 自然资源海洋气象等支出 14,083.33   表3 220 合计 13,724.33
    right:  表1 220 自然资源海洋气象等支出 14,083.33   表3 220 合计 14,083.33
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document, Row
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _amount_column, _by_code, _code_table, _eq, _sets


class SummaryExpenditure(Rule):
    code = "X302"
    name = "summary-expenditure-match"
    severity = "error"
    summary = Msg("收支总表支出按类与支出总表一致", "summary expenditure by class matches the expenditure table")
    title_zh = "收支总表与支出总表"
    doc_zh = """
    收支总表按类列示的支出与支出总表一致。

    **作用**：把收支总表支出侧按功能分类类级列示的金额与支出总表同一科目的合计比较。

    **原因**：两表按科目的支出不一致，说明某张表的科目金额录错或漏更新。

    **示例**（万元）：错误：表 1 220 自然资源海洋气象等支出 14,083.33，表 3 220 合计 13,724.33。正确：两处都是 14,083.33。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t1, t3 = s.get("budget.summary"), _code_table(s.get("budget.expenditure"))
            if t1 is None or t3 is None:
                continue
            _, exp = tb.sides(t1)
            col3 = _amount_column(t3)
            col1 = tb.current_column(exp.columns, t3.value_columns()) if exp is not None else None
            if exp is None or col1 is None or col3 is None:
                continue
            n1, n3 = tb.table_name(t1), tb.table_name(t3)
            classes3 = {c: r for c, r in tb.code_rows(t3).items() if len(c) == 3}
            names3 = {tb.norm(r.label): r for r in classes3.values()}
            rows1: dict[str, Row] = {}
            total1 = year1 = None
            for row, lab in exp.rows():
                b = tb.bare(lab)
                if b in ("本年支出合计", "本年支出小计") and year1 is None:
                    year1 = row  # 支出总计 adds 年末结转结余, which the 支出总表 does not hold
                    continue
                if b in ("支出总计", "总计") and total1 is None:
                    total1 = row
                    continue
                code, name = tb.label_code(lab)
                code = code or row.code
                if code is None and tb.bare(name) in names3:
                    code = names3[tb.bare(name)].code
                if code and len(code) == 3 and code not in rows1:
                    rows1[code] = row
            yield from _by_code(
                self, doc, ctx, t1, rows1, col1, exp.label_col, t3, classes3, col3, "等于", "equal",
                report_missing_a=bool(rows1),
            )
            total3 = tb.total_row(t3)
            if year1 is not None and total3 is not None:
                yield _eq(
                    self, year1.cells[col1.index], total3.cells[col3.index],
                    f"{n1}本年支出合计应等于{n3}总计（{col3.leaf}栏）", f"{n1} expenditure of the year must equal {n3} total ({col3.leaf})",
                )
            elif total1 is not None and total3 is not None:
                yield _eq(
                    self, total1.cells[col1.index], total3.cells[col3.index],
                    f"{n1}支出总计应等于{n3}总计（{col3.leaf}栏）", f"{n1} total expenditure must equal {n3} total ({col3.leaf})",
                )
