"""Reading 绩效目标表 and scoring sheets into the located perf model."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetlint.loaders.text import parse_text
from budgetlint.understand.forms import parse_target
from budgetlint.understand.perf import perf_view
from budgetlint.understand import understand_document

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

XJ_HEAD = (
    "项目支出绩效目标表\n\n(2024 年)\n\n"
    "预算单位\t\t伊宁县国土资源执法监察大队\t\t\t\t\t\t\n"
    "项目名称\t\t全区国土资源执法监察系统执法办案经费\t\t\t\t项目负责人\t湛文忠\t\n"
    "项目资金(万元)\t\t年度预算总额\t17.00\t其中：财政拨款\t17.00\t其他资金\t0.00\t\n"
    "项目总体目标\t\t通过全区国土资源执法监察系统执法办案补充经费项目，强化日常执法监管。\t\t\t\t\t\t\n"
    "一级指标\t二级指标\t三级指标\t指标值\t指标值设置依据\t上年完成值\t指标分值权重\t指标赋分规则\t佐证资料\n"
)


def doc_of(text: str):
    return understand_document(parse_text(text, "t.txt"))


def view_of(text: str):
    return perf_view(doc_of(text))


def test_xinjiang_title_and_funds_block_are_read_by_label():
    pt = view_of(XJ_HEAD + "产出指标\t数量指标\t全年出差人次\t>=20 人次\t历史标准\t25 人次\t5\t按照完成比例赋分\t工作资料\n").targets[0]
    assert pt.unit_name == "伊宁县国土资源执法监察大队"
    assert pt.project_name == "全区国土资源执法监察系统执法办案经费"
    assert (pt.funds.total.value, pt.funds.fiscal.value, pt.funds.other.value) == (Decimal("17.00"), Decimal("17.00"), Decimal("0.00"))
    assert pt.funds.unit == "万元" and pt.funds.total.unit == "万元"
    assert pt.funds.total.loc.line == 7
    assert pt.goal.startswith("通过全区国土资源执法监察系统")


def test_blank_level_cells_inherit_from_the_rows_above():
    body = (
        "产出指标\t数量指标\t日常动态巡查次数（次）\t>=50 次\t历史标准\t95 次\t5\t按照完成比例赋分\t工作资料\n"
        "\t\t全年出差人次\t>=20 人次\t历史标准\t25 人次\t5\t按照完成比例赋分\t工作资料\n"
        "\t质量指标\t违法案件结案率\t> =90%\t历史标准\t100%\t10\t按照完成比例赋分\t工作资料\n"
        "效益指标\t经济效益指标\t设备利用率（%）\t> =95%\t历史标准\t100%\t10\t按照完成比例赋分\t说明材料\n"
    )
    inds = view_of(XJ_HEAD + body).targets[0].indicators
    assert [(i.level1, i.level2, i.name) for i in inds] == [
        ("产出指标", "数量指标", "日常动态巡查次数(次)"),
        ("产出指标", "数量指标", "全年出差人次"),
        ("产出指标", "质量指标", "违法案件结案率"),
        ("效益指标", "经济效益指标", "设备利用率(%)"),
    ]
    assert [i.weight.value for i in inds] == [5, 5, 10, 10]
    assert inds[2].target.comparator == "≥" and inds[2].target.value == 90 and inds[2].target.percent


def test_row_shifted_left_is_placed_by_its_weight():
    # the blank 一级 cell was dropped: 二级 lands in column 1's place, the weight one column early
    body = (
        "产出指标\t数量指标\t环保督察检查验收次数\t>=1次\t历史标准\t1次\t6\t按照完成比例赋分\t工作资料\n"
        "时效指标\t办公设备更新购置时限\t2024年11月30日前\t历史标准\t11月30日前\t5\t按照完成比例赋分\t说明材料\t\n"
    )
    ind = view_of(XJ_HEAD + body).targets[0].indicators[1]
    assert (ind.level1, ind.level2, ind.name) == ("产出指标", "时效指标", "办公设备更新购置时限")
    assert ind.shift == -1
    assert ind.target.kind == "date" and ind.target.comparator == "≤"
    assert ind.weight.value == 5 and ind.weight.col == 5


def test_row_shifted_right_does_not_take_last_year_value_as_weight():
    body = (
        "产出指标\t数量指标\t乱占耕地立案数\t≤10件\t历史标准\t5件\t5\t按照完成比例赋分\t工作资料\n"
        "\t效益指标\t经济效益指标\t设备利用率（%）\t> =85%\t历史标准\t0.9\t5\t按照完成比例赋分\n"
    )
    ind = view_of(XJ_HEAD + body).targets[0].indicators[1]
    assert (ind.level1, ind.level2, ind.name) == ("效益指标", "经济效益指标", "设备利用率(%)")
    assert ind.weight.value == 5 and ind.target.value == 85


def test_wrapped_tails_after_a_blank_line_rejoin_their_row():
    body = (
        "效益指标\t经济效益指标\t非税收入征缴额\t≥200\t历史标准\t296万\t25\t按照完成比例赋分 工作资料\t\n"
        "\n"
        "\t\t\t万元\t\t元\t\t分\t\n"
        "满意度指标\t满意度指标\t设备使用人员满意度\t>=95%\t计划标准\t新增\t10\t满意度赋分\t说明材料\n"
    )
    inds = view_of(XJ_HEAD + body).targets[0].indicators
    assert len(inds) == 2
    assert inds[0].target.value == 200 and inds[0].target.unit == "万元"
    assert inds[0].weight.value == 25


def test_label_alone_in_first_column_is_the_indicator_name():
    body = (
        "效益指标\t经济效益指标\t设备利用率（%）\t> =95%\t历史标准\t100%\t10\t按照完成比例赋分\t说明材料\n"
        "维护全市土地矿产资源市场秩序\t\t\t有效维护\t历史标准\t有效维护\t5\t按评判等级赋分\t工作资料\n"
        "社会效益指标\t\t维护全市土地矿产资源市场秩序\t有效维护\t历史标准\t有效维护\t5\t按评判等级赋分\t工作资料\n"
    )
    inds = view_of(XJ_HEAD + body).targets[0].indicators
    assert [(i.level1, i.level2, i.name) for i in inds[1:]] == [
        ("效益指标", "经济效益指标", "维护全市土地矿产资源市场秩序"),
        ("效益指标", "社会效益指标", "维护全市土地矿产资源市场秩序"),
    ]
    assert inds[1].target.kind == "words"


OCR_HEBEI = (
    "1. 怀财字[2024]7号 土地出让业务绩效目标表\n\n324001 怀来县自然资源和规划局\n\n"
    "项目编码\t13073024P000142100019\t\t项目名称\t怀财字[2024]7号 土地出让业务\n"
    "预算规模及\t预算数\t2600.00\t其中: 财政 资金\t2600.00\t其他资金\t\n"
    "资金用途\t保障单位工作有序开展\t\t\t\t\t\n"
    "资金支出计\t3)]底\t6月底\t10 月底\t月底 12月底\t\n"
    "划 (%)\t2\t5%\t50%\t75%\t\t100%\n"
    "绩效目标\t1. 目标内容\t1\t\t\t\t\n"
    "一级指标\t二级指标\t三级指标\t绩效指标描述\t\t指标值\t指标值确定依据\n"
    "\t数量指标\t职工人数\t发放工资职工人数\t\t≤170人\t自然规划局 2024 年工作计划\n"
    "产出指标\t质量指标\t发放准确率\t各项公用经费支出\t\t≥100%\t自然规划局 2024 年工作计划\n"
    ") 山泊日7小\t时效指标\t工资发放及 时率\t在规定的时间内发放费用\t\t≥100%\t自然规划局 2024 年工作计划\n"
    "\t经济效益指 标\t对经济发展 带来效果\t对经济发展带来效果\t\t≥100%\t专家评审\n"
    "效益指标\t社会效益指 标\t维护单位稳 定性\t维护单位工作秩序\t\t≥100%\t自然规划局 2024 年工作计划\n"
    "满意度指标\t服务对象满 意度指标\t服务对象满 意度\t服务对象满意度\t\t%\t问卷调查\n"
)


def test_ocr_plan_split_digits_are_rejoined():
    pt = view_of(OCR_HEBEI).targets[0]
    assert [(s.month, s.value) for s in pt.plan] == [(3, 25), (6, 50), (10, 75), (12, 100)]
    assert pt.funds.total.value == Decimal("2600.00") and pt.funds.fiscal.value == Decimal("2600.00")
    assert pt.project_name == "怀财字[2024]7号土地出让业务"


def test_level1_printed_on_the_middle_row_of_its_block():
    inds = view_of(OCR_HEBEI).targets[0].indicators
    assert [(i.level1, i.level2) for i in inds] == [
        ("产出指标", "数量指标"),  # above the merged label
        ("产出指标", "质量指标"),
        ("产出指标", "时效指标"),  # OCR residue in the 一级 column is ignored
        ("效益指标", "经济效益指标"),  # inherited 产出 does not fit 经济效益: the next 一级 does
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ]
    assert inds[-1].target.kind == "unit-only"


DOCX_HEBEI = (
    "[bookmark: _Toc1]2、矿山卫片执法绩效目标表\n"
    "\t334002唐山市国土资源局丰润区分局\n\t单位：元\n\n"
    "\t项目编码\n\t\n\t项目名称\n\t矿山卫片执法\n\n"
    "\t预算规模及资金用途\n\t预算数\n\t300000.00\n\t其中：财政资金\n\t300000.00\n\t其他资金\n\t\n\n"
    "\t资金支出计划（%）\n\t3月底\n\t6月底\n\t10月底\n\t12月底\n\n"
    "\t\n\t\n\t\n\t100.00\n\t\n\n"
    "\t绩效目标\n\t1、第三方监管尽量做到无违法占地和违法开采\n\n"
    "\t一级指标\n\t二级指标\n\t三级指标\n\t绩效指标描述\n\t指标值\n\t指标值确定依据\n\n"
    "\t产出指标\n\t时效指标\n\t按季度完成下发卫片图版核实\n\t省厅每季度下发矿产和土地卫片数据\n\t按季度完成\n\t达到验收标准\n\n"
    "\t\n\t数量指标\n\t核实图斑数量\n\t按照要求完成卫片数据核实任务\n\t≥120个\n\t对违法行为立案查处到位\n\n"
)


def test_docx_layout_plan_is_read_by_column():
    pt = view_of(DOCX_HEBEI).targets[0]
    assert pt.unit_name == "唐山市国土资源局丰润区分局"
    assert pt.funds.total.value == Decimal("300000.00") and pt.funds.total.unit == "元"
    assert [(s.month, s.value) for s in pt.plan] == [(10, Decimal("100.00"))]
    assert [(i.level1, i.level2, i.target.value) for i in pt.indicators] == [("产出指标", "时效指标", None), ("产出指标", "数量指标", 120)]


@pytest.mark.parametrize(
    "raw, kind, comp, value, unit, percent",
    [
        ("≥95%", "number", "≥", Decimal(95), "%", True),
        ("> =90%", "number", "≥", Decimal(90), "%", True),
        ("=5 类", "number", "=", Decimal(5), "类", False),
        ("≤10 个月", "number", "≤", Decimal(10), "个月", False),
        ("≥100 百分 比", "number", "≥", Decimal(100), "%", True),
        ("$\\geq 90\\%$", "number", "≥", Decimal(90), "%", True),
        ("67>=万元", "number", "≥", Decimal(67), "万元", False),
        ("≥=95%", "number", "≥", Decimal(95), "%", True),
        ("2024年11月30日之前", "date", "≤", None, None, False),
        ("有效维护", "words", None, None, None, False),
        ("%", "unit-only", None, None, "%", False),
        ("", "empty", None, None, None, False),
    ],
)
def test_parse_target(raw, kind, comp, value, unit, percent):
    t = parse_target(raw)
    assert (t.kind, t.comparator, t.value, t.unit, t.percent) == (kind, comp, value, unit, percent)


SCORING = (
    "附件 1\n\n南京市国土资源执法监察支队 2022 年整体支出绩效评价指标体系表\n\n"
    "指标\t\t\t分值\t指标解释\t标准\t评价标准\t得分\t备注\n"
    "一级指标\t二级指标\t三级指标\t\t\t\t\t\t\n"
    "A 部门决策 (15 分)\tA1 决策机制 (6)\tA11 决策制度的规范性\t2\t决策制度规范。\t规范\t按照比例评分。\t2\t\n"
    "\t\tA12 决策流程的科学性\t4\t决策流程科学。\t科学\t按照比例评分。\t4\t\n"
    "\tA2 中长期规划 (9)\tA21 中长期规划明确性\t9\t有中长期规划。\t明确\t按照比例评分。\t8.5\t\n"
    "F 加减分项（≤5分）\tF1 加分项\t\t(+5)\t受到嘉奖。\t\t酌情加分。\t\t\n"
    "合 计\t\t\t15\t\t\t\t14.5\t\n"
)


def test_scoring_tree_reads_weights_inside_labels():
    tree = view_of(SCORING).scoring[0]
    a = tree.roots[0]
    assert a.weight.value == 15 and [k.weight.value for k in a.children] == [6, 9]
    assert [k.score.value for k in a.children[0].children] == [2, 4]
    assert tree.roots[1].bonus
    assert (tree.total_weight.value, tree.total_score.value) == (15, Decimal("14.5"))


def _seed(name: str) -> Path:
    p = next(SEEDS.glob(f"{name}_*.txt"), None) if SEEDS.is_dir() else None
    if p is None:
        pytest.fail("seed documents missing from ../shared/seeds")
    return p


@pytest.mark.parametrize("seed, unit_tables, project_tables, scoring", [("001", 0, 0, 1), ("002", 0, 3, 0), ("003", 1, 128, 0), ("004", 0, 7, 0)])
def test_seed_tables_are_all_recognised(seed, unit_tables, project_tables, scoring):
    from budgetlint.loaders import load_document

    view = perf_view(load_document(str(_seed(seed))))
    assert sum(1 for t in view.targets if t.kind == "perf.unit_target") == unit_tables
    assert sum(1 for t in view.targets if t.kind == "perf.project_target") == project_tables
    assert len(view.scoring) == scoring
    for pt in view.targets:
        assert pt.indicators, pt.table.loc
        assert pt.funds.amount() is not None or pt.funds.fiscal_parts, pt.table.loc


def test_seed_003_every_indicator_row_has_a_weight():
    from budgetlint.loaders import load_document

    view = perf_view(load_document(str(_seed("003"))))
    missing = [(pt.table.loc.line, i.line) for pt in view.targets for i in pt.indicators if i.weight is None]
    assert missing == []
    assert sum(len(pt.indicators) for pt in view.targets) == 1618  # rows carrying a weight, counted line by line in the document
