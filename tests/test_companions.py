"""A disclosure published as two files (text + tables) is checked as one document; silence is not success."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from budgetlint import engine
from budgetlint.companions import companion_groups, style_of

TABLE = """\
表1
收支预算总表
单位：万元
项目\t预算数\t项目\t预算数
一、一般公共预算拨款\t100.00\t一、一般公共服务支出\t100.00
收入总计\t100.00\t支出总计\t100.00

表2
“三公”经费支出预算表
单位：万元
项目\t预算数
合计\t20.00
因公出国（境）费\t5.00
公务接待费\t5.00
公务用车购置及运行费\t10.00
"""

PROSE = """\
第一部分 部门概况
一、部门职责
本部门负责某项工作。
二、收支预算情况
2019年收支预算总计100.00万元。
“三公”经费预算30.00万元，其中因公出国（境）费5.00万元，公务接待费5.00万元，公务用车购置及运行费10.00万元。
"""


def test_name_styles_pair_by_stem():
    assert style_of("a/renda_2019_budget_text.pdf") == ("text", "a/renda_2019_budget.pdf")
    assert style_of("a/renda_2019_budget_tables.pdf") == ("tables", "a/renda_2019_budget.pdf")
    assert style_of("a/某厅2019年预算文字说明.pdf") == ("text", "a/某厅2019年预算.pdf")
    assert style_of("a/某厅2019年预算表格.pdf") == ("tables", "a/某厅2019年预算.pdf")
    assert style_of("a/summary.pdf") is None
    files = sorted(["d/x_text.pdf", "d/x_tables.pdf", "d/y_text.pdf", "e/x_tables.pdf", "d/z.pdf"])
    assert companion_groups(files) == [["d/x_tables.pdf", "d/x_text.pdf"], ["d/y_text.pdf"], ["d/z.pdf"], ["e/x_tables.pdf"]]
    # two text files for one tables file: ambiguous, nothing is paired
    assert companion_groups(["d/x_text.pdf", "d/x_tables.pdf", "d/x-text.pdf"]) == [["d/x_text.pdf"], ["d/x_tables.pdf"], ["d/x-text.pdf"]]


def _pair(folder: Path) -> tuple[Path, Path]:
    folder.mkdir()
    tables = folder / "unit_2019_budget_tables.txt"
    text = folder / "unit_2019_budget_text.txt"
    tables.write_text(TABLE, encoding="utf-8")
    text.write_text(PROSE, encoding="utf-8")
    return tables, text


@pytest.mark.parametrize("jobs", [1, 2])
def test_text_and_tables_files_are_checked_as_one_document(tmp_path, jobs):
    tables, text = _pair(tmp_path / "d")
    report = engine.run([str(tmp_path / "d")], keep_documents=(jobs == 1), jobs=jobs)
    data = report.to_json()
    assert [(Path(f["path"]).name, f["tables"], Path(f["companion"]).name) for f in data["files"]] == [
        ("unit_2019_budget_tables.txt", 2, "unit_2019_budget_text.txt"),
        ("unit_2019_budget_text.txt", 0, "unit_2019_budget_tables.txt"),
    ]
    # the prose's 三公 total (30.00) is compared with the table's (20.00): the finding sits in the text file
    prose = [f for f in data["findings"] if f["code"].startswith("N")]
    assert prose and all(f["path"] == str(text) for f in prose)
    # table terms name the file they come from
    terms = [t for f in prose for t in f["terms"] if t.get("table") is not None]
    assert terms and all(t["path"] == str(tables) for t in terms)
    assert not [f for f in data["findings"] if f["code"] == "L006"]  # the text file's tables are its companion's
    assert data["summary"]["tables"] == 2


def test_text_report_says_the_files_were_checked_together(tmp_path):
    import io

    from budgetlint.report import text as text_report

    _pair(tmp_path / "d")
    report = engine.run([str(tmp_path / "d")], jobs=1, lang="en")
    out = io.StringIO()
    text_report.render(report, out, color=False)
    shown = out.getvalue()
    assert "unit_2019_budget_text.txt" in shown and "checked together as one document" in shown
    assert shown.count("checked together") == 1
    assert "2 tables checked" in shown


def test_a_file_without_tables_is_not_reported_as_clean(tmp_path):
    path = tmp_path / "only_prose.txt"
    path.write_text(PROSE, encoding="utf-8")
    data = engine.run([str(path)], jobs=1).to_json()
    (f,) = [f for f in data["findings"] if f["code"] == "L006"]
    assert f["severity"] == "warning" and "读出任何表格" in f["message"]
    assert data["summary"]["tables"] == 0


def test_announced_tables_not_read_are_reported_with_both_counts(tmp_path):
    toc = "目录\n一、收支预算总表\n二、“三公”经费支出预算表\n三、政府采购预算表\n\n"
    path = tmp_path / "disclosure.txt"
    path.write_text(toc + TABLE, encoding="utf-8")
    data = engine.run([str(path)], jobs=1).to_json()
    (f,) = [f for f in data["findings"] if f["code"] == "L006"]
    assert "列出 3 张表，只读出 2 张" in f["message"]
    path.write_text(TABLE, encoding="utf-8")  # no 目录: the two numbered tables are all it announces
    data = engine.run([str(path)], jobs=1).to_json()
    assert not [f for f in data["findings"] if f["code"] == "L006"]


def test_json_files_entries_name_the_companion_key_always(tmp_path):
    path = tmp_path / "alone.txt"
    path.write_text(TABLE, encoding="utf-8")
    data = json.loads(json.dumps(engine.run([str(path)], jobs=1).to_json()))
    assert data["files"][0]["companion"] is None
