"""绩效自评表预算执行：执行率 = 全年执行数 ÷ 全年预算数，资金总额 = 各来源之和。

**What it does** — in the funds block of a 项目支出绩效自评表 (项目资金 |
年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分) checks that the
printed 执行率 is 全年执行数 ÷ 全年预算数 (to the digits printed), and that in
each amount column 年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金 (when the
sources listed are complete: fiscal money and 其他资金 both present).
That the execution points do not exceed their 分值 and are counted in the
总分 is checked with the rest of the scoring tree (P402).

**Why it matters** — the execution rate carries 10 of the 100 points; a
rate typed by hand that does not follow from the amounts changes the score
and the grade, and a funds total that does not add up has a typo in one of
its cells.

**Example** — wrong: 全年预算数 120.00, 全年执行数 108.00, 执行率 85.00%.
Right: 执行率 90.00%.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from budgetlint.model import Document
from budgetlint.rule import Context, Identity, Msg, Ratio, Rule, Term, Yielded
from budgetlint.understand.perf import perf_view

_AMOUNTS = (("initial", "年初预算数", "initial budget"), ("budget", "全年预算数", "full-year budget"), ("executed", "全年执行数", "full-year spending"))


class ExecutionRate(Rule):
    code = "P411"
    name = "execution-rate"
    severity = "error"
    summary = Msg("绩效自评表执行率或资金来源不一致", "self-evaluation execution rate or funds do not add up")
    title_zh = "预算执行率"
    doc_zh = """
    绩效自评表预算执行：执行率 = 全年执行数 ÷ 全年预算数，资金总额 = 各来源之和。

    **作用**：在项目支出绩效自评表的资金块（项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分）中，
    检查所填执行率等于全年执行数 ÷ 全年预算数（按所印位数），以及每一金额栏的年度资金总额等于当年财政拨款、
    上年结转资金与其他资金之和。执行率得分不超过分值、计入总分，随评分树一并检查（P402）。

    **原因**：预算执行率占 100 分中的 10 分；手填的执行率与金额不符会改变得分和等级，资金总额不等于各来源之和说明有单元格填错。

    **示例**：错误：全年预算数 120.00，全年执行数 108.00，执行率 85.00%。正确：执行率 90.00%。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for tree in perf_view(doc).scoring:
            ex = tree.execution
            if ex is None:
                continue
            labels = [label for label, _ in ex.parts]
            # only a complete list of sources adds up to the total: fiscal money and 其他资金 both listed
            complete = any(re.search(r"财政|拨款", x) for x in labels) and any(x.startswith(("其他", "其它")) for x in labels)
            for key, zh, en in _AMOUNTS if complete else ():
                total = ex.cell(ex.total, key)
                parts = [(label, ex.cell(cells, key)) for label, cells in ex.parts]
                parts = [(label, c) for label, c in parts if c is not None and c.value is not None]
                if total is None or total.value is None or not parts:
                    continue
                yield Identity(
                    rule=self, total=total, terms=[Term(c, label=label) for label, c in parts],
                    what=Msg(f"{tree.about('zh')}{ex.total_label or '年度资金总额'}（{zh}）应等于各资金来源之和",
                             f"{tree.about('en')}{ex.total_label or 'funds total'} ({en}) = sum of its sources"),
                )
            rate, budget, spent = (ex.cell(ex.total, k) for k in ("rate", "budget", "executed"))
            if rate is None or budget is None or spent is None:
                continue
            if rate.value is None or budget.value is None or spent.value is None or budget.value == 0:
                continue
            how = f"{spent.raw.strip()} ÷ {budget.raw.strip()}"
            # a rate printed as a fraction (0.9) rather than a percentage (90%)
            scale = Decimal(100) if rate.percent or rate.value > Decimal("1.5") else Decimal(1)
            yield Ratio(
                rule=self, ratio=rate, numerator=[Term(spent, label="全年执行数")], denominator=[Term(budget, label="全年预算数")],
                terms=[Term(spent, label="全年执行数"), Term(budget, label="全年预算数"), Term(rate, label="执行率")],
                scale=scale, anchor=rate,
                extra={"f": how, "pct": "%" if scale == 100 else "", "zh": tree.about("zh"), "en": tree.about("en")},
                message=Msg("{zh}执行率应为 {expected}{pct}（全年执行数 ÷ 全年预算数 = {f}），表中为 {actual}{pct}",
                            "{en}the execution rate should be {expected}{pct} (spending ÷ budget = {f}); the table says {actual}{pct}"),
                rounding_message=Msg("{zh}执行率 {actual}{pct} 与计算值 {expected}{pct}（{f}）的差在舍入误差以内",
                                     "{en}execution rate {actual}{pct} differs from {expected}{pct} ({f}) within rounding"),
            )
