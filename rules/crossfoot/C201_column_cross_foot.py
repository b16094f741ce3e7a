"""A total column does not equal the columns under the same header.

**What it does**: reads the column header tree: a 合计 / 总计 / 小计 column
is the sum of the columns under the same merged header (合计 = 基本支出 +
项目支出; 基本支出 = 人员经费 + 公用经费; 财政拨款（补助）小计 = 一般公共预算 +
政府性基金 + 国有资本经营); a group with its own 小计 counts once, through it.
``上级…转移支付`` and ``其中`` columns right after a column are parts of that
column (at most equal to it), never siblings.  Checked in every row, per
table side.

**Why it matters**: a row that does not cross-foot has a figure typed in
the wrong column or a total not updated; every later comparison by column
inherits the error.

**Example**: 表 3 row ``220 自然资源海洋气象等支出``: 合计 14,083.33 = 基本支出
8,944.33 + 项目支出 5,139.00 is right; 合计 14,083.33 with 项目支出 5,129.00 →
``C201``, expected 14,073.33.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _join, _row_identities, _short, _tables


class ColumnCrossFoot(Rule):
    code = "C201"
    name = "column-cross-foot"
    severity = "error"
    confirms = "columns"
    summary = Msg("合计栏不等于其下各栏之和", "a total column does not equal the columns under its header")
    title_zh = "合计栏横向相加"
    doc_zh = """
    合计栏不等于同一表头下各栏之和。

    **作用**：读取表头树：合计/总计/小计栏等于同一合并表头下各栏之和（合计 = 基本支出 + 项目支出；
    基本支出 = 人员经费 + 公用经费；财政拨款（补助）小计 = 一般公共预算 + 政府性基金 + 国有资本经营）；
    自带小计的一组只经小计计一次。紧随某栏的“上级…转移支付”“其中”栏是该栏的组成部分（不超过该栏），
    不是并列栏。逐行、分表侧检查。

    **原因**：横向不平的行有数字填错栏或合计未更新，之后按栏的所有比较都会继承这一错误。

    **示例**：表 3「220 自然资源海洋气象等支出」：合计 14,083.33 = 基本支出 8,944.33 + 项目支出 5,139.00，正确；
    项目支出印为 5,129.00 → ``C201``，应为 14,073.33。
    """
    config_keys = ("crossfoot.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.understand.structure import column_sums

        for table in _tables(doc, ctx):
            for cs in column_sums(table):
                total = table.columns[cs.total]
                if cs.relation == "=":
                    zh = f"「{{row}}」行：「{total.label}」栏应等于{_join(table, cs.terms, 'zh')}之和"
                    en = f"row '{{row}}': column '{total.label}' should equal {_join(table, cs.terms, 'en')}"
                else:
                    part = _short(table.columns[cs.terms[0][1]])
                    zh = f"「{{row}}」行：「{part}」栏是「{_short(total)}」的其中数，不应超过它"
                    en = f"row '{{row}}': column '{part}' is part of '{_short(total)}' and should not exceed it"
                yield from _row_identities(self, table, cs.total, cs.terms, cs.relation, zh, en)
