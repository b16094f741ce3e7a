"""A file could not be read at all.

**What it does**: reports a file that budgetlint could not open or parse
(unsupported type, binary content, corrupt archive, over a size limit…),
naming the file and the cause.

**Why it matters**: a check that silently skips a file would pass a
submission nobody looked at.  The other files are still checked.

**Example**: ``budget.xlsx`` that is really a renamed ZIP of images →
``L001 无法读取文件：…``.  The same workbook saved properly from Excel reads fine.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded


class UnreadableFile(Rule):
    code = "L001"
    name = "unreadable-file"
    severity = "error"
    summary = Msg("文件无法读取", "file cannot be read")
    reports_unreadable = True
    title_zh = "文件无法读取"
    doc_zh = """
    文件完全无法读取。

    **作用**：报告 budgetlint 无法打开或解析的文件（不支持的类型、二进制内容、损坏的压缩包、超过大小上限等），
    写明文件和原因。

    **原因**：悄悄跳过一个文件的检查，会让一份无人看过的材料通过。其他文件照常检查。

    **示例**：``budget.xlsx`` 实际是改了扩展名的图片压缩包 → ``L001 无法读取文件：…``。
    用 Excel 正常保存的同一工作簿可以读取。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        if doc.error:
            f = ctx.finding(self, doc, None, Msg("无法读取文件：{cause}", "cannot read file: {cause}"), cause=doc.error)
            yield f
