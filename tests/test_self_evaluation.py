"""The national 项目支出绩效自评表, a form the seeds do not have.

The template prints its captions inside the grid: a funds block (项目资金 | 年初预算数 |
全年预算数 | 全年执行数 | 分值 | 执行率 | 得分) with the budget-execution points, then the
indicator header (一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 |
偏差原因分析及改进措施) and a 总分 row.  The same figures are rendered as text and as a
workbook with merged cells; each mistake is planted on its own.
"""

from __future__ import annotations

import pytest

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

CODES = ["P402", "P411", "P412", "L005"]

FUNDS = [
    ["项目资金（万元）", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", ""],
    ["", "年度资金总额", "100.00", "120.00", "108.00", "10", "90.00%", "9.00", ""],
    ["", "其中：当年财政拨款", "100.00", "110.00", "99.00", "—", "—", "—", ""],
    ["", "上年结转资金", "0.00", "10.00", "9.00", "—", "—", "—", ""],
    ["", "其他资金", "0.00", "0.00", "0.00", "—", "—", "—", ""],
]
INDICATORS = [
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ["", "产出指标", "数量指标", "整治村庄数量", "≥10个", "10个", "20", "20", ""],
    ["", "", "质量指标", "验收合格率", "≥95%", "100%", "15", "15", ""],
    ["", "", "时效指标", "按期完成率", "≥95%", "90%", "15", "12", "两个村因雨季延期"],
    ["", "", "成本指标", "单村整治成本", "≤12万元", "10.8万元", "10", "10", ""],
    ["", "效益指标", "社会效益指标", "群众生活环境改善", "明显改善", "明显改善", "10", "10", ""],
    ["", "", "生态效益指标", "垃圾无害化处理率", "≥90%", "92%", "10", "10", ""],
    ["", "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "93%", "10", "10", ""],
]
TOTAL = ["总分", "", "", "", "", "", "100", "96", ""]
HEAD = [
    ["项目名称", "农村人居环境整治", "", "", "", "", "", "", ""],
    ["主管部门", "某县生态环境局", "", "", "实施单位", "某县生态环境局", "", "", ""],
]
TITLE = "2023年度项目支出绩效自评表"
FIRST_LINE = 3  # the text rendering: title, blank line, then the grid


def grid(**changes) -> list[list[str]]:
    """The form's rows; ``changes`` maps "row,col" (0-based in the grid) to a new text."""
    rows = [list(r) for r in HEAD + FUNDS + INDICATORS + [TOTAL]]
    for at, text in changes.items():
        r, c = (int(x) for x in at.split(","))
        rows[r][c] = text
    return rows


def as_text(rows) -> str:
    return f"{TITLE}\n\n" + "".join("\t".join(r) + "\n" for r in rows)


def check_text(rows):
    doc = understand_document(parse_text(as_text(rows), "zipingbiao.txt"))
    return engine.check_documents([doc], select=CODES).findings


def line_of(grid_row: int) -> int:
    return FIRST_LINE + grid_row


def test_a_consistent_form_passes():
    assert check_text(grid()) == []


def test_the_tree_is_read_with_the_execution_points():
    from budgetlint.understand.perf import perf_view

    doc = understand_document(parse_text(as_text(grid()), "zipingbiao.txt"))
    [tree] = perf_view(doc).scoring
    assert [r.label for r in tree.roots] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    assert (tree.total_weight.raw, tree.total_score.raw) == ("100", "96")
    late = tree.roots[1].children[2].children[0]
    assert (late.label, late.target.raw, late.result.raw, late.weight.raw, late.score.raw) == ("按期完成率", "≥95%", "90%", "15", "12")


def test_execution_rate_that_does_not_follow_from_the_amounts():
    [f] = check_text(grid(**{"3,6": "85.00%", "3,7": "8.50", "15,7": "95.50"}))
    assert (f.code, f.severity, f.line) == ("P411", "error", line_of(3))
    assert (f.expected, f.actual) == (90.0, 85.0)
    assert f.column["label"] == "执行率" and "108.00 ÷ 120.00" in f.message


def test_execution_rate_printed_as_a_fraction():
    assert check_text(grid(**{"3,6": "0.90"})) == []
    [f] = check_text(grid(**{"3,6": "0.85"}))
    assert (f.code, f.expected, f.actual) == ("P411", 0.9, 0.85)


def test_funds_total_against_its_sources():
    [f] = check_text(grid(**{"5,3": "12.00"}))  # 上年结转资金 全年预算数 12.00: 110 + 12 ≠ 120
    assert (f.code, f.line, f.column["label"]) == ("P411", line_of(3), "全年预算数")
    assert (f.expected, f.actual) == (122.0, 120.0)
    assert [t["label"] for t in f.terms] == ["当年财政拨款", "上年结转资金", "其他资金"]


def test_a_second_breakdown_is_not_added_to_the_sources():
    rows = grid()
    rows[7:7] = [
        ["", "其中：基本支出", "60.00", "70.00", "65.00", "—", "—", "—", ""],
        ["", "项目支出", "40.00", "50.00", "43.00", "—", "—", "—", ""],
    ]
    assert check_text(rows) == []


def test_score_above_weight_and_total_score():
    # 按期完成率 17 of 15: the 总分 96 no longer adds up either (P412 also sees full marks for a missed target)
    fs = [f for f in check_text(grid(**{"10,7": "17"})) if f.code == "P402"]
    assert [(f.code, f.line, f.expected, f.actual) for f in fs] == [
        ("P402", line_of(10), 15.0, 17.0), ("P402", line_of(15), 101.0, 96.0),
    ]
    assert fs[1].column["label"] == "得分" and fs[1].terms[0]["label"] == "预算执行率"


def test_total_weight_adds_the_execution_points_to_the_indicators():
    [f] = check_text(grid(**{"14,6": "12", "14,7": "12", "15,7": "98"}))
    assert (f.code, f.line, f.expected, f.actual) == ("P402", line_of(15), 102.0, 100.0)
    assert f.column["label"] == "分值"


def test_full_marks_for_a_missed_target_and_a_deduction_without_reason():
    fs = check_text(grid(**{"10,7": "15", "10,8": "", "14,7": "8", "15,7": "97"}))
    assert [(f.code, f.line, f.column["label"]) for f in fs] == [
        ("P412", line_of(10), "得分"), ("P412", line_of(14), "偏差原因分析及改进措施"),
    ]
    assert "90%" in fs[0].message and "≥95%" in fs[0].message and "满分" in fs[0].message
    assert "扣了 2 分" in fs[1].message
    assert all(f.severity == "warning" for f in fs)


def test_results_of_another_kind_are_not_compared():
    # a fraction against a percentage target, a bare number against a count of 个
    assert check_text(grid(**{"9,5": "0.9", "8,5": "9"})) == []
    [f] = check_text(grid(**{"8,5": "9个"}))
    assert f.code == "P412" and f.line == line_of(8)


def test_recommended_split_adds_up_the_indicator_rows():
    # P403 is opt-in: 产出 20 + 15 + 15 + 10 = 60 and 效益 10 + 10 = 20 against the recommended 50 / 30
    doc = understand_document(parse_text(as_text(grid()), "zipingbiao.txt"))
    fs = engine.check_documents([doc], select=["P403"]).findings
    assert [(f.message.split("」")[0][-2:], f.actual, f.expected, f.line) for f in fs] == [
        ("产出", 60.0, 50.0, line_of(8)), ("效益", 20.0, 30.0, line_of(12)),
    ]


def test_a_scoring_table_without_a_tree_is_said_once():
    text = f"{TITLE}\n\n项目名称\t农村人居环境整治\n指标\t说明\t分数\n产出\t完成\t20\n"
    [f] = engine.check_documents([understand_document(parse_text(text, "z.txt"))], select=CODES).findings
    assert f.code == "L005" and "未检查" in f.message


openpyxl = pytest.importorskip("openpyxl")


def as_workbook(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = TITLE
    ws.merge_cells("A1:I1")
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(row, start=1):
            if text == "":
                continue
            cell = ws.cell(row=r, column=c, value=text)
            if text.endswith("%") and text[:-1].replace(".", "").isdigit():
                cell.value, cell.number_format = float(text[:-1]) / 100, "0.00%"
            elif text.replace(".", "").isdigit():
                cell.value = float(text) if "." in text else int(text)
                cell.number_format = "0.00" if "." in text else "General"
    ws.merge_cells("B2:I2")
    ws.merge_cells("A4:B4")  # 项目资金（万元）
    ws.merge_cells("A5:A8")
    first, last = 2 + len(HEAD) + len(FUNDS), 2 + len(HEAD) + len(FUNDS) + len(INDICATORS) - 1
    ws.merge_cells(f"A{first}:A{last}")  # 绩效指标, printed once down the block
    ws.merge_cells(f"B{first + 1}:B{first + 4}")  # 产出指标
    ws.merge_cells(f"B{first + 5}:B{first + 6}")  # 效益指标
    wb.save(path)


def test_the_workbook_form_reports_the_same_cells(tmp_path):
    as_workbook(tmp_path / "ok.xlsx", grid())
    assert engine.run([str(tmp_path / "ok.xlsx")], select=CODES).findings == []
    rows = grid(**{"3,6": "85.00%", "3,7": "8.50", "10,7": "15", "10,8": "", "14,7": "8", "15,7": "96.50"})
    as_workbook(tmp_path / "zipingbiao.xlsx", rows)
    fs = engine.run([str(tmp_path / "zipingbiao.xlsx")], select=CODES).findings
    got = [(f.code, f.cell, f.column["label"]) for f in fs]
    # sheet rows: title 1, heading 2-3, funds 4-8, indicator header 9, 按期完成率 12, 群众满意度 16
    assert got == [("P411", "G5", "执行率"), ("P412", "H12", "得分"), ("P412", "I16", "偏差原因分析及改进措施")], [f.message for f in fs]


def as_pdf(path, rows):
    pytest.importorskip("reportlab")
    from fixtures_build import FxDocument, FxTable, write_pdf

    first = len(HEAD) + len(FUNDS)
    merges = [(0, 1, 1, 8), (2, 0, 1, 2), (first, 0, len(INDICATORS), 1), (first + 1, 1, 4, 1), (first + 5, 1, 2, 1)]
    table = FxTable(before=[TITLE], grid=rows, merges=merges, header_rows=0)
    return write_pdf(FxDocument([table]), path, font_size=7)


def test_the_pdf_form_reports_the_same_cells(tmp_path):
    assert engine.run([str(as_pdf(tmp_path / "ok.pdf", grid()))], select=CODES).findings == []
    rows = grid(**{"3,6": "85.00%", "3,7": "8.50", "10,7": "15", "10,8": "", "14,7": "8", "15,7": "96.50"})
    fs = engine.run([str(as_pdf(tmp_path / "zipingbiao.pdf", rows))], select=CODES).findings
    assert [(f.code, f.page, f.column["label"]) for f in fs] == [
        ("P411", 1, "执行率"), ("P412", 1, "得分"), ("P412", 1, "偏差原因分析及改进措施"),
    ], [f.message for f in fs]
    assert "108.00 ÷ 120.00" in fs[0].message and "按期完成率" in fs[1].message and "群众满意度" in fs[2].message


def test_a_target_table_with_nothing_readable_is_said_once():
    text = "项目支出绩效目标表\n\n说明栏\t内容\n甲\t乙\n丙\t丁\n"
    [f] = engine.check_documents([understand_document(parse_text(text, "t.txt"))], select=["L", "P"]).findings
    assert f.code == "L005" and "绩效目标表" in f.message and "未检查" in f.message


def test_seeds_have_no_unread_forms(seed_docs):
    # every 绩效目标表 and 评分表 of the seeds is read (their findings are pinned elsewhere)
    assert [f for f in engine.check_documents(list(seed_docs.values()), select=["L005"]).findings] == []


def test_a_target_table_whose_indicators_are_not_read_says_so():
    text = (
        "项目支出绩效目标表\n\n项目名称\t乡村振兴培训\t\t\n项目资金（万元）\t年度资金总额\t300.00\t\n"
        "\t其中：财政拨款\t300.00\t\n指标类型\t指标名称\t目标值\t\n产出\t培训人次\t500 人次\t\n"
    )
    [f] = engine.check_documents([understand_document(parse_text(text, "t.txt"))], select=["L", "P"]).findings
    assert f.code == "L005" and "绩效指标未检查" in f.message and "：资金已检查" in f.message


def test_the_docx_form_reports_the_same_cells(tmp_path):
    docx = pytest.importorskip("docx")
    rows = grid(**{"3,6": "85.00%", "3,7": "8.50", "10,7": "15", "10,8": "", "14,7": "8", "15,7": "96.50"})
    d = docx.Document()
    d.add_paragraph(TITLE)
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            t.cell(i, j).text = v
    first = len(HEAD) + len(FUNDS)
    t.cell(first, 0).merge(t.cell(first + len(INDICATORS) - 1, 0))  # 绩效指标 down the indicator block
    d.save(tmp_path / "zipingbiao.docx")
    fs = engine.run([str(tmp_path / "zipingbiao.docx")], select=CODES).findings
    # cells are named in the table's own grid: the 年度资金总额 row is its 4th, 按期完成率 its 11th
    assert [(f.code, f.cell, f.column["label"]) for f in fs] == [
        ("P411", "G4", "执行率"), ("P412", "H11", "得分"), ("P412", "I15", "偏差原因分析及改进措施"),
    ]


DEPARTMENT = (
    "2023年度部门整体支出绩效自评表\n\n"
    "部门（单位）名称\t某县生态环境局\t\t\t\t\t\t\t\n"
    "年度预算执行情况（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（E）\t分值\t执行率（E/A）\t得分\t\n"
    "\t年度资金总额：\t1000.00\t1200.00\t1140.00\t10\t95.00%\t9.50\t\n"
    "\t按收入性质分：\t\t\t\t按支出性质分：\t\t\t\n"
    "\t其中：一般公共预算：\t1100.00\t\t\t其中：基本支出：\t800.00\t\t\n"
    "\t政府性基金拨款：\t100.00\t\t\t项目支出：\t340.00\t\t\n"
    "年度总体目标\t预期目标\t\t\t\t实际完成情况\t\t\t\n"
    "\t完成环境监测任务\t\t\t\t已完成\t\t\t\n"
    "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值（A）\t实际完成值（B）\t分值\t得分\t偏差原因分析及改进措施\n"
    "\t产出指标\t数量指标\t监测点位数\t≥50个\t52个\t30\t30\t\n"
    "\t\t质量指标\t监测数据有效率\t≥95%\t97%\t20\t20\t\n"
    "\t效益指标\t生态效益指标\t空气优良天数比例\t≥85%\t83%\t30\t27\t受沙尘天气影响\n"
    "\t满意度指标\t服务对象满意度指标\t公众满意度\t≥90%\t92%\t10\t10\t\n"
    "总分\t\t\t\t\t\t100\t96.50\t\n"
)


def test_department_form_with_two_breakdowns_beside_each_other():
    """部门整体支出绩效自评表: 按收入性质分 | 按支出性质分 side by side under the totals; the 分值 column also
    holds captions, so the grid reader takes it for text; the form still reads its 10 points."""
    def check(text):
        return engine.check_documents([understand_document(parse_text(text, "bumen.txt"))], select=CODES).findings

    assert check(DEPARTMENT) == []
    [f] = check(DEPARTMENT.replace("95.00%\t9.50", "96.00%\t9.50"))
    assert (f.code, f.line, f.expected, f.actual) == ("P411", 5, 95.0, 96.0)
    [g] = check(DEPARTMENT.replace("\t100\t96.50", "\t90\t96.50"))
    assert (g.code, g.expected, g.actual) == ("P402", 100.0, 90.0) and g.terms[0]["label"] == "预算执行率"


def test_a_reason_printed_once_for_neighbouring_deductions_covers_them():
    # 按期完成率 (reason given) and 单村整治成本 below it both lose points: one merged reason cell
    rows = grid(**{"11,7": "8", "15,7": "94"})
    assert check_text(rows) == []
    # 群众满意度 also loses points, but full marks (生态效益) sit between: its deduction is unexplained
    fs = check_text(grid(**{"11,7": "8", "14,7": "8", "15,7": "92"}))
    assert [(f.code, f.line) for f in fs] == [("P412", line_of(14))]


def test_budgetlint_tables_shows_how_the_form_was_read():
    import io

    from budgetlint.report.tables import render_tables

    doc = understand_document(parse_text(as_text(grid()), "zipingbiao.txt"))
    out = io.StringIO()
    render_tables([doc], out)
    text = out.getvalue()
    assert "form: 年度资金总额 budget 120.00 executed 108.00 rate 90.00% points 10 score 9.00" in text
    assert "sources: 当年财政拨款, 上年结转资金, 其他资金" in text
    assert "tree: 预算执行率 10/9.00 (1); 产出指标 ·/· (4); 效益指标 ·/· (2); 满意度指标 ·/· (1); total 100/96" in text


def test_one_form_per_project_in_one_document():
    # a 决算 document prints one 自评表 per project under the same title: each is a table of its own
    second = as_text(grid(**{"0,1": "高标准农田建设", "3,6": "85.00%", "3,7": "8.50", "15,7": "95.50"}))
    doc = understand_document(parse_text(as_text(grid()) + "\n" + second, "two.txt"))
    assert [t.kind for t in doc.tables] == ["perf.scoring", "perf.scoring"]
    [f] = engine.check_documents([doc], select=CODES).findings
    first_lines = 2 + len(grid()) + 1  # title, blank line, the first form, a blank line
    assert (f.code, f.line, f.table["index"]) == ("P411", first_lines + FIRST_LINE + 3, 1)


def test_an_incomplete_list_of_sources_is_not_added_up():
    # 财政拨款 broken down by level (中央 / 省级) and no 其他资金 row: the list under the total is not its sources
    rows = grid(**{"4,1": "其中：财政拨款", "5,1": "其中：中央资金", "6,1": "省级资金", "5,3": "60.00", "6,3": "60.00"})
    assert check_text(rows) == []


def test_a_scoring_sheet_under_rows_of_its_own_with_a_two_row_header():
    # 评价对象 / 评价机构 printed in the grid above a header on two rows (指标 … 分值 … 得分 over 一级/二级/三级)
    text = (
        "部门整体支出绩效评价指标体系表\n\n"
        "评价对象\t某县自然资源局\t\t\t\t\n评价机构\t某会计师事务所\t\t\t\t\n"
        "指标\t\t\t分值\t指标解释\t得分\n一级指标\t二级指标\t三级指标\t\t\t\n"
        "A 决策 (10 分)\tA1 目标设定 (10)\tA11 绩效目标合理性\t6\t目标明确\t6\n"
        "\t\tA12 绩效指标明确性\t4\t指标清晰\t3\n"
        "B 产出 (90 分)\tB1 产出数量 (90)\tB11 完成率\t90\t全部完成\t88\n"
        "合计\t\t\t100\t\t97\n"
    )

    def check(t):
        return engine.check_documents([understand_document(parse_text(t, "tixi.txt"))], select=CODES).findings

    assert check(text) == []
    [f] = check(text.replace("\t100\t\t97", "\t100\t\t98"))  # 6 + 3 + 88 = 97
    assert (f.code, f.line, f.expected, f.actual, f.column["label"]) == ("P402", 10, 97.0, 98.0, "得分")


def test_the_grade_in_the_text_against_one_form_only():
    report = "\n三、自评结论\n\n项目自评得分 96 分，评价等级为良。\n"
    [f] = engine.check_documents([understand_document(parse_text(as_text(grid()) + report, "z.txt"))], select=["P402"]).findings
    assert "良" in f.message and "优" in f.message  # 96 is 优
    # one form per project: a sentence about "the" score cannot be paired with either
    second = as_text(grid(**{"0,1": "高标准农田建设", "10,7": "10", "15,7": "94"}))
    both = understand_document(parse_text(as_text(grid()) + "\n" + second + report.replace("良", "优"), "z.txt"))
    assert engine.check_documents([both], select=["P402"]).findings == []


def test_a_form_without_its_total_row_still_makes_a_hundred():
    rows = grid()[:-1]  # no 总分 row
    assert check_text(rows) == []
    rows = grid(**{"14,6": "15", "14,7": "15"})[:-1]
    [f] = check_text(rows)
    assert (f.code, f.expected, f.actual) == ("P402", 100.0, 105.0) and f.terms[0]["label"] == "预算执行率"


def test_findings_name_the_project_or_department_of_their_form():
    [f] = check_text(grid(**{"3,6": "85.00%", "3,7": "8.50", "15,7": "95.50"}))
    assert f.message.startswith("项目「农村人居环境整治」：执行率应为 90.00%")
    doc = understand_document(parse_text(DEPARTMENT.replace("95.00%\t9.50", "96.00%\t9.50"), "bumen.txt"))
    [g] = engine.check_documents([doc], select=CODES).findings
    assert g.message.startswith("部门「某县生态环境局」：")
    [e] = engine.check_documents([doc], select=CODES, lang="en").findings
    assert e.message.startswith("某县生态环境局: the execution rate")
