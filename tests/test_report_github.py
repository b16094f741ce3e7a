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


def _many(tmp_path, n_files=3):
    """Seed 003 with three mistakes, in several files, checked by the real rules (many findings per file)."""
    from budgetlint.engine import run

    from _report_data import MISTAKES

    paths = [copy_seed(tmp_path, mistakes=MISTAKES, dest=f"doc{i}.txt") for i in range(n_files)]
    return run([str(p) for p in paths], jobs=1), paths


def test_annotations_are_capped_most_severe_first(tmp_path):
    report, paths = _many(tmp_path)
    total = len(report.findings)
    errors = sum(f.severity == "error" for f in report.findings)
    assert total > 60 and errors > 10
    buf = io.StringIO()
    render(report, "github", buf, max_annotations=25, max_annotations_per_file=10)
    anns = parse(buf.getvalue())
    shown, more = anns[:-1], anns[-1]
    assert len(shown) == 25
    per_file = {}
    for a in shown:
        per_file[a["file"]] = per_file.get(a["file"], 0) + 1
    assert max(per_file.values()) == 10
    # errors first: no warning shown in a file while one of its errors is hidden
    for p in map(str, paths):
        kinds = [a["cmd"] for a in shown if a["file"] == p]
        assert kinds == sorted(kinds, key=["error", "warning", "notice"].index)
        file_errors = sum(f.severity == "error" and f.path == p for f in report.findings)
        assert kinds.count("error") == min(file_errors, per_file.get(p, 0))
    assert more["cmd"] == "notice" and "file" not in more
    assert f"另有 {total - 25} 个发现未显示为注释" in more["message"]


def test_annotation_caps_can_be_lifted_and_set_on_the_command_line(tmp_path, monkeypatch):
    report, _ = _many(tmp_path, n_files=1)
    buf = io.StringIO()
    render(report, "github", buf, max_annotations=0, max_annotations_per_file=0)
    assert len(parse(buf.getvalue())) == len(report.findings)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    res = run_cli(["check", "--format", "github", "--max-annotations", "3", "--lang", "en", "doc0.txt"], cwd=tmp_path)
    anns = parse(res.stdout)
    assert len(anns) == 4 and anns[-1]["message"].startswith(f"{len(report.findings) - 3} more findings are not shown")
    assert res.exit_code == 1
    res = run_cli(["check", "--format", "github", "doc0.txt"], cwd=tmp_path)
    assert len(parse(res.stdout)) == 11  # default: 10 per file, plus the line that counts the rest


def test_step_summary_written_when_github_asks_for_it(tmp_path, monkeypatch):
    copy_seed(tmp_path, mistakes={LINE_30102: ("3,386.91\t3,386.91", "3,368.91\t3,386.91")}, dest="bad.txt")
    use_test_rules(monkeypatch)
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    res = run_cli(["check", "--format", "github", "bad.txt"], cwd=tmp_path)
    assert res.exit_code == 1
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## budgetlint\n")  # appended, as GitHub expects
    assert "共检查 1 个文件" in text
    assert "| bad.txt | " in text and "| C901 | test-crossfoot | 1 | 0 | 0 |" in text
    rows = [l for l in text.splitlines() if l.startswith("| 错误 | ")]
    assert len(rows) == 2 and any("bad.txt:277" in r and "| C901 |" in r for r in rows)
    # other formats leave it alone
    before = summary.read_text(encoding="utf-8")
    run_cli(["check", "--format", "json", "bad.txt"], cwd=tmp_path)
    assert summary.read_text(encoding="utf-8") == before


def test_step_summary_escapes_table_cells(tmp_path):
    from budgetlint.report.github import step_summary

    report, _, _ = seed003_report(tmp_path, lang="en")
    report.findings[0].message = "a | b\nc"
    text = step_summary(report)
    assert "a \\| b c" in text and "## budgetlint" in text
    assert all(l.count("|") - l.count("\\|") in (0, 6) or not l.startswith("| ") for l in text.splitlines())
