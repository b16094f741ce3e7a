"""Blank cells are located in their own column.

A spreadsheet row ends at its last filled cell and a CSV line may stop early;
the cells added to make the row as wide as the table are blank, and each must
name its own column (a 公用经费 term in column E is E8, not the D8 of the last
filled cell), or the finance officer is sent to the wrong cell.
"""

from __future__ import annotations

import json

from _report_data import T6_HEADER, mistyped_t6_rows, run_cli, write_t6_workbook

from budgetlint.loaders.xlsx import column_letter


def _terms(res):
    return [(f["code"], t) for f in json.loads(res.stdout)["findings"] for t in f["terms"]]


def test_blank_terms_of_a_workbook_name_their_own_column(tmp_path):
    path = write_t6_workbook(tmp_path / "t6.xlsx", mistyped_t6_rows())
    res = run_cli(["check", "--format", "json", path.name], cwd=tmp_path)
    terms = _terms(res)
    # 30102 津贴补贴: 合计 3,368.91 ≠ 人员经费 3,386.91 + 公用经费 (blank, the row's cells end at D8)
    crossfoot = [t for code, t in terms if code == "C201" and t["row"] == 3]
    assert [(t["cell"], t["raw"]) for t in crossfoot] == [("D8", "3,386.91"), ("E8", "")]
    for _, t in terms:  # the table starts in column A: every term's letter is its column's
        assert t["cell"].rstrip("0123456789") == column_letter(t["column"]), t


def test_blank_terms_of_a_csv_name_their_own_column(tmp_path):
    rows = [["一般公共预算基本支出情况表"], ["单位：万元"], T6_HEADER]
    for r in mistyped_t6_rows():
        while r and r[-1] == "":
            r = r[:-1]
        rows.append(r)
    path = tmp_path / "t6.csv"
    path.write_text("\n".join(",".join(f'"{c}"' for c in r) for r in rows) + "\n", encoding="utf-8")
    res = run_cli(["check", "--format", "json", path.name], cwd=tmp_path)
    crossfoot = [t for code, t in _terms(res) if code == "C201" and t["row"] == 3]
    assert [t["cell"] for t in crossfoot] == ["D7", "E7"], crossfoot
