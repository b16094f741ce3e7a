"""Command-line behaviour CI depends on: rule codes in any case, did-you-mean, config errors
that name file and key, --exit-zero, --skip-tableless, --help, and a default install that
reads every format."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from _report_data import LINE_30102, copy_seed, run_cli, use_test_rules

from budgetlint.codes import suggest
from budgetlint.engine import matches, select_rules

ROOT = Path(__file__).resolve().parents[1]
MISTAKE = {LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}  # gives S901 (row 301) and C901 (row 30102)


@pytest.fixture
def project(tmp_path, monkeypatch):
    use_test_rules(monkeypatch)
    copy_seed(tmp_path / "docs", mistakes=MISTAKE, dest="budget.txt")
    return tmp_path


def _codes(res) -> list[str]:
    return sorted(f["code"] for f in json.loads(res.stdout)["findings"])


# ------------------------------------------------------------------ codes in any case


@pytest.mark.parametrize("args, expected", [
    (["--select", "c901"], ["C901"]),
    (["--select", "c"], ["C901"]),
    (["--ignore", "s901"], ["C901"]),
    (["--select", "all", "--ignore", "c9,s"], []),
], ids=["select-code", "select-prefix", "ignore", "all-and-list"])
def test_codes_on_the_command_line_are_case_insensitive(project, args, expected):
    res = run_cli(["check", "--format", "json", *args, "docs"], cwd=project)
    assert res.exit_code in (0, 1), res.stderr
    assert _codes(res) == expected


@pytest.mark.parametrize("toml, expected", [
    ('select = ["c9"]\n', ["C901"]),
    ('select = ["x"]\nextend-select = ["c901"]\n', ["C901"]),
    ('ignore = ["s9"]\n', ["C901"]),
    ('[per-file-ignores]\n"budget.txt" = ["c901"]\n', ["S901"]),
], ids=["select", "extend-select", "ignore", "per-file-ignores"])
def test_codes_in_the_configuration_are_case_insensitive(project, toml, expected):
    (project / "budgetlint.toml").write_text(toml, encoding="utf-8")
    res = run_cli(["check", "--format", "json", "docs"], cwd=project)
    assert res.exit_code == 1, res.stderr
    assert _codes(res) == expected


def test_severity_override_in_any_case(project):
    (project / "budgetlint.toml").write_text('[severity]\nc901 = "warning"\n', encoding="utf-8")
    res = run_cli(["check", "--format", "json", "docs"], cwd=project)
    sev = {f["code"]: f["severity"] for f in json.loads(res.stdout)["findings"]}
    assert sev == {"C901": "warning", "S901": "error"}


def test_engine_matching_ignores_case():
    assert matches("S101", ["s1"]) and matches("S101", ["all"]) and not matches("S101", ["s2"])

    class R:
        code, default_enabled = "S101", True

    assert select_rules([R], ["s101"], None) == [R]
    assert select_rules([R], None, ["s"]) == []


def test_explain_and_baselines_ignore_case(project):
    assert run_cli(["explain", "c901"]).exit_code == 0
    run_cli(["check", "--write-baseline", "bl.json", "docs"], cwd=project)
    data = json.loads((project / "bl.json").read_text(encoding="utf-8"))
    for e in data["findings"]:
        e["code"] = e["code"].lower()  # hand-edited entries
    (project / "bl.json").write_text(json.dumps(data), encoding="utf-8")
    res = run_cli(["check", "--baseline", "bl.json", "docs"], cwd=project)
    assert res.exit_code == 0, res.stdout


# ------------------------------------------------------------------ did you mean


@pytest.mark.parametrize("typed, meant", [
    ("S1O1", "S101"), ("s1o1", "S101"), ("SlOl", "S101"), ("S10I", "S101"), ("S1011", "S101"),
    ("total-row", "S101"), ("X3O", "X30"),
])
def test_did_you_mean(typed, meant):
    codes = ["S101", "S102", "S103", "X301", "X302", "N601"]
    assert suggest(typed, codes, {"total-row": "S101"}) == meant


def test_no_suggestion_for_something_else_entirely():
    assert suggest("ZZZ9", ["S101", "S102"]) is None


def test_did_you_mean_on_the_command_line(project):
    res = run_cli(["check", "--select", "C9O1", "docs"], cwd=project)
    assert res.exit_code == 2
    assert "--select: no rule matches 'C9O1' (did you mean 'C901'?)" in res.stderr
    res = run_cli(["explain", "S9O1"])
    assert res.exit_code == 2 and "did you mean 'S901'?" in res.stderr


# ------------------------------------------------------------------ configuration errors name file and key


@pytest.mark.parametrize("name, text, key", [
    ("budgetlint.toml", 'select = ["S9O1"]\n', "select"),
    ("budgetlint.toml", 'ignore = ["C901", "Q7"]\n', "ignore"),
    ("budgetlint.toml", 'extend-select = ["Q7"]\n', "extend-select"),
    ("budgetlint.toml", '[severity]\nQ7 = "warning"\n', "severity.Q7"),
    ("budgetlint.toml", '[per-file-ignores]\n"a/*" = ["Q7"]\n', "per-file-ignores.'a/*'"),
    ("pyproject.toml", '[tool.budgetlint]\nselect = ["S9O1"]\n', "[tool.budgetlint] select"),
])
def test_bad_code_in_configuration_names_file_and_key(project, name, text, key):
    cfg = project / name
    cfg.write_text(text, encoding="utf-8")
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 2
    line = res.stderr.strip().splitlines()[-1]
    assert line.startswith(f"budgetlint: {cfg}: {key}: no rule matches"), line
    if "S9O1" in text:
        assert "did you mean 'S901'?" in line


def test_misspelt_key_names_file_and_suggests(project):
    cfg = project / "budgetlint.toml"
    cfg.write_text('selct = ["S"]\n', encoding="utf-8")
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 2
    assert f"{cfg}: unknown configuration keys: selct (did you mean 'select'?)" in res.stderr


def test_bad_value_names_file_and_key(project):
    cfg = project / "budgetlint.toml"
    cfg.write_text('[severity]\nS901 = "high"\n', encoding="utf-8")
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 2 and f"{cfg}: severity.S901 must be" in res.stderr


# ------------------------------------------------------------------ exit codes, help


def test_exit_zero(project):
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 1
    res = run_cli(["check", "--exit-zero", "docs"], cwd=project)
    assert res.exit_code == 0 and "津贴补贴" in res.stdout  # still reported
    (project / "docs" / "broken.xlsx").write_bytes(b"PK\x03\x04 truncated")
    assert run_cli(["check", "--exit-zero", "docs"], cwd=project).exit_code == 0
    # usage errors still stop the run
    assert run_cli(["check", "--exit-zero", "--select", "Q7", "docs"], cwd=project).exit_code == 2


def test_help_lists_the_formats():
    from budgetlint.report import FORMATS

    res = run_cli(["check", "--help"])
    listed = re.search(r"--format \[([a-z|]+)\]", res.stdout)
    assert listed, res.stdout
    assert set(listed.group(1).split("|")) == set(FORMATS)


def test_format_in_any_case(project):
    res = run_cli(["check", "--format", "JSON", "docs"], cwd=project)
    assert res.exit_code == 1 and _codes(res) == ["C901", "S901"]


# ------------------------------------------------------------------ text files without tables


def test_skip_tableless_leaves_out_text_without_tables(project):
    docs = project / "docs"
    (docs / "requirements.txt").write_text("pandas>=2.0\nclick>=8.1\nnumpy  1.24  2.0\n", encoding="utf-8")
    res = run_cli(["check", "--format", "json", "--skip-tableless", "docs/requirements.txt"], cwd=project)
    assert res.exit_code == 0
    assert json.loads(res.stdout)["files"] == []
    res = run_cli(["check", "--format", "json", "--skip-tableless", "docs"], cwd=project)
    data = json.loads(res.stdout)
    assert [Path(f["path"]).name for f in data["files"]] == ["budget.txt"]
    assert res.exit_code == 1 and _codes(res) == ["C901", "S901"]
    # without the flag the file is listed (and counted as checked)
    res = run_cli(["check", "--format", "json", "docs/requirements.txt"], cwd=project)
    assert json.loads(res.stdout)["files"][0]["tables"] == 0


# ------------------------------------------------------------------ a default install reads every format


def test_default_dependencies_read_every_format():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = {re.split(r"[<>=!~ \[]", d, maxsplit=1)[0].lower() for d in meta["dependencies"]}
    assert {"python-docx", "pdfplumber", "xlrd", "defusedxml", "openpyxl"} <= names
    assert all(re.search(r">=\d", d) for d in meta["dependencies"]), "lower bounds pinned"
    assert meta["optional-dependencies"]["formats"] == []  # kept so that '.[formats]' still installs
