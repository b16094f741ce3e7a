"""Baselines: record today's findings, fail only on new ones; fingerprints ignore line numbers."""

from __future__ import annotations

import copy
import json

import pytest
from _report_data import LINE_30102, MISTAKES, copy_seed, run_cli, seed003_report, use_test_rules
from conftest import SAMPLES

from budgetlint.baseline import (
    Baseline, BaselineError, baseline_data, fingerprint, fingerprint_parts, fingerprints, identity, load_baseline, numbers,
)

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
    # 奖金 is new; class 301 already had an accepted finding, but its sum now differs by more: reported again
    assert _findings(res) == [("S901", "工资福利支出"), ("C901", "奖金")]
    assert json.loads(res.stdout)["findings"][1]["line"] == 278 + 4
    assert "1 entries of budgetlint-baseline.json match no finding any more" in res.stderr
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


def test_same_identity_gets_distinct_fingerprints_and_matches_in_order(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    f = next(x for x in report.findings if x.code == "C901")
    twin = copy.deepcopy(f)
    twin.line = 9999  # same labels in a second table with the same title
    twin.actual = 3367.91  # and another amount
    assert identity(f, tmp_path) == identity(twin, tmp_path)
    fps = fingerprints([f, twin], tmp_path)
    assert len(set(fps)) == 2 and fps[0] == fingerprint(f, tmp_path)
    bl = Baseline(root=str(tmp_path), entries=baseline_data([f], tmp_path)["findings"])
    new, known = bl.split([f, twin])
    assert known == [f] and new == [twin]
    # the first one fixed: the second does not take over its entry (its numbers differ)
    new, known = bl.split([twin])
    assert known == [] and new == [twin] and len(bl.unmatched) == 1
    # same numbers, but now the first of its identity: matched through the identity
    twin.actual = f.actual
    new, known = bl.split([twin])
    assert known == [twin] and new == []


def test_numbers_are_part_of_the_match(tmp_path):
    report, _, _ = seed003_report(tmp_path)
    f = next(x for x in report.findings if x.code == "S901")
    bl = Baseline(root=str(tmp_path), entries=baseline_data([f], tmp_path)["findings"])
    assert bl.split([f]) == ([], [f])
    for change in ("expected", "actual"):
        other = copy.deepcopy(f)
        setattr(other, change, getattr(f, change) + 0.8)
        assert bl.split([other]) == ([other], []), change
    other = copy.deepcopy(f)
    other.terms[1] = dict(other.terms[1], value=other.terms[1]["value"] + 1)
    other.terms[2] = dict(other.terms[2], value=other.terms[2]["value"] - 1)  # same sum, other cells
    assert bl.split([other]) == ([other], [])
    assert numbers(copy.deepcopy(f)) == numbers(f)


def test_second_mistake_in_a_baselined_row_fails(tmp_path):
    """Acceptance: S102 on 21011 is accepted at -27.00; one more mistake in that row moves it to -27.80."""
    doc = tmp_path / "docs" / "disclosure.txt"
    doc.parent.mkdir()
    doc.write_text((SAMPLES / "disclosure_with_errors.txt").read_text(encoding="utf-8"), encoding="utf-8")
    res = run_cli(["check", "--write-baseline", "baseline.json", "docs"], cwd=tmp_path)
    assert res.exit_code == 0, res.stderr
    res = run_cli(["check", "--baseline", "baseline.json", "docs"], cwd=tmp_path)
    assert res.exit_code == 0, res.stdout
    text = doc.read_text(encoding="utf-8")
    assert "公务员医疗补助\t466.15\t466.15" in text
    doc.write_text(text.replace("公务员医疗补助\t466.15\t466.15", "公务员医疗补助\t466.95\t466.95"), encoding="utf-8")
    res = run_cli(["check", "--format", "json", "--baseline", "baseline.json", "docs"], cwd=tmp_path)
    assert res.exit_code == 1
    found = json.loads(res.stdout)["findings"]
    assert found and {(f["code"], f["row"]["code"], round(f["difference"], 2)) for f in found} == {("S102", "21011", -27.8)}


def test_reasons_are_read_kept_and_checked(project):
    res = run_cli(["check", "--write-baseline", "bl.json", "docs"], cwd=project)
    assert res.exit_code == 0
    path = project / "bl.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert all("reason" not in e for e in data["findings"])
    for e in data["findings"]:
        if e["code"] == "N901":
            e["reason"] = "说明中的金额为调整前数字，已报财政局"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = run_cli(["check", "--baseline", "bl.json", "docs"], cwd=project)
    assert res.exit_code == 0, res.stdout
    # re-recording keeps the reason of the entry that still matches
    res = run_cli(["check", "--write-baseline", "bl.json", "docs"], cwd=project)
    again = json.loads(path.read_text(encoding="utf-8"))["findings"]
    assert [e.get("reason") for e in again if e["code"] == "N901"] == ["说明中的金额为调整前数字，已报财政局"]
    assert [e.get("reason") for e in again if e["code"] != "N901"] == [None, None, None]
    again[0]["reason"] = 42
    path.write_text(json.dumps({"budgetlint_baseline": 2, "findings": again}), encoding="utf-8")
    res = run_cli(["check", "--baseline", "bl.json", "docs"], cwd=project)
    assert res.exit_code == 2 and "reason" in res.stderr


def test_version_1_baselines_still_match_on_identity(project, tmp_path):
    res = run_cli(["check", "--write-baseline", "bl.json", "docs"], cwd=project)
    data = json.loads((project / "bl.json").read_text(encoding="utf-8"))
    old = {"budgetlint_baseline": 1, "findings": [{"fingerprint": e["identity"], "code": e["code"]} for e in data["findings"]]}
    (project / "old.json").write_text(json.dumps(old), encoding="utf-8")
    res = run_cli(["check", "--baseline", "old.json", "docs"], cwd=project)
    assert res.exit_code == 0 and "4 findings already in old.json" in res.stderr


def test_write_baseline_prints_only_a_summary_line(project):
    res = run_cli(["check", "--write-baseline", "bl.json", "docs"], cwd=project)
    assert res.exit_code == 0
    assert res.stdout == ""
    assert res.stderr.strip().splitlines() == ["budgetlint: 4 findings recorded in bl.json"]
    # without it, the findings are printed
    assert "津贴补贴" in run_cli(["check", "docs"], cwd=project).stdout


def test_fingerprints_unique_within_a_file_on_a_real_seed(tmp_path):
    from budgetlint.engine import run

    path = copy_seed(tmp_path, dest="003.txt")
    report = run([str(path)], jobs=1)
    ids = [identity(f) for f in report.findings]
    assert len(set(ids)) < len(ids), "the seed has findings that share an identity (same labels, same table title)"
    fps = fingerprints(report.findings)
    assert len(set(fps)) == len(fps)


def test_fingerprints_stable_when_an_unrelated_table_changes(tmp_path):
    from budgetlint.engine import run

    before = run([str(copy_seed(tmp_path / "a", dest="003.txt"))], jobs=1)
    # a typing mistake in table 6 only
    after = run([str(copy_seed(tmp_path / "b", mistakes={LINE_30102: MISTAKES[LINE_30102]}, dest="003.txt"))], jobs=1)
    fa = dict(zip(fingerprints(before.findings, tmp_path / "a"), before.findings))
    fb = dict(zip(fingerprints(after.findings, tmp_path / "b"), after.findings))
    changed = {"一般公共预算基本支出情况表"}
    assert any((f.table or {}).get("title") in changed for f in fb.values() if fb.keys() - fa.keys())
    kept = {fp for fp, f in fa.items() if (f.table or {}).get("title") not in changed}
    assert len(kept) > 50
    assert kept <= fb.keys(), sorted(fa[fp].code for fp in kept - fb.keys())


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
    p.write_text(json.dumps({"budgetlint_baseline": 3, "findings": []}))
    with pytest.raises(BaselineError):
        load_baseline(p)


def test_write_baseline_refuses_an_input(project):
    before = (project / "docs" / "budget.txt").read_bytes()
    res = run_cli(["check", "--write-baseline", "docs/budget.txt", "docs"], cwd=project)
    assert res.exit_code == 2 and "refusing to overwrite" in res.stderr
    assert (project / "docs" / "budget.txt").read_bytes() == before
