"""P: performance-target tables (绩效目标表) and scoring sheets (绩效评价指标体系表).

The tables are read once per document by :mod:`budgetlint.understand.forms`; the rules
here only judge what it read.
"""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from typing import Iterable, Iterator

from budgetlint.model import Cell, Document, Table
from budgetlint.understand.forms import (
    Indicator, PerfTable, ScoreNode, ScoreTree, level1_family, perf_view, squash,
)
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

_CANDIDATES = (Decimal(100), Decimal(90))
_STANDARD = ("产出", "效益", "满意度")
_STANDARD_NAMES = {"产出": "产出指标", "效益": "效益指标", "满意度": "满意度指标"}


def _fmt(d: Decimal | None) -> str:
    if d is None:
        return "—"
    d = d.normalize()
    return f"{d:f}"


def _lines(inds: Iterable[Indicator], lang: str = "zh") -> str:
    """Where the indicators are: 第 13、19 行 for text, sheet cells or pages otherwise."""
    inds = list(inds)
    if all(i.line is not None for i in inds):
        nums = [str(i.line) for i in inds]
        return f"lines {', '.join(nums)}" if lang == "en" else f"第 {'、'.join(nums)} 行"
    out = []
    for i in inds:
        loc = (i.name_cell or i.anchor).loc
        out.append(f"{loc.sheet}!{loc.cell}" if loc.sheet else (loc.cell or (f"p.{loc.page}" if loc.page else (f"L{i.line}" if i.line else "?"))))
    return (", " if lang == "en" else "、").join(out)


def _is_exec_rate(ind: Indicator) -> bool:
    return any("预算执行率" in squash(x) or "执行情况" == squash(x) for x in (ind.name, ind.level1, ind.level2) if x)


def duplicates(pt: PerfTable) -> list[list[Indicator]]:
    """Groups of indicators whose 三级 name is printed more than once in the table."""
    groups: dict[str, list[Indicator]] = {}
    for ind in pt.indicators:
        key = squash(ind.name)
        if key:
            groups.setdefault(key, []).append(ind)
    return [g for g in groups.values() if len(g) > 1]


def missing_families(pt: PerfTable) -> list[str]:
    """Standard 一级 categories (产出/效益/满意度) absent from a table that uses them."""
    present = {level1_family(i.level1) for i in pt.indicators}
    if not present & {"产出", "效益"}:
        return []  # a whole-unit tree (运行成本 / 管理效率 / 履职效能…)
    return [f for f in _STANDARD if f not in present]


class WeightsTotal(Rule):
    """指标分值权重合计应为 100 或 90。

    **What it does** — adds up the indicator weights (指标分值权重 / 分值 / 权重) of
    each 绩效目标表 and compares the sum with the template's total.  Two
    conventions exist and are often used side by side in one document: weights
    total **100**, or **90** when 10 points are kept for 预算执行率 outside the
    table; a table that lists 预算执行率 among its indicators totals 100 with it.
    Either total is accepted; ``weights.total`` in the configuration fixes one.
    A duplicated indicator that explains the excess, or a missing 一级 category
    that explains the shortfall, is named in the message.

    **Why it matters** — weights that do not add up make the later scoring
    meaningless: every indicator's share of the score is wrong.

    **Example** — wrong: 数量 7 + 6 + 6 + 5 + 5, 质量 10, 效益 10 + 5 + 6,
    满意度 10 + 10 = 80.  Right: the same table with the missing 10 points given
    to an indicator (90), or 预算执行率 10 added inside (100).
    """

    code = "P401"
    name = "weights-total"
    severity = "error"
    summary = Msg("绩效指标分值权重合计不是 100 或 90", "indicator weights do not total 100 or 90")
    title_zh = "指标权重合计"
    doc_zh = """
    绩效指标分值权重合计应为 100 或 90。

    **作用**：把绩效目标表各三级指标的分值权重相加，检查合计为 100（含预算执行率）或 90（预算执行率另计）；
    可在配置 ``weights.total`` 中固定采用哪一种，否则逐表判断。

    **原因**：权重合计不对，评价得分就没有可比的满分，说明漏填或多填了某个指标的分值。

    **示例**：错误：数量 7 + 6 + 6 + 5 + 5，质量 10，效益 10 + 5 + 6，满意度 10 + 10 = 80。
    正确：把缺的 10 分给某个指标（90），或另加预算执行率 10 分（100）。
    """
    config_keys = ("weights.total",)

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        configured = ctx.option("weights.total")
        for pt in perf_view(doc).targets:
            weighted = pt.weighted()
            if not weighted:
                continue
            total = sum((i.weight.value for i in weighted), Decimal(0))
            has_exec = any(_is_exec_rate(i) for i in pt.indicators)
            if configured is not None:
                cands = (Decimal(str(configured)),)
                why = Msg("配置 weights.total = {expected}", "configured weights.total = {expected}")
            elif has_exec:
                cands = (Decimal(100),)
                why = Msg("表内含预算执行率，合计应为 100", "the table lists 预算执行率, so the total is 100")
            else:
                cands = _CANDIDATES
                why = Msg(
                    "应为 100，或预算执行率 10 分在表外时为 90",
                    "expected 100, or 90 when 10 points for 预算执行率 are kept outside the table",
                )
            if pt.weight_total_cell is not None:
                yield Identity(
                    rule=self, total=pt.weight_total_cell, terms=[Term(i.weight) for i in weighted], exact=True,
                    what=Msg("指标分值权重合计", "total of the indicator weights"),
                )
            if total in cands:
                continue
            expected = min(cands, key=lambda c: (abs(c - total), -c))
            hints_zh, hints_en = [], []
            for g in duplicates(pt):
                extra = sum((i.weight.value for i in g[1:] if i.weight is not None and i.weight.value is not None), Decimal(0))
                if extra and (total - extra) in cands:
                    hints_zh.append(f"三级指标「{g[0].name}」重复（{_lines(g)}），去掉重复后合计为 {_fmt(total - extra)}，见 P407")
                    hints_en.append(f"indicator {g[0].name!r} is repeated ({_lines(g, 'en')}); without the repeat the total is {_fmt(total - extra)} (see P407)")
            miss = missing_families(pt)
            if miss:
                names = "、".join(_STANDARD_NAMES[m] for m in miss)
                hints_zh.append(f"表中没有一级指标「{names}」，表格可能不完整")
                hints_en.append(f"no 一级 indicator {names} in the table: it may be incomplete")
            msg = Msg(
                "指标分值权重合计为 {actual}，{why}" + ("；" + "；".join(hints_zh) if hints_zh else ""),
                "indicator weights total {actual}: {why}" + ("; " + "; ".join(hints_en) if hints_en else ""),
            )
            anchor = _header_cell(pt, "weight") or weighted[0].weight
            yield ctx.finding(
                self, doc, anchor, msg, expected=expected, actual=total, difference=total - expected,
                terms=[Term(i.weight) for i in weighted], why=why.get(ctx.lang).format(expected=_fmt(expected)),
            )


