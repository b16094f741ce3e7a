"""The bundled sample data shows exactly the findings its README promises."""

from __future__ import annotations

from pathlib import Path

from budgetlint import engine

from conftest import SAMPLES


def test_sample_findings_match_the_readme():
    report = engine.run([str(SAMPLES)])
    got = sorted((Path(f.path).name, f.code, f.line or f.cell) for f in report.findings)
    text = [
        ("disclosure_with_errors.txt", "B302", 83), ("disclosure_with_errors.txt", "B302", 83),
        ("disclosure_with_errors.txt", "B303", 44),
        ("disclosure_with_errors.txt", "C201", 44), ("disclosure_with_errors.txt", "N602", 96),
        ("disclosure_with_errors.txt", "S101", 44),
        ("disclosure_with_errors.txt", "S102", 21), ("disclosure_with_errors.txt", "S102", 21),
        ("disclosure_with_errors.txt", "S102", 55), ("disclosure_with_errors.txt", "S102", 55),
    ]
    xlsx = [
        ("disclosure_with_errors.xlsx", "B302", "B8"), ("disclosure_with_errors.xlsx", "B302", "C8"),
        ("disclosure_with_errors.xlsx", "B303", "E9"),
        ("disclosure_with_errors.xlsx", "C201", "D9"), ("disclosure_with_errors.xlsx", "S101", "E9"),
        ("disclosure_with_errors.xlsx", "S102", "D20"), ("disclosure_with_errors.xlsx", "S102", "E15"),
        ("disclosure_with_errors.xlsx", "S102", "F15"), ("disclosure_with_errors.xlsx", "S102", "F20"),
        # the 三公 amounts without thousands separators were written as text: three blocks (B8:C8, B10:C11, B13:C13)
        ("disclosure_with_errors.xlsx", "L004", "B8"), ("disclosure_with_errors.xlsx", "L004", "B10"),
        ("disclosure_with_errors.xlsx", "L004", "B13"),
    ]
    targets = [
        ("project_targets_with_errors.txt", "P401", 11), ("project_targets_with_errors.txt", "P404", 9),
        ("project_targets_with_errors.txt", "P407", 19), ("project_targets_with_errors.txt", "P408", 21),
    ]
    self_evaluation = [
        ("self_evaluation_with_errors.txt", "P411", 6), ("self_evaluation_with_errors.txt", "P412", 13),
    ]
    assert got == sorted(text + xlsx + targets + self_evaluation)
    assert not [f for f in report.findings if Path(f.path).name == "disclosure_consistent.txt"]
    p401 = next(f for f in report.findings if f.code == "P401")
    assert (p401.actual, p401.column["label"]) == (81.0, "指标分值权重")
    p411 = next(f for f in report.findings if f.code == "P411")
    assert (p411.expected, p411.actual, p411.column["label"]) == (90.0, 85.0, "执行率")
