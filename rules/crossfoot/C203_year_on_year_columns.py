"""A row's change or rate of change does not follow from its two years' amounts.

**What it does**: in a table that sets two periods side by side (``2023年预算数 |
2024年预算数``, ``上年 | 本年``) with a change column (``增减额``, ``增减``, ``比上年增减``)
and possibly a rate column (``增减率``, ``增长率``, ``增减%``), checks in every row that
增减额 = later − earlier, and that 增减率 = 增减额 ÷ earlier × 100 — both with the interval
rule of the printed digits (the rate from the two amounts, so that a wrong 增减额 is reported
once).  A row whose earlier amount is zero or blank has no rate and is left alone; a blank
rate cell is not checked.

**Why it matters**: year-on-year tables are filled column by column; a change or rate
copied from last year's sheet, or left unchanged after an amount was corrected, is what a
reader quotes, and the narrative repeats it.

**Example** (万元): ``208 社会保障和就业支出 | 150.00 | 168.70 | 18.70 | 12.47``: 168.70 −
150.00 = 18.70 and 18.70 ÷ 150.00 = 12.47 % — right.  A rate printed 13.47 → ``C203``,
expected 12.47.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Iterator

from budgetlint.identity import Ratio
from budgetlint.model import Column, Document, Table
from budgetlint.rule import Context, Msg, Rule, Term, Yielded
from budgetlint.understand.labels import norm

from ._common import _row_identities, _row_nodes, _short, _tables

_YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")
_EARLIER = ("上年", "上年度", "去年", "前一年")
_LATER = ("本年", "本年度", "今年", "当年")
_CHANGE = re.compile(r"^(?:比上年)?(?:增减|增减额|增减数|增减变动|变动额|增加额|增(?:\(\+\))?减(?:\(-\))?额?)$")
_RATE = re.compile(r"(?:增减|增长|变动|增幅|增减幅度).*(?:率|%|幅度)|^(?:增幅|增长%|增减%)$")


def _period(col: Column) -> int | None:
    """The period a column's caption names: a year, or −1/0 for 上年/本年."""
    text = "".join(col.path)
    m = _YEAR.search(text)
    if m:
        return int(m.group(1))
    if any(w in text for w in _EARLIER):
        return -1
    if any(w in text for w in _LATER):
        return 0
    return None


def _columns(table: Table, value_cols: list[int]) -> tuple[int, int, int | None, int | None] | None:
    """(earlier, later, change, rate) column indices, when the captions name exactly two periods and a change."""
    cols = [table.columns[c] for c in value_cols]
    change = [c.index for c in cols if _CHANGE.match(_leaf(c))]
    rate = [c.index for c in cols if _RATE.search(_leaf(c))]
    periods: dict[int, list[int]] = {}
    for c in cols:
        if c.index in change or c.index in rate:
            continue
        p = _period(c)
        if p is not None:
            periods.setdefault(p, []).append(c.index)
    if len(periods) != 2 or any(len(v) != 1 for v in periods.values()):
        return None
    if {-1, 0} & set(periods) and len({-1, 0} & set(periods)) != 2:
        return None  # one year written out and one 本年/上年: the order is not certain
    (earlier,), (later,) = (periods[k] for k in sorted(periods))
    if len(change) > 1 or len(rate) > 1 or not (change or rate):
        return None
    return earlier, later, change[0] if change else None, rate[0] if rate else None


def _leaf(col: Column) -> str:
    return norm(col.leaf).replace("（", "(").replace("）", ")")


class YearOnYearColumns(Rule):
    code = "C203"
    name = "year-on-year-columns"
    severity = "error"
    summary = Msg("增减额或增减率与两年金额不符", "a row's change or rate of change does not follow from its two years")
    title_zh = "增减栏"
    doc_zh = """
    某行的增减额或增减率与该行两个年度的金额不符。

    **作用**：表格并列两个期间（``2023年预算数 | 2024年预算数``、``上年 | 本年``）并有增减栏
    （``增减额``、``增减``、``比上年增减``），可能还有增减率栏（``增减率``、``增长率``、``增减%``）时，
    逐行检查 增减额 = 后一期 − 前一期，增减率 = 增减额 ÷ 前一期 × 100，均按所印位数的区间规则判断。
    前一期为零或空白的行没有增减率，不检查；增减率为空的单元格不检查。

    **原因**：年度对比表逐栏填写；从上年表抄来的增减数、改了金额却没改的增减率，正是读者引用、
    正文照抄的数字。

    **示例**（万元）：``208 社会保障和就业支出 | 150.00 | 168.70 | 18.70 | 12.47``：168.70 − 150.00 = 18.70，
    18.70 ÷ 150.00 = 12.47%，正确；增减率印为 13.47 → ``C203``，应为 12.47。
    """
    config_keys = ("crossfoot.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.understand.structure import sides

        for table in _tables(doc, ctx):
            for side in sides(table):
                found = _columns(table, list(side.value_cols))
                if found is None:
                    continue
                earlier, later, change, rate = found
                e, l_ = table.columns[earlier], table.columns[later]
                if change is not None:
                    c = table.columns[change]
                    yield from _row_identities(
                        self, table, change, [(1, later), (-1, earlier)], "=",
                        f"「{{row}}」行：「{_short(c)}」应等于「{_short(l_)}」−「{_short(e)}」",
                        f"row '{{row}}': '{_short(c)}' should equal '{_short(l_)}' − '{_short(e)}'",
                    )
                if rate is not None:
                    yield from self._rates(table, earlier, later, change, rate)

    def _rates(self, table: Table, earlier: int, later: int, change: int | None, rate: int) -> Iterator[Ratio]:
        r = table.columns[rate]
        for node in _row_nodes(table, rate):
            cells = node.row.cells
            pct, base = cells[rate], cells[earlier]
            if pct.value is None or base.value is None or base.value == 0:
                continue
            # the rate follows from the two amounts (a wrong 增减额 is its own finding, not the rate's)
            if cells[later].value is not None:
                numerator = [Term(cells[later]), Term(base, sign=-1)]
                how = f"({cells[later].raw.strip()} − {base.raw.strip()}) ÷ {base.raw.strip()}"
            elif change is not None and cells[change].value is not None:
                numerator = [Term(cells[change])]
                how = f"{cells[change].raw.strip()} ÷ {base.raw.strip()}"
            else:
                continue
            label = node.display()
            change_value = sum((t.sign * t.cell.value for t in numerator), Decimal(0))
            # a decrease printed as a negative rate is judged on magnitudes (the fall ÷ the earlier
            # amount); a rate whose sign differs from the change's is a finding
            magnitudes = change_value < 0 and pct.value < 0
            if magnitudes and len(numerator) == 2:
                numerator = [Term(base), Term(cells[later], sign=-1)]
            yield Ratio(
                rule=self, ratio=pct, numerator=numerator, denominator=[Term(base)],
                terms=[t for t in numerator if t.cell is not base] + [Term(base), Term(pct)], scale=Decimal(100), anchor=pct,
                magnitudes=magnitudes,
                extra={"row": label, "col": _short(r), "f": how},
                message=Msg("「{row}」行「{col}」应为 {expected}%（{f}），表中为 {actual}%",
                            "row “{row}”: “{col}” should be {expected}% ({f}); the table says {actual}%"),
                rounding_message=Msg("「{row}」行「{col}」{actual}% 与计算值 {expected}%（{f}）的差在舍入误差以内",
                                     "row “{row}”: “{col}” {actual}% differs from {expected}% ({f}) within rounding"),
            )
