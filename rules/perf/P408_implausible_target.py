"""不合理的指标值：满意度或比率要求不低于 100%、不是比率却写百分比、下限为 0、成本写成百分比或超过预算、缺单位、数量质量指标写成定性描述。

**What it does** — warns about targets that cannot be measured as written:
a satisfaction of ``≥100%`` (``>=100%``, ``≥100百分比``) or above; a share
(合格率, 到位率, 结案率) of ``≥100%`` or above 100 %; a percentage of 100 or
more for something that is not a rate at all (``提交成果报告数量 ≥100%``,
``工程使用年限 ≥100%``); a floor of zero (``≥0``); a 成本 target written as
a percentage floor (``项目总成本 ≥100%``) or as words instead of a money cap,
or a money cap above the project budget; a bare number without unit where the
category needs one (数量 counts, 成本 money, rates); words or sentences
(``有所提高``) under 数量 / 质量.  Results measured against a plan or a
growth (完成率, 增长率, 完成数量与计划数量比率) may pass 100 % and are left alone.

**Why it matters** — a target must say what will be measured and when it
is met; ``满意度 ≥100%`` can only be met by a perfect survey, ``≥100%`` of a
cost has no ceiling, a percentage of a count has no base.

**Example** — wrong: 服务对象满意度 ``≥100%``; 项目总成本 ``≥100%``;
提交成果报告数量 ``≥100%``.  Right: 服务对象满意度 ``≥90%``; 项目总成本
``≤879 万元``; 提交成果报告数量 ``=1 份``.
"""

from __future__ import annotations

import re
from typing import Iterator

from budgetlint.model import Cell, Document
from budgetlint.understand.forms import Indicator, PerfTable, level1_family, squash
from budgetlint.understand.perf import perf_view
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _MONEY, _RATE_UNITS, _fmt


