"""Family L: files and tables that could not be read as expected.

These rules turn what the loaders and the shape validation noticed into
findings, so a broken file is reported with its cause while the run goes on.
"""

from __future__ import annotations

import re
from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded


class UnreadableFile(Rule):
    """A file could not be read at all.

    **What it does**: reports a file that budgetlint could not open or parse
    (unsupported type, binary content, corrupt archive, over a size limit…),
    naming the file and the cause.

    **Why it matters**: a check that silently skips a file would pass a
    submission nobody looked at.  The other files are still checked.

    **Example**: ``budget.xlsx`` that is really a renamed ZIP of images →
    ``L001 无法读取文件：…``.  The same workbook saved properly from Excel reads fine.
    """

    code = "L001"
    name = "unreadable-file"
    severity = "error"
    summary = Msg("文件无法读取", "file cannot be read")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        if doc.error:
            f = ctx.finding(self, doc, None, Msg("无法读取文件：{cause}", "cannot read file: {cause}"), cause=doc.error)
            yield f


class LoaderProblem(Rule):
    """Something in a file was read only partly or with a caveat.

    **What it does**: reports what a loader noticed while reading: a formula
    whose cached value is missing (the workbook was never recalculated), a
    scanned PDF page without a text layer, a limit that cut a table short.

    **Why it matters**: the numbers checked are only as good as the numbers
    read; a missing cached value is checked as blank.

    **Example**: ``Sheet1!D12`` holds ``=SUM(D5:D11)`` saved without values →
    warning; open and save the workbook in Excel or LibreOffice to store the values.
    """

    code = "L002"
    name = "loader-problem"
    severity = "warning"
    summary = Msg("读取时发现的问题（公式无缓存值、扫描件等）", "problem noticed while reading (missing cached values, scans…)")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        from budgetlint.model import Cell

        for kind, message, where in doc.meta.get("problems", []):
            at = Cell(raw="", loc=where) if where is not None else None
            yield ctx.finding(self, doc, at, Msg("{problem}：{detail}", "{problem}: {detail}"), problem=kind, detail=message)


class TableShape(Rule):
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

    code = "L003"
    name = "table-shape"
    severity = "warning"
    summary = Msg("表格结构与该类表的要求不符", "table shape does not fit its kind")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # evaluated by the engine once per kind (budgetlint.schemas)


_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> int | None:
    """一 … 九十九 (as table numbers are written) to an int; Arabic digits pass through."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CN_DIGITS.get(text) if len(text) == 1 else None
    tens, _, units = text.partition("十")
    value = (_CN_DIGITS.get(tens, 0) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)
    return value if (not tens or tens in _CN_DIGITS) and (not units or units in _CN_DIGITS) else None


# a table number as printed in a heading or a 目录 line: 公开08表, 公开表八, 表八, 表 8
_NUMBER_IN_HEADING = re.compile(r"公开\s*(\d{1,2})\s*表|公开表\s*([一二三四五六七八九十\d]{1,3})|^\s*表\s*([一二三四五六七八九十\d]{1,3})(?![\d\-－.])")
# a 目录 / heading line listing a table: 十二、政府采购预算表
_LISTED_TABLE = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(\S.{1,60}?表)\s*(?:[（(][^)）]{0,12}[)）])?\s*[.…·\d\s]*$")


def announced_tables(doc: Document) -> int:
    """How many tables the document's own lines announce: the distinct table numbers found in its
    headings and 目录 lines (公开NN表, 公开表N, 表N, or a numbered line naming a table kind).  An
    excerpt holding 表 3 and 表 8 announces two tables, not eight."""
    from budgetlint.understand.kinds import kind_from_title

    seen: set[int] = set()
    lines = [p.text for p in doc.prose if len(p.text) <= 120]
    for t in doc.tables:
        lines.extend(p.text for p in t.meta.get("before", ()))
        if t.number:
            lines.append(t.number)
    for text in lines:
        for m in _NUMBER_IN_HEADING.finditer(text):
            n = _cn_number(next(g for g in m.groups() if g))
            if n is not None and 0 < n <= 60:
                seen.add(n)
        for piece in re.split(r"(?<![一二三四五六七八九十])(?=(?<!^)[一二三四五六七八九十]{1,3}\s*[、])", text):
            m = _LISTED_TABLE.match(piece)
            if m and kind_from_title(m.group(2)):
                n = _cn_number(m.group(1))
                if n is not None and 0 < n <= 60:
                    seen.add(n)
    return len(seen)


class TablesNotRead(Rule):
    """No table, or fewer tables than the document announces, could be read.

    **What it does**: warns when a file that was read yields no table at all, and when the
    document's own headings or 目录 (公开01表…公开12表, 表一…表十二, or a numbered list of table
    titles) announce more tables than were read; the message gives both counts.  Files checked
    together with a companion (text + tables of one disclosure) are counted together.

    **Why it matters**: silence is not success.  A table that was not read is a table that was
    not checked, and "0 errors" on it would pass a document nobody looked at.

    **Example**: a disclosure whose 目录 lists 十二、政府采购预算表 but from which 9 tables were
    read → ``L004 文件列出 12 张表，只读出 9 张``; the same file read completely → no finding.
    """

    code = "L004"
    name = "tables-not-read"
    severity = "warning"
    summary = Msg("未读出表格，或读出的表格少于文件所列", "no table read, or fewer tables read than the document announces")

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


def get_rules() -> list[type[Rule]]:
    return [UnreadableFile, LoaderProblem, TableShape, TablesNotRead]
