"""The 部门（单位）整体绩效目标表 with its 年度主要任务 block (P413), a layout the seeds do not have."""

from __future__ import annotations

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

UNIT = (
    "2024年部门整体支出绩效目标表\n\n"
    "部门（单位）名称\t某县自然资源局\t\t\t\t\t\n"
    "年度主要任务\t任务名称\t主要内容\t预算金额（万元）\t\t\t\n"
    "\t\t\t总额\t财政拨款\t其他资金\n"
    "\t土地执法监察\t开展动态巡查\t120.00\t120.00\t0.00\n"
    "\t不动产登记\t登记发证\t80.00\t60.00\t20.00\n"
    "\t金额合计\t\t200.00\t180.00\t20.00\n"
    "年度总体目标\t完成土地执法和登记任务。\t\t\t\t\t\n"
    "年度绩效指标\t一级指标\t二级指标\t三级指标\t指标值\t\n"
    "\t产出指标\t数量指标\t巡查次数\t≥50次\t\n"
    "\t\t质量指标\t登记准确率\t≥98%\t\n"
    "\t效益指标\t社会效益指标\t违法用地下降率\t≥10%\t\n"
    "\t满意度指标\t服务对象满意度指标\t群众满意度\t≥90%\t\n"
)


def check(text: str, select=("P", "L")):
    return engine.check_documents([understand_document(parse_text(text, "bumen.txt"))], select=list(select)).findings


def test_the_tasks_are_read():
    from budgetlint.understand.perf import perf_view

    [pt] = perf_view(understand_document(parse_text(UNIT, "bumen.txt"))).targets
    assert pt.unit_name == "某县自然资源局"
    assert [(t.name, t.amounts["total"].raw, t.amounts["fiscal"].raw, t.amounts["other"].raw) for t in pt.tasks] == [
        ("土地执法监察", "120.00", "120.00", "0.00"), ("不动产登记", "80.00", "60.00", "20.00"),
    ]
    assert pt.tasks_total.name == "金额合计" and len(pt.indicators) == 4


def test_a_consistent_table_passes():
    assert check(UNIT) == []


def test_a_total_its_tasks_do_not_reach():
    fs = check(UNIT.replace("\t200.00\t180.00", "\t210.00\t180.00"))
    assert [(f.code, f.line, f.column["label"], f.expected, f.actual) for f in fs] == [
        ("P413", 8, "总额", 200.0, 210.0), ("P413", 8, "总额", 200.0, 210.0),
    ]
    assert sorted([t["label"] for t in f.terms] for f in fs) == [["土地执法监察", "不动产登记"], ["财政拨款", "其他资金"]]
    assert all(f.severity == "error" and f.row["label"] == "金额合计" for f in fs)


def test_a_task_whose_sources_do_not_make_its_total():
    fs = check(UNIT.replace("\t80.00\t60.00\t20.00", "\t80.00\t50.00\t20.00"))
    assert sorted((f.line, f.column["label"], f.expected, f.actual) for f in fs) == [
        (7, "总额", 70.0, 80.0), (8, "财政拨款", 170.0, 180.0),
    ]
    # one cell explains both: the task's 财政拨款, named in each finding as the likely wrong cell
    assert all("疑似出错的单元格：不动产登记" in f.message and "60.00" in f.message for f in fs)


def test_a_block_with_one_amount_column():
    text = (
        "部门整体绩效目标表\n\n部门名称\t某县自然资源局\t\t\n"
        "年度主要任务\t任务名称\t主要内容\t预算金额（万元）\n"
        "\t土地执法监察\t开展动态巡查\t120.00\n\t不动产登记\t登记发证\t80.00\n\t合计\t\t205.00\n"
        "年度总体目标\t完成任务。\t\t\n"
    )
    [f] = check(text, select=("P413",))
    assert (f.line, f.expected, f.actual) == (7, 200.0, 205.0)
