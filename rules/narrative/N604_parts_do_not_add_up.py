"""A list of parts in the narrative does not add up to its stated whole.

**What it does**: adds the parts of every list in the prose and compares
them with the whole, with the interval rounding rule (prose amounts at the
table precision): ``X 万元，其中：A…，B…`` (also over the following
paragraphs), ``包括：…``, and each project's 资金分配情况 against its
预算安排规模.  A list that restates the whole first (``某大队 160.00 万元，
其中劳务费…``) is read as whole + parts, and the restated whole must equal
预算安排规模.  Counts add exactly (``实有人数 828 人，其中：在职 571 人…``); the
changes of the parts add up to the change of the whole.  A list of a single
part only needs to stay within the whole.

**Why it matters**: an allocation that does not add up means money is
unaccounted for, or a figure was mistyped.

**Example**: ``预算安排规模：160.00 万元`` with ``资金分配情况：办公费 24.39 万元、
差旅费 1.57 万元、劳务费 99.14 万元、其他交通 31.2 万元、其他商品和服务支出 3 万元、
办公设备 0.7 万元`` adds to 160.00 (right); with 劳务费 98.14 it adds to
159.00 → error.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from budgetlint.understand import narrative as nv
from budgetlint.model import Document
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded

from ._common import _narrative, _signed, _subject


class PartsDoNotAddUp(Rule):
    code = "N604"
    name = "parts-do-not-add-up"
    severity = "error"
    summary = Msg("正文所列明细之和与总数不符", "parts listed in the narrative do not add up to the whole")
    title_zh = "明细之和与总数不符"
    doc_zh = """
    正文所列明细之和与其总数不符。

    **作用**：找出正文中先写总数再列明细的表述（预算安排规模与资金分配情况、收入预算及其构成等），
    按区间舍入规则检查明细之和等于总数。

    **原因**：明细加不到总数，说明某项金额写错或漏列，资金的去向因此说不清。

    **示例**：``预算安排规模：160.00 万元``，``资金分配情况：办公费 24.39 万元、差旅费 1.57 万元、劳务费 99.14 万元、
    其他交通 31.2 万元、其他商品和服务支出 3 万元、办公设备 0.7 万元`` 合计 160.00，正确；
    劳务费写成 98.14 则合计 159.00 → 错误。
    """
    config_keys = ("narrative.open_lists",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        nar = _narrative(doc, ctx)
        open_lists = bool(ctx.option("narrative.open_lists", False))
        for g in nar.groups:
            yield from self._group(g, open_lists)

    def _group(self, g: nv.Group, open_lists: bool) -> Iterator[Identity]:
        if g.kind == "allocation":
            budget = g.whole.amount if g.whole is not None else None
            whole = budget if budget is not None else (g.restated.amount if g.restated else None)
            parts = [p for p in g.parts if p.amount is not None]
            if whole is not None and parts:
                proj = g.whole.project if g.whole is not None else None
                name = (proj.unit or proj.name) if proj is not None else ""
                blabel = g.whole.label if g.whole is not None else "预算"
                yield Identity(
                    rule=self, total=whole, terms=[Term(p.amount, label=f"{g.label}：{_subject(p)}") for p in parts],  # type: ignore[arg-type]
                    anchor=parts[0].amount,
                    what=Msg(f"{g.label}各项之和与{blabel}不符（{name}）", f"the allocation does not add up to the budget ({name})"),
                )
            if budget is not None and g.restated is not None and g.restated.amount is not None:
                yield Identity(
                    rule=self, total=g.restated.amount, terms=[Term(budget, label=g.whole.label)], exact=not g.restated.amount.approx,  # type: ignore[union-attr]
                    what=Msg(f"{g.label}所述总额与{g.whole.label}不符", "the total restated in the allocation differs from the budget"),  # type: ignore[union-attr]
                )
            return
        if g.kind != "list" or g.whole is None:
            return
        w = g.whole
        for attr, exact in (("amount", False), ("count", True)):
            wc = getattr(w, attr)
            parts = [getattr(p, attr) for p in g.parts if getattr(p, attr) is not None]
            if wc is None or not parts:
                continue
            if attr == "count" and any(p.unit != wc.unit for p in parts):
                continue
            complete = len(parts) == len(g.parts) and len(parts) > 1 and not open_lists
            yield Identity(
                rule=self, total=wc, terms=[Term(c, label=f"正文：{_subject(p)}") for p, c in zip([p for p in g.parts if getattr(p, attr) is not None], parts)],
                relation="=" if complete else ">=", exact=exact, anchor=wc,
                what=Msg(f"正文「{_subject(w)}」与其所列各项之和不符", f"the text's “{_subject(w)}” does not match the sum of its parts"),
            )
        # the changes of the parts add up to the change of the whole
        if w.change is not None and g.parts and all(p.change is not None for p in g.parts):
            yield Identity(
                rule=self, total=_signed(w.change, w.change_dir),
                terms=[Term(_signed(p.change, p.change_dir), label=f"增减额：{_subject(p)}") for p in g.parts],  # type: ignore[arg-type]
                anchor=w.change,
                what=Msg(f"各项增减额之和与「{_subject(w)}」的增减额不符", f"the parts' changes do not add up to the change of “{_subject(w)}”"),
            )
