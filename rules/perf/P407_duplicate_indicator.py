"""同一张绩效目标表中三级指标重复。

**What it does** — reports a 三级指标 printed more than once in one table
(e.g. 慰问经费 three times, or the same indicator under 经济效益 and 社会效益),
naming every line it appears on.

**Why it matters** — a repeated row counts its weight twice and usually
replaces an indicator that was meant to be there.

**Example** — wrong: 经济效益指标 / 维护全县土地矿产资源市场秩序 and 社会效益指标 /
维护全县土地矿产资源市场秩序.  Right: a distinct 经济效益 indicator.
"""

from __future__ import annotations

from typing import Iterator

from budgetlint.model import Document
from budgetlint.understand.perf import perf_view
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _lines, duplicates


class DuplicateIndicator(Rule):
    code = "P407"
    name = "duplicate-indicator"
    severity = "warning"
    summary = Msg("三级指标重复", "indicator repeated in one table")
    title_zh = "三级指标重复"
    doc_zh = """
    同一张绩效目标表中三级指标重复。

    **作用**：同一张绩效目标表中，不同二级指标下出现相同的三级指标名称时给出警告。

    **原因**：重复的指标说明复制粘贴后未修改，实际少了一个有意义的指标。

    **示例**：错误：经济效益指标/维护全县土地矿产资源市场秩序 与 社会效益指标/维护全县土地矿产资源市场秩序。
    正确：另设一个真正的经济效益指标。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            for g in duplicates(pt):
                for later in g[1:]:
                    yield ctx.finding(self, doc, later.name_cell or later.anchor, Msg(
                        "三级指标「{name}」在本表重复出现（{lines}）",
                        "indicator {name!r} appears more than once in this table ({lines})",
                    ), terms=[i.name_cell for i in g if i.name_cell is not None], name=later.name, lines=_lines(g, ctx.lang))
