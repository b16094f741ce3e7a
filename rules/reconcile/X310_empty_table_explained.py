"""An empty 政府性基金 / 国有资本经营 table comes with its explanation.

**What it does**: when the 政府性基金预算支出表 or the 国有资本经营预算支出表 has
no amounts, looks for the sentence saying why (right after the table, or in
the narrative about that budget).  Without it: warning.

**Why it matters**: disclosure rules require an empty table to be
published with a note; an empty table without one looks like an omission.

**Example**::

    wrong:  表8 政府性基金预算支出情况表 (header only, nothing after it)
    right:  表8 …   本单位 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import _EMPTY_WORDS, _SUBJECT


class EmptyTableExplained(Rule):
    code = "X310"
    name = "empty-table-explained"
    severity = "warning"
    summary = Msg("空表须附说明", "an empty table needs its explanation")
    title_zh = "空表说明"
    doc_zh = """
    空的政府性基金或国有资本经营预算表须附说明。

    **作用**：政府性基金预算支出表或国有资本经营预算支出表没有数据时，检查表后或正文中有“为空表”的说明。

    **原因**：公开规定要求空表也要公开并说明原因；没有说明的空表看起来像漏填。

    **示例**：错误：表 8 政府性基金预算支出情况表只有表头，其后没有说明。正确：表后写明
    “本单位 2024 年没有使用政府性基金预算拨款安排的支出，政府性基金预算支出情况表为空表。”
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in doc.tables:
            subject = _SUBJECT.get(table.kind)
            if subject is None or not tb.is_empty(table):
                continue
            if any(_EMPTY_WORDS.search(tb.norm(p.text)) for p in table.notes):
                continue
            if any(_EMPTY_WORDS.search(tb.norm(c.raw)) for r in table.rows for c in r.cells if c.value is None and c.raw.strip()):
                continue  # the note printed inside the grid: 合计 (无政府性基金支出)
            if any(subject in tb.norm(p.text) and _EMPTY_WORDS.search(tb.norm(p.text)) for p in doc.prose):
                continue
            yield ctx.finding(
                self, doc, table,
                Msg("{t}没有数据，也没有说明为空表的原因", "{t} has no amounts and no sentence explaining why"),
                t=tb.table_name(table),
            )
