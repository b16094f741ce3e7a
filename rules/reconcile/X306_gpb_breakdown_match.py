"""一般公共预算支出表 基本支出 / 项目支出 agree with their detail tables.

**What it does**: the 基本支出 of the 一般公共预算支出表 总计 must equal the
合计 of the 一般公共预算基本支出表, and its 项目支出 the 合计 of the 项目支出表;
per 功能分类 类, 项目支出 must equal the sum of that 类's rows in the 项目支出表
(one per unit block).

**Why it matters**: the detail tables split the same money by economic
classification and by project; their totals must be the summary's.

**Example** (万元)::

    wrong:  表5 总计 基本支出 12,659.61   表6 总计 合计 12,695.61
    right:  表5 总计 基本支出 12,659.61   表6 总计 合计 12,659.61
"""

from __future__ import annotations

from typing import Iterable, Iterator

from budgetlint.model import Column, Document, Table
from budgetlint.rule import Context, Identity, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _amount_column, _class_rows_by_unit, _code_table, _eq, _rl, _sets


class GpbBreakdown(Rule):
    code = "X306"
    name = "gpb-breakdown-match"
    severity = "error"
    summary = Msg("一般公共预算支出表与基本支出表、项目支出表一致", "general budget expenditure matches its basic and project tables")
    title_zh = "一般公共预算支出构成"
    doc_zh = """
    一般公共预算支出表的基本支出、项目支出与其明细表一致。

    **作用**：把一般公共预算支出表总计行的基本支出与基本支出表的总计、项目支出与项目支出表的合计比较。

    **原因**：汇总表与明细表不一致，说明明细表或汇总表有一处录错。

    **示例**（万元）：错误：表 5 总计基本支出 12,659.61，表 6 总计合计 12,695.61。正确：两处都是 12,659.61。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for s in _sets(doc):
            t5 = _code_table(s.get("budget.gpb_expenditure"))
            if t5 is None:
                continue
            total5 = tb.total_row(t5)
            n5 = tb.table_name(t5)
            for word, kind in (("基本支出", "budget.gpb_basic"), ("项目支出", "budget.gpb_project")):
                col5 = tb.find_column(t5.value_columns(), word)
                other = s.get(kind)
                if col5 is None or other is None:
                    continue
                col = _amount_column(other)
                if col is None:
                    continue
                on = tb.table_name(other)
                ototal = tb.total_row(other)
                if total5 is not None and ototal is not None:
                    yield _eq(self, total5.cells[col5.index], ototal.cells[col.index],
                              f"{n5}总计“{word}”应等于{on}总计", f"{n5} total “{word}” must equal {on} total")
                if kind == "budget.gpb_project" and tb.has_codes(other):
                    yield from self._per_class(t5, col5, other, col)

    def _per_class(self, t5: Table, col5: Column, t7: Table, col7: Column) -> Iterator[Identity]:
        blocks = _class_rows_by_unit(t7, col7)
        n5, n7 = tb.table_name(t5), tb.table_name(t7)
        for code, row in tb.code_rows(t5).items():
            if len(code) != 3 or code not in blocks:
                continue
            yield _eq(self, row.cells[col5.index], blocks[code],
                      f"{n5}“{_rl(t5, row)}”项目支出应等于{n7}各单位该类之和",
                      f"{n5} “{_rl(t5, row)}” project expenditure must equal the sum of that class over the units of {n7}")
