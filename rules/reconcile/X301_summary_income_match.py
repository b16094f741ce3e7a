"""收支总表 income lines agree with 收入总表.

**What it does**: compares every income line of the 收支总表 (一般公共预算拨款,
政府性基金预算拨款, 国有资本经营预算拨款, 财政专户管理资金, 单位资金, 上年结转结余 and
its parts, 收入总计) with the same funding source on the 总计 row of the 收入总表.

**Why it matters**: both tables show the same income by source; a
difference means one of them was not updated.

**Example** (万元)::

    wrong:  表1 单位资金 350.00   表2 总计行 单位资金 305.00
    right:  表1 单位资金 350.00   表2 总计行 单位资金 350.00
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _code_table, _eq, _sets, income_total_like


class SummaryIncome(Rule):
    code = "X301"
    name = "summary-income-match"
    severity = "error"
    summary = Msg("收支总表收入项与收入总表一致", "summary income lines match the income table")
    title_zh = "收支总表与收入总表"
    doc_zh = """
    收支总表的收入项与收入总表一致。

    **作用**：把收支总表收入侧各项（一般公共预算、政府性基金、单位资金等）与收入总表总计行的同名栏比较。

    **原因**：同一文件的两张表对同一收入给出不同数字，至少有一张是错的。

    **示例**（万元）：错误：表 1 单位资金 350.00，表 2 总计行单位资金 305.00。正确：两处都是 350.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t1, t2 = s.get("budget.summary"), _code_table(s.get("budget.income"))
            if t1 is None or t2 is None:
                continue
            inc, _ = tb.sides(t1)
            total = tb.total_row(t2)
            col1 = tb.current_column(inc.columns) if inc is not None else None
            if inc is None or total is None or col1 is None:
                continue
            lines = tb.income_lines(inc)
            cols = tb.income_columns(t2.value_columns())
            if "total" not in cols:
                main = tb.main_column(t2)
                if main is not None and income_total_like(main):
                    cols["total"] = main
            n1, n2 = tb.table_name(t1), tb.table_name(t2)
            for key, row in lines.items():
                if key == "current":
                    continue
                c1 = row.cells[col1.index]
                lab = tb.bare(tb.row_label(t1, row, inc.label_col))
                if key == "carry" and key not in cols:
                    parts = [cols[k] for k in ("carry_fiscal", "carry_nonfiscal") if k in cols]
                    if len(parts) == 2:
                        yield _eq(
                            self, c1, [total.cells[c.index] for c in parts],
                            f"{n1}“{lab}”应等于{n2}总计行“财政拨款结转”＋“非财政拨款结转结余”",
                            f"{n1} “{lab}” must equal {n2} total row 财政拨款结转 + 非财政拨款结转结余",
                        )
                    continue
                col2 = cols.get(key)
                if col2 is None:
                    continue
                yield _eq(
                    self, c1, total.cells[col2.index],
                    f"{n1}“{lab}”应等于{n2}总计行“{col2.leaf}”栏",
                    f"{n1} “{lab}” must equal {n2} total row, column {col2.leaf}",
                )
