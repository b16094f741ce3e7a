"""No table, or fewer tables than the document announces, could be read.

**What it does**: warns when a file that was read yields no table at all, and when the
document's own headings or 目录 (公开01表…公开12表, 表一…表十二, or a numbered list of table
titles) announce more tables than were read; the message gives both counts.  Files checked
together with a companion (text + tables of one disclosure) are counted together.

**Why it matters**: silence is not success.  A table that was not read is a table that was
not checked, and "0 errors" on it would pass a document nobody looked at.

**Example**: a disclosure whose 目录 lists 十二、政府采购预算表 but from which 9 tables were
read → ``L006 文件列出 12 张表，只读出 9 张``; the same file read completely → no finding.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import announced_tables


class TablesNotRead(Rule):
    code = "L006"
    name = "tables-not-read"
    severity = "warning"
    summary = Msg("未读出表格，或读出的表格少于文件所列", "no table read, or fewer tables read than the document announces")
    title_zh = "表格未读出或少于所列"
    doc_zh = """
    未读出任何表格，或读出的表格少于文件所列。

    **作用**：文件读出后一张表也没有，或文件自己的目录、标题（公开01表…公开12表、表一…表十二、编号的表名清单）
    列出的表比读出的多时给出警告，并写明两个数目。与配套文件（同一份公开的文字和表格）一并检查时合并计数。

    **原因**：没有报错不等于检查通过。没读出的表就是没检查的表，对它报“0 个错误”等于放过了没人看过的文件。

    **示例**：目录列到“十二、政府采购预算表”，却只读出 9 张表 → ``L006 文件列出 12 张表，只读出 9 张``；全部读出则没有提示。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        if doc.error:
            return
        announced = announced_tables(doc)
        read = len(doc.tables)
        if read == 0:
            if announced:
                msg = Msg("文件列出 {announced} 张表，但未读出任何表格，表格未检查",
                          "the document announces {announced} tables but none could be read: no table was checked")
            else:
                msg = Msg("未从文件中读出任何表格，表格未检查（只检查了文字）",
                          "no table could be read from this file: no table was checked (only the prose)")
            yield ctx.finding(self, doc, None, msg, announced=announced)
        elif announced > read:
            yield ctx.finding(self, doc, None, Msg("文件列出 {announced} 张表，只读出 {read} 张，其余未检查",
                                                   "the document announces {announced} tables but only {read} were read: the rest were not checked"),
                              announced=announced, read=read)
