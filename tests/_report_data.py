"""Realistic reports for the reporter tests.

The figures come from seed 003 (2024 unit budget of a Xinjiang land-enforcement
corps): table 2 (收入总表), table 5 (一般公共预算支出表), table 6 (一般公共预算基本支出表)
and the narrative sentence "收入预算 17,798.61 万元".  The tests either load the
real seed (with one figure changed, the way a typist would get it wrong) or
build the same tables in a workbook.

The small rules below are test doubles for the real rule families: they
yield identities like the real ones, so the findings go through the real
engine (vectorised rounding, located terms, labels) and look exactly like the
product's.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Iterable

import pytest

from budgetlint.model import Cell, Column, Document, Location, Paragraph, Row, Table
from budgetlint.numbers import parse_number
from budgetlint.rule import Identity, Msg, Rule, Term

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_003 = "003_407e03e18ae36581.txt"

# Seed 003 lines (1-based) and the typing mistakes the tests introduce.
LINE_30102 = 277  # 301 02 津贴补贴 3,386.91 3,386.91: 合计 typed 3,368.91
LINE_T5_TOTAL = 245  # 表5 总计 17,439.61 12,659.61 4,780.00: 基本支出 typed 12,596.61
LINE_INCOME_PROSE = 997  # 收入预算 17,798.61 万元 typed 17,789.61
MISTAKES = {
    LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91"),
    LINE_T5_TOTAL: ("17,439.61\t12,659.61", "17,439.61\t12,596.61"),
    LINE_INCOME_PROSE: ("收入预算 17,798.61 万元", "收入预算 17,789.61 万元"),
}


def seed_path(name: str = SEED_003) -> Path:
    p = SEEDS / name
    if not p.is_file():  # test data, not an optional extra: fail loudly
        pytest.fail(f"seed document missing: expected {p}")
    return p


def copy_seed(tmp_path: Path, name: str = SEED_003, mistakes: dict[int, tuple[str, str]] | None = None, dest: str | None = None) -> Path:
    """A copy of a seed, with the given lines changed (line -> (old, new))."""
    src = seed_path(name)
    out = tmp_path / (dest or name)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not mistakes:
        shutil.copyfile(src, out)
        return out
    lines = src.read_text(encoding="utf-8").split("\n")
    for no, (old, new) in mistakes.items():
        assert old in lines[no - 1], f"seed line {no} changed: {lines[no - 1]!r}"
        lines[no - 1] = lines[no - 1].replace(old, new, 1)
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


# --------------------------------------------------------------------------- test rules


def _col(table: Table, leaf: str) -> int | None:
    for c in table.columns:
        if c.role == "value" and c.leaf == leaf:
            return c.index
    return None


def _total_row(table: Table) -> Row | None:
    for r in table.rows:
        if r.kind == "total" or r.label.replace(" ", "") in ("总计", "合计"):
            return r
    return None


def _find_table(doc: Document, title: str) -> Table | None:
    for t in doc.tables:
        if t.title == title:
            return t
    return None


class ClassSum(Rule):
    """Economic class (3 digits) = Σ its 款 (5 digits), in every value column (test double)."""

    code = "S901"
    name = "test-class-sum"
    severity = "error"
    summary = Msg("类合计应等于所属各款之和", "a class equals the sum of its items")

    def check(self, doc, ctx):
        for t in doc.tables:
            if not t.find_columns("经济分类科目名称"):
                continue  # economic classification tables only (project tables repeat codes per unit)
            rows = [r for r in t.rows if r.code]
            for parent in rows:
                if len(parent.code) != 3:
                    continue
                kids = [r for r in rows if len(r.code) == 5 and r.code.startswith(parent.code)]
                if not kids:
                    continue
                for c in t.value_columns():
                    yield Identity(
                        rule=self, total=parent.cells[c.index], terms=[Term(k.cells[c.index]) for k in kids],
                        what=Msg(f"{parent.code} {parent.label} 不等于所属各款之和", f"{parent.code} {parent.label} is not the sum of its items"),
                    )


class CrossFoot(Rule):
    """合计 = 人员经费 + 公用经费 in every row (test double)."""

    code = "C901"
    name = "test-crossfoot"
    severity = "error"
    summary = Msg("合计应等于人员经费与公用经费之和", "total equals staff plus operating costs")
    config_keys = ("rounding.prose-precision",)

    def check(self, doc, ctx):
        for t in doc.tables:
            total, a, b = _col(t, "合计"), _col(t, "人员经费"), _col(t, "公用经费")
            if None in (total, a, b):
                continue
            for r in t.rows:
                yield Identity(
                    rule=self, total=r.cells[total], terms=[Term(r.cells[a]), Term(r.cells[b])],
                    what=Msg("合计不等于人员经费与公用经费之和", "total is not staff plus operating costs"),
                )


class BasicMatches(Rule):
    """表5 总计·基本支出 = 表6 总计·合计 (test double for a cross-table rule)."""

    code = "X901"
    name = "test-basic-matches"
    severity = "error"
    summary = Msg("表5基本支出应等于表6合计", "table 5 basic spending equals table 6 total")

    def check(self, doc, ctx):
        t5 = _find_table(doc, "一般公共预算支出情况表")
        t6 = _find_table(doc, "一般公共预算基本支出情况表")
        if t5 is None or t6 is None:
            return
        r5, r6 = _total_row(t5), _total_row(t6)
        c5, c6 = _col(t5, "基本支出"), _col(t6, "合计")
        if None in (r5, r6, c5, c6):
            return
        yield Identity(
            rule=self, total=r5.cells[c5], terms=[Term(r6.cells[c6])],
            what=Msg("表5基本支出与表6合计不一致", "table 5 basic spending differs from table 6 total"),
        )


class ProseIncome(Rule):
    """"收入预算 X 万元" = 表2 总计 (test double for a narrative rule)."""

    code = "N901"
    name = "test-prose-income"
    severity = "error"
    summary = Msg("说明中的收入预算应等于收入总表总计", "the stated income equals the income table total")

    def check(self, doc, ctx):
        import re

        t2 = _find_table(doc, "单位收入总体情况表")
        if t2 is None:
            return
        r, c = _total_row(t2), _col(t2, "总计")
        if r is None or c is None:
            return
        target = r.cells[c]
        for p in doc.prose:
            m = re.search(r"收入预算\s*([\d,]+\.\d+)\s*万元", p.text)
            if not m:
                continue
            n = parse_number(m.group(1))
            said = Cell(raw=m.group(1), loc=p.loc, value=n.value, decimals=n.decimals, blank=False, unit=target.unit)
            yield Identity(
                rule=self, total=said, terms=[Term(target)],
                what=Msg("说明中的收入预算与收入总表总计不一致", "the stated income differs from the income table total"),
            )


TEST_RULES = [ClassSum, CrossFoot, BasicMatches, ProseIncome]


def check_docs(docs: Iterable[Document], lang: str = "zh", **kw):
    from budgetlint.engine import check_documents

    return check_documents(list(docs), rules=TEST_RULES, lang=lang, **kw)


def seed003_report(tmp_path: Path, lang: str = "zh", dest: str | None = None):
    """The report for seed 003 with the three mistakes of MISTAKES, checked by the test rules."""
    from budgetlint.loaders import load_document

    p = copy_seed(tmp_path, mistakes=MISTAKES, dest=dest)
    doc = load_document(p)
    assert doc.error is None, doc.error
    return check_docs([doc], lang=lang), doc, p


# --------------------------------------------------------------------------- a workbook with table 6

T6_HEADER = ["经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"]
T6_ROWS = [
    ["", "总计", "12,659.61", "11,740.77", "918.84"],
    ["301", "工资福利支出", "11,123.32", "11,123.32", ""],
    ["30101", "基本工资", "2,698.70", "2,698.70", ""],
    ["30102", "津贴补贴", "3,386.91", "3,386.91", ""],
    ["30103", "奖金", "1,556.91", "1,556.91", ""],
    ["30108", "机关事业单位基本养老保险缴费", "1,185.26", "1,185.26", ""],
    ["30110", "职工基本医疗保险缴费", "613.70", "613.70", ""],
    ["30111", "公务员医疗补助缴费", "527.27", "527.27", ""],
    ["30112", "其他社会保障缴费", "15.00", "15.00", ""],
    ["30113", "住房公积金", "911.25", "911.25", ""],
    ["30199", "其他工资福利支出", "228.33", "228.33", ""],
    ["302", "商品和服务支出", "918.84", "", "918.84"],
    ["30201", "办公费", "84.89", "", "84.89"],
    ["30205", "水费", "24.88", "", "24.88"],
    ["30206", "电费", "3.70", "", "3.70"],
    ["30207", "邮电费", "28.27", "", "28.27"],
    ["30208", "取暖费", "45.89", "", "45.89"],
    ["30209", "物业管理费", "5.00", "", "5.00"],
    ["30211", "差旅费", "250.48", "", "250.48"],
    ["30228", "工会经费", "151.70", "", "151.70"],
    ["30229", "福利费", "137.12", "", "137.12"],
    ["30239", "其他交通费用", "171.73", "", "171.73"],
    ["30299", "其他商品和服务支出", "15.18", "", "15.18"],
    ["303", "对个人和家庭的补助", "617.45", "617.45", ""],
    ["30302", "退休费", "505.52", "505.52", ""],
    ["30305", "生活补助", "55.67", "55.67", ""],
    ["30399", "其他对个人和家庭的补助", "56.26", "56.26", ""],
]
SHEET = "表6 基本支出"
FIRST_BODY_ROW = 5  # rows 1-3: title, issuer, unit; row 4: header


def _a1(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col + 1)}{row}"


def write_t6_workbook(path: Path, rows: list[list[str]] | None = None) -> Path:
    """Table 6 as a finance office would keep it in Excel (numbers as numbers)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = "一般公共预算基本支出情况表"
    ws["A2"] = "编制单位：自治区国土资源执法监察总队"
    ws["E3"] = "单位：万元"
    for j, h in enumerate(T6_HEADER):
        ws.cell(row=4, column=j + 1, value=h)
    for i, r in enumerate(rows or T6_ROWS):
        for j, v in enumerate(r):
            if v == "":
                continue
            if j >= 2:
                ws.cell(row=FIRST_BODY_ROW + i, column=j + 1, value=float(v.replace(",", "")))
                ws.cell(row=FIRST_BODY_ROW + i, column=j + 1).number_format = "#,##0.00"
            else:
                ws.cell(row=FIRST_BODY_ROW + i, column=j + 1, value=v)
    wb.create_sheet("说明")["A1"] = "本表反映一般公共预算基本支出情况。"
    wb.save(path)
    return path


