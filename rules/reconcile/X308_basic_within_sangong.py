"""基本支出 economic items stay within the matching 三公 items.

**What it does**: in the 一般公共预算基本支出表, 30212 因公出国（境）费用,
30217 公务接待费 and 30231 公务用车运行维护费 must each be at most the matching
item of the “三公”经费表 (三公 also includes project spending, so only ≤
holds).  The codes are a convention (部门预算经济分类) and can be changed
with ``reconcile.sangong_codes``.

**Why it matters**: 三公经费 must include every such expense; a basic-spending
line above it means the 三公 table understates them.

**Example** (万元)::

    wrong:  表6 30217 公务接待费 3.00   表10 公务接待费 2.00
    right:  表6 30217 公务接待费 2.00   表10 公务接待费 2.00
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded
from budgetlint.understand import lookup as tb

from ._common import DEFAULT_SANGONG_CODES, _SANGONG_NAMES, _amount_column, _eq, _sets


class BasicWithinSangong(Rule):
    code = "X308"
    name = "basic-within-sangong"
    severity = "error"
    summary = Msg("基本支出中的三公科目不超过三公经费表", "basic-spending 三公 items are at most the 三公 table's")
    title_zh = "基本支出三公科目"
    doc_zh = """
    基本支出中的三公经济科目不超过三公经费表的相应项。

    **作用**：把基本支出表中公务接待费、因公出国（境）费用、公务用车运行维护费等经济科目与三公经费表的同名项比较，前者不得更大。

    **原因**：基本支出中的三公科目超过三公经费表，说明三公经费少报或科目录错。

    **示例**（万元）：错误：表 6 30217 公务接待费 3.00，表 10 公务接待费 2.00。正确：表 6 为 2.00。
    """
    config_keys = ("reconcile.sangong_codes",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        codes = {**DEFAULT_SANGONG_CODES, **(ctx.option("reconcile.sangong_codes") or {})}
        for s in _sets(doc):
            t6, t10 = s.get("budget.gpb_basic"), s.get("budget.sangong")
            if t6 is None or t10 is None:
                continue
            g = tb.main_sangong_group(tb.sangong_groups(t10))
            col6 = _amount_column(t6)
            if g is None or col6 is None:
                continue
            lines6 = tb.code_lines(t6, col6.index)  # every column group of economic classes
            n6, n10 = tb.table_name(t6), tb.table_name(t10)
            for item, code in codes.items():
                line, cell = lines6.get(str(code)), g.cells.get(item)
                if line is None or cell is None:
                    continue
                yield _eq(self, line.cell, cell,
                          f"{n6}“{line.display()}”应不大于{n10}“{_SANGONG_NAMES.get(item, item)}”",
                          f"{n6} “{line.display()}” must be at most {n10} {_SANGONG_NAMES.get(item, item)}",
                          relation="<=")
