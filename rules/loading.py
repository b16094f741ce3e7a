"""Family L: files and tables that could not be read as expected.

These rules turn what the loaders and the shape validation noticed into
findings, so a broken file is reported with its cause while the run goes on.
"""

from __future__ import annotations

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


class SkippedEntry(Rule):
    """An entry of a checked folder was left out, and why.

    **What it does**: reports what was found in a checked folder but not
    read: a sub-folder that cannot be opened (no permission), a FIFO, socket
    or device (opening one could block the run forever), a broken or looping
    symbolic link, a symbolic link that leads out of the checked folder (not
    followed unless ``--follow-links``).

    **Why it matters**: a folder that cannot be read would otherwise pass as
    checked.  With ``--strict`` any such entry makes the exit code 1.

    **Example**: ``docs/archive/`` without read permission → ``L004 未检查：无法读取该目录…``;
    give the account read access (or check the folder elsewhere) and it is checked.
    """

    code = "L004"
    name = "skipped-entry"
    severity = "warning"
    summary = Msg("文件夹中的条目未检查（无法读取、特殊文件、指向外部的链接）", "entry of a folder not checked (unreadable, special file, link leading out)")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # findings are made by the engine while it walks the folders


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


def get_rules() -> list[type[Rule]]:
    return [UnreadableFile, LoaderProblem, TableShape, SkippedEntry]
