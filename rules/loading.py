"""Family L: files and tables that could not be read as expected.

These rules turn what the loaders and the shape validation noticed into
findings, so a broken file is reported with its cause while the run goes on.
"""

from __future__ import annotations

import re
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


class SkippedEntry(Rule):
    """An entry of a checked folder was left out, and why.

    **What it does**: reports what was found in a checked folder but not
    read: a sub-folder that cannot be opened (no permission), a FIFO, socket
    or device (opening one could block the run forever), a broken or looping
    symbolic link, a symbolic link that leads out of the checked folder (not
    followed unless ``--follow-links``).

    **Why it matters**: a folder that cannot be read would otherwise pass as
    checked.  With ``--strict`` any such entry makes the exit code 1.

    **Example**: ``docs/archive/`` without read permission → ``L007 未检查：无法读取该目录…``;
    give the account read access (or check the folder elsewhere) and it is checked.
    """

    code = "L007"
    name = "skipped-entry"
    severity = "warning"
    summary = Msg("文件夹中的条目未检查（无法读取、特殊文件、指向外部的链接）", "entry of a folder not checked (unreadable, special file, link leading out)")
    title_zh = "文件夹条目未检查"
    doc_zh = """
    受检文件夹中有未读取的条目。

    **作用**：报告受检文件夹中没有读取的条目：无法打开的子文件夹（无权限）、命名管道、套接字或设备文件
    （打开它们可能让检查永远等待）、损坏或循环的符号链接、指向文件夹之外的符号链接（除非使用
    ``--follow-links``，否则不跟随）。

    **原因**：读不了的文件夹不能当作已检查通过。使用 ``--strict`` 时，有这类条目则退出码为 1。

    **示例**：``docs/archive/`` 没有读取权限 → ``L007 未检查：无法读取该目录…``；授予读取权限（或在别处检查该文件夹）后即可检查。
    """

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # the entries are the run's, not a document's (check_run)

    def check_run(self, documents, ctx: Context):
        for e in ctx.skipped:
            yield ctx.finding(self, Document(path=e.path, format="skipped"), None, Msg("未检查：{zh}", "not checked: {en}"), zh=e.zh, en=e.en)

    def gather_run(self, documents, ctx: Context):
        return None  # workers see no folder entries

    def finish_run(self, gathered, ctx: Context):
        return list(self.check_run((), ctx))


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
        if any(t.kind.startswith("perf.") for t in doc.tables):
            from budgetlint.understand.forms import perf_view

            for pt in perf_view(doc).targets:
                for pieces, read_as, cell in pt.repairs:
                    yield ctx.finding(
                        self, doc, cell,
                        Msg("OCR 修复：原文「{orig}」读作 {read}，请核对", "OCR repair: the text “{orig}” was read as {read}; please verify"),
                        orig="」「".join(pieces), read=read_as,
                    )


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

    run_imports = ("pandas", "pandera.pandas")

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # validated once per run, over every table of a kind (check_run)

    def check_run(self, documents, ctx: Context):
        from budgetlint.rules._table_shapes import validate_documents

        return validate_documents(self, documents, ctx)

    def gather_run(self, documents, ctx: Context):
        from budgetlint.rules._table_shapes import gather

        return gather(documents)

    def finish_run(self, gathered, ctx: Context):
        from budgetlint.rules._table_shapes import validate_gathered

        return validate_gathered(self, gathered, ctx)


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


# A structure is "not understood" when at least MIN_FAILED of its identities
# fail and they outnumber those that hold (documented in the README).
MIN_FAILED = 3

_STRUCTURES = {
    "rows": Msg("行结构（合计行、科目层级、编号项、其中项）", "row structure (total rows, code hierarchy, numbered items, parts)"),
    "columns": Msg("栏目结构（合计栏与其下各栏、栏次公式）", "column structure (total columns and the columns under them, column formulas)"),
}


