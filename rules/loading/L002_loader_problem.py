"""Something in a file was read only partly or with a caveat.

**What it does**: reports what a loader noticed while reading: a formula
whose cached value is missing (the workbook was never recalculated), a
scanned PDF page without a text layer, a limit that cut a table short.

**Why it matters**: the numbers checked are only as good as the numbers
read; a missing cached value is checked as blank.

**Example**: ``Sheet1!D12`` holds ``=SUM(D5:D11)`` saved without values →
warning; open and save the workbook in Excel or LibreOffice to store the values.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Cell, Document
from budgetlint.rule import Context, Msg, Rule, Yielded


class LoaderProblem(Rule):
    code = "L002"
    name = "loader-problem"
    severity = "warning"
    summary = Msg("读取时发现的问题（公式无缓存值、扫描件等）", "problem noticed while reading (missing cached values, scans…)")
    title_zh = "读取时的问题"
    doc_zh = """
    文件中有内容只读取了一部分或需要说明。

    **作用**：报告读取时发现的情况：公式没有保存计算结果（工作簿从未重新计算）、PDF 扫描页没有文字层、
    超过上限导致表格被截断。

    **原因**：检查的结果取决于读到的数字；没有缓存值的公式按空白检查。

    **示例**：``Sheet1!D12`` 中 ``=SUM(D5:D11)`` 保存时没有计算结果 → 警告；
    在 Excel 或 LibreOffice 中打开并保存工作簿即可存入计算结果。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.model import Cell

        for kind, message, where in doc.meta.get("problems", []):
            at = Cell(raw="", loc=where) if where is not None else None
            yield ctx.finding(self, doc, at, Msg("{problem}：{detail}", "{problem}: {detail}"), problem=kind, detail=message)
        if any(t.kind.startswith("perf.") for t in doc.tables):
            from budgetlint.understand.perf import perf_view

            for pt in perf_view(doc).targets:
                for pieces, read_as, cell in pt.repairs:
                    yield ctx.finding(
                        self, doc, cell,
                        Msg("OCR 修复：原文「{orig}」读作 {read}，请核对", "OCR repair: the text “{orig}” was read as {read}; please verify"),
                        orig="」「".join(pieces), read=read_as,
                    )
