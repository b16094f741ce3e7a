"""Rules P401–P408 on performance-target and scoring tables, and X311 (formerly P409) against the project table."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def run(text: str, select: str, config: dict | None = None):
    doc = understand_document(parse_text(text, "t.txt"))
    return engine.check_documents([doc], select=[select], config=config).findings


def xj(rows: str, *, unit="伊宁县国土资源执法监察大队", project="全区国土资源执法监察系统执法办案经费",
       total="17.00", fiscal="17.00", other="0.00") -> str:
    """A Xinjiang 项目支出绩效目标表 (003 layout) with the given indicator rows."""
    return (
        "项目支出绩效目标表\n\n(2024 年)\n\n"
        f"预算单位\t\t{unit}\t\t\t\t\t\t\n"
        f"项目名称\t\t{project}\t\t\t\t项目负责人\t湛文忠\t\n"
        f"项目资金(万元)\t\t年度预算总额\t{total}\t其中：财政拨款\t{fiscal}\t其他资金\t{other}\t\n"
        "项目总体目标\t\t通过执法办案经费项目，强化日常执法监管，严肃查处违法案件。\t\t\t\t\t\t\n"
        "一级指标\t二级指标\t三级指标\t指标值\t指标值设置依据\t上年完成值\t指标分值权重\t指标赋分规则\t佐证资料\n"
        + rows
    )


def row(l1, l2, name, value, weight, prev="新增"):
    return f"{l1}\t{l2}\t{name}\t{value}\t历史标准\t{prev}\t{weight}\t按照完成比例赋分\t工作资料\n"


NINETY = (
    row("产出指标", "数量指标", "日常动态巡查次数（次）", ">=50 次", 10)
    + row("", "", "全年出差人次", ">=20 人次", 10)
    + row("", "质量指标", "违法案件结案率", "> =90%", 10)
    + row("", "时效指标", "执法专项案件办理时限", "<=10 个月", 20)
    + row("效益指标", "经济效益指标", "设备利用率（%）", "> =95%", 30)
    + row("满意度指标", "满意度指标", "设备使用人员满意度", ">=95%", 10)
)


# --- P401 weights-total -------------------------------------------------------

def test_p401_ninety_is_accepted():
    assert run(xj(NINETY), "P401") == []


def test_p401_hundred_is_accepted():
    assert run(xj(NINETY + row("", "", "群众满意度", ">=95%", 10)), "P401") == []


def test_p401_eighty_is_an_error_naming_both_candidates():
    text = xj(NINETY.replace("\t20\t按照", "\t10\t按照"))
    [f] = run(text, "P401")
    assert f.code == "P401" and f.severity == "error"
    assert (f.actual, f.expected) == (80.0, 90.0)
    assert "100" in f.message and "90" in f.message and "80" in f.message
    assert f.line == 9  # the header cell 指标分值权重
    assert len(f.terms) == 6


def test_p401_budget_execution_row_inside_means_hundred():
    assert run(xj(NINETY + row("预算执行率", "预算执行率", "预算执行率", "=100%", 10)), "P401") == []
    # 预算执行率 listed inside but given no points: the total must be 100, 90 is not enough
    [f] = run(xj(NINETY + row("预算执行率", "预算执行率", "预算执行率", "=100%", 0)), "P401")
    assert (f.actual, f.expected) == (90.0, 100.0)
    assert "预算执行率" in f.message


def test_p401_configured_total_fixes_the_convention():
    [f] = run(xj(NINETY), "P401", config={"weights": {"total": 100}})
    assert (f.actual, f.expected) == (90.0, 100.0)
    assert "weights.total" in f.message


def test_p401_duplicated_row_is_tied_to_the_excess():
    text = xj(NINETY + row("", "", "设备使用人员满意度", ">=95%", 10) + row("", "", "设备使用人员满意度", ">=95%", 10))
    [f] = run(text, "P401")
    assert f.actual == 110.0
    assert "设备使用人员满意度" in f.message and "P407" in f.message


def test_p401_missing_level1_category_is_named():
    text = xj(NINETY.replace(row("满意度指标", "满意度指标", "设备使用人员满意度", ">=95%", 10), ""))
    [f] = run(text, "P401")
    assert f.actual == 80.0 and "满意度指标" in f.message and "不完整" in f.message


# --- P402 scoring-tree ---------------------------------------------------------

SCORING_HEAD = (
    "附件 1\n\n南京市国土资源执法监察支队 2022 年整体支出绩效评价指标体系表\n\n"
    "指标\t\t\t分值\t指标解释\t标准\t评价标准\t得分\t备注\n"
    "一级指标\t二级指标\t三级指标\t\t\t\t\t\t\n"
)


def scoring(a_label="A 部门决策 (15 分)", a2="A2 中长期规划 (9)", s21="8.5", total_score="14.5", prose=""):
    return (
        prose
        + SCORING_HEAD
        + f"{a_label}\tA1 决策机制 (6)\tA11 决策制度的规范性\t2\t决策制度规范。\t规范\t按照比例评分。\t2\t\n"
        "\t\tA12 决策流程的科学性\t4\t决策流程科学。\t科学\t按照比例评分。\t4\t\n"
        f"\t{a2}\tA21 中长期规划明确性\t9\t有中长期规划。\t明确\t按照比例评分。\t{s21}\t\n"
        "F 加减分项（≤5分）\tF1 加分项\t\t(+5)\t受到嘉奖。\t\t酌情加分。\t\t\n"
        f"合 计\t\t\t15\t\t\t\t{total_score}\t\n"
    )


def test_p402_consistent_tree_passes():
    assert run(scoring(), "P402") == []


def test_p402_parent_weight_in_label_must_equal_children():
    fs = run(scoring(a_label="A 部门决策 (16 分)"), "P402")
    # the label disagrees with its children (line 7) and with the 合计 row (line 11)
    assert [(f.line, f.expected, f.actual) for f in fs] == [(7, 15.0, 16.0), (11, 16.0, 15.0)]
    assert "A 部门决策" in fs[0].message


def test_p402_score_above_weight():
    fs = run(scoring(s21="9.5", total_score="15.5"), "P402")
    assert [(f.actual, f.expected) for f in fs if "不应超过" in f.message] == [(9.5, 9.0)]


def test_p402_total_score_is_the_sum_of_scores():
    [f] = run(scoring(total_score="15.5"), "P402")
    assert (f.expected, f.actual) == (14.5, 15.5) and "合计得分" in f.message


def test_p402_grade_in_text_must_fit_the_total():
    prose = "经考评，整体绩效考评得分为 14.5 分（见附件 1），评价结果为优秀。\n\n"
    [f] = run(scoring(prose=prose), "P402")
    assert f.severity == "warning" and "优秀" in f.message and "差" in f.message and f.line == 1


# --- P403 weight-distribution ----------------------------------------------------

def test_p403_is_off_by_default_and_advises_when_selected():
    text = (
        "项目绩效自评表\n\n"
        "一级指标\t二级指标\t三级指标\t分值\t得分\n"
        "产出指标 (70 分)\t数量指标 (70)\t完成巡查次数\t70\t70\n"
        "效益指标 (10 分)\t社会效益指标 (10)\t违法案件结案率\t10\t9\n"
        "满意度指标 (10 分)\t满意度指标 (10)\t群众满意度\t10\t10\n"
        "预算执行率 (10 分)\t预算执行率 (10)\t预算执行率\t10\t10\n"
        "合计\t\t\t100\t99\n"
    )
    doc = understand_document(parse_text(text, "t.txt"))
    assert [f for f in engine.check_documents([doc], select=["P"]).findings if f.code == "P403"] == []
    fs = run(text, "P403")
    assert sorted((f.actual, f.expected) for f in fs) == [(10.0, 30.0), (70.0, 50.0)]
    assert all(f.severity == "warning" for f in fs)


# --- P404 funds-block --------------------------------------------------------------

def test_p404_total_must_equal_fiscal_plus_other():
    [f] = run(xj(NINETY, total="160.00", fiscal="150.00", other="0.00"), "P404")
    assert (f.expected, f.actual) == (150.0, 160.0) and f.line == 7
    assert "财政拨款" in f.message


def test_p404_balanced_block_passes_with_rounding():
    assert run(xj(NINETY, total="9.00", fiscal="0.00", other="9.00"), "P404") == []


UNIT_TABLE = (
    "单位整体绩效目标表\n\n(2024 年)\n\n"
    "单位名称 (盖章)\t\t克拉玛依市国土资源执法监察支队\t\t\t\n"
    "年度绩效目标\t\t1、用于单位在职职工的工资奖金。\t\t\t\n"
    "年度预算(万元)\t\t资金来源\t\t资金总额 (万元)\t\n"
    "\t\t财政资金 (万元)\t上级安排\t364.13\t\n"
    "\t\t\t本级安排\t0.00\t\n"
    "\t\t其他资金 (万元)\t其他\t0.00\t\n"
    "一级指标\t二级指标\t三级指标\t指标值\t指标设定依据\t分值权重\n"
    "运行成本\t成本指标\t成本控制\t>=预算数\t历史依据\t20\n"
)


def test_p404_unit_table_parts_without_printed_total_give_nothing_to_check():
    assert run(UNIT_TABLE, "P404") == []


# --- P405 spending-plan -----------------------------------------------------------

def hebei_plan(values: str) -> str:
    return (
        "2. 征地和拆迁补偿绩效目标表\n\n324001 怀来县自然资源和规划局\n\n"
        "项目编码\t13073024P00014110001K\t\t项目名称\t征地和拆迁补偿\t\n"
        "预算规模及\t预算数\t6500.00\t其中:财政 资金\t6500.00\t其他资金\t\n"
        "资金支出计\t3月底\t6月底\t10 月底\t12 月底\t\n"
        f"划 (%)\t{values}\n"
        "绩效目标\t1. 按时足额支付征地和拆迁补偿\t\t\t\t\n"
        "一级指标\t二级指标\t三级指标\t绩效指标描述\t\t指标值\t指标值确定依据\n"
        "产出指标\t数量指标\t补偿户数\t完成补偿户数\t\t≥120户\t怀财字【2024】7 号\n"
    )


def test_p405_cumulative_plan_passes():
    assert run(hebei_plan("25%\t50%\t75%\t100%"), "P405") == []


def test_p405_per_period_plan_is_ambiguous():
    [f] = run(hebei_plan("10%\t30%\t30%\t30%"), "P405")
    assert f.severity == "warning" and "不明" in f.message
    assert (f.expected, f.actual) == (100.0, 30.0) and f.line == 8


def test_p405_decreasing_plan_is_an_error():
    [f] = run(hebei_plan("20%\t60%\t50%\t100%"), "P405")
    assert f.severity == "error" and (f.expected, f.actual) == (60.0, 50.0)
    assert "10月底" in f.message


def test_p405_plan_must_end_at_hundred():
    [f] = run(hebei_plan("20%\t40%\t60%\t90%"), "P405")
    assert f.severity == "error" and (f.expected, f.actual) == (100.0, 90.0)


# --- P406 template-residue --------------------------------------------------------

def test_p406_goal_placeholder():
    text = hebei_plan("25%\t50%\t75%\t100%").replace("1. 按时足额支付征地和拆迁补偿", "1. 目标内容\t1")
    [f] = run(text, "P406")
    assert f.line == 9 and "目标内容" in f.message


def test_p406_unit_only_target_and_empty_target():
    rows = (
        "产出指标\t数量指标\t建设项目个数\t建设监管平台一个项目\t\t=1 个\t部门工作计划\n"
        "\t成本指标\t项目总成本\t项目总成本\t项目总成本\t\t专家评审\n"
        "满意度指标\t服务对象满意度指标\t受益对象满意率\t受益对象满意程度\t\t%\t部门工作计划\n"
    )
    text = hebei_plan("25%\t50%\t75%\t100%").split("产出指标\t数量指标")[0] + rows
    fs = run(text, "P406")
    assert sorted((f.line, "为空" in f.message, "只有单位" in f.message) for f in fs) == [(12, True, False), (13, False, True)]


def test_p406_missing_number_before_a_counter():
    text = xj(NINETY.replace("设备使用人员满意度\t>=95%\t历史标准", "设备使用人员满意度\t>=95%\t成果已在个乡镇备案"))
    [f] = run(text, "P406")
    assert f.line == 15 and "个" in f.message


def test_p406_comparator_without_number():
    [f] = run(xj(NINETY.replace("设备使用人员满意度\t>=95%", "设备使用人员满意度\t>")), "P406")
    assert f.line == 15 and "只有比较符" in f.message and f.column["label"] == "指标值"


# --- P407 duplicate-indicator -------------------------------------------------------

def test_p407_names_every_line():
    text = xj(
        row("产出指标", "数量指标", "定点就餐保障人数", ">=65 人", 10)
        + row("", "质量指标", "慰问经费", "<=10.2 万元", 10)
        + row("", "", "慰问经费", "<=10.2 万元", 10)
        + row("成本指标", "经济成本指标", "慰问经费", "<=10.2 万元", 10)
    )
    fs = run(text, "P407")
    assert [f.line for f in fs] == [12, 13]
    assert all("11、12、13" in f.message and f.severity == "warning" for f in fs)


# --- P408 implausible-target ----------------------------------------------------------

def test_p408_satisfaction_at_least_hundred_percent():
    [f] = run(xj(NINETY.replace("设备使用人员满意度\t>=95%", "设备使用人员满意度\t>=100%")), "P408")
    assert f.line == 15 and "100%" in f.message


def test_p408_cost_above_budget():
    text = xj(NINETY + row("成本指标", "经济成本指标", "慰问经费", "< =18.2 万元", 0), total="1.00", fiscal="0.00", other="1.00")
    [f] = run(text, "P408")
    assert f.line == 16 and "超过项目预算" in f.message


def test_p408_cost_as_percentage_floor():
    text = hebei_plan("25%\t50%\t75%\t100%").replace("产出指标\t数量指标\t补偿户数\t完成补偿户数\t\t≥120户", "产出指标\t成本指标\t项目总成本\t项目总成本\t\t≥100%")
    [f] = run(text, "P408")
    assert "金额上限" in f.message


def test_p408_count_without_unit_and_words_under_quantity():
    rows = row("产出指标", "数量指标", "积极开展动态巡查", "≥10", 45) + row("", "质量指标", "案件办理质量", "稳步提高", 45)
    fs = run(xj(rows), "P408")
    assert [(f.line, "单位" in f.message, "文字" in f.message) for f in fs] == [(10, True, False), (11, False, True)]


def test_p408_percent_targets_by_what_they_measure():
    rows = (
        row("产出指标", "数量指标", "提交成果报告数量", "≥100%", 20)  # a count: the percentage has no base
        + row("", "质量指标", "资金到位率", "≥100%", 20)  # a share: at most 100 %
        + row("", "时效指标", "工作完成率", "≥100%", 20)  # against the plan: may pass 100 %
        + row("效益指标", "社会效益指标", "非税收入增长率", "≥120%", 20)  # a growth
        + row("满意度指标", "满意度指标", "群众满意度", ">100%", 10)  # impossible
    )
    fs = run(xj(rows), "P408")
    assert [(f.line, f.actual) for f in fs] == [(10, 100.0), (11, 100.0), (14, 100.0)]
    count, share, satisfaction = (f.message for f in fs)
    assert "不是比率" in count and "数量和单位" in count
    assert "=100%" in share and "比率最高为 100%" in share
    assert "超过 100%" in satisfaction and "不可能" in satisfaction


def test_p408_floor_of_zero_measures_nothing():
    [f] = run(xj(row("产出指标", "数量指标", "办公室租赁单位数量", "≥0 个", 90)), "P408")
    assert f.line == 10 and "下限为 0" in f.message
    assert run(xj(row("产出指标", "数量指标", "办公室租赁单位数量", ">0 个", 90)), "P408") == []


def test_p408_moved_row_is_located_at_its_printed_cell_and_named_by_its_column():
    # a row printed one cell to the right of the header (an extra empty cell before 一级指标)
    moved = "\t产出指标\t数量指标\t积极开展动态巡查\t≥10\t历史标准\t新增\t45\t按照完成比例赋分\t工作资料\n"
    [f] = run(xj(moved + row("", "质量指标", "案件办理质量合格率", "≥95%", 45)), "P408")
    assert f.line == 10 and f.column == {"index": 4, "label": "指标值"}
    # the same row as printed without the extra cell: the same label, its own index
    [g] = run(xj(moved[1:] + row("", "质量指标", "案件办理质量合格率", "≥95%", 45)), "P408")
    assert g.column == {"index": 3, "label": "指标值"}


def test_p408_sound_targets_pass():
    assert run(xj(NINETY), "P408") == []


# --- X311 target-matches-project-table (formerly P409) --------------------------------------------------

T7 = (
    "表 7\n\n一般公共预算项目支出情况表\n\n编制单位：自治区国土资源执法监察总队\n\n单位：万元\n\n"
    "科目编码\t\t\t功能分类科目名称\t项目名称\t项目支出合计\t商品服务支出\t资本性支出\n"
    "类\t款\t项\t\t\t\t\t\n"
    "※\t※\t※\t※\t※\t1\t2\t3\n"
    "\t\t\t总计\t\t177.00\t176.30\t0.70\n"
    "\t\t\t乌鲁木齐县国土资源执法监察大队\t\t160.00\t159.30\t0.70\n"
    "220\t\t\t自然资源海洋气象等支出\t\t160.00\t159.30\t0.70\n"
    "220\t01\t\t自然资源事务\t\t160.00\t159.30\t0.70\n"
    "220\t01\t99\t其他自然资源事务支出\t全区国土资源执法监察系统执法办案补充经费\t160.00\t159.30\t0.70\n"
    "\t\t\t伊宁县国土资源执法监察大队\t\t17.00\t17.00\t\n"
    "220\t\t\t自然资源海洋气象等支出\t\t17.00\t17.00\t\n"
    "220\t01\t\t自然资源事务\t\t17.00\t17.00\t\n"
    "220\t01\t99\t其他自然资源事务支出\t全区国土资源执法监察系统执法办案补充经费\t17.00\t17.00\t\n"
    "\n说明：以上为项目支出。\n\n"
)


def test_x311_exact_names_different_amount_is_an_error():
    text = T7 + xj(NINETY, unit="乌鲁木齐县国土资源执法监察大队", project="全区国土资源执法监察系统执法办案补充经费",
                   total="150.00", fiscal="150.00") + xj(NINETY, project="全区国土资源执法监察系统执法办案补充经费")
    fs = [f for f in run(text, "X311") if "项目支出表第" in f.message]
    [f] = fs
    assert f.severity == "error" and (f.expected, f.actual) == (160.0, 150.0)
    assert f.terms[0]["line"] == 16 and "乌鲁木齐县" in f.message


def test_x311_shortened_name_is_a_warning():
    text = T7 + xj(NINETY, unit="乌鲁木齐县国土资源执法监察大队", project="全区国土资源执法监察系统执法办案经费",
                   total="150.00", fiscal="150.00") + xj(NINETY, project="全区国土资源执法监察系统执法办案补充经费")
    [f] = [f for f in run(text, "X311") if "项目支出表第" in f.message]
    assert f.severity == "warning"


def test_x311_sum_of_fiscal_funds_equals_the_project_table_total():
    extra = xj(NINETY, unit="伊宁县国土资源执法监察大队", project="执法办案工作经费", total="5.00", fiscal="5.00")
    text = T7 + xj(NINETY, unit="乌鲁木齐县国土资源执法监察大队", project="全区国土资源执法监察系统执法办案补充经费",
                   total="160.00", fiscal="160.00") + xj(NINETY, project="全区国土资源执法监察系统执法办案补充经费") + extra
    [f] = run(text, "X311")
    assert (f.expected, f.actual) == (182.0, 177.0) and "执法办案工作经费" in f.message and f.line == 12


def test_x311_matching_amounts_pass():
    text = T7 + xj(NINETY, unit="乌鲁木齐县国土资源执法监察大队", project="全区国土资源执法监察系统执法办案补充经费",
                   total="160.00", fiscal="160.00") + xj(NINETY, project="全区国土资源执法监察系统执法办案补充经费")
    assert run(text, "X311") == []


# --- seeds -----------------------------------------------------------------------------

def _seed_report():
    if not SEEDS.is_dir():
        pytest.fail("seed documents missing from ../shared/seeds")
    return engine.run([str(p) for p in sorted(SEEDS.glob("00*.txt"))], select=["P"])


@pytest.fixture(scope="module")
def seed_findings():
    return _seed_report().findings


# Every warning of P406–P408 and P410 on the seeds, each read against the document:
# (seed, code, line, the column it names, the text it quotes).  The groups say why each one holds.
SEED_WARNINGS = [
    # 001 附件1: the 二级 codes run C1, C2, C4 (C3 is missing)
    ("001", "P410", 229, "指标 / 二级指标", "C3"),
    # 002: 成本 targets written as procurement methods; 数量/质量 targets written as sentences
    ("002", "P408", 92, "指标值", "采用竞争性谈判方式,将规划编制费用降到最低"),
    ("002", "P408", 106, "指标值", "依据招投标文件,竞价中标"),
    ("002", "P408", 182, "指标值", "按省、市下发卫片数量核实图斑,有效打击矿山违法行为"),
    ("002", "P408", 265, "指标值", "能够及时启用数据库成果"),
    ("002", "P408", 279, "指标值", "每个变化图斑都需要实地举证。"),
    # 002 line 119: "成果已在个乡镇备案" (the number of 乡镇 was never typed); the same text in the
    # next two cells of the row is named once
    ("002", "P406", 119, "绩效指标描述", "成果已在个乡镇备案，用于指导空心村建设"),
    # 003 单位整体绩效目标表: 成本控制 ">=预算数" is words (and a floor) where a money cap belongs
    ("003", "P408", 2524, "指标值", ">=预算数"),
    # 003: satisfaction ">=100%" (two indicators of one table)
    ("003", "P408", 2550, "指标值", ">=100%"),
    ("003", "P408", 2551, "指标值", ">=100%"),
    # 003: twelve county tables copy one template that lists 维护…土地矿产资源市场秩序 under both
    # 经济效益 and 社会效益 on consecutive rows (e.g. 2698/2699); the second of each pair is named
    ("003", "P407", 2699, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2722, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2744, "三级指标", "维护全市土地矿产资源市场秩序"),
    ("003", "P407", 2767, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2790, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2813, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2836, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2859, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2882, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2906, "三级指标", "维护全市土地矿产资源市场秩序"),
    ("003", "P407", 2928, "三级指标", "维护全县土地矿产资源市场秩序"),
    ("003", "P407", 2951, "三级指标", "维护全州土地矿产资源市场秩序"),
    # 003: 积极开展动态巡查 "≥10" under 数量 without a unit (the 上年完成值 beside it says 72次)
    ("003", "P408", 2966, "指标值", "≥10"),
    ("003", "P408", 2985, "指标值", "≥10"),
    ("003", "P408", 3005, "指标值", "≥10"),
    ("003", "P408", 3043, "指标值", "≥10"),
    ("003", "P408", 3078, "指标值", "≥10"),
    ("003", "P408", 3098, "指标值", "≥10"),
    ("003", "P408", 3137, "指标值", "≥10"),
    ("003", "P408", 3155, "指标值", "≥10"),
    # 003: 社会成本 "维护…市场秩序" with the words "有效维护" where a cost belongs
    ("003", "P408", 3203, "指标值", "有效维护"),
    ("003", "P408", 3231, "指标值", "有效维护"),
    ("003", "P408", 3258, "指标值", "有效维护"),
    ("003", "P408", 3286, "指标值", "有效维护"),
    ("003", "P408", 3318, "指标值", "有效维护"),
    # 003: 办公室租赁单位数量 "≥0": any result meets it (5457 also lacks its unit)
    ("003", "P408", 3334, "指标值", "≥0个"),
    ("003", "P408", 3521, "指标值", ">=0 个"),
    ("003", "P408", 5457, "指标值", "≥0"),
    # 003: 违法案件结案率 ">=100%": a share cannot pass 100 % (the message quotes the =100% it means)
    ("003", "P408", 3372, "指标值", "=100%"),
    ("003", "P408", 3424, "指标值", "=100%"),
    # 003 lines 3477 and 3481: 群众满意度 twice in one table
    ("003", "P407", 3481, "三级指标", "群众满意度"),
    # 003 line 3587: 执法办案成本指标 "≤35" without 万元; the row is printed one cell right of the
    # header, the finding names the 指标值 column all the same
    ("003", "P408", 3587, "指标值", "≤35"),
    # 003 lines 4204-4205: cost caps of 18.2 and 8 万元 on a project of 1.00 万元
    ("003", "P408", 4204, "指标值", "<=18.2 万元"),
    ("003", "P408", 4205, "指标值", "<=8 万元"),
    # 003: 聘用人员资金发放准确率 "1" (100 % typed as a fraction, without %); 5321 is printed left of the header
    ("003", "P408", 5087, "指标值", "1"),
    ("003", "P408", 5134, "指标值", "1"),
    ("003", "P408", 5185, "指标值", "1"),
    ("003", "P408", 5235, "指标值", "1"),
    ("003", "P408", 5266, "指标值", "1"),
    ("003", "P408", 5321, "指标值", "1"),
    ("003", "P408", 5365, "指标值", "1"),
    ("003", "P408", 5416, "指标值", "1"),
    # 003 lines 5374/5375: 设备使用人员满意度 under 社会效益 and again under 满意度
    ("003", "P407", 5375, "三级指标", "设备使用人员满意度"),
    # 003 lines 5534-5536: 慰问经费 three times (under 质量 twice and 成本)
    ("003", "P407", 5535, "三级指标", "慰问经费"),
    ("003", "P407", 5536, "三级指标", "慰问经费"),
    # 004 (OCR, seven tables): goals left as template text; 指标值 "%" alone or empty
    ("004", "P406", 94, "绩效目标", "1. 目标内容 1"),
    ("004", "P406", 141, "指标值", "受益对象满意率"),
    ("004", "P406", 174, "绩效目标", "1. 目标内容 1. 目标内容 1"),
    ("004", "P406", 179, "指标值", "项目总成本"),
    ("004", "P406", 194, "绩效目标", "1. 目标 1"),
    ("004", "P406", 204, "指标值", "社会满意度"),
    # 004: shares (准确率, 及时率, 到位率, 执行率, 合格率, 按时完成率, 效率) at "≥100%"
    ("004", "P408", 79, "指标值", "=100%"),
    ("004", "P408", 80, "指标值", "=100%"),
    ("004", "P408", 97, "指标值", "=100%"),
    ("004", "P408", 99, "指标值", "=100%"),
    ("004", "P408", 116, "指标值", "=100%"),
    ("004", "P408", 177, "指标值", "=100%"),
    ("004", "P408", 178, "指标值", "=100%"),
    ("004", "P408", 180, "指标值", "=100%"),
    ("004", "P408", 197, "指标值", "=100%"),
    ("004", "P408", 200, "指标值", "=100%"),
    # 004: satisfaction "≥100%"
    ("004", "P408", 83, "指标值", "≥100%"),
    ("004", "P408", 102, "指标值", "≥100%"),
    ("004", "P408", 121, "指标值", "≥100%"),
    ("004", "P408", 162, "指标值", "≥100%"),
    ("004", "P408", 182, "指标值", "≥100%"),
    # 004: "≥100%" for what is no rate at all (counts, 时效, 年限, 稳定性, 效益 in words); line 100 is an
    # OCR row whose 二级, name and description share one cell, so its value sits under 绩效指标描述
    ("004", "P408", 82, "指标值", "≥100%"),
    ("004", "P408", 100, "指标值", "≥100%"),
    ("004", "P408", 115, "指标值", "≥100%"),
    ("004", "P408", 117, "指标值", "≥100%"),
    ("004", "P408", 119, "指标值", "≥100%"),
    ("004", "P408", 120, "指标值", "≥100%"),
    ("004", "P408", 155, "指标值", "≥100%"),
    ("004", "P408", 156, "指标值", "≥100%"),
    ("004", "P408", 157, "指标值", "≥100%"),
    ("004", "P408", 159, "指标值", "≥100%"),
    ("004", "P408", 160, "指标值", "≥100%"),
    ("004", "P408", 161, "指标值", "≥100%"),
    ("004", "P408", 176, "指标值", "≥100%"),
    ("004", "P408", 181, "指标值", "≥100%"),
    ("004", "P408", 196, "指标值", "≥100 百分比"),
    ("004", "P408", 198, "指标值", "≥100 百分比"),
    ("004", "P408", 203, "指标值", "≥100%"),
    # 004: 项目总成本 / 项目预算控制数 "≥100%": a percentage floor where a money cap belongs
    ("004", "P408", 158, "指标值", "≥100%"),
    ("004", "P408", 199, "指标值", "≥100百分比"),
]
# Left alone on purpose (checked): 004 lines 96, 98, 101, 201 (完成率 and 完成数量与计划数量比率 may pass
# 100 %) and line 202 (生态效益增长率 ≥100%, a growth).


def test_seed_warnings_one_by_one(seed_findings):
    got = sorted(
        (Path(f.path).name[:3], f.code, f.line, f.column["label"] if f.column else "", f.message)
        for f in seed_findings if f.code in ("P406", "P407", "P408", "P410")
    )
    want = sorted(SEED_WARNINGS)
    assert [g[:4] for g in got] == [w[:4] for w in want]
    for g, w in zip(got, want):
        assert f"「{w[4]}」" in g[4], (g, w)
    # nothing else: P401 and P405 are pinned one by one below
    assert {f.code for f in seed_findings} == {"P401", "P405", "P406", "P407", "P408", "P410"}
    assert all(f.severity == "warning" for f in seed_findings if f.code != "P401")


# Every error on the seeds, checked against the document line by line:
# (line of the 指标分值权重 header, printed weights total, nearest accepted total).
SEED_003_P401 = [
    (2540, 80, 90), (2561, 80, 90), (2893, 92, 90), (3001, 80, 90), (3192, 98, 100), (3220, 98, 100), (3248, 95, 100),
    (3275, 101, 100), (3303, 111, 100), (3365, 76, 90), (3391, 92, 90), (3417, 91, 90), (3465, 96, 100), (3868, 56, 90),
    (3886, 56, 90), (3904, 56, 90), (3922, 56, 90), (3960, 88, 90), (3981, 96, 100), (4006, 86, 90), (4028, 96, 100),
    (4054, 66, 90), (4079, 91, 90), (4105, 88, 90), (4172, 98, 100), (4197, 85, 90), (4216, 80, 90), (4235, 80, 90),
    (4261, 80, 90), (4286, 76, 90), (4310, 80, 90), (4336, 80, 90), (4361, 87, 90), (4388, 80, 90), (4413, 79, 90),
    (4438, 79, 90), (4463, 80, 90), (4543, 80, 90), (4618, 80, 90), (4665, 80, 90), (4684, 81, 90), (4710, 81, 90),
    (4736, 81, 90), (4762, 81, 90), (4788, 81, 90), (4814, 81, 90), (4840, 80, 90), (4859, 81, 90), (4885, 81, 90),
    (4911, 40, 90), (4927, 81, 90), (4953, 81, 90), (4979, 81, 90), (5033, 81, 90), (5059, 80, 90), (5108, 60, 90),
    (5310, 69, 90), (5354, 93, 90), (5507, 47, 90), (5531, 45, 90),
]


def test_seed_003_weight_total_errors(seed_findings):
    got = [(f.line, f.actual, f.expected) for f in seed_findings if f.code == "P401"]
    assert got == [(a, float(b), float(c)) for a, b, c in SEED_003_P401]


def test_seed_003_project_table_total_error():
    # X311, formerly P409 (a cross-table check)
    if not SEEDS.is_dir():
        pytest.fail("seed documents missing from ../shared/seeds")
    [f] = [f for f in engine.run([str(SEEDS / "003_407e03e18ae36581.txt")], select=["X311"]).findings]
    # 107 target tables declare 财政拨款 (4,849.00) against 102 projects / 4,780.00 in 表 7:
    # five 执法办案工作经费 tables (13.86 + 40.14 + 7 + 5 + 3 = 69.00) have no project in 表 7
    assert (f.line, f.expected, f.actual) == (313, 4849.0, 4780.0)
    for amount in ("13.86", "40.14"):
        assert amount in f.message


def test_seed_003_known_warnings(seed_findings):
    lines = {(f.code, f.line) for f in seed_findings if Path(f.path).name.startswith("003")}
    assert ("P407", 5535) in lines and ("P407", 5536) in lines  # 慰问经费 three times
    assert ("P408", 4204) in lines  # 慰问经费 ≤18.2 万元 on a 1.00 万元 project
    assert ("P408", 2550) in lines  # 群众满意度 >=100%


def test_seed_004_plans_written_per_period(seed_findings):
    got = sorted(f.line for f in seed_findings if f.code == "P405")
    assert got == [152, 173, 193]


# --- P410 indicator numbering ------------------------------------------------------


def test_p410_consecutive_codes_pass():
    assert run(scoring(), "P410") == []


def test_p410_a_skipped_number_is_named_at_the_indicator_after_it():
    [f] = run(scoring(a2="A3 中长期规划 (9)").replace("A21 中长期规划明确性", "A31 中长期规划明确性"), "P410")
    assert f.severity == "warning" and "缺少「A2」" in f.message and f.row["label"].startswith("A3")


def test_p410_a_repeated_number_is_found():
    [f] = run(scoring().replace("A12 决策流程的科学性", "A11 决策流程的科学性"), "P410")
    assert "A11" in f.message and "A12" in f.message


def test_p410_a_year_glued_to_a_code_is_read_as_text():
    """``A22021 年中长期规划`` is ``A2`` followed by the year: no finding."""
    assert run(scoring(a2="A22021 年中长期规划 (9)"), "P410") == []


# --- a template that prints 指标性质 (≥/≤/=) and 度量单位 in columns of their own --------------------

def central(rows: str) -> str:
    return (
        "项目支出绩效目标表\n\n"
        "项目名称\t乡村振兴培训\t\t\t\t\t\n"
        "主管部门\t某省农业农村厅\t\t实施单位\t某省农业干部学校\t\t\n"
        "项目资金（万元）\t年度资金总额\t300.00\t\t\t\t\n"
        "\t其中：财政拨款\t300.00\t\t\t\t\n"
        "\t其他资金\t0.00\t\t\t\t\n"
        "年度绩效目标\t完成 500 人次乡村振兴培训，学员合格率不低于 95%。\t\t\t\t\t\n"
        "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位\t权重\n"
        + rows
    )


CENTRAL_ROWS = (
    "产出指标\t数量指标\t培训人次\t≥\t500\t人次\t20\n"
    "\t质量指标\t培训合格率\t≥\t95\t%\t20\n"
    "\t时效指标\t培训完成时间\t≤\t12\t月\t10\n"
    "\t成本指标\t人均培训成本\t≤\t0.6\t万元\t10\n"
    "效益指标\t社会效益指标\t带动就业人数\t≥\t200\t人\t20\n"
    "满意度指标\t服务对象满意度指标\t学员满意度\t≥\t90\t%\t10\n"
)


def test_comparator_and_unit_columns_make_the_target():
    from budgetlint.understand.perf import perf_view

    doc = understand_document(parse_text(central(CENTRAL_ROWS), "t.txt"))
    [pt] = perf_view(doc).targets
    assert [(i.name, i.target.comparator, str(i.target.value), i.target.unit) for i in pt.indicators][:2] == [
        ("培训人次", "≥", "500", "人次"), ("培训合格率", "≥", "95", "%"),
    ]
    for code in ("P401", "P406", "P408"):
        assert run(central(CENTRAL_ROWS), code) == [], code


def test_comparator_and_unit_columns_still_find_implausible_targets():
    rows = CENTRAL_ROWS.replace("学员满意度\t≥\t90\t%", "学员满意度\t≥\t100\t%").replace("人均培训成本\t≤\t0.6", "人均培训成本\t≤\t400")
    fs = run(central(rows), "P408")
    assert [(f.line, f.column["label"]) for f in fs] == [(13, "指标值"), (15, "指标值")]
    assert "超过项目预算" in fs[0].message and "满意" in fs[1].message


def test_the_years_target_is_read_beside_a_midterm_one():
    from budgetlint.understand.perf import perf_view

    text = central(CENTRAL_ROWS).replace("指标性质\t指标值\t度量单位", "指标性质\t中期指标值\t年度指标值").replace(
        "≥\t500\t人次", "≥\t1500人次\t500人次").replace("≥\t95\t%", "≥\t95%\t95%")
    doc = understand_document(parse_text(text, "t.txt"))
    [pt] = perf_view(doc).targets
    assert [(i.name, i.target.text) for i in pt.indicators][:2] == [("培训人次", "≥500人次"), ("培训合格率", "≥95%")]
