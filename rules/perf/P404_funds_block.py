"""资金来源：年度预算总额 = 财政拨款 + 其他资金，各明细之和等于其合计。

**What it does** — in the funds block of every 绩效目标表 checks 年度预算总额
(预算数 / 资金总额) = 财政拨款 (财政资金) + 其他资金, and that each 资金来源
breakdown (上级安排 + 本级安排 under 财政资金, 其他 under 其他资金) adds up
to its total, with the rounding rule.

**Why it matters** — the project's amount is what every cross-check with
the budget tables uses; a block that does not add up has a typo in one of
its cells.

**Example** — wrong: 年度预算总额 160.00, 其中：财政拨款 150.00, 其他资金
0.00.  Right: 财政拨款 160.00.
"""

from __future__ import annotations

from typing import Iterator

from budgetlint.model import Document
from budgetlint.understand.perf import perf_view
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded


class FundsBlock(Rule):
    code = "P404"
    name = "funds-block"
    severity = "error"
    summary = Msg("绩效目标表资金来源不平衡", "funds block of a target table does not add up")
    title_zh = "资金来源平衡"
    doc_zh = """
    绩效目标表资金来源：年度预算总额 = 财政拨款 + 其他资金，各明细之和等于其合计。

    **作用**：在绩效目标表的资金块中检查年度预算总额等于财政拨款与其他资金之和，以及各明细之和等于其合计。

    **原因**：资金块不平衡，绩效目标对应的资金规模就说不清，也无法与项目支出表核对。

    **示例**：错误：年度预算总额 160.00，其中：财政拨款 150.00，其他资金 0.00。正确：财政拨款 160.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            f = pt.funds
            fiscal_parts = [c for _, c in f.fiscal_parts]
            other_parts = [c for _, c in f.other_parts]
            if f.fiscal is not None and fiscal_parts:
                yield Identity(rule=self, total=f.fiscal, terms=[Term(c) for c in fiscal_parts],
                               what=Msg("财政资金 = 上级安排 + 本级安排", "财政资金 = 上级安排 + 本级安排"))
            if f.other is not None and other_parts:
                yield Identity(rule=self, total=f.other, terms=[Term(c) for c in other_parts],
                               what=Msg("其他资金 = 各明细之和", "其他资金 = sum of its parts"))
            if f.total is None or f.total.value is None:
                continue
            fiscal_terms = [f.fiscal] if f.fiscal is not None else fiscal_parts
            other_terms = [f.other] if f.other is not None else other_parts
            if not fiscal_terms:
                continue
            yield Identity(
                rule=self, total=f.total, terms=[Term(c) for c in fiscal_terms + other_terms],
                what=Msg("年度预算总额 = 财政拨款 + 其他资金", "budget total = fiscal funds + other funds"),
            )
