"""Terminal output: grouped by file and table, labels and numbers shown, colour only on a terminal,
``--statistics``, and the progress bar (terminal only, many files only)."""

from __future__ import annotations

import io

from _report_data import LINE_30102, copy_seed, run_cli, seed003_report, use_test_rules

from budgetlint.progress import progress_callback
from budgetlint.report import render


def _text(report, **opts) -> str:
    buf = io.StringIO()
    render(report, "text", buf, **opts)
    return buf.getvalue()


def test_grouped_with_labels_numbers_and_terms(tmp_path):
    report, _, path = seed003_report(tmp_path)
    out = _text(report, color=False)
    assert "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0] == str(path)
    # tables in document order, each finding under its table
    t5 = next(i for i, l in enumerate(lines) if "一般公共预算支出情况表" in l)
    t6 = next(i for i, l in enumerate(lines) if "一般公共预算基本支出情况表" in l)
    c901 = next(i for i, l in enumerate(lines) if " C901 " in l)
    x901 = next(i for i, l in enumerate(lines) if " X901 " in l)
    assert t5 < x901 < t6 < c901
    assert lines[c901].strip().startswith(f"{path}:{LINE_30102} C901")
    block = "\n".join(lines[c901:c901 + 4])
    assert "行：津贴补贴；列：一般公共预算基本支出 / 合计" in block
    assert "应为 3,386.91  实为 3,368.91  相差 -18" in block
    assert "津贴补贴 · 一般公共预算基本支出 / 人员经费 (L277)" in block
    assert lines[-1] == "共检查 1 个文件、140 张表：4 个错误，0 个警告，0 条提示"


def test_colour_only_when_asked_or_on_a_terminal(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    coloured = _text(report, color=True)
    assert "\x1b[" in coloured and "\x1b[" not in _text(report, color=False)


def test_statistics_per_rule(tmp_path, monkeypatch):
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="a.txt")
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="b.txt")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--statistics", "--lang", "en", "."], cwd=tmp_path)
    assert res.exit_code == 1
    assert "\x1b[" not in res.stdout
    stats = res.stdout.split("findings per rule", 1)[1].splitlines()[1:3]
    assert [s.split()[:2] for s in stats] == [["2", "C901"], ["2", "S901"]]


def test_progress_bar_on_a_terminal_for_many_files():
    buf = io.StringIO()
    with progress_callback(True, stream=buf, force_terminal=True, min_files=10) as cb:
        assert cb is not None
        for i in range(12):
            cb(i, 12, f"docs/预算{i}.txt")
    assert "budgetlint" in buf.getvalue() and "12" in buf.getvalue()


def test_progress_quiet_for_few_files_or_without_terminal():
    buf = io.StringIO()
    with progress_callback(True, stream=buf, force_terminal=True, min_files=10) as cb:
        for i in range(3):
            cb(i, 3, "a.txt")
    assert buf.getvalue() == ""
    with progress_callback(None, stream=io.StringIO()) as cb:  # not a terminal
        assert cb is None


def test_cli_is_quiet_when_not_on_a_terminal(tmp_path, monkeypatch):
    for i in range(11):
        (tmp_path / f"doc{i:02d}.txt").write_text("一、收入预算情况\n\n收入预算 100.00 万元。\n", encoding="utf-8")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "."], cwd=tmp_path)
    assert res.exit_code == 0
    assert res.stderr == ""
    assert res.stdout.strip().splitlines()[-1].startswith("共检查 11 个文件")