def _header_cell(pt: PerfTable, role: str) -> Cell | None:
    if pt.header_row is None or role not in pt.columns:
        return None
    return pt.table.rows[pt.header_row].cells[pt.columns[role]]


class ScoringTree(Rule):
    """评分表：上级分值 = 下级分值之和，得分不超过分值，总分与等级相符。

    **What it does** — in a 绩效评价指标体系表 / 绩效自评表 checks, at every node of
    the 一级 → 二级 → 三级 tree, that a parent's 分值 equals the sum of its
    children's (weights written inside labels such as ``B 部门管理 (22 分)`` or
    ``B1 预算执行 (10)`` count), that 得分 ≤ 分值, that a printed parent 得分 is
    the sum of its children's, that the 合计 row equals the sum of the 一级
    分值 and 得分 (加减分项 stay outside), and that the grade stated in the text
    (优 ≥ 90, 良 80–90, 中 60–80, 差 < 60) fits the total score.

    **Why it matters** — the total score and grade are what the evaluation
    reports; an inconsistent tree means a score was added or typed wrongly.

    **Example** — wrong: ``A 部门决策 (15 分)`` over A1 (6) + A2 (2) + A3 (3)
    + A4 (5) = 16.  Right: A4 (4), so the children add up to 15.
    """

    code = "P402"
    name = "scoring-tree"
    severity = "error"
    summary = Msg("评分表分值、得分或等级不一致", "scoring tree weights, scores or grade inconsistent")
    title_zh = "评分表分值与得分"
    doc_zh = """
    评分表：上级分值 = 下级分值之和，得分不超过分值，总分与等级相符。

    **作用**：在绩效评价指标体系表中，检查每个上级指标的分值等于其下级指标分值之和、得分同样逐级相加，
    每项得分不超过其分值，总分与评定等级（优、良、中、差）的分数段相符。

    **原因**：分值树不平衡，评分就失去依据；得分超过分值或等级与总分不符，评价结论不可信。

    **示例**：错误：``A 部门决策（15 分）`` 下 A1（6）+ A2（2）+ A3（3）+ A4（5）= 16。正确：A4 为 4，各项之和为 15。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for tree in perf_view(doc).scoring:
            yield from self._tree(doc, ctx, tree)

    def _tree(self, doc: Document, ctx: Context, tree: ScoreTree) -> Iterator[Yielded]:
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
        if tree.total_weight is not None and roots and all(r.weight is not None for r in roots):
            yield Identity(
                rule=self, total=tree.total_weight, terms=[Term(r.weight, label=r.label) for r in roots], exact=True,
                what=Msg("合计分值应等于各一级指标分值之和", "total weight = sum of the 一级 weights"),
            )
        leaves = list(_leaves(tree.roots))
        scored = [n for n in leaves if n.score is not None]
        if tree.total_score is not None and scored:
            yield Identity(
                rule=self, total=tree.total_score, terms=[Term(n.score, label=n.label) for n in scored], exact=True,
                what=Msg("合计得分应等于各指标得分之和", "total score = sum of the indicator scores"),
            )
        if tree.total_score is not None and tree.total_score.value is not None:
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


def _leaves(nodes: list[ScoreNode]) -> Iterator[ScoreNode]:
    for n in nodes:
        if n.bonus:
            continue
        if n.children:
            yield from _leaves(n.children)
        else:
            yield n


class WeightDistribution(Rule):
    """一级指标分值分布建议：产出 50、效益 30、满意度 10（预算执行率 10）。

    **What it does** — for self-evaluation and scoring sheets whose 一级
    categories are 产出 / 效益 / 满意度 (and 预算执行率), compares each
    category's share of the points with the recommended split (原则上 产出 50,
    效益 30, 满意度 10, 预算执行率 10).  Advisory: off unless selected, and never
    applied to 绩效目标表.  ``perf.distribution`` overrides the split, e.g.
    ``{产出 = 40, 效益 = 40, 满意度 = 10, 执行 = 10}``.

    **Why it matters** — reviewers ask for the recommended split; a sheet far
    from it usually over-weights easy output counts.

    **Example** — wrong: 产出 70, 效益 10, 满意度 10, 预算执行率 10.  Right:
    产出 50, 效益 30, 满意度 10, 预算执行率 10.
    """

    code = "P403"
    name = "weight-distribution"
    severity = "warning"
    default_enabled = False
    summary = Msg("一级指标分值分布偏离建议", "一级 weights depart from the recommended split")
    title_zh = "一级指标分值分布"
    doc_zh = """
    一级指标分值分布偏离建议：产出 50、效益 30、满意度 10（预算执行率 10）。

    **作用**：把各一级指标的分值与建议分布比较，偏离时给出警告。默认不启用，需显式选择。

    **原因**：分值过于集中在产出指标，会使评价偏重“做了多少”而忽视“效果如何”。

    **示例**：错误：产出 70、效益 10、满意度 10、预算执行率 10。正确：产出 50、效益 30、满意度 10、预算执行率 10。
    """
    config_keys = ("perf.distribution",)

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        want = {"产出": Decimal(50), "效益": Decimal(30), "满意度": Decimal(10), "执行": Decimal(10)}
        conf = ctx.option("perf.distribution")
        if isinstance(conf, dict):
            want = {str(k).replace("指标", "").replace("预算执行率", "执行"): Decimal(str(v)) for k, v in conf.items()}
        for tree in perf_view(doc).scoring:
            got: dict[str, Decimal] = {}
            cells: dict[str, Cell] = {}
            for r in tree.roots:
                f = level1_family(r.label)
                if f is None or r.weight is None or r.bonus:
                    continue
                got[f] = got.get(f, Decimal(0)) + r.weight.value
                cells.setdefault(f, r.weight)
            if not got.keys() & {"产出", "效益"}:
                continue
            for f, w in want.items():
                have = got.get(f)
                if have is None or have == w:
                    continue
                yield ctx.finding(
                    self, doc, cells[f], Msg(
                        "一级指标「{cat}」分值为 {actual}，建议为 {expected}",
                        "一级 category {cat} has {actual} points, {expected} recommended",
                    ), expected=w, actual=have, cat=f,
                )


class FundsBlock(Rule):
    """资金来源：年度预算总额 = 财政拨款 + 其他资金，各明细之和等于其合计。

    **What it does** — in the funds block of every 绩效目标表 checks 年度预算总额
    (预算数 / 资金总额) = 财政拨款 (财政资金) + 其他资金, and that each 资金来源
    breakdown (上级安排 + 本级安排 under 财政资金, 其他 under 其他资金) adds up
    to its total, with the rounding rule.

    **Why it matters** — the project's amount is what every cross-check with
    the budget tables uses; a block that does not add up has a typo in one of
    its cells.

    **Example** — wrong: 年度预算总额 160.00, 其中：财政拨款 150.00, 其他资金
    0.00.  Right: 财政拨款 160.00.
    """

    code = "P404"
    name = "funds-block"
    severity = "error"
    summary = Msg("绩效目标表资金来源不平衡", "funds block of a target table does not add up")
    title_zh = "资金来源平衡"
    doc_zh = """
    绩效目标表资金来源：年度预算总额 = 财政拨款 + 其他资金，各明细之和等于其合计。

    **作用**：在绩效目标表的资金块中检查年度预算总额等于财政拨款与其他资金之和，以及各明细之和等于其合计。

    **原因**：资金块不平衡，绩效目标对应的资金规模就说不清，也无法与项目支出表核对。

    **示例**：错误：年度预算总额 160.00，其中：财政拨款 150.00，其他资金 0.00。正确：财政拨款 160.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            f = pt.funds
            fiscal_parts = [c for _, c in f.fiscal_parts]
            other_parts = [c for _, c in f.other_parts]
            if f.fiscal is not None and fiscal_parts:
                yield Identity(rule=self, total=f.fiscal, terms=[Term(c) for c in fiscal_parts],
                               what=Msg("财政资金 = 上级安排 + 本级安排", "财政资金 = 上级安排 + 本级安排"))
            if f.other is not None and other_parts:
                yield Identity(rule=self, total=f.other, terms=[Term(c) for c in other_parts],
                               what=Msg("其他资金 = 各明细之和", "其他资金 = sum of its parts"))
            if f.total is None or f.total.value is None:
                continue
            fiscal_terms = [f.fiscal] if f.fiscal is not None else fiscal_parts
            other_terms = [f.other] if f.other is not None else other_parts
            if not fiscal_terms:
                continue
            yield Identity(
                rule=self, total=f.total, terms=[Term(c) for c in fiscal_terms + other_terms],
                what=Msg("年度预算总额 = 财政拨款 + 其他资金", "budget total = fiscal funds + other funds"),
            )


