"""三公 公务用车运行费 covers the vehicle running money the project write-ups allocate.

**What it does**: in a document whose 项目支出表 has no 公务用车运行维护费
column, adds up the amounts the project write-ups' 资金分配情况 sentences
allocate to 公务用车运行维护费 and checks that the 三公 table's 公务用车运行费 is
at least that sum.  Prose takes the tables' precision ("3 万元" is 3.00 ± 0.005
万元); an approximate amount (约, 左右…) is left out.  A warning: vehicle
categories are often mislabelled in allocation lists.  (Formerly the prose
part of ``X309``, which keeps the check against the project table's column.)

**Why it matters**: 三公经费 must include vehicle running costs paid from
projects too; allocations above it mean the 三公 table or the allocation
lists are wrong.

**Example** (万元)::

    wrong:  表10 公务用车运行费 18.00; 资金分配情况：… 公务用车运行维护费 18 万元 …;
            另一项目：… 公务用车运行维护费 3 万元 …   (21 > 18)
    right:  表10 公务用车运行费 21.00
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from budgetlint.model import Cell, Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.rules.reconcile._common import _eq, vehicle_running
from budgetlint.understand import lookup as tb


class VehicleRunningProse(Rule):
    code = "N610"
    former_codes = ("X309",)  # its prose part
    name = "vehicle-running-prose-allocations"
    severity = "warning"
    summary = Msg("三公公务用车运行费不少于项目说明中分配的公务用车运行维护费", "三公 vehicle running covers the vehicle allocations of the project write-ups")
    title_zh = "正文公务用车运行维护费"
    doc_zh = """
    三公经费表的公务用车运行费不少于项目说明中分配的公务用车运行维护费。

    **作用**：项目支出表没有“公务用车运行维护费”栏时，把项目说明“资金分配情况”中分配给公务用车运行维护费的金额相加，
    检查三公经费表的公务用车运行费不少于这一合计。正文金额按表格精度理解（“3 万元”即 3.00 ± 0.005 万元），
    约数（约、左右…）不计入。车辆类别在分配清单中常被写错，所以只报警告。（原为 ``X309`` 的正文部分，
    ``X309`` 保留与项目支出表该栏的核对。）

    **原因**：项目中安排的车辆运行费超过三公经费表的数额，说明三公经费少报。

    **示例**（万元）：错误：表 10 公务用车运行费 18.00，而两个项目分别安排 18 万元和 3 万元（21 > 18）。
    正确：表 10 公务用车运行费 21.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for v in vehicle_running(doc):
            if v.column is not None:
                continue  # checked against the project table's column (X309)
            n10 = tb.table_name(v.sangong)
            cells, labels = _prose_allocations(doc, v.target)
            if cells:
                yield _eq(self, v.target, cells,
                          f"{n10}公务用车运行费应不小于各项目资金分配情况中的公务用车运行维护费之和（{len(cells)} 处）",
                          f"{n10} vehicle running must be at least the sum of the 公务用车运行维护费 allocations in the project write-ups ({len(cells)})",
                          relation=">=", severity="warning", labels=labels)
            break  # prose belongs to the whole document: one 三公 table only


_VEHICLE_ALLOC = re.compile(r"公务用车运行(?:维护|维修)?费\s*[:：为]?\s*(\d[\d,]*(?:\.\d+)?)\s*(万元|万|元)")


def _prose_allocations(doc: Document, like: Cell) -> tuple[list[Cell], list[str]]:
    """Amounts allocated to 公务用车运行维护费 in 资金分配 sentences, as located cells.

    Prose takes the tables' precision: "3 万元" stands for 3.00 ± 0.005 万元.
    """
    from budgetlint.numbers import is_approximate

    cells: list[Cell] = []
    labels: list[str] = []
    for p in doc.prose:
        text = p.text
        if "资金分配" not in text:
            continue
        for m in _VEHICLE_ALLOC.finditer(text):
            before = text[max(0, m.start() - 2):m.start()] + m.group(0) + text[m.end():m.end() + 2]
            if is_approximate(before):
                continue
            num = m.group(1).replace(",", "")
            value = Decimal(num)
            printed = len(num.split(".", 1)[1]) if "." in num else 0
            unit = "万元" if m.group(2) in ("万", "万元") else "元"
            decimals = max(printed, like.decimals) if unit == like.unit else printed
            cells.append(Cell(raw=m.group(0), loc=p.loc, value=value, decimals=decimals, blank=False, unit=unit))
            labels.append(f"资金分配情况：{m.group(0)}")
    return cells, labels
