"""指标分值权重合计应为 100 或 90。

**What it does** — adds up the indicator weights (指标分值权重 / 分值 / 权重) of
each 绩效目标表 and compares the sum with the template's total.  Two
conventions exist and are often used side by side in one document: weights
total **100**, or **90** when 10 points are kept for 预算执行率 outside the
table; a table that lists 预算执行率 among its indicators totals 100 with it.
Either total is accepted; ``weights.total`` in the configuration fixes one.
A duplicated indicator that explains the excess, or a missing 一级 category
that explains the shortfall, is named in the message.

**Why it matters** — weights that do not add up make the later scoring
meaningless: every indicator's share of the score is wrong.

**Example** — wrong: 数量 7 + 6 + 6 + 5 + 5, 质量 10, 效益 10 + 5 + 6,
满意度 10 + 10 = 80.  Right: the same table with the missing 10 points given
to an indicator (90), or 预算执行率 10 added inside (100).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from budgetlint.model import Document
from budgetlint.understand.perf import perf_view
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

from ._common import _CANDIDATES, _STANDARD_NAMES, _fmt, _header_cell, _is_exec_rate, _lines, duplicates, missing_families


class WeightsTotal(Rule):
    code = "P401"
    name = "weights-total"
    severity = "error"
    summary = Msg("绩效指标分值权重合计不是 100 或 90", "indicator weights do not total 100 or 90")
    title_zh = "指标权重合计"
    doc_zh = """
    绩效指标分值权重合计应为 100 或 90。

    **作用**：把绩效目标表各三级指标的分值权重相加，检查合计为 100（含预算执行率）或 90（预算执行率另计）；
    可在配置 ``weights.total`` 中固定采用哪一种，否则逐表判断。

    **原因**：权重合计不对，评价得分就没有可比的满分，说明漏填或多填了某个指标的分值。

    **示例**：错误：数量 7 + 6 + 6 + 5 + 5，质量 10，效益 10 + 5 + 6，满意度 10 + 10 = 80。
    正确：把缺的 10 分给某个指标（90），或另加预算执行率 10 分（100）。
    """
    config_keys = ("weights.total",)

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        configured = ctx.option("weights.total")
        for pt in perf_view(doc).targets:
            weighted = pt.weighted()
            if not weighted:
                continue
            total = sum((i.weight.value for i in weighted), Decimal(0))
            has_exec = any(_is_exec_rate(i) for i in pt.indicators)
            if configured is not None:
                cands = (Decimal(str(configured)),)
                why = Msg("配置 weights.total = {expected}", "configured weights.total = {expected}")
            elif has_exec:
                cands = (Decimal(100),)
                why = Msg("表内含预算执行率，合计应为 100", "the table lists 预算执行率, so the total is 100")
            else:
                cands = _CANDIDATES
                why = Msg(
                    "应为 100，或预算执行率 10 分在表外时为 90",
                    "expected 100, or 90 when 10 points for 预算执行率 are kept outside the table",
                )
            if pt.weight_total_cell is not None:
                yield Identity(
                    rule=self, total=pt.weight_total_cell, terms=[Term(i.weight) for i in weighted], exact=True,
                    what=Msg("指标分值权重合计", "total of the indicator weights"),
                )
            if total in cands:
                continue
            expected = min(cands, key=lambda c: (abs(c - total), -c))
            hints_zh, hints_en = [], []
            for g in duplicates(pt):
                extra = sum((i.weight.value for i in g[1:] if i.weight is not None and i.weight.value is not None), Decimal(0))
                if extra and (total - extra) in cands:
                    hints_zh.append(f"三级指标「{g[0].name}」重复（{_lines(g)}），去掉重复后合计为 {_fmt(total - extra)}，见 P407")
                    hints_en.append(f"indicator {g[0].name!r} is repeated ({_lines(g, 'en')}); without the repeat the total is {_fmt(total - extra)} (see P407)")
            miss = missing_families(pt)
            if miss:
                names = "、".join(_STANDARD_NAMES[m] for m in miss)
                hints_zh.append(f"表中没有一级指标「{names}」，表格可能不完整")
                hints_en.append(f"no 一级 indicator {names} in the table: it may be incomplete")
            msg = Msg(
                "指标分值权重合计为 {actual}，{why}" + ("；" + "；".join(hints_zh) if hints_zh else ""),
                "indicator weights total {actual}: {why}" + ("; " + "; ".join(hints_en) if hints_en else ""),
            )
            anchor = _header_cell(pt, "weight") or weighted[0].weight
            # a constant total judged by the engine like every other identity (weights are exact integers)
            yield Identity(
                rule=self, total=None, constant=expected, terms=[Term(i.weight) for i in weighted], exact=True,
                anchor=anchor, message=msg, extra={"why": why.get(ctx.lang).format(expected=_fmt(expected))},
                what=Msg("指标分值权重合计", "total of the indicator weights"),
            )