class SpendingPlan(Rule):
    """资金支出计划（%）应为累计进度：不减、在 0–100 之间、以 100 结束。

    **What it does** — reads the 资金支出计划 row (3月底 / 6月底 / 10月底 /
    12月底) of each 绩效目标表.  The percentages are cumulative: they must not
    decrease, must stay within 0–100 and the last one printed must be 100.  A
    plan whose steps add up to 100 without accumulating (10 / 30 / 30 / 30) is
    reported as ambiguous: it was probably written per period.

    **Why it matters** — the plan is how execution is monitored during the
    year; a per-period plan read as cumulative says only 30 % will be spent.

    **Example** — wrong: 3月底 10%, 6月底 30%, 10月底 30%, 12月底 30%.  Right:
    10%, 40%, 70%, 100%.
    """

    code = "P405"
    name = "spending-plan"
    severity = "error"
    summary = Msg("资金支出计划累计进度有误", "cumulative spending plan is inconsistent")
    title_zh = "支出计划进度"
    doc_zh = """
    资金支出计划（%）应为累计进度：不减少、在 0–100 之间、以 100 结束。

    **作用**：检查绩效目标表中按时间排列的资金支出计划百分比逐期不减、都在 0 到 100 之间，最后一期为 100%。

    **原因**：累计进度下降或到年底不足 100%，说明填成了当期比例，或计划与预算不符。

    **示例**：错误：3 月底 10%、6 月底 30%、10 月底 30%、12 月底 30%。正确：10%、40%、70%、100%。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            steps = pt.plan
            if not steps:
                continue
            cells = [s.cell for s in steps]
            vals = [s.value for s in steps]
            shown = " / ".join(f"{s.period} {_fmt(s.value)}%" for s in steps)
            for s in steps:
                if s.value < 0 or s.value > 100:
                    yield ctx.finding(self, doc, s.cell, Msg(
                        "资金支出计划「{period}」为 {actual}%，超出 0–100 的范围",
                        "spending plan {period} is {actual}%, outside 0–100",
                    ), actual=s.value, period=s.period)
            decreasing = [k for k in range(1, len(vals)) if vals[k] < vals[k - 1]]
            total = sum(vals, Decimal(0))
            slack = sum((Decimal(1) / (2 * 10 ** _decimals(s.raw)) for s in steps), Decimal(0))
            if not decreasing and vals[-1] == 100:
                continue
            if abs(total - 100) <= slack and len(steps) > 1:
                yield ctx.finding(self, doc, steps[-1].cell, Msg(
                    "资金支出计划（{plan}）应为累计百分比，以 100% 结束；各期合计为 100%，疑似按期填写而非累计，口径不明",
                    "spending plan ({plan}) should be cumulative and end at 100%; its steps add up to 100%, so it was probably written per period: ambiguous",
                ), severity="warning", expected=Decimal(100), actual=vals[-1], terms=cells, plan=shown)
                continue
            if decreasing:
                k = decreasing[0]
                yield ctx.finding(self, doc, steps[k].cell, Msg(
                    "资金支出计划为累计进度，「{period}」的 {actual}% 小于上一期的 {expected}%（{plan}）",
                    "the cumulative spending plan falls at {period}: {actual}% after {expected}% ({plan})",
                ), expected=vals[k - 1], actual=vals[k], terms=cells, period=steps[k].period, plan=shown)
            elif vals[-1] != 100:
                yield ctx.finding(self, doc, steps[-1].cell, Msg(
                    "资金支出计划应以 100% 结束，最后一期「{period}」为 {actual}%（{plan}）",
                    "the spending plan should end at 100%; its last period {period} is {actual}% ({plan})",
                ), expected=Decimal(100), actual=vals[-1], terms=cells, period=steps[-1].period, plan=shown)


def _decimals(raw: str) -> int:
    m = re.search(r"\.(\d+)", raw)
    return len(m.group(1)) if m else 0


_PLACEHOLDER = [
    (re.compile(r"目标内容\s*\d*"), "目标内容"),
    (re.compile(r"(?<![A-Za-z])(?:XX+|xx+)(?![A-Za-z])"), "XX"),
    (re.compile(r"××+"), "××"),
    (re.compile(r"某某"), "某某"),
]
_GOAL_STUB = re.compile(r"^(?:\d+[.、．]?\s*目标\s*\d*\s*)+$")
_MISSING_COUNT = re.compile(r"[在共计]个(?=[\u4e00-\u9fff])")


class TemplateResidue(Rule):
    """模板残留：占位文字、只有单位的指标值、必填单元格为空。

    **What it does** — flags text left over from the template in a 绩效目标表:
    ``目标内容1``, ``目标1``, ``XX``, ``××``, ``某某``; an 指标值 that is only a unit
    (a lone ``%`` or ``个``); a count whose number was never typed
    (``成果已在个乡镇备案``); and indicator rows whose required cells (三级指标,
    指标值) are empty.

    **Why it matters** — a published target with a placeholder has no target:
    nobody can later say whether it was met.

    **Example** — wrong: 绩效目标 ``1. 目标内容 1``; 满意度 指标值 ``%``.  Right:
    绩效目标 ``完成 3 处地质灾害点治理``; 指标值 ``≥90%``.
    """

    code = "P406"
    name = "template-residue"
    severity = "warning"
    summary = Msg("绩效目标表残留模板文字或必填项为空", "template residue or empty required cell in a target table")
    title_zh = "模板残留"
    doc_zh = """
    绩效目标表残留模板文字或必填项为空：占位文字、只有单位的指标值、必填单元格为空。

    **作用**：发现绩效目标表中未替换的模板占位文字（``目标内容 1``）、只写了单位没有数值的指标值（``%``）
    和空着的必填单元格。

    **原因**：模板残留说明表格没有真正填写，公开后无法据以评价。

    **示例**：错误：绩效目标 ``1. 目标内容 1``；满意度指标值 ``%``。正确：绩效目标 ``完成 3 处地质灾害点治理``；
    指标值 ``≥90%``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            if pt.goal_cell is not None:
                goal = squash(pt.goal)
                hit = _placeholder(pt.goal) or ("目标N" if _GOAL_STUB.match(goal) else None)
                if hit:
                    yield ctx.finding(self, doc, pt.goal_cell, Msg(
                        "绩效目标为模板占位文字「{text}」，未填写实际目标",
                        "the performance goal is template text {text!r}, not an actual goal",
                    ), text=pt.goal)
            for ind in pt.indicators:
                seen: set[str] = set()
                if ind.name is None:
                    yield ctx.finding(self, doc, ind.anchor, Msg(
                        "第 {line} 行指标缺少三级指标名称", "the indicator on line {line} has no 三级 name",
                    ), line=ind.line)
                if ind.target.kind == "empty":
                    at = ind.value_cell or ind.anchor
                    yield ctx.finding(self, doc, at, Msg(
                        "三级指标「{name}」的指标值为空", "indicator {name!r} has no target value",
                    ), name=ind.name or "")
                elif ind.target.kind == "unit-only":
                    yield ctx.finding(self, doc, ind.value_cell, Msg(
                        "三级指标「{name}」的指标值只有单位「{text}」，缺少数值",
                        "indicator {name!r} has a unit {text!r} but no number as its target",
                    ), name=ind.name or "", text=ind.target.text)
                for c in ind.row.cells:
                    t = c.text
                    if not t or squash(t) in seen:
                        continue
                    what = _placeholder(t)
                    if what is None and _MISSING_COUNT.search(squash(t)):
                        what = "个"
                    if what is None:
                        continue
                    seen.add(squash(t))
                    yield ctx.finding(self, doc, c, Msg(
                        "单元格「{text}」含模板占位或缺少数字（{what}）",
                        "cell {text!r} holds template residue or a missing number ({what})",
                    ), text=t, what=what)


