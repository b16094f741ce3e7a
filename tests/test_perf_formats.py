"""Performance-target tables are mostly written in Word: the same table in DOCX, HTML, XLSX and
text (with vertically merged 一级/二级 cells in the office formats) gives the same findings."""

from __future__ import annotations

import pytest

import fixtures_build as fb
from budgetlint import engine
from budgetlint.loaders import load_document

GRID = [
    ["预算单位", "乌鲁木齐县国土资源执法监察大队", "", "", "", "", "", "", ""],
    ["项目名称", "全区国土资源执法监察系统执法办案补充经费", "", "", "", "项目负责人", "李乐", "", ""],
    ["项目资金(万元)", "年度预算总额", "160.00", "其中：财政拨款", "150.00", "其他资金", "0.00", "", ""],
    ["项目总体目标", "1、以有力举措，扎实落实总目标。2、持续加强队伍建设。", "", "", "", "", "", "", ""],
    ["一级指标", "二级指标", "三级指标", "指标值", "指标值设置依据", "上年完成值", "指标分值权重", "指标赋分规则", "佐证资料"],
    ["产出指标", "数量指标", "违法案件立案率", "=95%", "执法工作情况", "=95%", "7", "按照完成比例赋分", "工作资料"],
    ["", "", "场培训人次", "=50 人次", "执法工作情况", "=50 人次", "6", "按照完成比例赋分", "工作资料"],
    ["", "", "开展日常动态巡查", ">=5 次", "执法工作情况", ">=5 次", "6", "按照完成比例赋分", "工作资料"],
    ["", "质量指标", "违法案件结案率", ">=90%", "执法工作情况", "=64%", "10", "按照完成比例赋分", "工作资料"],
    ["效益指标", "经济效益指标", "非税收入总额", ">=300 万元", "执法工作情况", "=117 万元", "10", "按照完成比例赋分", "工作资料"],
    ["", "", "场培训人次", "=50 人次", "执法工作情况", "=50 人次", "6", "按照完成比例赋分", "工作资料"],
    ["满意度指标", "满意度指标", "群众满意度", ">=100%", "执法工作情况", ">=100%", "10", "按照完成比例赋分", "工作资料"],
    ["", "", "违法案件举报群众接访满意度", ">=95%", "执法工作情况", ">=95%", "10", "按照完成比例赋分", "工作资料"],
]
MERGES = [
    (0, 1, 1, 8), (1, 1, 1, 4), (3, 1, 1, 8),
    (5, 0, 4, 1), (5, 1, 3, 1),  # 产出指标 over four rows, 数量指标 over three
    (9, 0, 2, 1), (9, 1, 2, 1), (11, 0, 2, 1), (11, 1, 2, 1),
]


def _document() -> fb.FxDocument:
    table = fb.FxTable(before=["项目支出绩效目标表", "(2024 年)"], grid=[row[:] for row in GRID], merges=MERGES, header_rows=0)
    for r, c, rs, cs in MERGES:  # covered positions hold nothing, as Word stores them
        for i in range(r, r + rs):
            for j in range(c, c + cs):
                if (i, j) != (r, c):
                    table.grid[i][j] = ""
    return fb.FxDocument(blocks=["示例项目绩效目标", table])


def _codes(path):
    doc = load_document(path)
    assert doc.error is None, doc.error
    assert [t.kind for t in doc.tables] == ["perf.project_target"]
    return sorted((f.code, f.severity, f.expected, f.actual) for f in engine.check_documents([doc], select=["P"]).findings)


@pytest.mark.parametrize("fmt", ["docx", "html", "xlsx"])
def test_target_table_in_office_formats_matches_text(tmp_path, fmt):
    doc = _document()
    text = _codes(fb.write_txt(doc, tmp_path / "t.txt"))
    # the mistakes of the table: 160.00 ≠ 150.00 + 0.00; weights 81 (a duplicated 场培训人次); ≥100% satisfaction
    assert [c[0] for c in text] == ["P401", "P404", "P407", "P408"]
    writer = {"docx": fb.write_docx, "html": fb.write_html, "xlsx": fb.write_xlsx}[fmt]
    assert _codes(writer(doc, tmp_path / f"t.{fmt}")) == text
