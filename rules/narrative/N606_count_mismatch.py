"""A count or total stated in prose differs from the tables.

**What it does**: compares sentences like ``当年财政拨款项目 102 个，涉及预算金额
4,780.00 万元`` with the project expenditure table: the number of projects
it lists and its 合计.  ``非财政拨款项目 N 个，涉及预算金额 Y 万元`` is compared
with the project performance-target tables less the fiscal projects, and
with 支出总表 项目支出 less 项目支出表 合计 (warnings: the pairing is inferred).

**Why it matters**: counts in the text are rarely updated when projects
are merged or added.

**Example**: 项目支出表 lists 102 projects; ``当年财政拨款项目 103 个`` → error.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Iterator

from budgetlint.understand import narrative as nv
from budgetlint.model import Cell, Document, Table
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

from ._common import _PROJECT_COUNT_RE, _narrative, _subject, _tname


class CountMismatch(Rule):
    code = "N606"
    name = "count-mismatch"
    severity = "error"
    summary = Msg("正文所述个数或总额与表格不符", "count or total in the narrative differs from the tables")
    title_zh = "个数或总额与表格不符"
    doc_zh = """
    正文所述的个数或总额与表格不符。

    **作用**：把 ``当年财政拨款项目 102 个，涉及预算金额 4,780.00 万元`` 这类表述与项目支出表比较：所列项目个数及其合计。
    ``非财政拨款项目 N 个，涉及预算金额 Y 万元`` 与项目绩效目标表减去财政拨款项目后的结果、支出总表项目支出减项目支出表合计比较
    （配对是推断的，报为警告）。

    **原因**：个数对不上，说明表格漏列、多列了项目，或正文沿用了旧数字。

    **示例**：项目支出表列出 102 个项目，正文写 ``当年财政拨款项目 103 个`` → 错误。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        lk = nar.linker
        t7 = lk.project_table()
        if t7 is None:
            return
        n7 = lk.project_count() or 0
        t7_total = lk.table_total("budget.gpb_project")
        targets = sum(1 for t in doc.tables if t.kind == "perf.project_target")
        for it in nar.items:
            if it.count is None or it.count.unit not in ("个", "项") or not _PROJECT_COUNT_RE.search(it.subject):
                continue
            s = _subject(it)
            non_fiscal = "非财政" in it.subject
            if non_fiscal:
                if targets > n7:
                    yield from self._count(doc, ctx, it, targets - n7, t7, "warning", f"项目绩效目标表 {targets} 张 − 项目支出表 {n7} 个", s)
                t3_proj = lk.table_total("budget.expenditure", "项目支出")
                if it.amount is not None and t3_proj is not None and t7_total is not None and t3_proj.value is not None:
                    yield Identity(
                        rule=self, total=it.amount, terms=[Term(t3_proj), Term(t7_total, sign=-1)], severity="warning",
                        exact=not it.amount.approx,
                        what=Msg(f"正文「{s}」金额与支出总表项目支出减项目支出表合计不符", f"the text's “{s}” differs from total project spending less the project table"),
                    )
                continue
            if not any(w in it.subject for w in ("财政拨款", "一般公共预算")) and it.subject not in ("项目", "当年项目"):
                continue
            yield from self._count(doc, ctx, it, n7, t7, "error", f"{_tname(t7)}所列项目", s)
            if it.amount is not None and t7_total is not None and t7_total.value is not None:
                yield Identity(
                    rule=self, total=it.amount, terms=[Term(t7_total)], exact=not it.amount.approx,
                    what=Msg(f"正文「{s}」涉及金额与{_tname(t7)}合计不符", f"the amount of “{s}” differs from the total of {_tname(t7)}"),
                )

    def _count(self, doc, ctx, it: nv.Item, n: int, t: Table, severity: str, how: str, s: str) -> Iterator[Yielded]:
        if it.count is None or it.count.value == n:
            return
        ref = Cell(raw=str(n), loc=t.loc, value=Decimal(n), decimals=0, blank=False, unit=it.count.unit)
        yield ctx.finding(
            self, doc, it.count,
            Msg("正文「{s}」为 {actual} 个，{how}为 {expected} 个", "the text states {actual} for “{s}”, {how}: {expected}"),
            severity=severity, expected=n, actual=it.count.value, difference=(it.count.value or 0) - n, s=s, how=how,
            terms=[Term(it.count, label=f"正文：{s}"), Term(ref, label=how)],
        )
