"""绩效自评表得分与完成情况：未达到指标值却得满分、扣分却未说明偏差原因。

**What it does** — in a 绩效自评表 whose indicator rows print 年度指标值,
实际完成值, 分值 and 得分, warns about an indicator that gets full marks
although its 实际完成值 misses its 年度指标值 (``≥95%`` against ``90%``), and
about one that loses points while its 偏差原因分析及改进措施 cell is empty.
Targets and results are compared only when both are numbers of the same kind
(both percentages, or the same unit); words (``明显改善``) are left alone.

A reason printed once for several neighbouring rows that all lost points (a
merged cell) covers them all.

**Why it matters** — a self-evaluation is read for what was not achieved:
full marks for a missed target inflate the score, and a deduction without
its reason leaves the reader without the explanation the template asks for.

**Example** — wrong: 按期完成率 年度指标值 ``≥95%``, 实际完成值 ``90%``,
分值 15, 得分 15.  Right: 得分 below 15, with the reason for the delay.
"""

from __future__ import annotations

from typing import Iterator

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Term, Yielded
from budgetlint.understand.forms import parse_target, squash
from budgetlint.understand.perf import perf_view

from ._common import _fmt, _leaves


class ScoreAgainstResult(Rule):
    code = "P412"
    name = "score-against-result"
    severity = "warning"
    summary = Msg("自评得分与完成情况不符", "self-evaluation score does not fit the result")
    title_zh = "得分与完成情况"
    doc_zh = """
    绩效自评表得分与完成情况：未达到指标值却得满分、扣分却未说明偏差原因。

    **作用**：在列有年度指标值、实际完成值、分值和得分的绩效自评表中，实际完成值未达到年度指标值
    （如指标值 ``≥95%``、完成 ``90%``）却得满分的指标，以及扣了分但“偏差原因分析及改进措施”为空的指标，给出警告。
    只在指标值和完成值都是同类数字（都是百分比或单位相同）时比较，文字（``明显改善``）不比较。
    相邻几行都扣了分、偏差原因只写一次（合并单元格）时，视为都已说明。

    **原因**：自评就是要说明哪些没有完成：未完成却得满分会抬高分数，扣分却不写原因，读者就得不到模板要求的解释。

    **示例**：错误：按期完成率 指标值 ``≥95%``，实际完成值 ``90%``，分值 15，得分 15。正确：得分低于 15，并说明延期原因。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for tree in perf_view(doc).scoring:
            leaves = [n for n in _leaves(tree.roots)
                      if n.weight is not None and n.score is not None and n.weight.value is not None and n.score.value is not None]
            explained = _explained(leaves)
            for k, node in enumerate(leaves):
                full = node.score.value >= node.weight.value
                if node.target is not None and node.result is not None and full:
                    missed = _missed(node.target.raw, node.result.raw)
                    if missed:
                        yield ctx.finding(self, doc, node.score, Msg(
                            "{about}「{name}」实际完成值「{result}」未达到年度指标值「{target}」，却得满分 {score} 分",
                            "{about}{name!r}: the result {result!r} misses the target {target!r}, yet it gets full marks ({score})",
                        ), about=tree.about(ctx.lang), name=node.label, result=node.result.raw.strip(), target=node.target.raw.strip(),
                            score=_fmt(node.score.value), terms=[Term(node.target, label="年度指标值"), Term(node.result, label="实际完成值"),
                                                  Term(node.weight, label="分值"), Term(node.score, label="得分")])
                if not full and node.reason is not None and not explained[k]:
                    lost = node.weight.value - node.score.value
                    yield ctx.finding(self, doc, node.reason, Msg(
                        "{about}「{name}」扣了 {lost} 分（分值 {weight}，得分 {score}），但未填写偏差原因",
                        "{about}{name!r} lost {lost} points (weight {weight}, score {score}) but gives no reason",
                    ), about=tree.about(ctx.lang), name=node.label, lost=_fmt(lost), weight=_fmt(node.weight.value), score=_fmt(node.score.value),
                        terms=[Term(node.weight, label="分值"), Term(node.score, label="得分")])


def _explained(leaves: list) -> list[bool]:
    """Whether each indicator's deduction has a reason: its own, or one printed once for a run of
    neighbouring rows that all lost points (a merged 偏差原因 cell leaves the rows below it blank)."""
    lost = [n.reason is not None and n.score.value < n.weight.value for n in leaves]  # rows without the column break a run
    has = [n.reason is not None and bool(squash(n.reason.raw)) for n in leaves]
    out = list(has)
    k = 0
    while k < len(leaves):
        if not lost[k]:
            k += 1
            continue
        end = k
        while end + 1 < len(leaves) and lost[end + 1]:
            end += 1
        if any(has[k:end + 1]):
            for j in range(k, end + 1):
                out[j] = True
        k = end + 1
    return out


def _missed(target_raw: str, result_raw: str) -> bool:
    """Whether a numeric result falls short of its numeric target (same kind of number only)."""
    target, result = parse_target(target_raw), parse_target(result_raw)
    if target.kind != "number" or result.kind != "number" or target.value is None or result.value is None:
        return False
    if target.percent != result.percent:
        return False
    if (target.unit or result.unit) and target.unit != result.unit:
        return False  # 10 against ≥10个: the unit decides what is counted
    if result.comparator not in (None, "="):
        return False  # a result written as a range (≥90%) is not a measurement
    t, r = target.value, result.value
    comparator = target.comparator or "="
    if comparator == "≥":
        return r < t
    if comparator == ">":
        return r <= t
    if comparator == "≤":
        return r > t
    if comparator == "<":
        return r >= t
    return r != t
