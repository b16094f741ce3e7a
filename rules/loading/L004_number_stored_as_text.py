"""Amounts in a spreadsheet are stored as text.

**What it does**: finds amount cells of a table that the workbook stores as
text although they read as numbers (Excel marks them with a small green
triangle), and reports each block of such cells once, naming its range.
When a SUM formula's range holds some of them, the sum finding says so:
Excel's sum functions skip text, so the stored total leaves them out.

**Why it matters**: budgetlint and a reader see the printed numbers, but
Excel's own totals, filters and pivot tables ignore text; the workbook
silently disagrees with itself.

**Example**: ``C5:C9`` typed with a leading apostrophe (``'2,698.70``) →
one warning for the block; ``=SUM(C5:C9)`` in ``C4`` shows ``0.00`` and the
S101 finding names the text cells.  Right: convert the cells to numbers.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import _blocks, _rectangular


class NumberStoredAsText(Rule):
    code = "L004"
    name = "number-stored-as-text"
    severity = "warning"
    summary = Msg("数字以文本形式存储", "numbers stored as text")
    title_zh = "数字以文本形式存储"
    doc_zh = """
    表格中的金额以文本形式存储。

    **作用**：找出工作簿中以文本形式存储、但读起来是数字的金额单元格（Excel 在单元格左上角
    标出绿色小三角），每个相连的区域报告一次并写明范围。若 SUM 等求和公式的范围包含这些单元格，
    求和不符的发现会说明原因：Excel 的求和函数跳过文本，合计中缺少这些数。

    **原因**：budgetlint 和读者看到的是印出的数字，而 Excel 自己的合计、筛选和数据透视表都忽略文本，
    工作簿与自身不一致却不易察觉。

    **示例**：``C5:C9`` 以撇号开头录入（``'2,698.70``）→ 该区域一条警告；``C4`` 中
    ``=SUM(C5:C9)`` 显示 ``0.00``，S101 的发现指出这些文本单元格。正确做法：把这些单元格转换为数字。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        stored = doc.meta.get("text_numbers")
        if not stored:
            return
        refs = {(sheet, ref) for sheet, items in stored.items() for ref in items}
        for t in doc.tables:
            cells = {}
            for row in t.rows:
                for cell in row.cells:
                    if (cell.loc.sheet, cell.loc.cell) in refs and cell.value is not None:
                        col = t.columns[cell.col] if 0 <= cell.col < len(t.columns) else None
                        if col is None or col.role in ("value",):
                            cells[(cell.row, cell.col)] = cell
            for block in _blocks(cells):
                first, last = block[0], block[-1]
                span = first.loc.cell if first is last else f"{first.loc.cell}:{last.loc.cell}"
                if len(block) > 1 and not _rectangular(block):
                    span = f"{first.loc.cell} 等" if ctx.lang != "en" else f"{first.loc.cell} and others"
                yield ctx.finding(
                    self, doc, first,
                    Msg("{sheet}!{span}：{n} 个数字以文本形式存储（求和函数不计入文本，单元格左上角有绿色三角），应转换为数字",
                        "{sheet}!{span}: {n} numbers stored as text (Excel's sum functions skip text); convert them to numbers"),
                    terms=block, sheet=first.loc.sheet, span=span, n=len(block),
                )
