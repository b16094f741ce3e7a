"""A year-on-year statement contradicts itself.

**What it does**: for ``X 万元，比上年增加 A 万元，增长 B%`` checks that
B = A ÷ (X − A) (a decrease: A ÷ (X + A)) at the precision B is printed,
with interval arithmetic on the rounding of X and A; that 增加/增长 is not
followed by a negative figure nor paired with 下降 (and the reverse).  When
the amount is not repeated in the sentence (``三公经费…增加 0.00 万元``) X is
the table cell the subject names.  On a zero base (X = A) growth is
undefined: ``增长 100.00%`` there is a template habit and only a warning;
``增加 0.00，增长 0.00%`` on zero is consistent.

**Why it matters**: growth rates are copied from last year's template more
often than any other figure.

**Example**: ``基本支出 12,659.61 万元，比上年预算增加 761.24 万元，增长 6.04%``
→ error, expected 6.40%.  ``减少 20.00 万元，增长 0.42%`` → error (下降).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Iterator

from budgetlint.understand import narrative as nv
from budgetlint.model import Document
from budgetlint.rounding import judge_ratio
from budgetlint.rule import Context, Msg, Ratio, Rule, Term, Yielded

from ._common import HUNDRED, _narrative, _subject


class YearOnYearInconsistent(Rule):
    code = "N603"
    name = "year-on-year-inconsistent"
    severity = "error"
    summary = Msg("正文同比增减额与增减率不符", "year-on-year change and rate do not agree")
    title_zh = "同比增减自相矛盾"
    doc_zh = """
    同比增减的表述自相矛盾。

    **作用**：对 ``X 万元，比上年增加 A 万元，增长 B%`` 检查 B = A ÷（X − A）（减少时为 A ÷（X + A）），
    按 B 印出的精度比较，并对 X 和 A 的舍入做区间运算；“增加/增长”后不得跟负数，也不得与“下降”搭配（反之亦然）。
    句中没有重复金额时（``三公经费…增加 0.00 万元``），X 取主语所指的表格单元格。上年为零（X = A）时增长率无定义，
    写“增长 100.00%”是模板习惯，只报警告。

    **原因**：增减额、增减率和方向互相矛盾时，至少有一个数字是错的，读者无法判断哪个可信。

    **示例**：``基本支出 12,659.61 万元，比上年预算增加 761.24 万元，增长 6.04%`` → 错误，应为 6.40%。
    ``减少 20.00 万元，增长 0.42%`` → 错误（应为下降）。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        for it in nar.items:
            if it.change is None and it.pct is None:
                continue
            s = _subject(it)
            # direction words against signs
            for cell, word in ((it.change, it.change_word), (it.pct, it.pct_word)):
                if cell is not None and cell.value is not None and cell.value < 0:
                    yield ctx.finding(
                        self, doc, cell,
                        Msg("「{s}」写作“{w}”却跟着负数 {actual}", "“{s}”: “{w}” followed by a negative figure {actual}"),
                        actual=cell.value, s=s, w=word, terms=[Term(cell, label=f"正文：{s}")],
                    )
            if it.change is not None and it.pct is not None and it.change_dir and it.pct_dir and it.change_dir != it.pct_dir:
                if not (it.change.value == 0 and it.pct.value == 0):
                    yield ctx.finding(
                        self, doc, it.pct,
                        Msg("「{s}」先说“{w1}”后说“{w2}”，方向矛盾", "“{s}”: “{w1}” then “{w2}”, the directions contradict"),
                        s=s, w1=it.change_word, w2=it.pct_word,
                        terms=[Term(it.change, label=f"正文：{s}"), Term(it.pct, label=f"正文：{s}")],
                    )
                continue
            if it.change is None or it.pct is None or it.change.value is None or it.pct.value is None:
                continue
            if it.base is not None and it.base.value is not None:
                yield from self._against_base(doc, ctx, it, s)
                continue
            x = it.amount if it.amount is not None else it.count
            if x is None:
                link = nv.link_item(nar, it)
                if link is None:
                    continue
                x = link.cell
            xv = x.value if x.value is not None else Decimal(0)
            a, b = abs(it.change.value), abs(it.pct.value)
            d = it.change_dir or it.pct_dir or 1
            terms = [Term(x, label=f"本年：{s}"), Term(it.change, label=f"增减额：{s}")]
            # rate = change ÷ last year, last year = this year ∓ change
            numerator, denominator = [Term(it.change)], [Term(x), Term(it.change, -d)]
            if not judge_ratio(it.pct, [(1, it.change)], [(1, x), (-d, it.change)], magnitudes=True).defined:
                # zero (or no) base: growth undefined
                if a == 0 and b == 0:
                    continue
                if b == HUNDRED:
                    yield ctx.finding(
                        self, doc, it.pct,
                        Msg("「{s}」上年为零（本年 {x} 全为增加额），增长率无定义，“增长 100%”系模板写法", "“{s}”: last year was zero (all of {x} is new), growth is undefined; “100%” is a template habit"),
                        severity="warning", actual=b, s=s, x=xv, terms=terms,
                    )
                else:
                    yield ctx.finding(
                        self, doc, it.pct,
                        Msg("「{s}」上年为零，增长率无定义，正文却写 {actual}%", "“{s}”: last year was zero, growth is undefined, yet the text says {actual}%"),
                        severity="warning", actual=b, s=s, terms=terms,
                    )
                continue
            formula = f"{a} ÷ ({xv} {'−' if d > 0 else '+'} {a})"
            yield self._rate(it, numerator, denominator, terms + [Term(it.pct, label=f"增减率：{s}")], s, "增长" if d > 0 else "下降", formula)

    def _rate(self, it: nv.Item, numerator: list[Term], denominator: list[Term], terms: list[Term], s: str, w: str, formula: str) -> Ratio:
        """The stated rate as a ratio of the stated change to last year's amount, judged by the engine."""
        return Ratio(
            rule=self, ratio=it.pct, numerator=numerator, denominator=denominator, terms=terms,  # type: ignore[arg-type]
            magnitudes=True, extra={"s": s, "w": w, "f": formula},
            message=Msg("「{s}」{w}率应为 {expected}%（{f}），正文为 {actual}%", "“{s}”: the rate should be {expected}% ({f}), the text says {actual}%"),
            rounding_message=Msg("「{s}」{w}率 {actual}% 与计算值 {expected}%（{f}）的差在舍入误差以内",
                                 "“{s}”: the rate {actual}% differs from {expected}% ({f}) within rounding"),
        )

    def _against_base(self, doc: Document, ctx: Context, it: nv.Item, s: str) -> Iterator[Yielded]:
        """The sentence states the year compared with: B = A ÷ that amount."""
        base, a = it.base, abs(it.change.value)  # type: ignore[union-attr,arg-type]
        w = "增长" if (it.change_dir or it.pct_dir) >= 0 else "下降"
        yield self._rate(
            it, [Term(it.change)], [Term(base)],  # type: ignore[arg-type]
            [Term(base, label=f"上年：{s}"), Term(it.change, label=f"增减额：{s}"), Term(it.pct, label=f"增减率：{s}")],  # type: ignore[arg-type]
            s, w, f"{a} ÷ {base.value}",  # type: ignore[union-attr]
        )
