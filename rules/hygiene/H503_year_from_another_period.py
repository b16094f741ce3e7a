"""A performance table names an earlier year as its own period: text kept from last year's template.

**What it does**: for a performance-target or scoring table whose title names its year
(``2022 年整体支出绩效评价指标体系表``), looks at every cell for a year before it that is
not a comparison — ``(2021年实际支出数 − 2020年支出数) ÷ 2020年…`` in a 2022 sheet, or
``C2 2021 年新增违法用地管控工作``.  A year after 比 / 较 / 与…相比 / 以来 / 截至 (the year
compared with, a starting point) is not reported.

**Why it matters**: sheets are copied from the previous year; a formula or indicator that
still names last year's period measures the wrong year, and scores given against it
cannot be checked.

**Example**: 2022 sheet, B13 ``控制率 = (2021年实际支出数 − 2020年支出数) / 2020年支出数`` →
warning; right: ``(2022年实际支出数 − 2021年支出数) / 2021年支出数``.  ``排名比2021年有进步``
passes.
"""

from __future__ import annotations

import re
from typing import Iterable

from budgetlint.model import Document, Table
from budgetlint.rule import Context, Msg, Rule, Yielded

# a year, alone or glued to an indicator code by the extraction (C22021 年 = C2 + 2021 年)
_YEAR = re.compile(r"(?:(?<=^[A-Z]\d)|(?<!\d))(20\d{2})\s*年")
_TITLE_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
# a year compared with or counted from is not the sheet's own period
_COMPARED = re.compile(r"(?:比|较|与|同|相比|对比|以来|截至|截止|至|起|从|自|上年|去年|前)\s*$")
_COUNTED_FROM = re.compile(r"^(?:度)?\s*(?:以来|起|至今|开始|以前|之前|前|以后|后)")


def _table_year(table: Table) -> int | None:
    years = [int(y) for y in _TITLE_YEAR.findall(table.title or "")]
    return max(years) if years else None


class YearFromAnotherPeriod(Rule):
    code = "H503"
    name = "year-from-another-period"
    severity = "warning"
    summary = Msg("绩效表中出现早于本表年度的年份（疑似沿用上年模板）", "a performance table names an earlier year as its own period")
    title_zh = "年份未更新"
    doc_zh = """
    绩效目标表或评价指标体系表中，把早于本表年度的年份当作本期使用，疑似沿用上年模板。

    **作用**：表名写明年度（``2022 年整体支出绩效评价指标体系表``）时，检查各单元格中早于该年度、且不是用于比较的年份，
    如 2022 年的表中写 ``(2021年实际支出数 − 2020年支出数) ÷ 2020年…``，或 ``C2 2021 年新增违法用地管控工作``。
    跟在 比 / 较 / 与…相比 / 以来 / 截至 等词后的年份（比较对象、起算点）不报告。

    **原因**：表格多由上年的表复制修改；公式或指标仍写上年的期间，衡量的就是错误的年度，据此给出的得分也无法核对。

    **示例**：2022 年的表，B13 ``控制率 = (2021年实际支出数 − 2020年支出数) / 2020年支出数`` → 警告；
    正确：``(2022年实际支出数 − 2021年支出数) / 2021年支出数``。``排名比2021年有进步`` 不报告。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in doc.tables:
            if not table.kind.startswith("perf."):
                continue
            year = _table_year(table)
            if year is None:
                continue
            for row in table.rows:
                for cell in row.cells:
                    text = cell.raw.strip()
                    stale = [m for m in _YEAR.finditer(text) if int(m.group(1)) < year
                             and not _COMPARED.search(text[max(0, m.start() - 6):m.start()])
                             and not _COUNTED_FROM.match(text[m.end():m.end() + 4])]
                    if stale:
                        years = "、".join(dict.fromkeys(f"{m.group(1)}年" for m in stale))
                        shown = text if len(text) <= 60 else text[:60] + "…"
                        yield ctx.finding(
                            self, doc, cell,
                            Msg("本表为 {year} 年度，单元格「{text}」却写 {years}：是否沿用了上年的表？",
                                "this table is for {year} but the cell “{text}” names {years}: kept from last year's table?"),
                            year=str(year), text=shown, years=years,
                        )
