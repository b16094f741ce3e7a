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

    def check(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        return ()  # evaluated by the engine once per kind (budgetlint.schemas)


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
            filled = ctx.tally.get((t, structure), 0)
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


def get_rules() -> list[type[Rule]]:
    return [UnreadableFile, LoaderProblem, TableShape, TableNotUnderstood]
