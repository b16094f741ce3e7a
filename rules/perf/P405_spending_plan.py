"""资金支出计划（%）应为累计进度：不减、在 0–100 之间、以 100 结束。

**What it does** — reads the 资金支出计划 row (3月底 / 6月底 / 10月底 /
12月底) of each 绩效目标表.  The percentages are cumulative: they must not
decrease, must stay within 0–100 and the last one printed must be 100.  A
plan whose steps add up to 100 without accumulating (10 / 30 / 30 / 30) is
reported as ambiguous: it was probably written per period.

**Why it matters** — the plan is how execution is monitored during the
year; a per-period plan read as cumulative says only 30 % will be spent.

**Example** — wrong: 3月底 10%, 6月底 30%, 10月底 30%, 12月底 30%.  Right:
10%, 40%, 70%, 100%.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from budgetlint.model import Cell, Document
from budgetlint.rounding import sum_holds
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded
from budgetlint.understand.perf import perf_view

from ._common import _decimals, _fmt


class SpendingPlan(Rule):
    code = "P405"
    name = "spending-plan"
    severity = "error"
    summary = Msg("资金支出计划累计进度有误", "cumulative spending plan is inconsistent")
    title_zh = "支出计划进度"
    doc_zh = """
    资金支出计划（%）应为累计进度：不减少、在 0–100 之间、以 100 结束。

    **作用**：检查绩效目标表中按时间排列的资金支出计划百分比逐期不减、都在 0 到 100 之间，最后一期为 100%。

    **原因**：累计进度下降或到年底不足 100%，说明填成了当期比例，或计划与预算不符。

    **示例**：错误：3 月底 10%、6 月底 30%、10 月底 30%、12 月底 30%。正确：10%、40%、70%、100%。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            steps = pt.plan
            if not steps:
                continue
            cells = [s.cell for s in steps]
            vals = [s.value for s in steps]
            shown = " / ".join(f"{s.period} {_fmt(s.value)}%" for s in steps)
            for s in steps:
                if s.value < 0 or s.value > 100:
                    yield ctx.finding(self, doc, s.cell, Msg(
                        "资金支出计划「{period}」为 {actual}%，超出 0–100 的范围",
                        "spending plan {period} is {actual}%, outside 0–100",
                    ), actual=s.value, period=s.period)
            decreasing = [k for k in range(1, len(vals)) if vals[k] < vals[k - 1]]
            if not decreasing and vals[-1] == 100:
                continue
            printed = [Cell(raw=s.raw, loc=s.cell.loc, value=s.value, decimals=_decimals(s.raw), blank=False, unit="%") for s in steps]
            if len(steps) > 1 and sum_holds(None, printed, Decimal(100)):  # the steps add up to 100 within rounding
                yield ctx.finding(self, doc, steps[-1].cell, Msg(
                    "资金支出计划（{plan}）应为累计百分比，以 100% 结束；各期合计为 100%，疑似按期填写而非累计，口径不明",
                    "spending plan ({plan}) should be cumulative and end at 100%; its steps add up to 100%, so it was probably written per period: ambiguous",
                ), severity="warning", expected=Decimal(100), actual=vals[-1], terms=cells, plan=shown)
                continue
            # identities on the steps as read (an OCR-split step carries its repaired value), judged exactly
            located = [Cell(raw=p.raw, loc=p.loc, value=p.value, decimals=p.decimals, blank=False, unit="%", exact=True,
                            table=s.cell.table, row=s.cell.row, col=s.cell.col) for p, s in zip(printed, steps)]
            if decreasing:
                k = decreasing[0]
                yield Identity(
                    rule=self, total=located[k], terms=[Term(located[k - 1])], relation=">=", exact=True, anchor=steps[k].cell,
                    what=Msg("资金支出计划累计进度", "cumulative spending plan"),
                    message=Msg("资金支出计划为累计进度，「{period}」的 {actual}% 小于上一期的 {expected}%（{plan}）",
                                "the cumulative spending plan falls at {period}: {actual}% after {expected}% ({plan})"),
                    extra={"period": steps[k].period, "plan": shown},
                )
            elif vals[-1] != 100:
                yield Identity(
                    rule=self, total=None, constant=Decimal(100), terms=[Term(located[-1])], exact=True, anchor=steps[-1].cell,
                    what=Msg("资金支出计划最后一期", "last step of the spending plan"),
                    message=Msg("资金支出计划应以 100% 结束，最后一期「{period}」为 {actual}%（{plan}）",
                                "the spending plan should end at 100%; its last period {period} is {actual}% ({plan})"),
                    extra={"period": steps[-1].period, "plan": shown},
                )
