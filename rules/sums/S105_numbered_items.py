"""Numbered items (一、二、… / 1、2、…) do not add up to their total.

**What it does**: a total row over numbered items (本年收入合计 = 一、… + 六、;
收入总计 = 一、本年收入 + 二、上年结转结余) and a numbered item over its
sub-items (一、本年收入 = 1、+ 2、+ … + 5.) must add up in every amount column.
Numbering styles rank in the order they first appear in the table; 其中
parts and unnumbered headings (支出经济分类 …) are not added.

**Why it matters**: in final-account tables the numbered items are the
whole structure; a total that does not match them usually means one item
was typed into the wrong row.

**Example**: 本年支出合计 1,668.64 over 一、基本支出 1,668.64 and 二、项目支出
121.28 → ``S105``, expected 1,789.92.  本年收入合计 1,668.64 over 一、财政拨款收入
1,668.64 and empty 二、…六、 is right.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import checked_tables, income_grand_total, names, row_identities, trees


class NumberedItems(Rule):
    code = "S105"
    name = "numbered-items"
    severity = "error"
    confirms = "rows"
    summary = Msg("编号项之和与合计不符", "numbered items do not add up to their total")
    title_zh = "编号项"
    doc_zh = """
    编号项（一、二、… / 1、2、…）之和与其合计不符。

    **作用**：找出按编号列出的各项及其合计行，按区间舍入规则检查各编号项之和等于合计。

    **原因**：编号项是合计的完整分解；加不到合计，说明某项录错或漏列。

    **示例**：本年支出合计 1,668.64，一、基本支出 1,668.64，二、项目支出 121.28 → ``S105``，应为 1,789.92。
    本年收入合计 1,668.64，一、财政拨款收入 1,668.64，二至六项为空，正确。
    """
    config_keys = ("sums.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                for node in tree.nodes:
                    if node.kind == "total" and any(n.kind == "item" for n in node.covers):
                        if income_grand_total(node):
                            continue
                        terms = [n for n in node.covers if n.kind in ("item", "total")]
                    elif node.kind == "item":
                        terms = [n for n in node.children if n.kind == "item"]
                    else:
                        continue
                    indented = any((n.style or "").startswith("indent") for n in terms)
                    what_zh, what_en = ("下级行", "rows indented under it") if indented else ("编号项", "numbered items")
                    yield from row_identities(
                        self, table, tree.side, node, terms, "=",
                        f"「{node.display()}」应等于{what_zh}{names(terms, 'zh')}之和（{{column}}）",
                        f"'{node.display()}' should equal the sum of the {what_en} {names(terms, 'en')} ({{column}})")
