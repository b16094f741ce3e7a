"""An amount stated in the narrative differs from the table cell it names.

**What it does**: links every amount of the prose to the table cell its
subject names — a total (收支总预算 → 收支总表 收入总计), a column of the
total row (一般公共预算 → 收入总表, 基本支出 → 支出总表), a classification
row (社会保障和就业支出（类） → 一般公共预算支出表), a 三公 item, a project's
预算安排规模 (→ 项目支出表, by 项目承担单位 and 项目名称) — within the scope the
section heading and the list's whole give, and compares the two at the
table's precision.  Exact name matches are errors; fuzzy ones (a shortened
unit name) and conventions (机关运行经费 = 基本支出表 公用经费,
``narrative.aliases``) are warnings.

**Why it matters**: the narrative is what readers quote; a figure that
differs from the table undermines both.

**Example**: table 5 shows 项目支出 4,780.00 but the text says
``项目支出 4,870.00 万元，比上年预算减少 20.00 万元`` → error on the text's
line naming the table cell.  Right: ``项目支出 4,780.00 万元``.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.understand import narrative as nv
from budgetlint.model import Document
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

from ._common import _narrative, _subject, _tname, _unit_slip


class ProseAmountMismatch(Rule):
    code = "N601"
    name = "prose-amount-mismatch"
    severity = "error"
    summary = Msg("正文金额与表格不一致", "amount in the narrative differs from the table")
    title_zh = "正文金额与表格不符"
    doc_zh = """
    正文所述金额与其所指表格单元格不一致。

    **作用**：把正文中的每个金额与其主语所指的表格单元格对应起来——总数（收支总预算 → 收支总表收入总计）、
    总计行的某栏（一般公共预算 → 收入总表，基本支出 → 支出总表）、科目行（社会保障和就业支出（类）→
    一般公共预算支出表）、三公经费某项、项目的预算安排规模（→ 项目支出表，按项目承担单位和项目名称）——
    在章节标题和列举总数限定的范围内，按表格精度比较。名称完全一致的不符为错误；模糊匹配（简称）和
    约定（机关运行经费 = 基本支出表公用经费，``narrative.aliases``）为警告。

    **原因**：读者引用的是正文；与表格不同的数字会让两者都失去可信度。

    **示例**：表 5 项目支出为 4,780.00，正文却写 ``项目支出 4,870.00 万元，比上年预算减少 20.00 万元``
    → 在正文所在行报错并指出表格单元格。正确：``项目支出 4,780.00 万元``。
    """
    config_keys = ("narrative.aliases",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for it in nar.items:
            if it.amount is None or it.amount.approx and it.amount.decimals < 0:
                continue
            if _unit_slip(nar, it) is not None:
                continue  # N607 reports it with its cause
            link = nv.link_item(nar, it)
            if link is None:
                continue
            table_cell = link.cell
            sev = "error" if link.exact else "warning"
            where = _tname(link.table)
            if table_cell.value is None:
                if it.amount.value != 0:
                    # one side blank: unfilled, or the link found a row the table leaves empty (a warning, §6)
                    yield ctx.finding(
                        self, doc, it.amount,
                        Msg("正文「{s}」为 {actual}，但{t}中该项为空", "the text states {actual} for “{s}” but {t} leaves it blank"),
                        severity="warning", actual=it.amount.value, expected=0,
                        terms=[Term(it.amount, label=f"正文：{_subject(it)}"), Term(table_cell, label=where)], s=_subject(it), t=where,
                    )
                continue
            exact = not it.amount.approx and it.amount.unit == table_cell.unit
            yield Identity(
                rule=self, total=it.amount, terms=[Term(table_cell)], relation="=", anchor=it.amount, exact=exact,
                severity=sev,
                what=Msg(f"正文「{_subject(it)}」与{where}不一致", f"the text's “{_subject(it)}” differs from {where}"),
            )
