"""模板残留：占位文字、只有单位或比较符的指标值、必填单元格为空。

**What it does** — flags text left over from the template in a 绩效目标表:
``目标内容1``, ``目标1``, ``XX``, ``××``, ``某某``; an 指标值 that is only a unit
(a lone ``%`` or ``个``) or only a comparator (``>``, ``≥``); a count whose number was never typed
(``成果已在个乡镇备案``); and indicator rows whose required cells (三级指标,
指标值) are empty.

**Why it matters** — a published target with a placeholder has no target:
nobody can later say whether it was met.

**Example** — wrong: 绩效目标 ``1. 目标内容 1``; 满意度 指标值 ``%``.  Right:
绩效目标 ``完成 3 处地质灾害点治理``; 指标值 ``≥90%``.
"""

from __future__ import annotations

from typing import Iterator

from budgetlint.model import Document
from budgetlint.understand.forms import squash
from budgetlint.understand.perf import perf_view
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _GOAL_STUB, _MISSING_COUNT, _placeholder


class TemplateResidue(Rule):
    code = "P406"
    name = "template-residue"
    severity = "warning"
    summary = Msg("绩效目标表残留模板文字或必填项为空", "template residue or empty required cell in a target table")
    title_zh = "模板残留"
    doc_zh = """
    绩效目标表残留模板文字或必填项为空：占位文字、只有单位或比较符的指标值、必填单元格为空。

    **作用**：发现绩效目标表中未替换的模板占位文字（``目标内容 1``）、只写了单位或比较符、没有数值的指标值（``%``、``>``）
    和空着的必填单元格。

    **原因**：模板残留说明表格没有真正填写，公开后无法据以评价。

    **示例**：错误：绩效目标 ``1. 目标内容 1``；满意度指标值 ``%``。正确：绩效目标 ``完成 3 处地质灾害点治理``；
    指标值 ``≥90%``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            if pt.goal_cell is not None:
                goal = squash(pt.goal)
                hit = _placeholder(pt.goal) or ("目标N" if _GOAL_STUB.match(goal) else None)
                if hit:
                    yield ctx.finding(self, doc, pt.goal_cell, Msg(
                        "绩效目标为模板占位文字「{text}」，未填写实际目标",
                        "the performance goal is template text {text!r}, not an actual goal",
                    ), text=pt.goal)
            for ind in pt.indicators:
                seen: set[str] = set()
                if ind.name is None:
                    yield ctx.finding(self, doc, ind.anchor, Msg(
                        "第 {line} 行指标缺少三级指标名称", "the indicator on line {line} has no 三级 name",
                    ), line=ind.line)
                if ind.target.kind == "empty":
                    at = ind.value_cell or ind.anchor
                    yield ctx.finding(self, doc, at, Msg(
                        "三级指标「{name}」的指标值为空", "indicator {name!r} has no target value",
                    ), name=ind.name or "")
                elif ind.target.kind == "comparator-only":
                    yield ctx.finding(self, doc, ind.value_cell, Msg(
                        "三级指标「{name}」的指标值只有比较符「{text}」，缺少数值",
                        "indicator {name!r} has a comparator {text!r} but no number as its target",
                    ), name=ind.name or "", text=ind.target.text)
                elif ind.target.kind == "unit-only":
                    yield ctx.finding(self, doc, ind.value_cell, Msg(
                        "三级指标「{name}」的指标值只有单位「{text}」，缺少数值",
                        "indicator {name!r} has a unit {text!r} but no number as its target",
                    ), name=ind.name or "", text=ind.target.text)
                for c in ind.row.cells:
                    t = c.text
                    if not t or squash(t) in seen:
                        continue
                    what = _placeholder(t)
                    if what is None and _MISSING_COUNT.search(squash(t)):
                        what = "个"
                    if what is None:
                        continue
                    seen.add(squash(t))
                    yield ctx.finding(self, doc, c, Msg(
                        "单元格「{text}」含模板占位或缺少数字（{what}）",
                        "cell {text!r} holds template residue or a missing number ({what})",
                    ), text=t, what=what)
