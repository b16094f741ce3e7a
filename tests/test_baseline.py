"""Baselines: record today's findings, fail only on new ones; fingerprints ignore line numbers."""

from __future__ import annotations

import copy
import json

import pytest
from _report_data import MISTAKES, copy_seed, run_cli, seed003_report, use_test_rules

from budgetlint.baseline import Baseline, fingerprint, fingerprint_parts, load_baseline

NEW_MISTAKE = {278: ("1,556.91\t1,556.91", "1,565.91\t1,556.91")}  # 301 03 奖金 合计 mistyped


@pytest.fixture
def project(tmp_path, monkeypatch):
    use_test_rules(monkeypatch)
    copy_seed(tmp_path / "docs", mistakes=MISTAKES, dest="budget.txt")
    return tmp_path


def _findings(res) -> list[tuple[str, str | None]]:
    return [(f["code"], (f["row"] or {}).get("label")) for f in json.loads(res.stdout)["findings"]]


def test_round_trip_new_mistake_fails_old_ones_do_not(project):
    res = run_cli(["check", "--format", "json", "--write-baseline", "budgetlint-baseline.json", "docs"], cwd=project)
    assert res.exit_code == 0, res.stderr  # everything is recorded now
    assert "4 findings recorded" in res.stderr
    data = json.loads((project / "budgetlint-baseline.json").read_text(encoding="utf-8"))
    assert sorted(e["code"] for e in data["findings"]) == ["C901", "N901", "S901", "X901"]
    assert {e["path"] for e in data["findings"]} == {"docs/budget.txt"}
    c901 = next(e for e in data["findings"] if e["code"] == "C901")
    assert (c901["table"], c901["row"], c901["column"]) == ("表 6 一般公共预算基本支出情况表", "津贴补贴", "一般公共预算基本支出 / 合计")

    # the same document: nothing new
    res = run_cli(["check", "--format", "json", "--baseline", "budgetlint-baseline.json", "docs"], cwd=project)
    assert res.exit_code == 0 and _findings(res) == []
    assert "4 findings already in budgetlint-baseline.json" in res.stderr

    # an unrelated edit above every table moves all lines: still nothing new
    doc = project / "docs" / "budget.txt"
    doc.write_text("2024年部门预算公开（修订版）\n\n说明：本次修订更正了目录页码。\n\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")
    res = run_cli(["check", "--format", "json", "--baseline", "budgetlint-baseline.json", "docs"], cwd=project)
    assert res.exit_code == 0 and _findings(res) == []

    # a new mistake fails, and only it is reported
    lines = doc.read_text(encoding="utf-8").split("\n")
    no, (old, new) = next(iter(NEW_MISTAKE.items()))
    assert old in lines[no - 1 + 4]
    lines[no - 1 + 4] = lines[no - 1 + 4].replace(old, new)
    doc.write_text("\n".join(lines), encoding="utf-8")
    res = run_cli(["check", "--format", "json", "--baseline", "budgetlint-baseline.json", "docs"], cwd=project)
    assert res.exit_code == 1
    assert _findings(res) == [("C901", "奖金")]
    assert json.loads(res.stdout)["findings"][0]["line"] == 278 + 4
    # without the baseline everything shows again
    res = run_cli(["check", "--format", "json", "docs"], cwd=project)
    assert res.exit_code == 1 and len(_findings(res)) == 5


def test_fixing_an_old_mistake_is_fine_and_paths_are_relative_to_the_baseline(project):
    run_cli(["check", "--write-baseline", "ci/baseline.json", "docs"], cwd=project)
    # fix 30102 (one of the recorded mistakes); run from another folder
    doc = project / "docs" / "budget.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("3,368.91\t3,386.91", "3,386.91\t3,386.91"), encoding="utf-8")
    res = run_cli(["check", "--format", "json", "--baseline", "../ci/baseline.json", "budget.txt"], cwd=project / "docs")
    assert res.exit_code == 0 and _findings(res) == []
    assert "2 findings already" in res.stderr  # X901 and N901 remain; C901 and S901 are fixed


def test_fingerprint_ignores_lines_but_not_labels(tmp_path):
    report, _, path = seed003_report(tmp_path)
    f = next(x for x in report.findings if x.code == "C901")
    parts = fingerprint_parts(f, tmp_path)
    assert parts == ["C901", path.name, "表6", "一般公共预算基本支出情况表", "30102", "津贴补贴", "一般公共预算基本支出/合计"]
    moved = copy.deepcopy(f)
    moved.line = 5000
    moved.message = "另一种措辞"
    assert fingerprint(moved, tmp_path) == fingerprint(f, tmp_path)
    other_row = copy.deepcopy(f)
    other_row.row = dict(f.row, label="奖金", code="30103")
    assert fingerprint(other_row, tmp_path) != fingerprint(f, tmp_path)
    other_table = copy.deepcopy(f)
    other_table.table = dict(f.table, index=99)  # position in the document does not matter
    assert fingerprint(other_table, tmp_path) == fingerprint(f, tmp_path)
    prose = next(x for x in report.findings if x.code == "N901")
    assert fingerprint_parts(prose, tmp_path)[-1] == "总计·总计"  # outside tables: the labels of its terms


def test_duplicates_are_counted(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    f = next(x for x in report.findings if x.code == "C901")
    twin = copy.deepcopy(f)
    twin.line = 9999  # same labels in a second table with the same title
    bl = Baseline(root=str(tmp_path))
    bl.counts[fingerprint(f, tmp_path)] = 1
    new, known = bl.split([f, twin])
    assert known == [f] and new == [twin]


@pytest.mark.parametrize("content, message", [
    ("not json", "invalid JSON"),
    ('{"findings": []}', "not a budgetlint baseline"),
    ('{"budgetlint_baseline": 1, "findings": [{"code": "S1"}]}', "without a fingerprint"),
])
def test_bad_baseline_is_a_usage_error(project, content, message):
    (project / "bl.json").write_text(content, encoding="utf-8")
    res = run_cli(["check", "--baseline", "bl.json", "docs"], cwd=project)
    assert res.exit_code == 2 and message in res.stderr


def test_missing_baseline_is_a_usage_error(project):
    res = run_cli(["check", "--baseline", "nope.json", "docs"], cwd=project)
    assert res.exit_code == 2 and "cannot read baseline" in res.stderr


def test_load_counts(tmp_path):
    p = tmp_path / "b.json"
    p.write_text(json.dumps({"budgetlint_baseline": 1, "findings": [{"fingerprint": "a"}, {"fingerprint": "a"}, {"fingerprint": "b"}]}))
    bl = load_baseline(p)
    assert bl.counts == {"a": 2, "b": 1} and bl.root == str(tmp_path)


def test_write_baseline_refuses_an_input(project):
    before = (project / "docs" / "budget.txt").read_bytes()
    res = run_cli(["check", "--write-baseline", "docs/budget.txt", "docs"], cwd=project)
    assert res.exit_code == 2 and "refusing to overwrite" in res.stderr
    assert (project / "docs" / "budget.txt").read_bytes() == before