def t6_document(path: str, rows: list[list[str]] | None = None, fmt: str = "xlsx") -> Document:
    """Table 6 understood by hand, each cell located at its workbook cell (sheet + A1)."""
    rows = rows or T6_ROWS
    table = Table(
        index=0, path=path, loc=Location(path, sheet=SHEET, cell="A1"), number="表6",
        title="一般公共预算基本支出情况表", unit="万元", issuer="自治区国土资源执法监察总队", kind="budget.gpb_basic",
    )
    roles = ["code", "label", "value", "value", "value"]
    table.columns = [
        Column(index=j, path=(("一般公共预算基本支出", h) if j >= 2 else (h,)), role=roles[j]) for j, h in enumerate(T6_HEADER)
    ]
    table.header = [[Cell(raw=h, loc=Location(path, sheet=SHEET, cell=_a1(4, j))) for j, h in enumerate(T6_HEADER)]]
    for i, r in enumerate(rows):
        cells = []
        for j, raw in enumerate(r):
            n = parse_number(raw) if j >= 2 else parse_number("")
            cells.append(Cell(
                raw=raw, loc=Location(path, sheet=SHEET, cell=_a1(FIRST_BODY_ROW + i, j)),
                value=n.value if j >= 2 else None, decimals=n.decimals, blank=(raw == "") if j >= 2 else not raw,
                unit="万元" if j >= 2 else None, table=0, row=i, col=j,
            ))
        table.rows.append(Row(index=i, cells=cells, label=r[1], code=r[0] or None, kind="total" if r[1] == "总计" else "data"))
    return Document(path=path, format=fmt, tables=[table], prose=[Paragraph("本表反映一般公共预算基本支出情况。", Location(path, sheet="说明", cell="A1"))])


def mistyped_t6_rows() -> list[list[str]]:
    """Table 6 with 30102 津贴补贴 合计 typed 3,368.91 (digits swapped)."""
    rows = [list(r) for r in T6_ROWS]
    rows[3][2] = "3,368.91"
    return rows


def value_of(x) -> Decimal:
    return Decimal(str(x))


# --------------------------------------------------------------------------- the command line with the test rules


def use_test_rules(monkeypatch) -> None:
    """Make the engine (and so ``budgetlint check``) run the test rules above."""
    from budgetlint import engine

    monkeypatch.setattr(engine, "all_rules", lambda: list(TEST_RULES))


def run_cli(args: list[str], cwd: Path | None = None):
    """``budgetlint <args>`` in-process; returns click's Result (exit_code, stdout, stderr)."""
    import os

    from click.testing import CliRunner

    from budgetlint.cli import main

    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        return runner.invoke(main, args, catch_exceptions=False)
    finally:
        os.chdir(old)