def _placeholder(text: str) -> str | None:
    for rx, what in _PLACEHOLDER:
        if rx.search(text):
            return what
    return None


class DuplicateIndicator(Rule):
    """同一张绩效目标表中三级指标重复。

    **What it does** — reports a 三级指标 printed more than once in one table
    (e.g. 慰问经费 three times, or the same indicator under 经济效益 and 社会效益),
    naming every line it appears on.

    **Why it matters** — a repeated row counts its weight twice and usually
    replaces an indicator that was meant to be there.

    **Example** — wrong: 经济效益指标 / 维护全县土地矿产资源市场秩序 and 社会效益指标 /
    维护全县土地矿产资源市场秩序.  Right: a distinct 经济效益 indicator.
    """

    code = "P407"
    name = "duplicate-indicator"
    severity = "warning"
    summary = Msg("三级指标重复", "indicator repeated in one table")
    title_zh = "三级指标重复"
    doc_zh = """
    同一张绩效目标表中三级指标重复。

    **作用**：同一张绩效目标表中，不同二级指标下出现相同的三级指标名称时给出警告。

    **原因**：重复的指标说明复制粘贴后未修改，实际少了一个有意义的指标。

    **示例**：错误：经济效益指标/维护全县土地矿产资源市场秩序 与 社会效益指标/维护全县土地矿产资源市场秩序。
    正确：另设一个真正的经济效益指标。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            for g in duplicates(pt):
                for later in g[1:]:
                    yield ctx.finding(self, doc, later.name_cell or later.anchor, Msg(
                        "三级指标「{name}」在本表重复出现（{lines}）",
                        "indicator {name!r} appears more than once in this table ({lines})",
                    ), terms=[i.name_cell for i in g if i.name_cell is not None], name=later.name, lines=_lines(g, ctx.lang))


_GROWTH = ("增长", "增幅", "提高率", "提升率")
_RATE_UNITS = re.compile(r"[(（]\s*(?:%|次|个|人|件|人次|台|辆|篇|元|万元)\s*[)）]")
_MONEY = {"元": Decimal(1), "万元": Decimal(10000), "万": Decimal(10000), "亿元": Decimal(10 ** 8), "亿": Decimal(10 ** 8), "千元": Decimal(1000)}


class ImplausibleTarget(Rule):
    """不合理的指标值：超过 100% 的比率、成本写成百分比或超过预算、缺单位、数量质量指标写成定性描述。

    **What it does** — warns about targets that cannot be measured as written:
    a rate or satisfaction of ``≥100%`` (``>=100%``, ``≥100百分比``) or above
    100 %; a 成本 target written as a percentage floor (``项目总成本 ≥100%``) or
    as words instead of a money cap, or a money cap above the project budget;
    a bare number without unit where the category needs one (数量 counts, 成本
    money, rates); words or sentences (``有所提高``) under 数量 / 质量.

    **Why it matters** — a target must say what will be measured and when it
    is met; ``满意度 ≥100%`` can only be met by a perfect survey, ``≥100%`` of a
    cost has no ceiling.

    **Example** — wrong: 服务对象满意度 ``≥100%``; 项目总成本 ``≥100%``.  Right:
    服务对象满意度 ``≥90%``; 项目总成本 ``≤879 万元``.
    """

    code = "P408"
    name = "implausible-target"
    severity = "warning"
    summary = Msg("指标值不合理或无法衡量", "implausible or unmeasurable target")
    title_zh = "指标值不合理"
    doc_zh = """
    不合理的指标值：超过 100% 的比率、成本写成百分比或超过预算、缺单位、数量质量指标写成定性描述。

    **作用**：检查绩效指标值能否衡量：比率不超过 100%，成本指标是金额且不超过预算，数量指标有单位，
    数量和质量指标不是定性描述。

    **原因**：无法衡量的指标值使绩效目标无法考核。

    **示例**：错误：服务对象满意度 ``≥100%``；项目总成本 ``≥100%``。正确：服务对象满意度 ``≥90%``；
    项目总成本 ``≤879 万元``。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for pt in perf_view(doc).targets:
            budget = pt.funds.amount()
            for ind in pt.indicators:
                yield from self._one(doc, ctx, pt, ind, budget)

    def _one(self, doc: Document, ctx: Context, pt: PerfTable, ind: Indicator, budget: Cell | None) -> Iterator[Yielded]:
        tg = ind.target
        name = squash(ind.name)
        l2 = squash(ind.level2)
        cost = "成本" in l2 or (level1_family(ind.level1) == "成本")
        cell = ind.value_cell
        if cell is None:
            return
        label = ind.name or ""
        if tg.kind == "number" and tg.percent and tg.value is not None:
            over = tg.value > 100 or (tg.value == 100 and tg.comparator in ("≥", ">"))
            if cost and tg.comparator in ("≥", ">", None, "="):
                if "率" not in name:
                    yield ctx.finding(self, doc, cell, Msg(
                        "成本指标「{name}」的指标值「{text}」是百分比下限，应为金额上限（如 ≤ 预算金额）",
                        "cost indicator {name!r} has target {text!r}, a percentage floor instead of a money cap",
                    ), name=label, text=tg.text)
                    return
            if over and not any(w in name for w in _GROWTH):
                yield ctx.finding(self, doc, cell, Msg(
                    "指标「{name}」的指标值「{text}」超过或要求不低于 100%，无法合理衡量",
                    "indicator {name!r} has target {text!r}: at least or above 100% cannot be a meaningful target",
                ), name=label, text=tg.text, actual=tg.value)
            return
        if tg.kind == "number" and tg.value is not None and tg.unit is None and not tg.percent:
            needs = None
            if "数量" in l2 and not _RATE_UNITS.search(ind.name or "") and not name.endswith(("率", "度")):
                needs = Msg("数量单位（个、次、人…）", "a count unit (个, 次, 人…)")
            elif cost and not _RATE_UNITS.search(ind.name or ""):
                needs = Msg("金额单位（万元、元）", "a money unit (万元, 元)")
            elif name.endswith("率") and not _RATE_UNITS.search(ind.name or ""):
                needs = Msg("百分号（%）", "a percent sign (%)")
            if needs is not None:
                yield ctx.finding(self, doc, cell, Msg(
                    "指标「{name}」的指标值「{text}」缺少单位，应写明{needs}",
                    "indicator {name!r} has target {text!r} without a unit; it needs {needs}",
                ), name=label, text=tg.text, needs=needs.get(ctx.lang))
            return
        if tg.kind == "number" and cost and tg.unit in _MONEY and budget is not None and budget.value is not None:
            bunit = budget.unit or pt.funds.unit
            if bunit in _MONEY:
                amount = tg.value * _MONEY[tg.unit]
                limit = budget.value * _MONEY[bunit]
                if amount > limit and tg.comparator in ("≤", "<", "=", None):
                    yield ctx.finding(self, doc, cell, Msg(
                        "成本指标「{name}」的指标值「{text}」超过项目预算 {budget}",
                        "cost indicator {name!r} has target {text!r}, above the project budget {budget}",
                    ), name=label, text=tg.text, budget=f"{_fmt(budget.value)} {bunit}", terms=[budget])
            return
        if tg.kind == "words" and ("数量" in l2 or "质量" in l2 or (cost and "成本" in l2)):
            yield ctx.finding(self, doc, cell, Msg(
                "{cat}指标「{name}」的指标值是文字「{text}」，不是可衡量的数值",
                "{cat} indicator {name!r} has the words {text!r} as its target, not a measurable value",
            ), name=label, text=tg.text, cat=(ind.level2 or "").replace("指标", ""))