class ImplausibleTarget(Rule):
    code = "P408"
    name = "implausible-target"
    severity = "warning"
    summary = Msg("指标值不合理或无法衡量", "implausible or unmeasurable target")
    title_zh = "指标值不合理"
    doc_zh = """
    不合理的指标值：满意度或比率要求不低于 100%、不是比率却写百分比、下限为 0、成本写成百分比或超过预算、缺单位、
    数量质量指标写成定性描述。

    **作用**：检查绩效指标值能否衡量：满意度和比率不要求 100% 以上（完成率、增长率可以超过 100%），
    不是比率的指标（数量、年限）不写百分比，下限不为 0，成本指标是金额且不超过预算，数量指标有单位，
    数量和质量指标不是定性描述。

    **原因**：无法衡量的指标值使绩效目标无法考核。

    **示例**：错误：服务对象满意度 ``≥100%``；项目总成本 ``≥100%``。正确：服务对象满意度 ``≥90%``；
    项目总成本 ``≤879 万元``。提交成果报告数量 ``≥100%`` 应写作 ``=1 份``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            budget = pt.funds.amount()
            for ind in pt.indicators:
                yield from self._one(doc, ctx, pt, ind, budget)

    def _one(self, doc: Document, ctx: Context, pt: PerfTable, ind: Indicator, budget: Cell | None) -> Iterator[Yielded]:
        tg = ind.target
        name = squash(ind.name)
        l2 = squash(ind.level2)
        cost = "成本" in l2 or (level1_family(ind.level1) == "成本")
        cell = ind.value_cell
        if cell is None:
            return
        label = ind.name or ""
        if tg.kind == "number" and tg.percent and tg.value is not None:
            over = tg.value > 100 or (tg.value == 100 and tg.comparator in ("≥", ">"))
            if cost and tg.comparator in ("≥", ">", None, "="):
                if "率" not in name:
                    yield ctx.finding(self, doc, cell, Msg(
                        "成本指标「{name}」的指标值「{text}」是百分比下限，应为金额上限（如 ≤ 预算金额）",
                        "cost indicator {name!r} has target {text!r}, a percentage floor instead of a money cap",
                    ), name=label, text=tg.text)
                    return
            if over:
                yield from self._over_hundred(doc, ctx, cell, label, name, tg)
            return
        if tg.kind == "number" and tg.value == 0 and tg.comparator == "≥":
            yield ctx.finding(self, doc, cell, Msg(
                "指标「{name}」的指标值「{text}」下限为 0，任何结果都能达到，不能衡量目标",
                "indicator {name!r} has target {text!r}: a floor of 0 is met by any result and measures nothing",
            ), name=label, text=tg.text, actual=tg.value)
            return
        if tg.kind == "number" and tg.value is not None and tg.unit is None and not tg.percent:
            needs = None
            if "数量" in l2 and not _RATE_UNITS.search(ind.name or "") and not name.endswith(("率", "度")):
                needs = Msg("数量单位（个、次、人…）", "a count unit (个, 次, 人…)")
            elif cost and not _RATE_UNITS.search(ind.name or ""):
                needs = Msg("金额单位（万元、元）", "a money unit (万元, 元)")
            elif name.endswith("率") and not _RATE_UNITS.search(ind.name or ""):
                needs = Msg("百分号（%）", "a percent sign (%)")
            if needs is not None:
                yield ctx.finding(self, doc, cell, Msg(
                    "指标「{name}」的指标值「{text}」缺少单位，应写明{needs}",
                    "indicator {name!r} has target {text!r} without a unit; it needs {needs}",
                ), name=label, text=tg.text, needs=needs.get(ctx.lang))
            return
        if tg.kind == "number" and cost and tg.unit in _MONEY and budget is not None and budget.value is not None:
            bunit = budget.unit or pt.funds.unit
            if bunit in _MONEY:
                amount = tg.value * _MONEY[tg.unit]
                limit = budget.value * _MONEY[bunit]
                if amount > limit and tg.comparator in ("≤", "<", "=", None):
                    yield ctx.finding(self, doc, cell, Msg(
                        "成本指标「{name}」的指标值「{text}」超过项目预算 {budget}",
                        "cost indicator {name!r} has target {text!r}, above the project budget {budget}",
                    ), name=label, text=tg.text, budget=f"{_fmt(budget.value)} {bunit}", terms=[budget])
            return
        if tg.kind == "words" and ("数量" in l2 or "质量" in l2 or (cost and "成本" in l2)):
            yield ctx.finding(self, doc, cell, Msg(
                "{cat}指标「{name}」的指标值是文字「{text}」，不是可衡量的数值",
                "{cat} indicator {name!r} has the words {text!r} as its target, not a measurable value",
            ), name=label, text=tg.text, cat=(ind.level2 or "").replace("指标", ""))

    def _over_hundred(self, doc: Document, ctx: Context, cell: Cell, label: str, name: str, tg) -> Iterator[Yielded]:
        """A target of ``≥100%`` or above: wrong for satisfaction and shares, meaningless where nothing is a share."""
        kind = percent_kind(name)
        if kind == "open":
            return  # 完成率, 增长率: results can exceed the plan, ≥100% is a real target
        above = tg.value > 100 or (tg.value == 100 and tg.comparator == ">")
        if kind == "satisfaction" and not above:
            msg = Msg(
                "满意度指标「{name}」的指标值「{text}」要求人人满意，不是可以合理达到的目标（常见为 ≥90%）",
                "satisfaction indicator {name!r} has target {text!r}: it asks for everyone to be satisfied, not an attainable target (≥90% is usual)",
            )
        elif kind in ("satisfaction", "share") and above:
            msg = Msg(
                "比率指标「{name}」的指标值「{text}」超过 100%，不可能达到",
                "rate {name!r} has target {text!r}: a share cannot exceed 100%",
            )
        elif kind == "share":
            msg = Msg(
                "比率指标「{name}」的指标值「{text}」要求不低于 100%，比率最高为 100%，应写作「=100%」或可达到的值",
                "rate {name!r} has target {text!r}: a share cannot exceed 100%; write =100% or an attainable value",
            )
        else:
            msg = Msg(
                "指标「{name}」不是比率，指标值「{text}」没有说明以什么为 100%，无法衡量，应写明数量和单位",
                "indicator {name!r} is not a rate; target {text!r} does not say what 100% is of; state a quantity and its unit",
            )
        yield ctx.finding(self, doc, cell, msg, name=label, text=tg.text, actual=tg.value)


_OPEN_RATE = re.compile(r"增长|增幅|提高率|提升率|(?<!按时)(?<!及时)完成(?:率|比)|比率")
_SHARE = re.compile(r"率|[(（]\s*%\s*[)）]|占比|比例|比重|程度$|度$")


def percent_kind(name: str) -> str:
    """What a percentage target means for an indicator named ``name``.

    ``satisfaction`` (满意度, 满意率), ``open`` (a result against a plan or a
    growth, which may pass 100 %), ``share`` (a part of a whole, at most 100 %),
    or ``none`` (a count, a time or a description: a percentage has no base).
    """
    if "满意" in name:
        return "satisfaction"
    if _OPEN_RATE.search(name):
        return "open"
    if _SHARE.search(name):
        return "share"
    return "none"
