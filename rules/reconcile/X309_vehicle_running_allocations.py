"""三公 公务用车运行费 covers the project table's 公务用车运行维护费.

**What it does**: where the 项目支出表 has a 公务用车运行维护费 column, checks
that the 三公 table's 公务用车运行费 is at least that column's total.  A
warning: vehicle categories are often mislabelled in project tables.  (The
same check against the amounts of the project write-ups' 资金分配情况
sentences, for documents without such a column, is ``N610``.)

**Why it matters**: 三公经费 must include vehicle running costs paid from
projects too; project money above it means the 三公 table or the project
table is wrong.

**Example** (万元)::

    wrong:  表10 公务用车运行费 18.00; 表7 公务用车运行维护费 总计 21.00   (21 > 18)
    right:  表10 公务用车运行费 21.00
"""
from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _eq, vehicle_running


class VehicleRunningAllocations(Rule):
    code = "X309"
    name = "vehicle-running-allocations"
    severity = "warning"
    summary = Msg("三公公务用车运行费不少于项目中的公务用车运行维护费", "三公 vehicle running covers project vehicle allocations")
    title_zh = "公务用车运行费"
    doc_zh = """
    三公经费表的公务用车运行费不少于项目支出表中的公务用车运行维护费。

    **作用**：项目支出表有“公务用车运行维护费”栏时，检查三公经费表的公务用车运行费不少于该栏总计。
    车辆类别在项目表中常被写错，所以只报警告。（与项目说明“资金分配情况”中金额的同类核对，用于没有该栏的文件，是 ``N610``。）

    **原因**：项目中安排的车辆运行费超过三公经费表的数额，说明三公经费少报。

    **示例**（万元）：错误：表 10 公务用车运行费 18.00，表 7 公务用车运行维护费总计 21.00（21 > 18）。
    正确：表 10 公务用车运行费 21.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for v in vehicle_running(doc):
            if v.column is not None:
                total7 = tb.total_row(v.projects)
                if total7 is None:
                    continue
                yield _eq(self, v.target, total7.cells[v.column.index],
                          f"{tb.table_name(v.sangong)}公务用车运行费应不小于{tb.table_name(v.projects)}“{v.column.leaf}”总计",
                          f"{tb.table_name(v.sangong)} vehicle running must be at least the {v.column.leaf} total of {tb.table_name(v.projects)}",
                          relation=">=", severity="warning")
                continue
            break  # allocations written in prose (no such column): N610
