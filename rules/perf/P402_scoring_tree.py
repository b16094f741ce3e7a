"""评分表：上级分值 = 下级分值之和，得分不超过分值，总分与等级相符。

**What it does** — in a 绩效评价指标体系表 / 绩效自评表 checks, at every node of
the 一级 → 二级 → 三级 tree, that a parent's 分值 equals the sum of its
children's (weights written inside labels such as ``B 部门管理 (22 分)`` or
``B1 预算执行 (10)`` count), that 得分 ≤ 分值, that a printed parent 得分 is
the sum of its children's, that the 合计 row equals the sum of the 一级
分值 and 得分 (加减分项 stay outside), and that the grade stated in the text
(优 ≥ 90, 良 80–90, 中 60–80, 差 < 60) fits the total score.  In a 绩效自评表
form the 预算执行率 points count with the indicators: the 总分 adds them up,
and without a 总分 row they make 100.

**Why it matters** — the total score and grade are what the evaluation
reports; an inconsistent tree means a score was added or typed wrongly.

**Example** — wrong: ``A 部门决策 (15 分)`` over A1 (6) + A2 (2) + A3 (3)
+ A4 (5) = 16.  Right: A4 (4), so the children add up to 15.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterator

from budgetlint.model import Cell, Document
from budgetlint.understand.forms import squash
from budgetlint.understand.perf import perf_view
from budgetlint.understand.scoring import ScoreNode, ScoreTree
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

from ._common import _leaves


class ScoringTree(Rule):
    code = "P402"
    name = "scoring-tree"
    severity = "error"
    summary = Msg("评分表分值、得分或等级不一致", "scoring tree weights, scores or grade inconsistent")
    title_zh = "评分表分值与得分"
    doc_zh = """
    评分表：上级分值 = 下级分值之和，得分不超过分值，总分与等级相符。

    **作用**：在绩效评价指标体系表中，检查每个上级指标的分值等于其下级指标分值之和、得分同样逐级相加，
    每项得分不超过其分值，总分与评定等级（优、良、中、差）的分数段相符。绩效自评表中预算执行率的分值与各指标一并计入：
    总分等于它们之和，没有总分行时合计为 100。

    **原因**：分值树不平衡，评分就失去依据；得分超过分值或等级与总分不符，评价结论不可信。

    **示例**：错误：``A 部门决策（15 分）`` 下 A1（6）+ A2（2）+ A3（3）+ A4（5）= 16。正确：A4 为 4，各项之和为 15。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        trees = perf_view(doc).scoring
        for tree in trees:
            yield from self._tree(doc, ctx, tree, grade=len(trees) == 1)

    def _tree(self, doc: Document, ctx: Context, tree: ScoreTree, grade: bool) -> Iterator[Yielded]:
        """The tree's sums; with ``grade``, the text's stated score and grade (only a document with one
        scoring table: with one per project, which table would a sentence mean?)."""
        def walk(node: ScoreNode) -> Iterator[Yielded]:
            kids = [k for k in node.children if not k.bonus]
            if node.weight is not None and kids and all(k.weight is not None for k in kids):
                yield Identity(
                    rule=self, total=node.weight, terms=[Term(k.weight, label=k.label) for k in kids], exact=True,
                    what=Msg(f"「{node.label}」的分值应等于下级分值之和", f"weight of {node.label!r} = sum of its children's"),
                )
            if node.score is not None and node.weight is not None and not node.bonus:
                yield Identity(
                    rule=self, total=node.score, terms=[Term(node.weight, label=node.label)], relation="<=", exact=True,
                    what=Msg(f"「{node.label}」的得分不应超过分值", f"score of {node.label!r} must not exceed its weight"),
                )
            if node.score is not None and kids and all(k.score is not None for k in kids):
                yield Identity(
                    rule=self, total=node.score, terms=[Term(k.score, label=k.label) for k in kids], exact=True,
                    what=Msg(f"「{node.label}」的得分应等于下级得分之和", f"score of {node.label!r} = sum of its children's"),
                )
            for k in node.children:
                yield from walk(k)

        for root in tree.roots:
            yield from walk(root)
        roots = [r for r in tree.roots if not r.bonus]
        leaves = list(_leaves(tree.roots))
        if tree.total_weight is not None and roots and all(r.weight is not None for r in roots):
            yield Identity(
                rule=self, total=tree.total_weight, terms=[Term(r.weight, label=r.label) for r in roots], exact=True,
                what=Msg("合计分值应等于各一级指标分值之和", "total weight = sum of the 一级 weights"),
            )
        elif tree.total_weight is not None and leaves and all(n.weight is not None for n in leaves):
            # a form that prints 分值 only on the indicator rows (绩效自评表): the total adds those up
            yield Identity(
                rule=self, total=tree.total_weight, terms=[Term(n.weight, label=n.label) for n in leaves], exact=True,
                what=Msg("合计分值应等于各指标分值之和", "total weight = sum of the indicator weights"),
            )
        elif tree.total_weight is None and tree.execution is not None and roots[0:1] and roots[0].label == "预算执行率" \
                and leaves and all(n.weight is not None for n in leaves):
            # a self-evaluation form without a 总分 row: the execution points and the indicators make the 100
            yield Identity(
                rule=self, total=None, constant=Decimal(100), terms=[Term(n.weight, label=n.label) for n in leaves], exact=True,
                anchor=roots[0].weight,
                what=Msg("预算执行率与各指标的分值合计应为 100", "the execution points and the indicator weights total 100"),
            )
        scored = [n for n in leaves if n.score is not None]
        if tree.total_score is not None and scored:
            yield Identity(
                rule=self, total=tree.total_score, terms=[Term(n.score, label=n.label) for n in scored], exact=True,
                what=Msg("合计得分应等于各指标得分之和", "total score = sum of the indicator scores"),
            )
        if grade and tree.total_score is not None and tree.total_score.value is not None:
            yield from self._grade(doc, ctx, tree.total_score)

    def _grade(self, doc: Document, ctx: Context, total: Cell) -> Iterator[Yielded]:
        score = total.value
        band = "优" if score >= 90 else "良" if score >= 80 else "中" if score >= 60 else "差"
        for p in doc.prose:
            text = squash(p.text)
            m = re.search(r"(?:评价结果|评价等级|绩效等级|评定等级|考评结果|自评结果|等级)(?:为|是|:|：)?[“\"「]?(优秀|优|良好|良|中等|中|合格|较差|差|不合格)", text)
            if not m:
                continue
            word = m.group(1)
            stated = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中", "较差": "差", "差": "差", "不合格": "差"}[word]
            sm = re.search(r"(\d{2,3}(?:\.\d+)?)分", text)
            if sm and Decimal(sm.group(1)) != score:
                yield ctx.finding(
                    self, doc, p, Msg(
                        "文字所述总分 {actual} 分与评分表合计得分 {expected} 分不符",
                        "the text states a total score of {actual}, the scoring table totals {expected}",
                    ), severity="warning", expected=score, actual=Decimal(sm.group(1)), terms=[total],
                )
            if stated != band:
                yield ctx.finding(
                    self, doc, p, Msg(
                        "文字所述等级「{word}」与合计得分 {expected} 分对应的等级「{band}」不符（优 ≥90，良 80–90，中 60–80，差 <60）",
                        "the text states grade {word!r} but a total score of {expected} is grade {band!r} (优 ≥90, 良 80–90, 中 60–80, 差 <60)",
                    ), severity="warning", expected=score, terms=[total], word=word, band=band,
                )
            return
