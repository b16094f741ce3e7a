"""A budget execution rate in the prose differs from the spending divided by the budget it names.

**What it does**: where a sentence states a budget (全年预算数, 预算资金, 调整预算…), what was
spent (全年执行数, 实际支出, 已支付…) and an execution rate (``预算执行率为 90%``), the rate
is recomputed from the two amounts as printed and compared at the precision it is printed
with, allowing for the rounding of both amounts (interval arithmetic on the ratio).  The
amounts are looked for in the rate's own sentence, then in the sentence before it.
Where the sentence gives no amounts and the document holds one 绩效自评表, the rate
must follow from that table's 全年执行数 ÷ 全年预算数 (or equal its 执行率 when the
amounts are not printed); a rate said to be last year's, a department's or an
average is left alone.

**Why it matters**: the execution rate is the first figure a self-evaluation report gives
and carries points of its own; a rate typed by hand that does not follow from the amounts
beside it changes the score.

**Example**: ``全年预算数 120.00 万元，全年执行数 108.00 万元，预算执行率为 85%`` → warning,
108.00 ÷ 120.00 = 90%.  Right: ``预算执行率为 90%``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from budgetlint.model import Cell, Document
from budgetlint.numbers import parse_number
from budgetlint.rule import Context, Identity, Msg, Ratio, Rule, Term, Yielded
from budgetlint.understand.narrative import sentence_start

from ._common import _narrative, _subject

_RATE = re.compile(r"(?:预算|资金|项目)?执行率(?:为|达到|达|是|:|：)?\s*(?P<num>\d{1,3}(?:\.\d+)?)\s*%")
_BUDGET = re.compile(r"预算数|预算资金|预算金额|调整预算|全年预算|年初预算|预算安排|安排资金|预算总额|资金总额")
_SPENT = re.compile(r"执行数|执行金额|实际支出|支出数|已支出|已支付|支付资金|实际使用|使用资金|累计支出|完成支出")
_CLAUSE_END = "。；;！!？?"  # a rate and its amounts are looked for clause by clause


class ExecutionRateInProse(Rule):
    code = "N612"
    name = "execution-rate-in-prose"
    severity = "warning"
    summary = Msg("正文预算执行率与所述金额不符", "execution rate in the prose does not match its amounts")
    title_zh = "正文执行率与金额不符"
    doc_zh = """
    正文所述预算执行率与其所写的执行数除以预算数不符。

    **作用**：一句话写了预算（全年预算数、预算资金、调整预算…）、支出（全年执行数、实际支出、已支付…）和执行率
    （``预算执行率为 90%``）时，用印出的两个金额重新计算执行率，按执行率印出的精度比较，并计入两个金额的舍入
    （对比率做区间运算）。金额先在执行率所在的句子里找，再在前一句里找。句中没有金额、文件中只有一张绩效自评表时，
    正文执行率应等于该表全年执行数 ÷ 全年预算数（未印金额时等于该表执行率）；写明上年、部门整体或平均的执行率不比较。

    **原因**：执行率是自评报告最先给出的数字，并单独计分；手填的执行率与旁边的金额不符，得分就不对。

    **示例**：``全年预算数 120.00 万元，全年执行数 108.00 万元，预算执行率为 85%`` → 警告，108.00 ÷ 120.00 = 90%。
    正确：``预算执行率为 90%``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        by_text: dict[int, list] = {}
        for it in nar.items:
            if it.amount is not None and it.amount.value is not None:
                by_text.setdefault(id(it.text), []).append(it)
        table_rate = _table_rate(doc)
        for text in nar.texts:
            items = by_text.get(id(text), [])
            for m in _RATE.finditer(text.text):
                n = parse_number(m.group("num") + "%")
                rate = Cell(raw=m.group(0), loc=text.loc_at(m.start("num")), value=n.value, decimals=n.decimals,
                            blank=False, unit="%", percent=True)
                pair = _amounts(text.text, items, m.start())
                if pair is None:
                    clause = text.text[sentence_start(text.text, m.start(), _CLAUSE_END):m.end()]
                    if table_rate is not None and not _OTHER_RATE.search(clause):
                        yield from self._against_table(rate, *table_rate)
                    continue
                budget, spent = pair
                if budget.amount.value == 0 or (budget.amount.unit or "") != (spent.amount.unit or ""):
                    continue
                how = f"{spent.amount.raw.strip()} ÷ {budget.amount.raw.strip()}"
                yield Ratio(
                    rule=self, ratio=rate, numerator=[Term(spent.amount, label=f"正文：{_subject(spent)}")],
                    denominator=[Term(budget.amount, label=f"正文：{_subject(budget)}")],
                    terms=[Term(spent.amount, label=f"正文：{_subject(spent)}"), Term(budget.amount, label=f"正文：{_subject(budget)}")],
                    scale=Decimal(100), anchor=rate, severity="warning", extra={"f": how},
                    message=Msg("正文执行率应为 {expected}%（{f}），正文写 {actual}%",
                                "the execution rate in the text should be {expected}% ({f}); the text says {actual}%"),
                    rounding_message=Msg("正文执行率 {actual}% 与计算值 {expected}%（{f}）的差在舍入误差以内",
                                         "execution rate {actual}% in the text differs from {expected}% ({f}) within rounding"),
                )


    def _against_table(self, rate: Cell, budget: Cell | None, spent: Cell | None, printed: Cell | None) -> Iterable[Yielded]:
        """A rate the text states alone: the table's amounts decide it (a wrong 执行率 in the table is P411's)."""
        if budget is not None and spent is not None and budget.value:
            how = f"自评表 {spent.raw.strip()} ÷ {budget.raw.strip()}"
            yield Ratio(
                rule=self, ratio=rate, numerator=[Term(spent, label="自评表：全年执行数")], denominator=[Term(budget, label="自评表：全年预算数")],
                terms=[Term(spent, label="自评表：全年执行数"), Term(budget, label="自评表：全年预算数")],
                scale=Decimal(100), anchor=rate, severity="warning", extra={"f": how},
                message=Msg("正文执行率应为 {expected}%（{f}），正文写 {actual}%",
                            "the execution rate in the text should be {expected}% ({f}); the text says {actual}%"),
                rounding_message=Msg("正文执行率 {actual}% 与自评表计算值 {expected}%（{f}）的差在舍入误差以内",
                                     "execution rate {actual}% in the text differs from {expected}% ({f}) within rounding"),
            )
        elif printed is not None and printed.percent:
            yield Identity(
                rule=self, total=rate, terms=[Term(printed, label="自评表：执行率")], severity="warning",
                what=Msg("正文所述预算执行率应与绩效自评表的执行率一致", "the execution rate in the text = the self-evaluation table's"),
            )


