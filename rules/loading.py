"""Family L: files and tables that could not be read as expected.

These rules turn what the loaders and the shape validation noticed into
findings, so a broken file is reported with its cause while the run goes on.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Cell, Document
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
    title_zh = "表格结构"
    doc_zh = """
    已识别的表格不符合该类表应有的结构。

    **作用**：对每类已识别的公开表格做结构校验（每类表一次 pandera 校验，覆盖全部同类表）：金额为数字或空白，
    预算金额不为负（调整栏可以为负），科目编码为 3、5 或 7 位，必备栏目齐全（支出总表需有合计、基本支出和项目支出）。

    **原因**：在读错的表格上做运算会得到误导性的发现；结构问题通常意味着录入错误（``1,2O3.00``）
    或表格套错了模板。

    **示例**：基本支出栏中的 ``12,659.6l``（字母 l）→ 该单元格警告；``12,659.61`` 通过。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # evaluated by the engine once per kind (budgetlint.schemas)


class NumberStoredAsText(Rule):
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


def _blocks(cells: dict[tuple[int, int], Cell]) -> list[list[Cell]]:
    """Groups of cells that touch (same row or column, adjacent), each in reading order."""
    seen: set[tuple[int, int]] = set()
    out = []
    for start in sorted(cells):
        if start in seen:
            continue
        stack, group = [start], []
        seen.add(start)
        while stack:
            r, c = stack.pop()
            group.append((r, c))
            for nb in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                if nb in cells and nb not in seen:
                    seen.add(nb)
                    stack.append(nb)
        out.append([cells[k] for k in sorted(group)])
    return out


def _rectangular(block: list[Cell]) -> bool:
    rows = {c.row for c in block}
    cols = {c.col for c in block}
    return len(rows) * len(cols) == len(block)


def get_rules() -> list[type[Rule]]:
    return [UnreadableFile, LoaderProblem, TableShape, NumberStoredAsText]
