"""A classification-code row does not equal the sum of its sub-codes.

**What it does**: in tables by 功能分类 (类 3 digits → 款 5 → 项 7) or 经济分类
(类 3 → 款 5), checks 类 = Σ 款 and 款 = Σ 项 in every amount column.  Codes
may be split over 类/款/项 columns, joined (``2080501``) or written inline
(``208 社会保障和就业支出``).  In a 项目支出表 the chain repeats under every
unit row, so each unit block is summed on its own.

**Why it matters**: the code hierarchy is how every cross-table comparison
is made; a 款 that does not add up puts the wrong figure into each of them.

**Example**: 表 6 ``301 工资福利支出 11,123.32`` over nine 款 adding to
11,123.33 is consistent (rounding).  ``302 商品和服务支出 918.84`` over 款 rows
adding to 928.84 → ``S102``, expected 928.84, found 918.84.
"""

from __future__ import annotations

from functools import partial
from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _code_hierarchy_text, checked_tables, row_identities, trees


class CodeHierarchy(Rule):
    code = "S102"
    name = "code-hierarchy"
    severity = "error"
    confirms = "rows"
    summary = Msg("上级科目不等于其下级科目之和", "a classification code does not equal the sum of its sub-codes")
    title_zh = "科目层级"
    doc_zh = """
    上级科目不等于其下级科目之和。

    **作用**：按科目编码（类 3 位、款 5 位、项 7 位，编码可分列、连写或写在名称中）建立层级，
    在每个金额栏检查上级科目等于其直接下级科目之和。

    **原因**：科目层级不平衡，说明某个下级科目录错、漏列，或上级金额未随之更新。

    **示例**：表 6 ``301 工资福利支出 11,123.32``，九个款级科目之和 11,123.33，在舍入范围内，正确。
    ``302 商品和服务支出 918.84`` 而其款级科目之和为 928.84 → ``S102``，应为 928.84，实为 918.84。
    """
    config_keys = ("sums.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                pairs = []
                for node in tree.nodes:
                    if node.kind != "code":
                        continue
                    kids = [n for n in node.children if n.kind == "code"]
                    if kids:
                        pairs.append((node, kids))
                for node, kids in pairs:
                    yield from row_identities(
                        self, table, tree.side, node, kids, "=",
                        partial(_code_hierarchy_text, node, kids, "zh"), partial(_code_hierarchy_text, node, kids, "en"))
