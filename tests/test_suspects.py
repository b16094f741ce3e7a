"""One typing mistake breaks several sums: the cell they all point at is named, with its reconciling value."""

from __future__ import annotations

from pathlib import Path

from budgetlint import engine

from conftest import SAMPLES, SEEDS, seed_path


def test_the_cell_behind_three_mismatches_is_named():
    report = engine.run([str(SAMPLES / "disclosure_with_errors.txt")])
    named = [f for f in report.findings if "suspect" in f.extra]
    assert sorted(f.code for f in named) == ["B303", "C201", "S101"]
    for f in named:
        s = f.extra["suspect"]
        assert (s["line"], s["value"], s["corrected"], s["mismatches"]) == (44, 11704.77, 11740.77, 3)
        assert s["label"] == "总计 · 一般公共预算基本支出 / 人员经费"
        assert f.message.endswith("（疑似出错的单元格：总计 · 一般公共预算基本支出 / 人员经费（第 44 行），若改为 11,740.77 则 3 处不符同时消除）")
    # a mistake that breaks a single sum per column (行政单位医疗 563.50) is not guessed at
    assert not [f for f in report.findings if f.code == "S102" and "suspect" in f.extra]


def test_seed_001_points_at_the_basic_expenditure_line():
    """表1-2: 一、基本支出 1,668.64 breaks both its breakdown and 本年支出合计; 1,547.36 reconciles both."""
    seed_path("001")
    report = engine.run([str(SEEDS / "001_cc27d041c9c85168.txt")], select=["S"])
    named = {(f.code, f.column["label"]): f.extra["suspect"] for f in report.findings if "suspect" in f.extra}
    assert named[("S104", "支出 / 年初预算数")]["corrected"] == 1547.36
    assert named[("S105", "支出 / 年初预算数")]["corrected"] == 1547.36
    assert named[("S105", "支出 / 决算数")]["line"] == 45
    assert len(named) == 8


def test_english_hint():
    report = engine.run([str(SAMPLES / "disclosure_with_errors.xlsx")], lang="en")
    (f,) = [f for f in report.findings if f.code == "S101"]
    assert "likely wrong cell: 总计 · 一般公共预算基本支出 / 人员经费 (一般公共预算基本支出情况表!E9)" in f.message
    assert Path(f.path).suffix == ".xlsx"
