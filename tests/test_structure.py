"""The row and column structure rules read from understood tables."""

from __future__ import annotations

import pytest

from arith_fixtures import (
    BASIC_003, CARRYOVER_003, EXPENDITURE_003, INCOME_001, PROJECT_003, SPENDING_001, SUMMARY_003, table_from, tsv,
)
from budgetlint.understand.structure import (
    bare_name, column_sums, find_row, is_total_label, iter_nodes, numbering_style, row_tree, row_trees, sides,
)


def _by_label(nodes, label):
    hits = [n for n in nodes if n.label == label or n.display() == label]
    assert len(hits) == 1, (label, [n.display() for n in nodes])
    return hits[0]


@pytest.mark.parametrize(
    "label, total",
    [("总计", True), ("合计", True), ("收入总计", True), ("本年支出合计", True), ("小计", True), ("合 计", True),
     ("公务用车购置及运行费（小计）", False), ("一、本年收入", False), ("上年结转结余", False), ("其他收入", False)],
)
def test_total_labels(label, total):
    assert is_total_label(label) is total


@pytest.mark.parametrize(
    "label, style, bare",
    [("一、本年收入", "cn", "本年收入"), ("（二）项目支出", "paren_cn", "项目支出"), ("4. 财政专户核拨", "arabic", "财政专户核拨"),
     ("1、一般公共预算拨款", "arabic", "一般公共预算拨款"), ("(3)差旅费", "paren_arabic", "差旅费"),
     ("其中：一般财力", None, "一般财力"), ("208 社会保障和就业支出", None, "社会保障和就业支出"), ("2022.5 以后", None, "2022.5以后")],
)
def test_numbering_and_bare_names(label, style, bare):
    assert numbering_style(label) == style
    assert bare_name(label) == bare


def test_two_sided_summary_has_two_sides_with_their_own_hierarchy():
    t = table_from(SUMMARY_003)
    left, right = sides(t)
    assert (left.label_col, left.value_cols, left.main) == (0, (1,), True)
    assert (right.label_col, right.value_cols, right.main) == (2, (3,), False)
    income = row_trees(t)[0]
    top = [n.display() for n in income.roots if n.kind == "item"]
    assert top == ["一、本年收入", "二、上年结转结余"]
    first = income.roots[0]
    assert [c.display() for c in first.children] == ["1、一般公共预算拨款", "2、基金预算拨款", "3、国有资本经营预算拨款", "4. 财政专户核拨", "5. 单位资金"]
    # 其中 starts a list: the next unnumbered rows belong to it, not to the numbered level
    unit_funds = first.children[-1]
    assert [p.name for p in unit_funds.parts] == ["事业收入", "上级补助收入", "附属单位上缴收入", "事业单位经营收入", "其他收入"]
    assert not unit_funds.parts_complete
    total = _by_label(income.nodes, "收入总计")
    assert [n.display() for n in total.covers] == ["一、本年收入", "二、上年结转结余"]
    spending = row_trees(t)[1]
    codes = [n.code for n in spending.roots if n.kind == "code"]
    assert codes[:3] == ["201", "202", "203"] and len(codes) == 30  # inline codes on the right side
    assert _by_label(spending.nodes, "支出总计").covers == [n for n in spending.roots if n.kind == "code"]
    # the blank filler rows of the left side are no rows of it
    assert all(n.label for n in income.nodes)


def test_split_code_columns_build_class_subclass_item_chain():
    t = table_from(EXPENDITURE_003)
    roots = row_tree(t)
    total = roots[0]
    assert total.kind == "total" and total.covers_below
    assert [n.code for n in total.covers] == ["208", "210", "220", "221"]
    c220 = _by_label(roots, "220 自然资源海洋气象等支出")
    assert [c.code for c in c220.children] == ["22001"]
    assert [c.code for c in c220.children[0].children] == ["2200101", "2200199"]


def test_economic_classification_two_levels():
    roots = row_tree(table_from(BASIC_003))
    assert [n.code for n in roots if n.kind == "code"] == ["301", "302", "303"]
    assert len(_by_label(roots, "301 工资福利支出").children) == 9


def test_project_table_scopes_codes_to_unit_blocks():
    t = table_from(PROJECT_003)
    roots = row_tree(t)
    assert roots[0].kind == "total" and [n.kind for n in roots[0].covers] == ["group"] * 3
    for unit in roots[1:]:
        assert unit.kind == "group"
        assert [c.code for c in unit.children] == ["220"]  # each block has its own 类 chain
        assert [c.code for c in unit.children[0].children] == ["22001"]
    assert find_row(t, "米东区").kind == "group"


def test_unit_then_project_rows_form_a_group():
    roots = row_tree(table_from(CARRYOVER_003))
    assert [n.kind for n in roots] == ["total", "group"]
    assert [c.name for c in roots[1].children] == ["执法办案工作经费"]


def test_final_account_rows_numbered_parts_and_headings():
    roots = row_tree(table_from(SPENDING_001))
    basic = _by_label(roots, "一、基本支出")
    assert [p.name for p in basic.parts] == ["人员经费", "日常公用经费"] and basic.parts_complete
    project = _by_label(roots, "二、项目支出")
    assert [p.name for p in project.parts] == ["基本建设类项目"] and not project.parts_complete
    heading = _by_label(roots, "支出经济分类")
    assert heading.kind == "heading"
    assert [c.name for c in heading.children] == ["工资福利支出", "商品和服务支出", "对个人和家庭的补助", "资本性支出(办公设备购置)"]
    assert not _by_label(roots, "五、对附属单位补助支出").parts  # the heading's rows are not its parts
    total = _by_label(roots, "本年支出合计")
    assert [n.display() for n in total.covers if n.kind == "item"] == [
        "一、基本支出", "二、项目支出", "三、上缴上级支出", "四、经营支出", "五、对附属单位补助支出"]
    # the blank filler row "⇥⇥-⇥-⇥-⇥-" is no row of the hierarchy
    assert all(n.label for n in iter_nodes(table_from(SPENDING_001)))


