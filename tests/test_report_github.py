"""GitHub Actions workflow-command annotations, parsed back the way the runner reads them."""

from __future__ import annotations

import io
import re

from _report_data import (
    LINE_30102, LINE_INCOME_PROSE, SHEET, check_docs, copy_seed, mistyped_t6_rows, run_cli, seed003_report,
    t6_document, use_test_rules,
)

from budgetlint.report import render
from budgetlint.report.github import escape_data, escape_property

_CMD = re.compile(r"^::(?P<cmd>error|warning|notice) (?P<props>[^:]*)::(?P<msg>.*)$")


def _unescape(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(text: str) -> list[dict]:
    out = []
    for line in text.splitlines():
        m = _CMD.match(line)
        assert m, f"not a workflow command: {line!r}"
        props = dict(p.split("=", 1) for p in m.group("props").split(","))
        out.append({"cmd": m.group("cmd"), **{k: _unescape(v) for k, v in props.items()}, "message": _unescape(m.group("msg"))})
    return out


def test_escaping_round_trips():
    text = "100% 合计: a,b\r\nnext"
    assert "\n" not in escape_data(text) and "%0A" in escape_data(text)
    assert ":" not in escape_property(text) and "," not in escape_property(text)
    assert _unescape(escape_property(text)) == text


def test_seed_annotations(tmp_path):
    report, _, path = seed003_report(tmp_path)
    buf = io.StringIO()
    render(report, "github", buf)
    anns = parse(buf.getvalue())
    assert len(anns) == 4 and {a["cmd"] for a in anns} == {"error"}
    by_title = {a["title"].split()[1]: a for a in anns}
    c = by_title["C901"]
    assert c["file"] == str(path) and c["line"] == str(LINE_30102)
    assert c["title"] == "budgetlint C901 (test-crossfoot)"
    assert c["message"].startswith("[表 6 一般公共预算基本支出情况表 | 津贴补贴 · 一般公共预算基本支出 / 合计] ")
    assert "实为 3,368.91" in c["message"]
    assert by_title["N901"]["line"] == str(LINE_INCOME_PROSE)


def test_spreadsheet_annotation_names_the_cell_and_warnings_map(tmp_path):
    doc = t6_document("budget.xlsx", mistyped_t6_rows())
    report = check_docs([doc])
    report.findings[0].severity = "warning"
    report.findings[1].severity = "info"
    buf = io.StringIO()
    render(report, "github", buf)
    anns = parse(buf.getvalue())
    assert [a["cmd"] for a in anns] == ["warning", "notice"]
    assert "line" not in anns[0]
    assert anns[0]["message"].startswith(f"[{SHEET}!C6 | 表6 一般公共预算基本支出情况表 | 工资福利支出")


def test_cli_github_format_and_exit_code(tmp_path, monkeypatch):
    copy_seed(tmp_path, dest="ok.txt")
    use_test_rules(monkeypatch)
    res = run_cli(["check", "--format", "github", "ok.txt"], cwd=tmp_path)
    assert res.exit_code == 0 and res.stdout == ""
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="bad.txt")
    res = run_cli(["check", "--format", "github", "bad.txt", "ok.txt"], cwd=tmp_path)
    assert res.exit_code == 1
    anns = parse(res.stdout)
    assert sorted((a["file"], a["line"], a["title"].split()[1]) for a in anns) == [
        ("bad.txt", "275", "S901"), ("bad.txt", "277", "C901")]
