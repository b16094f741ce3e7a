"""A performance-target table's amount agrees with its project's row in the project expenditure table.

**What it does** — pairs each 项目支出绩效目标表 with the row of the same
unit and project in the document's 项目支出表 (matching names after NFKC and
space normalisation; shortened or wrapped names are matched too) and checks
that the table's 财政拨款 equals the project's 项目支出合计.  A pairing by
exact names is an error, a fuzzy one a warning.  A 单位整体绩效目标表 is
compared with the unit's 支出总表 total where the document gives it.
(Formerly ``P409``: a check across tables, so an ``X`` rule.)

**Why it matters** — the target table and the budget tables describe the
same money; when they differ, one of them was not updated.

**Example** — wrong: 绩效目标表 乌鲁木齐县… / 执法办案补充经费 财政拨款 150.00
while 表 7 lists 160.00.  Right: both 160.00.
"""

from __future__ import annotations

from typing import Iterator

from budgetlint.model import Document, Table
from budgetlint.rule import Context, Identity, Msg, Rule, Term, Yielded
from budgetlint.rules.perf._common import _fmt
from budgetlint.understand.forms import PerfTable
from budgetlint.understand.perf import perf_view

from ._projects import _Project, _fiscal, _norm, _shortened, project_rows


class TargetMatchesProjectTable(Rule):
    code = "X311"
    former_codes = ("P409",)  # a cross-table check, formerly among the performance-table rules
    name = "target-matches-project-table"
    severity = "error"
    summary = Msg("绩效目标表金额与项目支出表不一致", "target table amount differs from the project expenditure table")
    title_zh = "目标表与项目表金额"
    doc_zh = """
    绩效目标表的项目金额应与项目支出表中同一单位同一项目的金额一致。

    **作用**：按单位名称和项目名称把每张绩效目标表与项目支出表中的行配对，比较资金金额。
    名称完全一致的配对不符为错误，模糊配对为警告。（原为 ``P409``：跨表核对，归入 X 类。）

    **原因**：同一项目在两张表中金额不同，至少有一处是错的，绩效目标也就对应不上预算。

    **示例**：错误：绩效目标表 乌鲁木齐县…/执法办案补充经费 财政拨款 150.00，而表 7 列为 160.00。正确：两处都是 160.00。
    """

    def check(self, doc: Document, ctx: Context) -> Iterator[Yielded]:
        view = perf_view(doc)
        if not view.targets:
            return
        t7 = [t for t in doc.tables if t.kind == "budget.gpb_project"]
        rows = [p for t in t7 for p in project_rows(t)]
        if rows:
            paired: list[PerfTable] = []
            yield from self._projects(doc, ctx, view.targets, rows, paired)
            if len(t7) == 1:
                yield from self._overall(doc, ctx, view.targets, t7[0], rows, paired)
        yield from self._units(doc, ctx, view.targets)

    def _overall(self, doc: Document, ctx: Context, targets: list[PerfTable], t7: Table, rows: list[_Project], paired: list[PerfTable]) -> Iterator[Yielded]:
        """Σ 财政拨款 of the project target tables = the project table's 总计."""
        amount_col = rows[0].amount.col
        total_row = next((r for r in t7.rows if r.kind == "total" and r.cells[amount_col].value is not None), None)
        if total_row is None:
            return
        fiscal = [pt for pt in targets if pt.kind == "perf.project_target" and _fiscal(pt) is not None and _fiscal(pt).value]
        if not fiscal:
            return
        done = {id(pt) for pt in paired}
        alone = [pt for pt in fiscal if id(pt) not in done]
        names = "、".join(f"{pt.unit_name} / {pt.project_name}（第 {_fiscal(pt).loc.line} 行，{_fmt(_fiscal(pt).value)}）" for pt in alone[:8])
        more = f" 等 {len(alone)} 张" if len(alone) > 8 else ""
        zh = f"项目支出表总计应等于 {len(fiscal)} 张项目绩效目标表的财政拨款之和（项目支出表列有 {len(rows)} 个项目）"
        en = f"the project table's total = the fiscal funds of the {len(fiscal)} project target tables (the project table lists {len(rows)} projects)"
        if alone:
            zh += f"；在项目支出表中找不到对应项目的表：{names}{more}"
            en += f"; target tables without a matching project: {names}{more}"
        yield Identity(
            rule=self, total=total_row.cells[amount_col], terms=[Term(_fiscal(pt), label=f"{pt.unit_name} / {pt.project_name}") for pt in fiscal],
            what=Msg(zh, en),
        )

    def _projects(self, doc: Document, ctx: Context, targets: list[PerfTable], rows: list[_Project], paired: list[PerfTable]) -> Iterator[Yielded]:
        by_unit: dict[str, list[_Project]] = {}
        for p in rows:
            by_unit.setdefault(_norm(p.unit), []).append(p)
        fiscal_tables: dict[str, int] = {}
        for pt in targets:
            if pt.kind == "perf.project_target":
                c = pt.funds.fiscal or pt.funds.total
                if c is not None and c.value:
                    fiscal_tables[_norm(pt.unit_name)] = fiscal_tables.get(_norm(pt.unit_name), 0) + 1
        for pt in targets:
            if pt.kind != "perf.project_target" or not pt.unit_name:
                continue
            amount = pt.funds.fiscal if pt.funds.fiscal is not None else pt.funds.total
            if amount is None or not amount.value:
                continue  # a project without fiscal money is not in the 一般公共预算 project table
            unit = _norm(pt.unit_name)
            exact_unit = unit in by_unit
            if exact_unit:
                block = by_unit[unit]
            else:
                near = [u for u in by_unit if _shortened(unit, u)]
                if len(near) != 1:
                    continue
                block = by_unit[near[0]]
            proj = _norm(pt.project_name)
            match = [p for p in block if p.name and p.name == proj]
            exact = exact_unit and len(match) == 1
            if not match:
                match = [p for p in block if p.name and _shortened(proj, p.name)]
            if not match and len(block) == 1 and fiscal_tables.get(unit, 0) == 1:
                match = block
            if len(match) != 1:
                continue
            p = match[0]
            paired.append(pt)
            where = f"{p.unit} / {p.name or '—'}"
            yield Identity(
                rule=self, total=amount, terms=[Term(p.amount, label=f"项目支出表 {where}")],
                what=Msg(
                    f"绩效目标表「{pt.unit_name} / {pt.project_name}」的财政拨款应等于项目支出表第 {p.row_line} 行「{where}」的项目支出合计",
                    f"fiscal funds of target table {pt.unit_name} / {pt.project_name} = 项目支出合计 of {where} (project table line {p.row_line})",
                ),
                severity=None if exact else "warning",
            )

    def _units(self, doc: Document, ctx: Context, targets: list[PerfTable]) -> Iterator[Yielded]:
        t3 = [t for t in doc.tables if t.kind == "budget.expenditure"]
        for pt in targets:
            if pt.kind != "perf.unit_target" or not pt.unit_name:
                continue
            f = pt.funds
            for t in t3:
                if _norm(t.issuer) != _norm(pt.unit_name):
                    continue
                total_row = next((r for r in t.rows if r.kind == "total"), None)
                val_col = next((c.index for c in t.columns if c.role == "value"), None)
                if total_row is None or val_col is None or total_row.cells[val_col].value is None:
                    continue
                their = total_row.cells[val_col]
                if f.total is not None and f.total.value is not None:
                    mine_terms = [Term(their)]
                    yield Identity(rule=self, total=f.total, terms=mine_terms, what=Msg(
                        f"单位整体绩效目标表的资金总额应等于支出总表「{t.title}」的合计",
                        f"the unit target table total = the total of {t.title}",
                    ))
                else:
                    parts = [c for _, c in f.fiscal_parts + f.other_parts]
                    if f.fiscal is not None:
                        parts = [f.fiscal] + ([f.other] if f.other is not None else [c for _, c in f.other_parts])
                    if parts:
                        yield Identity(rule=self, total=their, terms=[Term(c) for c in parts], what=Msg(
                            f"支出总表「{t.title}」的合计应等于单位整体绩效目标表的资金来源之和",
                            f"the total of {t.title} = the funds of the unit target table",
                        ))
                break
