"""一级指标分值分布建议：产出 50、效益 30、满意度 10（预算执行率 10）。

**What it does** — for self-evaluation and scoring sheets whose 一级
categories are 产出 / 效益 / 满意度 (and 预算执行率), compares each
category's share of the points with the recommended split (原则上 产出 50,
效益 30, 满意度 10, 预算执行率 10).  Advisory: off unless selected, and never
applied to 绩效目标表.  ``perf.distribution`` overrides the split, e.g.
``{产出 = 40, 效益 = 40, 满意度 = 10, 执行 = 10}``.

**Why it matters** — reviewers ask for the recommended split; a sheet far
from it usually over-weights easy output counts.

**Example** — wrong: 产出 70, 效益 10, 满意度 10, 预算执行率 10.  Right:
产出 50, 效益 30, 满意度 10, 预算执行率 10.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterator

from budgetlint.model import Cell, Document
from budgetlint.understand.forms import level1_family
from budgetlint.understand.perf import perf_view
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _leaves


class WeightDistribution(Rule):
    code = "P403"
    name = "weight-distribution"
    severity = "warning"
    default_enabled = False
    summary = Msg("一级指标分值分布偏离建议", "一级 weights depart from the recommended split")
    title_zh = "一级指标分值分布"
    doc_zh = """
    一级指标分值分布偏离建议：产出 50、效益 30、满意度 10（预算执行率 10）。

    **作用**：把各一级指标的分值与建议分布比较，偏离时给出警告。默认不启用，需显式选择。

    **原因**：分值过于集中在产出指标，会使评价偏重“做了多少”而忽视“效果如何”。

    **示例**：错误：产出 70、效益 10、满意度 10、预算执行率 10。正确：产出 50、效益 30、满意度 10、预算执行率 10。
    """
    config_keys = ("perf.distribution",)

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        want = {"产出": Decimal(50), "效益": Decimal(30), "满意度": Decimal(10), "执行": Decimal(10)}
        conf = ctx.option("perf.distribution")
        if isinstance(conf, dict):
            want = {str(k).replace("指标", "").replace("预算执行率", "执行"): Decimal(str(v)) for k, v in conf.items()}
        for tree in perf_view(doc).scoring:
            got: dict[str, Decimal] = {}
            cells: dict[str, Cell] = {}
            for r in tree.roots:
                f = level1_family(r.label)
                if f is None or r.bonus:
                    continue
                if r.weight is not None:
                    weight = r.weight.value
                else:  # a form that prints 分值 only on the indicator rows: the category's rows add up
                    leaves = list(_leaves([r]))
                    if not leaves or any(n.weight is None for n in leaves):
                        continue
                    weight = sum((n.weight.value for n in leaves), Decimal(0))
                got[f] = got.get(f, Decimal(0)) + weight
                cells.setdefault(f, r.weight or r.cell)
            if not got.keys() & {"产出", "效益"}:
                continue
            for f, w in want.items():
                have = got.get(f)
                if have is None or have == w:
                    continue
                yield ctx.finding(
                    self, doc, cells[f], Msg(
                        "一级指标「{cat}」分值为 {actual}，建议为 {expected}",
                        "一级 category {cat} has {actual} points, {expected} recommended",
                    ), expected=w, actual=have, cat=f,
                )