_OTHER_RATE = re.compile(r"上年|去年|以前年度|历年|整体|部门预算|全省|全市|全县|序时|平均")


def _table_rate(doc: Document) -> tuple[Cell | None, Cell | None, Cell | None] | None:
    """(全年预算数, 全年执行数, 执行率) of the document's one self-evaluation form; None when it has none or
    several (which one would the text mean?)."""
    if not any(t.kind == "perf.scoring" for t in doc.tables):
        return None
    from budgetlint.understand.perf import perf_view

    blocks = [tree.execution for tree in perf_view(doc).scoring if tree.execution is not None]
    if len(blocks) != 1:
        return None
    ex = blocks[0]

    def printed(key: str) -> Cell | None:
        c = ex.cell(ex.total, key)
        return c if c is not None and c.value is not None else None

    return printed("budget"), printed("executed"), printed("rate")


def _amounts(s: str, items: list, at: int):
    """The budget and the spending stated before ``at``: in its sentence, else with the sentence before."""
    start = sentence_start(s, at, _CLAUSE_END)
    for lo in (start, sentence_start(s, start - 1, _CLAUSE_END) if start > 0 else start):
        window = [it for it in items if lo <= it.pos < at]
        budget = [it for it in window if _BUDGET.search(it.subject or it.label) and not _SPENT.search(it.subject or it.label)]
        spent = [it for it in window if _SPENT.search(it.subject or it.label)]
        if budget and spent:
            return budget[-1], spent[-1]
    return None
