"""The year-on-year changes of the items do not add up to the change of their total.

**What it does**: finds runs of statements in the prose that each give an amount
and a change on last year (``基本支出 12,659.61 万元，比上年增加 761.24 万元``;
``项目支出 4,780.00 万元，比上年减少 20.00 万元``), looks for the statement of the
whole they make up — one whose amount equals the sum of their amounts within
rounding (``一般公共预算 17,439.61 万元，比上年增加 741.24 万元``) — and checks that
the signed changes of the parts add up to the change of the whole, with the
interval rounding rule.  Runs are made of statements of the same section and the
same level (类/款/项 items apart from plain items).

**Why it matters**: when the parts' changes do not add up, at least one of the
stated changes (or last year's base behind it) is wrong, even if every single
growth rate is consistent with its own change.

**Example**: 基本支出 +761.24 and 项目支出 −20.00 against 一般公共预算 +741.24 is right;
the same parts against a stated +714.24 → ``N609``.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.understand import narrative as nv
from budgetlint.model import Document
from budgetlint.rounding import sum_holds
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

from ._common import _LEVEL_MARK, _narrative, _subject


class ChangesDoNotAddUp(Rule):
    code = "N609"
    name = "changes-do-not-add-up"
    severity = "error"
    summary = Msg("各项增减额之和与合计的增减额不符", "the items' year-on-year changes do not add up to the total's")
    title_zh = "增减额之和不符"
    doc_zh = """
    各项的同比增减额之和与其合计的增减额不符。

    **作用**：找出正文中连续给出金额和比上年增减额的各项（``基本支出 12,659.61 万元，比上年增加 761.24 万元``；
    ``项目支出 4,780.00 万元，比上年减少 20.00 万元``），找到这些项构成的整体（金额在舍入范围内等于各项之和的表述），
    按区间舍入规则检查各项带符号的增减额之和等于整体的增减额。只在同一章节、同一层级内组合。

    **原因**：各项增减额加不到合计的增减额时，至少有一个增减额（或其背后的上年数）是错的，
    即使每个增减率各自都对得上。

    **示例**：基本支出 +761.24、项目支出 −20.00，一般公共预算 +741.24，正确；同样的各项而合计写 +714.24 → ``N609``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        if not doc.prose:
            return
        nar = _narrative(doc, ctx)
        items = [it for it in nv.iter_items(nar) if it.change is not None and it.amount is not None and it.change_dir]
        if len(items) < 3:
            return
        runs: list[list[nv.Item]] = []
        key = None
        for it in items:
            m = _LEVEL_MARK.search(nv.display_label(it.label))
            k = (it.scope, m.group(1) if m else None)
            if runs and k == key and it.scope is not None:
                runs[-1].append(it)
            else:
                runs.append([it])
            key = k
        for run in runs:
            if len(run) < 2:
                continue
            members = {id(it) for it in run}
            amounts = [it.amount for it in run]
            # the whole: a statement outside the run whose amount is the run's sum within rounding
            whole = next((w for w in items if id(w) not in members and w.amount is not None and sum_holds(w.amount, amounts)), None)
            if whole is None:
                continue
            sign = whole.change_dir
            label = _subject(whole)
            yield Identity(
                rule=self, total=whole.change, anchor=whole.change,
                terms=[Term(it.change, sign=it.change_dir * sign, label=f"{_subject(it)} 增减额") for it in run],  # type: ignore[arg-type]
                what=Msg(f"「{label}」的增减额应等于其各组成项增减额之和（{len(run)} 项）",
                         f"the change of '{label}' should equal the sum of its {len(run)} parts' changes"),
            )