# ---------------------------------------------------------------------------
# cross-checks with the project expenditure table (T7)


@dataclasses.dataclass
class _Project:
    unit: str
    name: str | None
    amount: Cell
    row_line: int | None


def _norm(name: str | None) -> str:
    t = squash(name)
    return re.sub(r"[（(]盖章[)）]", "", t)


def _shortened(a: str, b: str) -> bool:
    """``a`` is ``b`` with characters left out (or the reverse): a shortened or wrapped name."""
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4 or len(short) < 0.6 * len(long_):
        return False
    it = iter(long_)
    return all(ch in it for ch in short)


def _fiscal(pt: PerfTable) -> Cell | None:
    return pt.funds.fiscal if pt.funds.fiscal is not None else pt.funds.total


def project_rows(table: Table) -> list[_Project]:
    """Unit → project rows of a 项目支出表, coping with shifted pages and wrapped unit names."""
    name_col = next((c.index for c in table.columns if any("项目名称" in p for p in c.path)), None)
    label_col = next((c.index for c in table.columns if c.role == "label" and c.index != name_col), None)
    amount_col = next((c.index for c in table.columns if c.role == "value" and any("合计" in p for p in c.path)), None)
    if amount_col is None:
        amount_col = next((c.index for c in table.columns if c.role == "value"), None)
    if amount_col is None:
        return []
    out: list[_Project] = []
    unit = ""
    prev_unit_row = False
    for row in table.rows:
        if row.kind == "total":
            continue
        cells = row.cells
        lab = squash(cells[label_col].raw) if label_col is not None else ""
        nam = squash(cells[name_col].raw) if name_col is not None else ""
        if not row.code:
            text = lab or nam
            if not text:
                continue
            if prev_unit_row and cells[amount_col].value is None and len(text) <= 6:
                unit += text  # the wrapped tail of a unit name ("大队")
                continue
            unit = text
            prev_unit_row = True
            continue
        prev_unit_row = False
        if len(row.code) != 7:
            continue
        proj = nam if nam and lab else None  # a shifted row puts the function name where the project goes
        out.append(_Project(unit, proj, cells[amount_col], row.loc.line))
    return out


