"""A sub-code does not start with the code of the row it sits under.

**What it does**: reads the 类 → 款 → 项 chain in row order and reports a 款
or 项 code that does not begin with its parent's code (``22001`` under
``221``), which usually means a mistyped code or a row pasted into the wrong
block.

**Why it matters**: codes are what tables are reconciled by; a wrong code
moves money from one function to another.

**Example**: ``221 住房保障支出`` followed by ``22001 自然资源事务`` → ``S103``;
``221`` followed by ``22102 住房改革支出`` is right.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import checked_tables, trees


class ChildCodePrefix(Rule):
    code = "S103"
    name = "child-code-prefix"
    severity = "error"
    summary = Msg("下级科目编码与上级科目编码不符", "a sub-code does not start with its parent's code")
    title_zh = "下级科目编码"
    doc_zh = """
    下级科目编码与其上级科目编码不符。

    **作用**：检查列在某个上级科目下的下级科目编码以该上级编码开头。

    **原因**：编码不符说明科目放错了位置或编码录错，按科目的汇总和核对都会出错。

    **示例**：``221 住房保障支出`` 下面是 ``22001 自然资源事务`` → ``S103``；``221`` 下面是 ``22102 住房改革支出``，正确。
    """
    config_keys = ("sums.skip_kinds",)

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in checked_tables(doc, ctx):
            for tree in trees(table, ctx):
                wrong: set[int] = set()
                for node in tree.nodes:
                    parent = node.parent
                    if node.kind != "code" or parent is None or parent.kind != "code":
                        continue
                    if node.code.startswith(parent.code) or id(parent) in wrong:
                        continue  # under a mistyped code only that code is reported
                    wrong.add(id(node))
                    at = next((node.row.cells[c] for c in tree.side.code_cols if node.row.cells[c].raw.strip()), None)
                    if at is None:
                        at = node.row.cells[tree.side.label_col] if tree.side.label_col is not None else node.row.cells[0]
                    yield ctx.finding(
                        self, doc, at,
                        Msg("科目编码「{code}」不以上级科目「{parent}」的编码开头（{parent_code}）",
                            "code '{code}' does not start with the code of its parent row '{parent}' ({parent_code})"),
                        table=table, code=node.display(), parent=parent.display(), parent_code=parent.code,
                    )
