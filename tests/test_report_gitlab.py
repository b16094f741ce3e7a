"""GitLab Code Quality output: parsed back and compared with the JSON report."""

from __future__ import annotations

import json

from click.testing import CliRunner

from budgetlint.cli import main

from conftest import SAMPLES


def _run(fmt, *paths):
    return CliRunner().invoke(main, ["check", "--format", fmt, *map(str, paths)], catch_exceptions=False)


def test_every_finding_is_a_code_quality_issue(tmp_path):
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"not a workbook")
    paths = [SAMPLES / "disclosure_with_errors.txt", SAMPLES / "disclosure_with_errors.xlsx", bad]
    res = _run("gitlab", *paths)
    issues = json.loads(res.output)
    findings = json.loads(_run("json", *paths).output)["findings"]
    assert len(issues) == len(findings)
    assert res.exit_code == 1
    for issue, f in zip(issues, findings):
        assert issue["check_name"] == f["code"]
        assert issue["severity"] == {"error": "major", "warning": "minor", "info": "info"}[f["severity"]]
        assert issue["location"]["path"] == f["path"]
        assert issue["location"]["lines"]["begin"] == (f["line"] or 1)
        assert len(issue["fingerprint"]) == 32
    cells = [i for i in issues if i["location"]["path"].endswith(".xlsx") and i["check_name"] == "S102"]
    assert cells and cells[0]["description"].startswith("[单位支出总体情况表!E15] S102")
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab tells issues apart by fingerprint
    assert any(i["check_name"] == "L001" and i["location"]["path"].endswith("broken.xlsx") for i in issues)


def test_fingerprints_unique_per_file_on_a_real_seed(tmp_path):
    """GitLab merges issues with one fingerprint: the many 项目支出绩效目标表 of seed 003 must not collapse."""
    from conftest import seed_path

    from budgetlint.baseline import identity

    res = _run("gitlab", seed_path("003"))
    issues = json.loads(res.output)
    assert len(issues) > 50
    fps = [i["fingerprint"] for i in issues]
    assert len(set(fps)) == len(fps)
    js = json.loads(_run("json", seed_path("003")).output)["findings"]
    assert len({identity(f) for f in js}) < len(js)  # without numbering they would collide
