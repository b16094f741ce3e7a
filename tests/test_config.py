"""Configuration: discovery from the checked path upwards, precedence (CLI over file), validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from _report_data import LINE_30102, copy_seed, run_cli, use_test_rules

from budgetlint.config import ConfigError, _glob_regex, load_config, unknown_option_keys

MISTAKE = {LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}  # gives S901 (row 301) and C901 (row 30102)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A folder of budget documents: one with a typing mistake, in docs/2024/."""
    use_test_rules(monkeypatch)
    copy_seed(tmp_path / "docs" / "2024", mistakes=MISTAKE, dest="budget.txt")
    return tmp_path


def _codes(result) -> list[str]:
    return sorted(f["code"] for f in json.loads(result.stdout)["findings"])


def test_found_from_the_checked_path_upwards(project):
    _write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.budgetlint]\nselect = ["C"]\nlang = "en"\n')
    cfg = load_config([str(project / "docs" / "2024" / "budget.txt")])
    assert cfg.source == str(project / "pyproject.toml")
    assert cfg.select == ["C"] and cfg.lang == "en" and cfg.root == str(project.resolve())


def test_nearest_wins_and_budgetlint_toml_before_pyproject(project):
    _write(project / "pyproject.toml", '[tool.budgetlint]\nselect = ["C"]\n')
    _write(project / "docs" / "pyproject.toml", '[project]\nname = "no-budgetlint-table"\n')
    cfg = load_config([str(project / "docs" / "2024")])
    assert cfg.source == str(project / "pyproject.toml")  # a pyproject without [tool.budgetlint] is passed over
    _write(project / "docs" / "budgetlint.toml", 'select = ["S"]\n')
    assert load_config([str(project / "docs" / "2024")]).select == ["S"]
    _write(project / "docs" / "2024" / "pyproject.toml", '[tool.budgetlint]\nselect = ["X"]\n')
    _write(project / "docs" / "2024" / "budgetlint.toml", 'select = ["N"]\n')
    assert load_config([str(project / "docs" / "2024" / "budget.txt")]).select == ["N"]


def test_file_settings_apply_and_cli_wins(project):
    _write(project / "budgetlint.toml", 'select = ["C"]\nformat = "json"\nlang = "en"\n')
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 1
    assert _codes(res) == ["C901"]
    assert json.loads(res.stdout)["findings"][0]["message"].startswith("total is not staff")
    res = run_cli(["check", "--select", "S", "--lang", "zh", "docs"], cwd=project)
    assert _codes(res) == ["S901"]
    assert json.loads(res.stdout)["findings"][0]["message"].startswith("301 工资福利支出")
    res = run_cli(["check", "--format", "github", "docs"], cwd=project)
    assert res.stdout.startswith("::error file=docs/2024/budget.txt,line=277,")


def test_explicit_config_file(project, tmp_path_factory):
    other = _write(tmp_path_factory.mktemp("elsewhere") / "pyproject.toml", '[tool.budgetlint]\nignore = ["S"]\nformat = "json"\n')
    res = run_cli(["check", "--config", str(other), "docs"], cwd=project)
    assert _codes(res) == ["C901"]


def test_severity_overrides_and_fail_on(project):
    _write(project / "budgetlint.toml", 'format = "json"\n[severity]\nC9 = "warning"\nS901 = "warning"\n')
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 0  # nothing at or above the default fail-on (error)
    sev = {f["code"]: f["severity"] for f in json.loads(res.stdout)["findings"]}
    assert sev == {"C901": "warning", "S901": "warning"}
    _write(project / "budgetlint.toml", 'format = "json"\nfail-on = "warning"\n[severity]\nC9 = "warning"\nS901 = "warning"\n')
    assert run_cli(["check", "docs"], cwd=project).exit_code == 1
    assert run_cli(["check", "--fail-on", "error", "docs"], cwd=project).exit_code == 0  # CLI over file


def test_per_file_ignores(project):
    copy_seed(project / "archive" / "2023", mistakes=MISTAKE, dest="old.txt")
    copy_seed(project / "docs", mistakes=MISTAKE, dest="budget_draft.txt")
    _write(project / "budgetlint.toml", 'format = "json"\n[per-file-ignores]\n"archive/**" = ["S"]\n"*_draft.txt" = ["ALL"]\n')
    res = run_cli(["check", "."], cwd=project)
    found = sorted((f["path"], f["code"]) for f in json.loads(res.stdout)["findings"])
    assert found == [
        ("./archive/2023/old.txt", "C901"),
        ("./docs/2024/budget.txt", "C901"), ("./docs/2024/budget.txt", "S901"),
    ]
    # patterns are relative to the configuration file, whatever the working directory
    res = run_cli(["check", "2023"], cwd=project / "archive")
    assert sorted(f["code"] for f in json.loads(res.stdout)["findings"]) == ["C901"]


@pytest.mark.parametrize(
    "text, message",
    [
        ('selct = ["S"]\n', "unknown configuration keys: selct"),
        ('[weights]\ntotl = 90\n', "unknown configuration keys: weights.totl"),
        ('fail-on = "fatal"\n', "fail-on must be one of error, warning, info"),
        ('lang = "fr"\n', "lang must be one of zh, en"),
        ('[severity]\nS901 = "high"\n', "severity.S901 must be error, warning or info"),
        ('[weights]\ntotal = "ninety"\n', "weights.total must be a positive number"),
        ('select = "S9"\nignore = [1]\n', "ignore must be a list of rule codes"),
        ('[per-file-ignores]\n"a/*" = ["Q7"]\n', "no rule matches 'Q7'"),
        ('format = "pdf"\n', "unknown format 'pdf'"),
        ('select = [\n', "cannot read configuration"),
    ],
    ids=["unknown-key", "unknown-nested-key", "fail-on", "lang", "severity", "weights-total", "list-type", "pfi-code", "format", "toml-syntax"],
)
def test_configuration_errors_exit_2(project, text, message):
    _write(project / "budgetlint.toml", text)
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 2
    assert message in res.stderr


def test_declared_option_keys_are_accepted(project):
    _write(project / "budgetlint.toml", 'format = "json"\n[weights]\ntotal = 90\n[rounding]\nprose-precision = 2\n')
    res = run_cli(["check", "docs"], cwd=project)
    assert res.exit_code == 1 and _codes(res) == ["C901", "S901"]
    assert unknown_option_keys({"rounding": {"prose-precision": 2, "x": 1}}, ["rounding.prose-precision"]) == ["rounding.x"]


def test_unknown_rule_on_command_line_is_a_usage_error(project):
    res = run_cli(["check", "--select", "Z9", "docs"], cwd=project)
    assert res.exit_code == 2 and "Z9" in res.stderr


def test_bad_explicit_file_raises():
    with pytest.raises(ConfigError):
        load_config([], "/nonexistent/budgetlint.toml")


@pytest.mark.parametrize(
    "pattern, path, hit",
    [
        ("archive/**", "archive/2023/old.txt", True),
        ("archive/**", "docs/archive.txt", False),
        ("**/草稿/*.txt", "a/b/草稿/x.txt", True),
        ("**/草稿/*.txt", "草稿/x.txt", True),
        ("docs/*.txt", "docs/2024/x.txt", False),
        ("*_draft.txt", "budget_draft.txt", True),
        ("表[0-9].csv", "表7.csv", True),
        ("表[!0-9].csv", "表7.csv", False),
    ],
)
def test_glob(pattern, path, hit):
    assert bool(_glob_regex(pattern).fullmatch(path)) is hit
