"""A total or subtotal row does not equal the rows it covers.

**What it does**: checks every 总计 / 合计 / 小计 / 收入总计 / 本年支出合计 row
against the rows it covers, in every amount column: the top-level rows
above it back to the previous total (which it includes), or the rows below
it when the total comes first.  Over a classification-code table only the
类 rows count; in a 项目支出表 the 总计 covers the unit rows, and every unit
row covers the 类 rows of its block.  Each table side is checked on its own.
Numbered items (一、二、…) are checked by S105; 收入总计 = 本年收入 + 上年结转结余
is the two-sided balance (B301).

**Why it matters**: a total that does not match its rows means a row was
added or changed after the total was typed, or a row is missing.

**Example**: 表 3 with 总计 17,798.61 over 类 rows 208 (1,801.39), 210
(1,002.65), 220 (14,083.33), 221 (911.25) is consistent (17,798.62 is within
rounding).  Changing 220 to 14,093.33 → ``S101 「总计」应等于「208 社会保障和就业支出」+…``,
expected 17,808.62, found 17,798.61.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import checked_tables, income_grand_total, names, row_identities, trees


class TotalRow(Rule):
    code = "S101"
    name = "total-row"
    severity = "error"
    confirms = "rows"
    summary = Msg("合计/总计行与其所含各行之和不符", "a total row does not equal the rows it covers")
    title_zh = "合计行"
    doc_zh = """
    合计或小计行不等于其所含各行之和。

    **作用**：在每个金额栏检查总计、合计、小计、收入总计、本年支出合计等行等于其覆盖的各行：上一个合计之后的各顶层行
    （包括上一个合计），合计在前时为其下方各行。按科目编码的表只计类级行；项目支出表的总计覆盖各单位行，
    每个单位行覆盖其下的类级行。表格两侧分别检查。编号项（一、二、…）由 S105 检查；收入总计 = 本年收入 + 上年结转结余
    是两侧平衡（B301）。

    **原因**：合计行是读者最先看的数字；合计不符说明某行数字或合计本身录错。

    **示例**：表 3 总计 17,798.61，类级行 208（1,801.39）、210（1,002.65）、220（14,083.33）、221（911.25），
    之和 17,798.62 在舍入范围内，正确。把 220 改为 14,093.33 → ``S101「总计」应等于「208 社会保障和就业支出」+…``，
    应为 17,808.62，实为 17,798.61。
    """
    config_keys = ("sums.skip_kinds", "sums.breakdowns")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.understand.structure import expand_headings

        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                for node in tree.nodes:
                    if node.kind == "total":
                        if any(n.kind == "item" for n in node.covers) or income_grand_total(node):
                            continue  # S105
                        terms = expand_headings(node.covers)
                    elif node.kind == "group":
                        terms = expand_headings(node.children)
                    else:
                        continue
                    yield from row_identities(
                        self, table, tree.side, node, terms, "=",
                        f"「{node.display()}」行应等于{names(terms, 'zh')}之和（{{column}}）",
                        f"row '{node.display()}' should equal the sum of {names(terms, 'en')} ({{column}})")
