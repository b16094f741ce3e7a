"""部门整体绩效目标表年度主要任务：各任务预算金额之和等于金额合计，每项任务总额 = 财政拨款 + 其他资金。

**What it does** — in the 年度主要任务 block of a 部门（单位）整体绩效目标表
(任务名称 | 主要内容 | 预算金额: 总额 | 财政拨款 | 其他资金, closed by 金额合计)
checks, with the rounding rule, that the tasks' amounts add up to the 金额合计
in every amount column, and that on every line 总额 = 财政拨款 + 其他资金.

**Why it matters** — the tasks are how the department's whole budget is
spent; a 合计 that its lines do not reach, or a line whose sources do not
make its total, has a typo in one of its cells.

**Example** — wrong: 土地执法监察 120.00 + 不动产登记 80.00, 金额合计 210.00.
Right: 金额合计 200.00.
"""

from __future__ import annotations

from typing import Iterator

from budgetlint.model import Document
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded
from budgetlint.understand.perf import perf_view

_COLUMNS = {"total": ("总额", "total"), "fiscal": ("财政拨款", "fiscal funds"), "other": ("其他资金", "other funds")}


class TaskAmounts(Rule):
    code = "P413"
    name = "task-amounts"
    severity = "error"
    summary = Msg("年度主要任务的预算金额不平衡", "annual tasks' amounts do not add up")
    title_zh = "年度主要任务金额"
    doc_zh = """
    部门整体绩效目标表年度主要任务：各任务预算金额之和等于金额合计，每项任务总额 = 财政拨款 + 其他资金。

    **作用**：在部门（单位）整体绩效目标表的年度主要任务块（任务名称 | 主要内容 | 预算金额：总额 | 财政拨款 | 其他资金，
    以金额合计结束）中，按舍入规则检查各任务金额之和在每一金额栏都等于金额合计，以及每一行总额 = 财政拨款 + 其他资金。

    **原因**：年度主要任务说明部门全部预算用在哪里；合计与各行之和不符，或一行的资金来源凑不成总额，说明有单元格填错。

    **示例**：错误：土地执法监察 120.00 + 不动产登记 80.00，金额合计 210.00。正确：金额合计 200.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            total = pt.tasks_total
            if total is not None and pt.tasks:
                for key, (zh, en) in _COLUMNS.items():
                    cell = total.amounts.get(key)
                    terms = [Term(t.amounts[key], label=t.name) for t in pt.tasks if key in t.amounts]
                    if cell is None or len(terms) != len(pt.tasks):
                        continue  # a line without this amount: the column is not filled in
                    yield Identity(rule=self, total=cell, terms=terms,
                                   what=Msg(f"{total.name}（{zh}）应等于各项任务之和", f"{total.name} ({en}) = sum of the tasks"))
            for task in pt.tasks + ([total] if total is not None else []):
                a = task.amounts
                if {"total", "fiscal", "other"} <= a.keys():
                    yield Identity(rule=self, total=a["total"], terms=[Term(a["fiscal"], label="财政拨款"), Term(a["other"], label="其他资金")],
                                   what=Msg(f"「{task.name}」总额应等于财政拨款与其他资金之和", f"{task.name!r}: total = fiscal + other funds"))