class TargetMatchesProjectTable(Rule):
    """绩效目标表的项目金额应与项目支出表中同一单位同一项目的金额一致。

    **What it does** — pairs each 项目支出绩效目标表 with the row of the same
    unit and project in the document's 项目支出表 (matching names after NFKC and
    space normalisation; shortened or wrapped names are matched too) and checks
    that the table's 财政拨款 equals the project's 项目支出合计.  A pairing by
    exact names is an error, a fuzzy one a warning.  A 单位整体绩效目标表 is
    compared with the unit's 支出总表 total where the document gives it.

    **Why it matters** — the target table and the budget tables describe the
    same money; when they differ, one of them was not updated.

    **Example** — wrong: 绩效目标表 乌鲁木齐县… / 执法办案补充经费 财政拨款 150.00
    while 表 7 lists 160.00.  Right: both 160.00.
    """

    code = "P409"
    name = "target-matches-project-table"
    severity = "error"
    summary = Msg("绩效目标表金额与项目支出表不一致", "target table amount differs from the project expenditure table")
    title_zh = "目标表与项目表金额"
    doc_zh = """
    绩效目标表的项目金额应与项目支出表中同一单位同一项目的金额一致。

    **作用**：按单位名称和项目名称把每张绩效目标表与项目支出表中的行配对，比较资金金额。
    名称完全一致的配对不符为错误，模糊配对为警告。

    **原因**：同一项目在两张表中金额不同，至少有一处是错的，绩效目标也就对应不上预算。

    **示例**：错误：绩效目标表 乌鲁木齐县…/执法办案补充经费 财政拨款 150.00，而表 7 列为 160.00。正确：两处都是 160.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        view = perf_view(doc)
        if not view.targets:
            return
        t7 = [t for t in doc.tables if t.kind == "budget.gpb_project"]
        rows = [p for t in t7 for p in project_rows(t)]
        if rows:
            paired: list[PerfTable] = []
            yield from self._projects(doc, ctx, view.targets, rows, paired)
            if len(t7) == 1:
                yield from self._overall(doc, ctx, view.targets, t7[0], rows, paired)
        yield from self._units(doc, ctx, view.targets)

    def _overall(self, doc: Document, ctx: Context, targets: list[PerfTable], t7: Table, rows: list[_Project], paired: list[PerfTable]) -> Iterator[Yielded]:
        """Σ 财政拨款 of the project target tables = the project table's 总计."""
        amount_col = rows[0].amount.col
        total_row = next((r for r in t7.rows if r.kind == "total" and r.cells[amount_col].value is not None), None)
        if total_row is None:
            return
        fiscal = [pt for pt in targets if pt.kind == "perf.project_target" and _fiscal(pt) is not None and _fiscal(pt).value]
        if not fiscal:
            return
        done = {id(pt) for pt in paired}
        alone = [pt for pt in fiscal if id(pt) not in done]
        names = "、".join(f"{pt.unit_name} / {pt.project_name}（第 {_fiscal(pt).loc.line} 行，{_fmt(_fiscal(pt).value)}）" for pt in alone[:8])
        more = f" 等 {len(alone)} 张" if len(alone) > 8 else ""
        zh = f"项目支出表总计应等于 {len(fiscal)} 张项目绩效目标表的财政拨款之和（项目支出表列有 {len(rows)} 个项目）"
        en = f"the project table's total = the fiscal funds of the {len(fiscal)} project target tables (the project table lists {len(rows)} projects)"
        if alone:
            zh += f"；在项目支出表中找不到对应项目的表：{names}{more}"
            en += f"; target tables without a matching project: {names}{more}"
        yield Identity(
            rule=self, total=total_row.cells[amount_col], terms=[Term(_fiscal(pt), label=f"{pt.unit_name} / {pt.project_name}") for pt in fiscal],
            what=Msg(zh, en),
        )

    def _projects(self, doc: Document, ctx: Context, targets: list[PerfTable], rows: list[_Project], paired: list[PerfTable]) -> Iterator[Yielded]:
        by_unit: dict[str, list[_Project]] = {}
        for p in rows:
            by_unit.setdefault(_norm(p.unit), []).append(p)
        fiscal_tables: dict[str, int] = {}
        for pt in targets:
            if pt.kind == "perf.project_target":
                c = pt.funds.fiscal or pt.funds.total
                if c is not None and c.value:
                    fiscal_tables[_norm(pt.unit_name)] = fiscal_tables.get(_norm(pt.unit_name), 0) + 1
        for pt in targets:
            if pt.kind != "perf.project_target" or not pt.unit_name:
                continue
            amount = pt.funds.fiscal if pt.funds.fiscal is not None else pt.funds.total
            if amount is None or not amount.value:
                continue  # a project without fiscal money is not in the 一般公共预算 project table
            unit = _norm(pt.unit_name)
            exact_unit = unit in by_unit
            if exact_unit:
                block = by_unit[unit]
            else:
                near = [u for u in by_unit if _shortened(unit, u)]
                if len(near) != 1:
                    continue
                block = by_unit[near[0]]
            proj = _norm(pt.project_name)
            match = [p for p in block if p.name and p.name == proj]
            exact = exact_unit and len(match) == 1
            if not match:
                match = [p for p in block if p.name and _shortened(proj, p.name)]
            if not match and len(block) == 1 and fiscal_tables.get(unit, 0) == 1:
                match = block
            if len(match) != 1:
                continue
            p = match[0]
            paired.append(pt)
            where = f"{p.unit} / {p.name or '—'}"
            yield Identity(
                rule=self, total=amount, terms=[Term(p.amount, label=f"项目支出表 {where}")],
                what=Msg(
                    f"绩效目标表「{pt.unit_name} / {pt.project_name}」的财政拨款应等于项目支出表第 {p.row_line} 行「{where}」的项目支出合计",
                    f"fiscal funds of target table {pt.unit_name} / {pt.project_name} = 项目支出合计 of {where} (project table line {p.row_line})",
                ),
                severity=None if exact else "warning",
            )

    def _units(self, doc: Document, ctx: Context, targets: list[PerfTable]) -> Iterator[Yielded]:
        t3 = [t for t in doc.tables if t.kind == "budget.expenditure"]
        for pt in targets:
            if pt.kind != "perf.unit_target" or not pt.unit_name:
                continue
            f = pt.funds
            for t in t3:
                if _norm(t.issuer) != _norm(pt.unit_name):
                    continue
                total_row = next((r for r in t.rows if r.kind == "total"), None)
                val_col = next((c.index for c in t.columns if c.role == "value"), None)
                if total_row is None or val_col is None or total_row.cells[val_col].value is None:
                    continue
                their = total_row.cells[val_col]
                if f.total is not None and f.total.value is not None:
                    mine_terms = [Term(their)]
                    yield Identity(rule=self, total=f.total, terms=mine_terms, what=Msg(
                        f"单位整体绩效目标表的资金总额应等于支出总表「{t.title}」的合计",
                        f"the unit target table total = the total of {t.title}",
                    ))
                else:
                    parts = [c for _, c in f.fiscal_parts + f.other_parts]
                    if f.fiscal is not None:
                        parts = [f.fiscal] + ([f.other] if f.other is not None else [c for _, c in f.other_parts])
                    if parts:
                        yield Identity(rule=self, total=their, terms=[Term(c) for c in parts], what=Msg(
                            f"支出总表「{t.title}」的合计应等于单位整体绩效目标表的资金来源之和",
                            f"the total of {t.title} = the funds of the unit target table",
                        ))
                break


def get_rules() -> list[type[Rule]]:
    return [
        WeightsTotal, ScoringTree, WeightDistribution, FundsBlock, SpendingPlan, TemplateResidue,
        DuplicateIndicator, ImplausibleTarget, TargetMatchesProjectTable,
    ]
