"""A row breaks a column formula stated in the 栏次 row or implied by the column names.

**What it does**: applies the formulas a table states in its 栏次 row
(``3=1+2``, ``5=1+2-3``) and those its column names define (年初预算数 +
追加预算数 = 预算调整数; more under ``crossfoot.formulas`` as
``{total: regex, plus: [regex…], minus: [regex…]}``), in every row.
Formulas that repeat a header cross-foot (C201) are not checked twice.

**Why it matters**: final-account tables are built column by column; a
row whose adjusted budget is not the initial budget plus the addition
shows a figure changed in one column only.

**Example**: 表 1-1 ``一、财政拨款收入``: 年初预算数 1,668.64 + 追加预算数 303.83 =
预算调整数 1,972.47 is right; 预算调整数 1,982.47 → ``C202``, expected 1,972.47.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import DERIVED_FORMULAS, _join, _named, _row_identities, _short, _stated, _tables


class ColumnFormula(Rule):
    code = "C202"
    name = "column-formula"
    severity = "error"
    confirms = "columns"
    summary = Msg("不符合栏次公式或栏目名称所定义的公式", "a row breaks a stated or implied column formula")
    title_zh = "栏次公式"
    doc_zh = """
    某行不符合栏次行写明的或栏目名称所定义的公式。

    **作用**：逐行套用表格栏次行写明的公式（``3=1+2``、``5=1+2-3``）和栏目名称定义的公式
    （年初预算数 + 追加预算数 = 预算调整数；更多公式可在 ``crossfoot.formulas`` 中以
    ``{total: 正则, plus: [正则…], minus: [正则…]}`` 配置）。与表头横向相加（C201）重复的公式不重复检查。

    **原因**：决算表逐栏编制；调整后预算不等于年初预算加追加数，说明只改了一栏的数字。

    **示例**：表 1-1「一、财政拨款收入」：年初预算数 1,668.64 + 追加预算数 303.83 = 预算调整数 1,972.47，正确；
    预算调整数印为 1,982.47 → ``C202``，应为 1,972.47。
    """
    config_keys = ("crossfoot.formulas", "crossfoot.skip_kinds")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.understand.structure import column_sums

        extra = ctx.option("crossfoot.formulas", []) or []
        formulas = DERIVED_FORMULAS + [f for f in extra if isinstance(f, dict)]
        for table in _tables(doc, ctx):
            seen = {(cs.total, frozenset(cs.terms)) for cs in column_sums(table)}
            for total, terms, text in _stated(table) + _named(table, formulas):
                key = (total, frozenset(terms))
                if key in seen:
                    continue
                seen.add(key)
                tcol = table.columns[total]
                zh = f"「{{row}}」行：{text}，即「{_short(tcol)}」应等于{_join(table, terms, 'zh')}"
                en = f"row '{{row}}': {text}, i.e. '{_short(tcol)}' should equal {_join(table, terms, 'en')}"
                yield from _row_identities(self, table, total, terms, "=", zh, en)
