"""The shares of one structure add up to more or less than 100%.

**What it does**: adds the ``占 Y%`` of the parts of one structure (a list
with its whole, or a run of paragraphs each stating a share, e.g. the four
类 of 一般公共预算当年拨款结构) and compares with 100 allowing half a unit of
the last printed digit per share.  More than 100 is always wrong; less is
wrong when the listed amounts make up the whole.  A total the individual
shares already explain (N602) is not reported twice.

**Why it matters**: shares that do not close usually mean one share was
edited and the others not.

**Example**: 10.33% + 5.75% + 78.69% + 5.23% = 100.00 (right: the 78.69 is
forced rounding); 10.33% + 5.75% + 79.69% + 5.23% = 101.00 → error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from budgetlint.model import Document
from budgetlint.rounding import sum_holds
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

from ._common import HUNDRED, _narrative, _subject, share_checks


class SharesDoNotTotal100(Rule):
    code = "N605"
    name = "shares-do-not-total-100"
    severity = "error"
    summary = Msg("结构占比之和不为 100%", "shares of a structure do not add up to 100%")
    title_zh = "占比之和不为 100%"
    doc_zh = """
    同一结构的各项占比之和多于或少于 100%。

    **作用**：把同一结构各部分的“占 Y%”相加（带总数的列举，或连续各段各写一个占比，如一般公共预算当年拨款结构的四个类），
    每个占比允许末位半个单位的舍入，与 100 比较。超过 100 总是错误；列出的金额构成整体时，不足 100 也是错误。
    已由单项占比（N602）说明的不重复报告。

    **原因**：占比之和不是 100%，说明某项占比算错或漏列了一项。

    **示例**：10.33% + 5.75% + 78.69% + 5.23% = 100.00（正确，78.69 是为凑整调整的舍入）；
    10.33% + 5.75% + 79.69% + 5.23% = 101.00 → 错误。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        checks = share_checks(nar)
        failed = {id(c.item) for c in checks if not c.ok and not c.excused}
        by_item = {id(c.item): c for c in checks}
        for g in nar.groups:
            shares = [p for p in g.parts if p.share is not None and p.share.value is not None]
            if len(shares) < 2:
                continue
            if any(id(p) in failed for p in shares):
                continue
            cells = [p.share for p in shares]
            total = sum((c.value for c in cells), Decimal(0))  # type: ignore[misc]
            if total < HUNDRED and not sum_holds(None, cells, HUNDRED):  # type: ignore[arg-type]
                # short of 100 beyond rounding: an error only when the listed parts are the whole structure
                wholes = {id(by_item[id(p)].whole) for p in shares if id(p) in by_item}
                if not (len(wholes) == 1 and all(id(p) in by_item and p.amount is not None for p in shares)
                        and len(shares) == len(g.parts)
                        and sum_holds(by_item[id(shares[0])].whole, [p.amount for p in shares])):  # type: ignore[misc]
                    continue
            yield Identity(
                rule=self, total=None, constant=HUNDRED, terms=[Term(p.share, label=f"占比：{_subject(p)}") for p in shares],  # type: ignore[arg-type]
                anchor=shares[0].share, extra={"g": g.label or "结构"},
                what=Msg("「{g}」各项占比之和", "the shares of “{g}”"),
                message=Msg("「{g}」各项占比之和为 {actual}%，应为 100%", "the shares of “{g}” add up to {actual}%, not 100%"),
            )