def test_template_breakdown_without_qizhong_and_total_chain():
    t = table_from(INCOME_001)
    roots = row_tree(t)
    carry = _by_label(roots, "年初结转和结余")
    assert [p.name for p in carry.parts] == ["基本支出结转", "项目支出结转和结余", "经营结余"] and carry.parts_complete
    total = _by_label(roots, "总计")
    assert [n.display() for n in total.covers] == ["本年收入合计", "用事业基金弥补收支差额", "年初结转和结余"]
    first = _by_label(roots, "一、财政拨款收入")
    assert [p.name for p in first.parts] == ["一般公共预算财政拨款", "政府性基金预算财政拨款"]


def test_list_member_followed_by_its_own_qizhong_is_a_sibling():
    text = tsv([
        "表 9 收入情况表", "", "单位：万元", "",
        "项目|金额",
        "合计|100.00",
        "财政拨款收入|60.00",
        "其中：一般公共预算|50.00",
        "政府性基金|10.00",
        "其他收入|40.00",
        "其中：利息收入|5.00",
    ])
    roots = row_tree(table_from(text))
    fiscal = _by_label(roots, "财政拨款收入")
    assert [p.name for p in fiscal.parts] == ["一般公共预算", "政府性基金"]
    other = _by_label(roots, "其他收入")
    assert other.kind == "plain" and [p.name for p in other.parts] == ["利息收入"]
    assert [n.display() for n in roots[0].covers] == ["财政拨款收入", "其他收入"]


def test_column_sums_follow_the_header_tree():
    text = tsv([
        "表 2 单位收入总体情况表", "", "单位：万元", "",
        "功能分类科目编码|||功能分类科目名称|总计|财政拨款（补助）|||||单位资金|非财政拨款结转结余",
        "类|款|项|||财政拨款（补助）小计|一般公共预算|上级一般公共预算安排的转移支付|政府性基金预算|上级政府性基金安排的转移支付||",
        "※|※|※|※|1|2|3|4|5|6|7|8",
        "|||总计|17,798.61|17,439.61|17,439.61|||||350.00|9.00",
        "220|||自然资源海洋气象等支出|14,083.33|13,724.33|13,724.33|||||350.00|9.00",
    ])
    t = table_from(text)
    sums = {(cs.total, cs.relation): [c for _, c in cs.terms] for cs in column_sums(t)}
    assert sums[(4, "=")] == [5, 10, 11]  # 总计 = 小计 + 单位资金 + 非财政拨款结转结余
    assert sums[(5, "=")] == [6, 8]  # 小计 = 一般公共预算 + 政府性基金预算, not the 转移支付 parts
    assert sums[(6, ">=")] == [7] and sums[(8, ">=")] == [9]
    assert (7, "=") not in sums


def test_column_sums_nested_groups_without_their_own_total():
    t = table_from(CARRYOVER_003)
    sums = {cs.total: [c for _, c in cs.terms] for cs in column_sums(t) if cs.relation == "="}
    assert sums == {1: [2, 6], 2: [3, 4, 5], 6: [7, 8, 9]}
    t6 = table_from(BASIC_003)
    assert [(cs.total, [c for _, c in cs.terms]) for cs in column_sums(t6)] == [(3, [4, 5])]


# ---------------------------------------------------------------- hierarchy shown by indentation only

_INDENTED = [
    "表3 部门支出总表",
    "单位：万元",
    "项目|合计|基本支出|项目支出",
    "合计|300.00|200.00|100.00",
    "社会保障和就业支出|300.00|200.00|100.00",
    "\u3000\u3000行政事业单位养老支出|300.00|200.00|100.00",
    "\u3000\u3000\u3000\u3000行政单位离退休|120.00|120.00|",
    "\u3000\u3000\u3000\u3000机关事业单位基本养老保险缴费支出|180.00|80.00|100.00",
]


def test_indentation_is_a_hierarchy_when_the_numbers_confirm_it():
    t = table_from(tsv(_INDENTED))
    nodes = list(iter_nodes(t))
    parent = _by_label(nodes, "行政事业单位养老支出")
    assert [n.label for n in parent.children] == ["行政单位离退休", "机关事业单位基本养老保险缴费支出"]
    assert _by_label(nodes, "社会保障和就业支出").children == [parent]
    total = _by_label(nodes, "合计")
    assert [n.label for n in total.covers] == ["社会保障和就业支出"]


def test_leading_spaces_the_numbers_do_not_confirm_are_no_hierarchy():
    # centred labels read with stray leading spaces: under this reading 300 ≠ 120 + 80 and 40 ≠ 10
    rows = [
        "表3 部门支出总表", "单位：万元", "项目|合计|基本支出|项目支出",
        "合计|340.00|240.00|100.00",
        "社会保障和就业支出|300.00|200.00|100.00",
        "\u3000\u3000住房保障支出|40.00|40.00|",
        "\u3000\u3000\u3000\u3000住房公积金|10.00|10.00|",
        "\u3000\u3000教育支出||||",
    ]
    t = table_from(tsv(rows))
    assert all(n.kind != "item" for n in iter_nodes(t))
