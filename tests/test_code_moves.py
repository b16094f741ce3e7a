"""Rules that moved keep their former codes as aliases: P409 → X311, N608 → H501, X309's prose part → N610.

A former code works in ``--select``/``--ignore``, in the configuration and in
baselines, and one line says what it became; ``budgetlint explain`` with a
former code says so and explains the new rule.
"""

from __future__ import annotations

import json

import pytest
from _report_data import run_cli

from budgetlint import engine
from budgetlint.baseline import Baseline, fingerprint, identity, numbers
from budgetlint.model import Finding

PROSE = "一、部门预算概况\n\n2024 年一般公共预算支出比上年增加增加 5.00 万元。\n"

MOVES = {"P409": ["X311"], "N608": ["H501"], "X309": ["X309", "N610"]}


def test_aliases_name_what_each_former_code_became():
    assert engine.code_aliases() == MOVES
    codes = {r.code for r in engine.all_rules()}
    assert "P409" not in codes and "N608" not in codes and {"X311", "H501", "X309", "N610"} <= codes
    assert engine.alias_notice("P409", MOVES, lang="en") == "P409 is now X311 (target-matches-project-table)"
    assert engine.alias_notice("N608", MOVES, lang="zh") == "N608 现为 H501（单元格文字重复）"
    assert engine.alias_notice("X309", MOVES, lang="en") == "part of X309 is now N610 (vehicle-running-prose-allocations)"


@pytest.mark.parametrize("old, new", [("P409", {"X311"}), ("N608", {"H501"}), ("X309", {"X309", "N610"}), ("p409", {"X311"})])
def test_select_and_ignore_take_former_codes(old, new):
    assert {r.code for r in engine.select_rules(engine.all_rules(), [old], None)} == new
    kept = {r.code for r in engine.select_rules(engine.all_rules(), None, [old])}
    assert not (kept & new)


@pytest.fixture
def prose_file(tmp_path):
    path = tmp_path / "docs" / "report.txt"
    path.parent.mkdir()
    path.write_text(PROSE, encoding="utf-8")
    return path


def test_cli_select_former_code_says_what_it_became(prose_file, tmp_path):
    res = run_cli(["check", "--format", "json", "--select", "N608", str(prose_file)], cwd=tmp_path)
    assert "budgetlint: N608 现为 H501（单元格文字重复）" in res.stderr
    assert [f["code"] for f in json.loads(res.stdout)["findings"]] == ["H501"]
    res = run_cli(["check", "--format", "json", "--lang", "en", "--select", "H", "--ignore", "N608", str(prose_file)], cwd=tmp_path)
    assert "budgetlint: N608 is now H501 (duplicated-text-in-cell)" in res.stderr
    assert [f["code"] for f in json.loads(res.stdout)["findings"] if f["code"] == "H501"] == []


def test_configuration_takes_former_codes(prose_file, tmp_path):
    (tmp_path / "budgetlint.toml").write_text('format = "json"\nselect = ["N608"]\n[severity]\nN608 = "error"\n', encoding="utf-8")
    res = run_cli(["check", "docs"], cwd=tmp_path)
    assert res.exit_code == 1, res.stderr
    [f] = json.loads(res.stdout)["findings"]
    assert (f["code"], f["severity"]) == ("H501", "error")
    assert "N608 现为 H501" in res.stderr
    (tmp_path / "budgetlint.toml").write_text('format = "json"\nselect = ["H"]\n[per-file-ignores]\n"report.txt" = ["N608"]\n', encoding="utf-8")
    res = run_cli(["check", "docs"], cwd=tmp_path)
    assert [f["code"] for f in json.loads(res.stdout)["findings"]] == []


def test_explain_former_code(tmp_path):
    res = run_cli(["explain", "P409"], cwd=tmp_path)
    assert res.exit_code == 0
    assert res.stdout.startswith("P409 现为 X311（目标表与项目表金额）\n")
    assert "X311 目标表与项目表金额" in res.stdout
    res = run_cli(["explain", "--lang", "en", "N608"], cwd=tmp_path)
    assert res.stdout.startswith("N608 is now H501 (duplicated-text-in-cell)\n") and "H501 (duplicated-text-in-cell)" in res.stdout


def test_a_baseline_entry_under_a_former_code_still_matches(tmp_path):
    f = Finding(code="H501", name="duplicated-text-in-cell", severity="warning", message="重复的词语或标点「增加增加」", path=str(tmp_path / "a.txt"))
    as_recorded = dict(f.to_json(), code="N608")
    entry = {"fingerprint": fingerprint(as_recorded, tmp_path), "identity": identity(as_recorded, tmp_path),
             "numbers": numbers(f), "code": "N608"}
    base = Baseline(root=str(tmp_path), entries=[entry])
    assert base.split([f]) == ([f], [])  # without the aliases: a new finding
    assert base.split([f], former={"H501": ["N608"]}) == ([], [f])
