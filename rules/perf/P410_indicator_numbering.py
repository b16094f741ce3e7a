"""The numbering of a scoring sheet's indicators skips or repeats a number.

**What it does** — in a 绩效评价指标体系表 whose indicators carry codes (一级 ``C``,
二级 ``C1``, ``C2`` …, 三级 ``C11``, ``C12`` …), checks that the children of every
indicator are numbered 1, 2, 3 … under its own code, in order, without a gap or a
repeat.  Codes are read as the parent's code plus one digit, so a year glued to a
code by the extraction (``C22021 年新增…`` = ``C2`` + ``2021 年新增…``) reads right.

**Why it matters** — a skipped number is where an indicator was deleted or never
written, and the weights of the others may no longer be what the sheet intended;
a repeated number makes the sheet impossible to cite.

**Example** — wrong: ``C1 卫片执法检查工作率``, ``C2 …``, ``C4 开展专项工作``.  Right:
``C3 开展专项工作`` (or the missing ``C3`` restored).
"""

from __future__ import annotations

import re
from typing import Iterator

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand.perf import perf_view
from budgetlint.understand.scoring import ScoreNode

_ROOT = re.compile(r"^\s*([A-Z])(?![A-Za-z])")


def _code(node: ScoreNode, parent_code: str | None) -> str | None:
    """The node's code: a letter at the top, the parent's code plus one digit below it."""
    label = node.label.strip()
    if parent_code is None:
        m = _ROOT.match(label)
        return m.group(1) if m else None
    if label.startswith(parent_code) and len(label) > len(parent_code) and label[len(parent_code)].isdigit():
        return parent_code + label[len(parent_code)]
    return None


class IndicatorNumbering(Rule):
    code = "P410"
    name = "indicator-numbering"
    severity = "warning"
    summary = Msg("指标编号跳号或重号", "indicator numbering skips or repeats a number")
    title_zh = "指标编号"
    doc_zh = """
    绩效评价指标体系表的指标编号跳号或重号。

    **作用**：指标带编号时（一级 ``C``，二级 ``C1``、``C2``……，三级 ``C11``、``C12``……），检查每个指标的下级
    在其编号之下按 1、2、3……依次编号，不跳号、不重号。编号按“上级编号加一位数字”读取，因此提取时
    粘连在编号后的年份（``C22021 年新增…`` = ``C2`` + ``2021 年新增…``）也能正确读出。

    **原因**：跳过的编号往往是删掉或漏写的指标，其余指标的分值可能已不是原来的设计；重号使指标无法引用。

    **示例**：错误：``C1 卫片执法检查工作率``、``C2 …``、``C4 开展专项工作``。正确：``C3 开展专项工作``（或补上缺少的 ``C3``）。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        for tree in perf_view(doc).scoring:
            yield from self._siblings(doc, ctx, tree.roots, None)

    def _siblings(self, doc: Document, ctx: Context, nodes: list[ScoreNode], parent_code: str | None) -> Iterator[Yielded]:
        coded = [(n, _code(n, parent_code)) for n in nodes]
        if parent_code is not None and coded and all(c is not None for _, c in coded):
            expected = 1
            for node, code in coded:
                got = int(code[-1])  # type: ignore[index]
                if got != expected:
                    want = f"{parent_code}{expected}"
                    if got < expected:
                        msg = Msg("指标编号「{code}」重复或倒序：此处应为「{want}」", "indicator code {code} repeats or goes back: {want} expected here")
                    else:
                        msg = Msg("指标编号从「{prev}」跳到「{code}」，缺少「{want}」", "indicator numbering jumps from {prev} to {code}: {want} is missing")
                    yield ctx.finding(self, doc, node.cell, msg, code=code, want=want, prev=f"{parent_code}{expected - 1}")
                expected = got + 1
        for node, code in coded:
            if code is not None and node.children:
                yield from self._siblings(doc, ctx, node.children, code)
