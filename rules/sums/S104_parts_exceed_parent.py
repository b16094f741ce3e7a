"""The parts of a row (其中…) exceed it, or a complete breakdown does not add up.

**What it does**: ``其中：`` starts a list of parts of the row above; the rows
after it belong to the same list (only the first part carries 其中).
Unnumbered rows right under a numbered item are parts of it too.  Parts
are never added as siblings: together they are at most the parent, and
exactly the parent where the template's breakdown is complete
(年初结转和结余 = 基本支出结转 + 项目支出结转和结余 + 经营结余; 基本支出 = 人员经费 +
公用经费; configurable under ``sums.breakdowns``).

**Why it matters**: a part larger than its whole is always a typing error;
a complete breakdown that does not add up hides money in no category.

**Example**: ``一、基本支出 1,668.64`` with ``人员经费 1,386.53`` and ``日常公用经费
160.83`` → ``S104`` (1,547.36 ≠ 1,668.64).  ``1、一般公共预算拨款 17,439.61`` with
``其中：一般财力 17,439.61`` is right.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import checked_tables, names, row_identities, trees


class PartsExceedParent(Rule):
    code = "S104"
    name = "parts-exceed-parent"
    severity = "error"
    confirms = "rows"
    summary = Msg("其中项超过上级项，或完整分解不等于上级项", "parts exceed their parent, or a complete breakdown does not add up")
    title_zh = "其中项"
    doc_zh = """
    某行的组成部分（其中…）超过该行，或完整分解不等于该行。

    **作用**：“其中：”开始列出上一行的组成部分，其后各行属于同一列举（只有第一项带“其中”）；编号项下紧接的无编号行也是其组成部分。
    组成部分从不作为并列项相加：合起来不超过上级行；模板的分解完整时须恰好等于上级行（年初结转和结余 = 基本支出结转 +
    项目支出结转和结余 + 经营结余；基本支出 = 人员经费 + 公用经费；可在 ``sums.breakdowns`` 中配置）。

    **原因**：其中项超过总数或完整分解加不到总数，说明某个金额录错。

    **示例**：``一、基本支出 1,668.64``，``人员经费 1,386.53``、``日常公用经费 160.83`` → ``S104``（1,547.36 ≠ 1,668.64）。
    ``1、一般公共预算拨款 17,439.61``，``其中：一般财力 17,439.61``，正确。
    """
    config_keys = ("sums.skip_kinds", "sums.breakdowns")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                for node in tree.nodes:
                    parts = node.parts
                    if not parts or node.kind == "heading":
                        continue
                    if node.parts_complete:
                        yield from row_identities(
                            self, table, tree.side, node, parts, "=",
                            f"「{node.display()}」应等于其组成部分{names(parts, 'zh')}之和（{{column}}）",
                            f"'{node.display()}' should equal the sum of its parts {names(parts, 'en')} ({{column}})")
                        continue
                    yield from row_identities(
                        self, table, tree.side, node, parts, ">=",
                        f"「{node.display()}」的其中项{names(parts, 'zh')}合计不应超过它（{{column}}）",
                        f"the parts {names(parts, 'en')} of '{node.display()}' should not exceed it ({{column}})")
