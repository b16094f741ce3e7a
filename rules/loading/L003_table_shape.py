"""A recognised table does not have the shape its kind requires.

**What it does**: validates every table of a recognised disclosure kind
(one pandera schema per kind over all tables at once): amounts are numbers
or blank, budget amounts are not negative (adjustment columns may be),
classification codes have 3, 5 or 7 digits, required columns are present
(a 支出总表 needs 合计, 基本支出 and 项目支出).

**Why it matters**: arithmetic on a misread table gives misleading
findings; a shape problem usually means a typing mistake (``1,2O3.00``)
or a table pasted into the wrong template.

**Example**: ``基本支出`` column holding ``12,659.6l`` (letter l) → warning
at that cell; ``12,659.61`` passes.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded


class TableShape(Rule):
    code = "L003"
    name = "table-shape"
    severity = "warning"
    summary = Msg("表格结构与该类表的要求不符", "table shape does not fit its kind")
    title_zh = "表格结构"
    doc_zh = """
    已识别的表格不符合该类表应有的结构。

    **作用**：对每类已识别的公开表格做结构校验（每类表一次 pandera 校验，覆盖全部同类表）：金额为数字或空白，
    预算金额不为负（调整栏可以为负），科目编码为 3、5 或 7 位，必备栏目齐全（支出总表需有合计、基本支出和项目支出）。

    **原因**：在读错的表格上做运算会得到误导性的发现；结构问题通常意味着录入错误（``1,2O3.00``）
    或表格套错了模板。

    **示例**：基本支出栏中的 ``12,659.6l``（字母 l）→ 该单元格警告；``12,659.61`` 通过。
    """

    run_imports = ("pandas", "pandera.pandas")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # validated once per run, over every table of a kind (check_run)

    def check_run(self, documents, ctx: Context):
        from budgetlint.rules.loading._schemas import validate_documents

        return validate_documents(self, documents, ctx)

    def prepare_run(self) -> None:
        from budgetlint.rules.loading._schemas import warm

        warm()

    def gather_run(self, documents, ctx: Context):
        from budgetlint.rules.loading._schemas import gather

        return gather(documents)

    def finish_run(self, gathered, ctx: Context):
        from budgetlint.rules.loading._schemas import validate_gathered

        return validate_gathered(self, gathered, ctx)
