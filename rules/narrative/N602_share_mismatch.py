"""A share "占 Y%" differs from the amount divided by its whole.

**What it does**: recomputes every ``X 万元，占 Y%`` from the printed X and
the whole it refers to — the whole the sentence names (``占…的``), the
list's stated total (``收入预算 17,798.61 万元，其中：…``), the total row of
the table the item's row belongs to, or the sum of a complete structure —
and compares at the precision Y is printed, allowing for the rounding of X
and the whole (interval arithmetic on the ratio; no fixed epsilon).  Shares
forced to add to exactly 100.00 (one share off by its last digit) are
rounding, not errors (domain §3).

**Why it matters**: a share that does not match its amounts is usually a
figure left over from last year's text.

**Example**: ``单位资金 350.00 万元，占 2.97%`` of 17,798.61 → error,
expected 1.97%.  Right: ``占 1.97%``.  ``占 2%`` and ``占 1.9664%`` are
checked at 0 and 4 decimals.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Ratio, Rule, Term, Yielded

from ._common import _narrative, _subject, share_checks


class ShareMismatch(Rule):
    code = "N602"
    name = "share-mismatch"
    severity = "error"
    summary = Msg("正文占比与金额不符", "share in the narrative does not match its amounts")
    title_zh = "占比与金额不符"
    doc_zh = """
    正文中的“占 Y%”与金额除以其总数的结果不符。

    **作用**：用印出的金额 X 和其所指总数（句中点明的“占…的”、列举前写明的总数、该项所在表格的总计行，
    或完整结构之和）重新计算每个 ``X 万元，占 Y%``，按 Y 印出的精度比较，并计入 X 和总数的舍入
    （对比率做区间运算，没有固定误差）。为凑成 100.00 而调整末位的占比属于舍入，不是错误。

    **原因**：占比是读者最常引用的数字之一，算错的占比会误导对结构的判断。

    **示例**：17,798.61 中的 ``单位资金 350.00 万元，占 2.97%`` → 错误，应为 1.97%。正确：``占 1.97%``。
    ``占 2%`` 和 ``占 1.9664%`` 分别按 0 位和 4 位小数检查。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for c in share_checks(nar):
            terms = [Term(c.x, label=f"正文：{_subject(c.item)}"), Term(c.whole, label=c.whole_label)]
            if c.excused:
                if ctx.show_rounding:
                    yield ctx.finding(
                        self, doc, c.item.share,
                        Msg("「{s}」占比 {actual}% 与计算值 {expected}% 相差末位，系为凑足 100% 的舍入", "share of “{s}” {actual}% is one last digit off {expected}%, rounding forced to total 100%"),
                        severity="info", expected=c.expected, actual=c.item.share.value, s=_subject(c.item), terms=terms,  # type: ignore[union-attr]
                    )
                continue
            yield Ratio(
                rule=self, ratio=c.item.share, numerator=[Term(c.x)], denominator=[Term(c.whole)], terms=terms,  # type: ignore[arg-type]
                message=Msg(
                    "「{s}」占比应为 {expected}%（{x} ÷ {w} {wl}），正文为 {actual}%",
                    "share of “{s}” should be {expected}% ({x} ÷ {w} {wl}), the text says {actual}%",
                ),
                rounding_message=Msg(
                    "「{s}」占比 {actual}% 与计算值 {expected}%（{x} ÷ {w} {wl}）的差在舍入误差以内",
                    "share of “{s}” {actual}% differs from {expected}% ({x} ÷ {w} {wl}) within rounding",
                ),
                extra={"s": _subject(c.item), "x": c.x.value, "w": c.whole.value, "wl": c.whole_label},
            )
