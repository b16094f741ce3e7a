"""N609: the year-on-year changes of the items add up to the change of their total."""

from __future__ import annotations

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

TEXT = "\n\n".join([
    "二、关于示例总队 2024 年收入预算情况说明",
    "示例总队收入预算 17,798.61 万元，其中：",
    "一般公共预算 17,439.61 万元，占 97.98%，比上年预算增加 741.24 万元，增长 4.44%，主要原因是人员经费增加。",
    "单位资金 350.00 万元，占 1.97%，比上年预算增加 350.00 万元，增长 100.00%。",
    "五、关于示例总队 2024 年一般公共预算当年拨款情况说明",
    "（一）一般公共预算当年拨款规模变化情况",
    "示例总队 2024 年一般公共预算拨款合计 17,439.61 万元，其中：",
    "基本支出 12,659.61 万元，比上年预算增加 761.24 万元，增长 6.40%。",
    "项目支出 4,780.00 万元，比上年预算减少 20.00 万元，下降 0.42%。",
    "（三）一般公共预算当年拨款具体使用情况",
    "1、社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）：2024 年预算数为 616.13 万元，比上年预算减少 179.49 万元，下降 22.56%。",
    "2、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）：2024年预算数为1,185.26万元，比上年预算增加102.12万元，增长9.43%。",
    "3、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）：2024年预算数为536.50万元，比上年预算减少23.92万元，下降4.27%。",
    "4、卫生健康支出（类）行政事业单位医疗（款）公务员医疗补助（项）：2024年预算数为466.15万元，比上年预算减少21.47万元，下降4.40%。",
    "5、自然资源海洋气象等支出（类）自然资源事务（款）行政运行（项）：2024年预算数为8,944.33万元，比上年预算增加807.67万元，增长9.93%。",
    "6、自然资源海洋气象等支出（类）自然资源事务（款）其他自然资源事务支出（项）：2024年预算数为4,780.00万元，比上年预算减少20.00万元，下降0.42%。",
    "7、住房保障支出（类）住房改革支出（款）住房公积金（项）：2024年预算数为911.25万元，比上年预算增加76.34万元，增长9.14%。",
])


def n609(text, **kw):
    doc = understand_document(parse_text(text, "n.txt"))
    return engine.check_documents([doc], select=["N609"], **kw).findings


def test_changes_that_add_up_within_rounding_raise_nothing():
    # 761.24 − 20.00 = 741.24 exactly; the seven 项 add to 741.25 against 741.24: within (7 + 1) × 0.005
    assert n609(TEXT) == []
    infos = n609(TEXT, show_rounding=True)
    assert [(f.severity, f.difference, len(f.terms)) for f in infos] == [("info", -0.01, 7)]


def test_a_wrong_part_change_is_found_on_the_total():
    text = TEXT.replace("项目支出 4,780.00 万元，比上年预算减少 20.00 万元，下降 0.42%", "项目支出 4,780.00 万元，比上年预算减少 2.00 万元，下降 0.04%")
    (f,) = n609(text)
    assert (f.code, f.severity, f.expected, f.actual) == ("N609", "error", 759.24, 741.24)
    assert [(t["value"], t["sign"]) for t in f.terms] == [(761.24, 1), (2.0, -1)]
    assert "一般公共预算" in f.message
