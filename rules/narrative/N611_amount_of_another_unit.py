"""The text gives an amount to one unit while the table lists it under another.

**What it does**: reads the sentences that name a subordinate unit by its place
(``吐鲁番市支队``, ``伊宁县大队``) and an amount, and looks that amount up among the unit
rows of the tables that list amounts by unit (上年结转结余表, 项目支出表).  When the
amount is printed under exactly one unit row of a table that has no unit of the
sentence's place at all, the text and the table disagree on whose money it is (a table
that lists the sentence's own unit is left to the amount checks).

**Why it matters**: explanations are copied between units' sections and years; a
carry-over or project explained as another unit's leaves the reader unable to tell which
unit holds the money, and the two documents contradict each other.

**Example** (万元): 上年结转结余表 ``石河子市国土资源执法监察支队 9.00``; the text: ``非财政拨款结转结余
9.00 万元 … 主要原因是吐鲁番市支队申报 2023 年非财政拨款结转结余项目 9 万元`` → warning naming
both.  Right: ``主要原因是石河子市支队申报…``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from budgetlint.model import Cell, Document, Row, Table
from budgetlint.rule import Context, Msg, Rule, Term, Yielded
from budgetlint.understand.structure import ORG_SUFFIXES

# a unit named by its place: 吐鲁番市支队, 伊宁县国土资源执法监察大队, 乌鲁木齐市米东区大队
_AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*万元")
_ORG = re.compile("(" + "|".join(ORG_SUFFIXES) + ")$")
_KINDS = ("budget.carryover", "budget.gpb_project")


def _place(name: str) -> str | None:
    m = re.match(r"^(?:新疆维吾尔自治区|[\u4e00-\u9fff]{2,3}省)?([\u4e00-\u9fff]{2,6}?(?:市|县|区|州|旗|盟))", name)
    return m.group(1) if m else None


def _unit_rows(table: Table) -> list[tuple[Row, str, Cell]]:
    """(row, place, amount cell) of every unit row: a row named after an organisation, with an amount."""
    amount_col = next((c.index for c in table.columns if c.role == "value"), None)
    if amount_col is None:
        return []
    out = []
    for row in table.rows:
        label = row.label.strip()
        if not _ORG.search(label) or amount_col >= len(row.cells):
            continue
        cell = row.cells[amount_col]
        place = _place(label)
        if cell.value is not None and place:
            out.append((row, place, cell))
    return out


class AmountOfAnotherUnit(Rule):
    code = "N611"
    name = "amount-of-another-unit"
    severity = "warning"
    summary = Msg("正文所说的单位与表格中该金额所属单位不同", "the text gives an amount to another unit than the table does")
    title_zh = "金额所属单位"
    doc_zh = """
    正文把一笔金额归于某个下属单位，表格却把这笔金额列在另一个单位名下。

    **作用**：读取以地名称呼下属单位（``吐鲁番市支队``、``伊宁县大队``）并写明金额的句子，在按单位列示金额的表格
    （上年结转结余表、项目支出表）的单位行中查找该金额。该金额只出现在一个单位行、该单位属于另一地、且句中地名的单位行
    没有这笔金额时，说明正文与表格对这笔钱属于谁说法不一。

    **原因**：说明文字常在单位之间、年度之间复制；把一个单位的结转或项目说成另一个单位的，读者无法判断钱在哪个单位，
    两处互相矛盾。

    **示例**（万元）：上年结转结余表 ``石河子市国土资源执法监察支队 9.00``；正文 ``非财政拨款结转结余 9.00 万元……
    主要原因是吐鲁番市支队申报 2023 年非财政拨款结转结余项目 9 万元`` → 警告，指出两处。正确：``主要原因是石河子市支队申报……``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        by_table = {t.index: (t, _unit_rows(t)) for t in doc.tables if t.kind in _KINDS}
        places = sorted({pl for _, rows in by_table.values() for _, pl, _ in rows}, key=len, reverse=True)
        if not places:
            return
        named = re.compile("(" + "|".join(map(re.escape, places)) + r")[\u4e00-\u9fff]{0,12}?(?:" + "|".join(ORG_SUFFIXES) + ")")
        for p in doc.prose:
            for sentence in re.split(r"(?<=[。；;])", p.text):
                units = {m.group(1) for m in named.finditer(sentence)}
                if len(units) != 1:
                    continue  # no unit named, or several: whose amount is whose is not certain
                (place,) = units
                reported: set[int] = set()
                for m in _AMOUNT.finditer(sentence):
                    amount = Decimal(m.group(1).replace(",", ""))
                    if amount == 0:
                        continue
                    for t, rows in by_table.values():
                        if any(pl == place for _, pl, _ in rows):
                            continue  # the table lists the sentence's own unit: its amounts are compared elsewhere
                        holders = [(r, pl, c) for r, pl, c in rows if c.value == amount]
                        if len(holders) != 1 or id(holders[0][2]) in reported:
                            continue
                        r, pl, c = holders[0]
                        reported.add(id(c))
                        yield ctx.finding(
                            self, doc, p,
                            Msg("正文说 {amount} 万元属于「{place}」的单位，但{t}中这笔金额列在「{unit}」名下（该表没有{place}的单位）",
                                "the text gives {amount} 万元 to a unit of {place}, but {t} lists it under “{unit}” (and no unit of {place})"),
                            terms=[Term(c, label=r.label)], amount=m.group(1), place=place, unit=r.label,
                            t=f"《{t.title or t.number or ''}》",
                        )
