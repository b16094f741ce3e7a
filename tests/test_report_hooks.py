"""The pre-commit hook definition and the CI documentation stay in step with the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

from _report_data import LINE_30102, copy_seed, run_cli, use_test_rules

from budgetlint.engine import INPUT_SUFFIXES

ROOT = Path(__file__).resolve().parents[1]


def _hook() -> dict[str, str]:
    """The single hook of .pre-commit-hooks.yaml (flat `key: value` pairs; no YAML library needed)."""
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    body = [l for l in text.splitlines() if l.strip() and not l.lstrip().startswith("#")]
    assert body[0].startswith("- id: "), "one list item expected"
    out = {}
    for line in body:
        key, _, value = line.lstrip("- ").partition(":")
        out[key.strip()] = value.strip()
    return out


def test_hook_definition():
    hook = _hook()
    assert hook["id"] == "budgetlint" and hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["budgetlint", "check"]
    pattern = re.compile(hook["files"].strip("'"))
    for name in ("预算公开.txt", "决算.xlsx", "table.csv", "a.tsv", "old.xls", "说明.docx", "scan.pdf", "page.html", "page.htm"):
        assert pattern.search(name), name
    exclude = re.compile(hook["exclude"].strip("'"))
    for name in ("预算公开.txt", "docs/2024/决算.xlsx", "说明.docx", "scan.pdf", "requirements-notes/表1.txt"):
        assert pattern.search(name) and not exclude.search(name), name
    for name in ("README.md", "make_xlsx.py", "notes.txt.bak"):
        assert not pattern.search(name), name
    for name in ("requirements.txt", "requirements-dev.txt", "ci/requirements/base.txt", "LICENSE.txt", "constraints.txt"):
        assert pattern.search(name) and exclude.search(name), name
    assert "--skip-tableless" in hook["entry"].split()
    suffixes = set(re.findall(r"[a-z]+", hook["files"].split("(", 1)[1].split(")", 1)[0]))
    assert {"." + s for s in suffixes} | {".htm"} <= INPUT_SUFFIXES


def test_hook_entry_runs_on_staged_files(tmp_path, monkeypatch):
    """pre-commit appends the staged file names to the entry: a mistake stops the commit."""
    use_test_rules(monkeypatch)
    copy_seed(tmp_path, dest="ok.txt")
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="bad.txt")
    args = _hook()["entry"].split()[1:]
    assert run_cli(args + ["ok.txt"], cwd=tmp_path).exit_code == 0
    assert run_cli(args + ["ok.txt", "bad.txt"], cwd=tmp_path).exit_code == 1


def test_hook_passes_over_text_without_tables(tmp_path, monkeypatch):
    """A .txt the pattern lets through but that holds no table is passed over silently."""
    use_test_rules(monkeypatch)
    (tmp_path / "notes.txt").write_text("pandas>=2.0\nclick>=8.1\n\nSee the wiki.\n", encoding="utf-8")
    args = _hook()["entry"].split()[1:]
    res = run_cli(args + ["--format", "json", "notes.txt"], cwd=tmp_path)
    assert res.exit_code == 0 and res.stderr == ""
    assert json.loads(res.stdout)["files"] == []


def test_hook_reads_word_and_pdf(tmp_path, monkeypatch):
    """The hook's environment is a default install: a staged .docx is read, not refused."""
    from docx import Document  # a default dependency

    use_test_rules(monkeypatch)
    d = Document()
    d.add_paragraph("一般公共预算基本支出情况表")
    t = d.add_table(rows=3, cols=3)
    for i, row in enumerate([["科目", "合计", "人员经费"], ["工资福利支出", "10.00", "10.00"], ["合计", "10.00", "10.00"]]):
        for j, v in enumerate(row):
            t.cell(i, j).text = v
    d.save(tmp_path / "表.docx")
    args = _hook()["entry"].split()[1:]
    res = run_cli(args + ["--format", "json", "表.docx"], cwd=tmp_path)
    data = json.loads(res.stdout)
    assert data["files"][0]["error"] is None and data["files"][0]["tables"] >= 1, data
    assert res.exit_code == 0


def test_documented_options_exist():
    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    res = run_cli(["check", "--help"])
    for opt in sorted(set(re.findall(r"budgetlint check [^\n`|]*", doc))):
        for flag in re.findall(r"(--[a-z][a-z-]+)", opt):
            assert flag in res.stdout, f"{flag} (docs/ci.md) is not an option of budgetlint check"
    for fmt in re.findall(r"--format (\w+)", doc):
        from budgetlint.report import FORMATS

        assert fmt in FORMATS
    assert "| 2 | usage or configuration error" in doc
