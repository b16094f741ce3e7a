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
A scoring table (绩效评价指标体系表, 绩效自评表) whose indicator tree cannot be
found, or a 绩效目标表 in which neither funds, goal nor indicator header is found,
is named the same way, once, as not checked; a 绩效目标表 whose funds were read but
whose indicator header was not is named as checked only in part.

**Why it matters**: a linter that turns a misread layout into dozens of
errors gets switched off.  A table that was not understood is said so
once, never passed as checked and never reported as full of mistakes.

**Example**: a 支出总表 whose 合计 column fails against 基本支出 + 人员经费 +
公用经费 + 项目支出 on all 12 rows (人员经费 and 公用经费 are parts of
基本支出 that the header did not show) → one ``L005`` warning, no C201
errors.  The same table with one row off → ``C201`` on that row.
"""

from __future__ import annotations

from typing import Iterable

from budgetlint.model import Document
from budgetlint.rule import Context, Msg, Rule, Yielded

from ._common import MIN_FAILED, _STRUCTURES, _multiples


class TableNotUnderstood(Rule):
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
    找不到指标树的评分表（绩效评价指标体系表、绩效自评表），以及既找不到资金、绩效目标也找不到指标表头的绩效目标表，
    也同样说明一次：未检查；读出了资金但找不到指标表头的绩效目标表，说明指标部分未检查。

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
        if any(t.kind.startswith("perf.") for t in doc.tables):
            yield from self._forms_not_read(doc, ctx)

    def _forms_not_read(self, doc: Document, ctx: Context) -> Iterable[Yielded]:
        """Scoring tables without an indicator tree, and target tables in which nothing was found."""
        from budgetlint.understand.perf import perf_view

        view = perf_view(doc)
        read = {id(tree.table) for tree in view.scoring}
        unread = [pt for pt in view.targets if pt.header_row is None and not pt.indicators
                  and sum(1 for r in pt.table.rows if any(c.raw.strip() for c in r.cells)) >= 2]
        blank = {id(pt.table) for pt in unread if pt.funds.amount() is None and not pt.goal}
        no_grid = {id(pt.table): pt for pt in unread if id(pt.table) not in blank}
        for table in doc.tables:
            name = " ".join(x for x in (table.number, table.title) if x) or f"#{table.index + 1}"
            if table.kind == "perf.scoring" and id(table) not in read:
                yield ctx.finding(self, doc, table, Msg(
                    "评分表「{name}」中未找到一级/二级/三级指标和分值栏，无法读出指标树，未检查",
                    "scoring table '{name}': no 一级/二级/三级 indicator and 分值 columns were found, so it was not checked",
                ), table=table, name=name)
            elif id(table) in blank:
                yield ctx.finding(self, doc, table, Msg(
                    "绩效目标表「{name}」中未找到资金、绩效目标或一级/二级/三级指标表头，无法读出，未检查",
                    "target table '{name}': no funds, goal or 一级/二级/三级 indicator header was found, so it was not checked",
                ), table=table, name=name)
            elif id(table) in no_grid:
                pt = no_grid[id(table)]
                read_zh = "、".join(w for w, ok in (("资金", pt.funds.amount() is not None), ("绩效目标", bool(pt.goal))) if ok)
                read_en = " and ".join(w for w, ok in (("funds", pt.funds.amount() is not None), ("goal", bool(pt.goal))) if ok)
                yield ctx.finding(self, doc, table, Msg(
                    "绩效目标表「{name}」中未找到一级/二级/三级指标表头：{read_zh}已检查，绩效指标未检查",
                    "target table '{name}': no 一级/二级/三级 indicator header was found; checked: {read_en}; its indicators were not checked",
                ), table=table, name=name, read_zh=read_zh, read_en=read_en)

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
