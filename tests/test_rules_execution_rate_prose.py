"""N612: an execution rate stated in the prose against the budget and spending stated beside it
(self-evaluation reports, a layout the seeds do not have)."""

from __future__ import annotations

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document


def run(sentence: str, show_rounding: bool = False):
    text = f"项目支出绩效自评报告\n\n一、项目资金使用情况\n\n{sentence}\n"
    doc = understand_document(parse_text(text, "report.txt"))
    return engine.check_documents([doc], select=["N612"], show_rounding=show_rounding).findings


def test_a_rate_that_does_not_follow_from_the_amounts():
    [f] = run("2023 年项目全年预算数 120.00 万元，全年执行数 108.00 万元，预算执行率为 85%。")
    assert (f.code, f.severity, f.line, f.expected, f.actual) == ("N612", "warning", 5, 90.0, 85.0)
    assert "108.00 万元 ÷ 120.00 万元" in f.message
    assert [t["label"] for t in f.terms] == ["正文：全年执行数", "正文：项目全年预算数"]


def test_a_rate_that_follows_passes():
    assert run("2023 年项目全年预算数 120.00 万元，全年执行数 108.00 万元，预算执行率为 90%。") == []
    assert run("项目预算资金 3.00 万元，实际支出 1.00 万元，执行率 33.33%。") == []


def test_rounding_of_both_amounts_is_allowed_and_shown_on_request():
    # 1.00 / 3.00 may be anything from 0.995 / 3.005 to 1.005 / 2.995: 33.11 % to 33.56 %
    sentence = "项目预算资金 3.00 万元，实际支出 1.00 万元，执行率 33.4%。"
    assert run(sentence) == []
    [info] = run(sentence, show_rounding=True)
    assert info.severity == "info" and "舍入" in info.message
    [f] = run("项目预算资金 3.00 万元，实际支出 1.00 万元，执行率 33.7%。")  # 33.65 % at least: beyond 33.56 %
    assert (f.expected, f.actual) == (33.3, 33.7)


def test_amounts_in_the_sentence_before_and_the_nearest_budget():
    # 年初预算 200, then 调整预算 180.5: the rate is against the adjusted budget
    assert run("项目年初预算 200.00 万元，调整预算 180.50 万元。截至年底实际支出 162.45 万元，预算执行率 90%。") == []
    [f] = run("项目年初预算 200.00 万元，调整预算 180.50 万元。截至年底实际支出 162.45 万元，预算执行率 81%。")
    assert f.expected == 90.0


def test_no_finding_without_both_amounts():
    assert run("本年度预算执行率为 85%，较上年有所提高。") == []
    assert run("项目全年预算数 120.00 万元，预算执行率为 85%。") == []


def with_form(sentence: str, rate: str = "90.00%", amounts: tuple[str, str] = ("120.00", "108.00")):
    """A self-evaluation form (全年预算数, 全年执行数, 执行率 on line 5) and a sentence of the report (line 9)."""
    budget, spent = amounts
    form = (
        "2023年度项目支出绩效自评表\n\n项目名称\t农村人居环境整治\t\t\t\t\t\t\n"
        "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
        f"\t年度资金总额\t100.00\t{budget}\t{spent}\t10\t{rate}\t9.00\n"
        "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
        "\t产出指标\t数量指标\t整治村庄数量\t≥10个\t10个\t90\t90\n"
        "\n"
    )
    doc = understand_document(parse_text(form + f"{sentence}\n", "zipingbaogao.txt"))
    return engine.check_documents([doc], select=["N612"]).findings


def test_a_rate_stated_alone_follows_the_forms_amounts():
    assert with_form("本项目预算执行率为 90%，各项指标基本完成。") == []
    [f] = with_form("本项目预算执行率为 95%，各项指标基本完成。")
    assert (f.line, f.expected, f.actual) == (9, 90.0, 95.0) and "自评表 108.00 ÷ 120.00" in f.message
    # the table's own rate is wrong (P411's finding): the text that follows the amounts is right
    assert with_form("本项目预算执行率为 90%。", rate="85.00%") == []


def test_a_rate_stated_alone_against_a_form_without_amounts():
    [f] = with_form("本项目预算执行率为 95%。", amounts=("", ""))
    assert (f.expected, f.actual) == (90.0, 95.0) and f.terms[0]["label"] == "自评表：执行率"


def test_other_rates_are_not_the_forms():
    assert with_form("上年预算执行率为 95%。") == []
    assert with_form("部门整体预算执行率为 95%。") == []
