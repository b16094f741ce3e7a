"""不合理的指标值：超过 100% 的比率、成本写成百分比或超过预算、缺单位、数量质量指标写成定性描述。

**What it does** — warns about targets that cannot be measured as written:
a rate or satisfaction of ``≥100%`` (``>=100%``, ``≥100百分比``) or above
100 %; a 成本 target written as a percentage floor (``项目总成本 ≥100%``) or
as words instead of a money cap, or a money cap above the project budget;
a bare number without unit where the category needs one (数量 counts, 成本
money, rates); words or sentences (``有所提高``) under 数量 / 质量.

**Why it matters** — a target must say what will be measured and when it
is met; ``满意度 ≥100%`` can only be met by a perfect survey, ``≥100%`` of a
cost has no ceiling.

**Example** — wrong: 服务对象满意度 ``≥100%``; 项目总成本 ``≥100%``.  Right:
服务对象满意度 ``≥90%``; 项目总成本 ``≤879 万元``.
"""

from __future__ import annotations

from typing import Iterator

from budgetlint.model import Cell, Document
from budgetlint.understand.forms import Indicator, PerfTable, level1_family, perf_view, squash
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _GROWTH, _MONEY, _RATE_UNITS, _fmt


class ImplausibleTarget(Rule):
    code = "P408"
    name = "implausible-target"
    severity = "warning"
    summary = Msg("指标值不合理或无法衡量", "implausible or unmeasurable target")
    title_zh = "指标值不合理"
    doc_zh = """
    不合理的指标值：超过 100% 的比率、成本写成百分比或超过预算、缺单位、数量质量指标写成定性描述。

    **作用**：检查绩效指标值能否衡量：比率不超过 100%，成本指标是金额且不超过预算，数量指标有单位，
    数量和质量指标不是定性描述。

    **原因**：无法衡量的指标值使绩效目标无法考核。

    **示例**：错误：服务对象满意度 ``≥100%``；项目总成本 ``≥100%``。正确：服务对象满意度 ``≥90%``；
    项目总成本 ``≤879 万元``。
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
            if over and not any(w in name for w in _GROWTH):
                yield ctx.finding(self, doc, cell, Msg(
                    "指标「{name}」的指标值「{text}」超过或要求不低于 100%，无法合理衡量",
                    "indicator {name!r} has target {text!r}: at least or above 100% cannot be a meaningful target",
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