class TableNotUnderstood(Rule):
    """A table's structure could not be confirmed by its own numbers.

    **What it does**: every row sum (S101, S102, S104, S105) and column sum
    (C201, C202) tests a reading of the table: which rows a total covers,
    which columns a 合计 adds up.  When at least three of the identities of one
    reading fail and they outnumber those that hold, the reading is far more
    likely wrong than the table: the failures are not reported as errors;
    this one warning names the table, the structure that was tried and how
    many of its identities held, with the first failure as an example.
    (A reading that holds on most rows keeps its failures as errors: there
    the numbers confirm the structure and the odd row out is the mistake.)

    **Why it matters**: a linter that turns a misread layout into dozens of
    errors gets switched off.  A table that was not understood is said so
    once, never passed as checked and never reported as full of mistakes.

    **Example**: a 支出总表 whose 合计 column fails against 基本支出 + 人员经费 +
    公用经费 + 项目支出 on all 12 rows (人员经费 and 公用经费 are parts of
    基本支出 that the header did not show) → one ``L005`` warning, no C201
    errors.  The same table with one row off → ``C201`` on that row.
    """

    code = "L005"
    name = "table-not-understood"
    severity = "warning"
    summary = Msg("表格结构未能由数字确认，未按错误报告", "table structure not confirmed by its numbers; not reported as errors")
    title_zh = "表格结构未确认"
    doc_zh = """
    表格的结构未能由其自身的数字确认。

    **作用**：每个行的求和（S101、S102、S104、S105）和栏的求和（C201、C202）都在检验对表格的一种读法：
    合计覆盖哪些行、合计栏由哪些栏相加。某种读法下至少三个等式不成立、且不成立的多于成立的时，
    更可能是读法错了而不是表格错了：这些不符不按错误报告，只给出一条警告，写明表格、所尝试的结构、
    其中多少个等式成立，并以第一个不符为例。（多数行都成立的读法保留其错误：数字确认了结构，个别不符的行才是错处。）

    **原因**：把读错的版式报成几十个错误，这样的检查工具会被弃用。未读懂的表格只说明一次，
    既不当作已检查通过，也不当作满篇错误。

    **示例**：支出总表的合计栏在全部 12 行都不等于基本支出 + 人员经费 + 公用经费 + 项目支出
    （人员经费和公用经费是基本支出的组成部分，表头没有显示）→ 一条 ``L005`` 警告，不报 C201 错误。
    同一表格只有一行不符 → 该行报 ``C201``。
    """
    always_review = True

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        for table in doc.tables:
            why = table.meta.get("not_understood")
            if why:  # set aside by understanding itself (no reading held): no identities were made
                yield ctx.finding(self, doc, table, Msg("{why}", "{why}"), table=table, why=why)

    def review(self, doc: Document, findings: list, ctx: Context) -> list:
        groups: dict[tuple[int, str], list] = {}
        for f in findings:
            structure = ctx.confirms.get(f.code)
            if structure and f.table and f.severity in ("error", "warning"):
                groups.setdefault((f.table["index"], structure), []).append(f)
        drop: set[int] = set()
        added = []
        for (t, structure), failed in sorted(groups.items(), key=lambda kv: kv[0]):
            if structure != "rows" and len(failed) < MIN_FAILED:
                continue
            filled = ctx.tallied(t, structure)
            held = max(filled - len(failed), 0)
            if structure == "rows":
                # One wrong cell makes its row sums fail in every column it reaches, so "most
                # fail" says little about rows; a total that is a whole multiple of its rows in
                # every column (类, 款 and 项 all added up) is the sign of a misread hierarchy.
                failed = _multiples(failed)
                held = max(filled - len(failed), 0)
                if not failed:
                    continue
            elif len(failed) < MIN_FAILED or len(failed) <= held:
                continue
            table = next((x for x in doc.tables if x.index == t), None)
            if table is None:
                continue
            drop.update(id(f) for f in failed)
            first = min(failed, key=lambda f: f.sort_key())
            name = table.number or table.title or f"#{t + 1}"
            if table.number and table.title:
                name = f"{table.number} {table.title}"
            what = _STRUCTURES[structure] if structure in _STRUCTURES else Msg(structure, structure)
            f = ctx.finding(
                self, doc, table,
                Msg("表格「{name}」的{what}未能由表中数字确认：按识别出的结构核对 {n} 处，{failed} 处不成立、{held} 处成立，"
                    "更可能是表格没有读对而不是表中有错，因此未作为错误报告；请人工核对（可用 budgetlint tables 查看识别结果）。"
                    "第一处不成立：{example}",
                    "the {what} of table '{name}' is not confirmed by its numbers: of {n} identities of the structure read, "
                    "{failed} fail and {held} hold, so the table was more likely misread than wrong and no errors are reported; "
                    "check it by hand (budgetlint tables shows how it was read). First failure: {example}"),
                table=table, name=name, what=what.get(ctx.lang), n=held + len(failed), failed=len(failed), held=held, example=first.message,
            )
            f.extra.update({"structure": structure, "identities": held + len(failed), "failed": len(failed), "held": held,
                            "codes": sorted({x.code for x in failed})})
            added.append(f)
        if not drop:
            return findings
        return [f for f in findings if id(f) not in drop] + added


def _multiples(failed: list) -> list:
    """The failures of row sums whose terms add up to the same whole multiple (2×, 3×…) of the total in every column."""
    from decimal import Decimal

    by_row: dict[tuple, list] = {}
    for f in failed:
        by_row.setdefault((f.code, (f.row or {}).get("index")), []).append(f)
    out = []
    for group in by_row.values():
        ks = set()
        for f in group:
            if f.expected is None or f.actual in (None, 0) or f.tolerance is None:
                continue  # an unfilled cell says nothing about the multiple
            e, a, tol = Decimal(str(f.expected)), Decimal(str(f.actual)), Decimal(str(f.tolerance))
            k = (e / a).to_integral_value()
            if k < 2 or abs(e - k * a) > k * tol:
                ks = set()
                break
            ks.add(k)
        if len(ks) == 1:
            out.extend(group)
    return out


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
    read → ``L006 文件列出 12 张表，只读出 9 张``; the same file read completely → no finding.
    """

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


def get_rules() -> list[type[Rule]]:
    return [UnreadableFile, LoaderProblem, TableShape, NumberStoredAsText, TableNotUnderstood, TablesNotRead, SkippedEntry]
