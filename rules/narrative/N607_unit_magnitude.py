"""An amount's unit cannot be right for its magnitude.

**What it does**: warns when a prose amount is written in 元 while the
tables are in 万元 and the figure is read as 万元 everywhere else: the
other items of its list or its whole are in 万元, or the same number is the
table cell its subject names.

**Why it matters**: 元 for 万元 makes a figure 10,000 times too small; the
sums around it only work with the other unit.

**Example**: ``资金分配情况：办公费 24.39 元、差旅费 1.57 万元…`` → warning on
办公费.  Right: ``办公费 24.39 万元``.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Term, Yielded

from ._common import _narrative, _subject, _unit_slip


class UnitMagnitude(Rule):
    code = "N607"
    name = "unit-magnitude"
    severity = "warning"
    summary = Msg("正文金额单位与数量级不符（元/万元）", "amount unit does not fit its magnitude (元/万元)")
    title_zh = "金额单位与数量级不符"
    doc_zh = """
    金额的单位与其数量级不相称。

    **作用**：表格以万元为单位、而正文某金额写成“元”，且该数字在别处都按万元理解（同一列举的其他项或其总数为万元，
    或同一数字正是主语所指的表格单元格）时给出警告。

    **原因**：元与万元相差一万倍，单位写错会让金额差四个数量级，而数字本身看不出问题。

    **示例**：``资金分配情况：办公费 24.39 元、差旅费 1.57 万元…`` → 办公费处警告。正确：``办公费 24.39 万元``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for it in nar.items:
            why = _unit_slip(nar, it)
            if why is None:
                continue
            yield ctx.finding(
                self, doc, it.amount,
                Msg("「{s}」写作 {raw}，而表格和同组各项均以{tu}计，单位可能应为{tu}", "“{s}” is written {raw} while the tables and its list use {tu}; the unit is probably {tu}"),
                actual=it.amount.value, s=_subject(it), raw=it.amount.raw, tu=nar.table_unit,  # type: ignore[union-attr]
                terms=[Term(it.amount, label=f"正文：{_subject(it)}")],  # type: ignore[arg-type]
            )
