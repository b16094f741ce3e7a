"""Layouts not found in the seeds: other regions' disclosure and final-account templates.

A 部门收支总表 with 本年收入合计 / 年末结转结余 rows, a 支出总表 with joined 7-digit
codes in one column, a 三公 table laid out as one row under column captions (合计 first),
and a final-accounts 收入支出决算总表 with 行次 columns, a ``公开01表`` sheet code and the
部门 / 金额单位 line inside the grid.  Consistent versions raise nothing; one mistake at a
time is found where it was made.
"""

from __future__ import annotations

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

D1 = '某市文化和旅游局 2024 年部门预算\n\n表一\n部门收支总表\n编制单位：某市文化和旅游局\n金额单位：万元\n收入\t\u3000\t支出\t\n项目\t预算数\t项目\t预算数\n一、一般公共预算拨款收入\t1,250.50\t一、一般公共服务支出\t120.00\n二、政府性基金预算拨款收入\t300.00\t二、文化旅游体育与传媒支出\t1,180.50\n三、国有资本经营预算拨款收入\t\t三、社会保障和就业支出\t150.00\n四、事业收入\t50.00\t四、卫生健康支出\t60.00\n五、其他收入\t10.00\t五、住房保障支出\t100.00\n本年收入合计\t1,610.50\t本年支出合计\t1,610.50\n上年结转结余\t20.00\t年末结转结余\t20.00\n收入总计\t1,630.50\t支出总计\t1,630.50\n\n表三\n部门支出总表\n金额单位：万元\n科目编码\t科目名称\t合计\t基本支出\t项目支出\n\t合计\t1,610.50\t900.00\t710.50\n201\t一般公共服务支出\t120.00\t120.00\t\n20101\t人大事务\t120.00\t120.00\t\n2010101\t行政运行\t120.00\t120.00\t\n207\t文化旅游体育与传媒支出\t1,180.50\t470.00\t710.50\n20701\t文化和旅游\t1,180.50\t470.00\t710.50\n2070101\t行政运行\t470.00\t470.00\t\n2070199\t其他文化和旅游支出\t710.50\t\t710.50\n208\t社会保障和就业支出\t150.00\t150.00\t\n20805\t行政事业单位养老支出\t150.00\t150.00\t\n2080505\t机关事业单位基本养老保险缴费支出\t150.00\t150.00\t\n210\t卫生健康支出\t60.00\t60.00\t\n21011\t行政事业单位医疗\t60.00\t60.00\t\n2101101\t行政单位医疗\t60.00\t60.00\t\n221\t住房保障支出\t100.00\t100.00\t\n22102\t住房改革支出\t100.00\t100.00\t\n2210201\t住房公积金\t100.00\t100.00\t\n\n表八\n“三公”经费支出预算表\n单位：万元\n合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n\t\t小计\t公务用车购置费\t公务用车运行费\t\n35.60\t10.00\t20.60\t0.00\t20.60\t5.00\n\n2024 年“三公”经费预算 35.60 万元，其中：因公出国（境）费 10.00 万元，公务用车购置及运行费 20.60 万元，公务接待费 5.00 万元。\n'

D2 = '某县农业农村局 2023 年度部门决算\n\n收入支出决算总表\n公开01表\n部门：某县农业农村局\t金额单位：万元\n收入\t\t\t支出\t\t\n项目\t行次\t金额\t项目\t行次\t金额\n栏次\t\t1\t栏次\t\t2\n一、一般公共预算财政拨款收入\t1\t2,345.67\t一、一般公共服务支出\t32\t\n二、政府性基金预算财政拨款收入\t2\t120.00\t二、农林水支出\t33\t2,100.45\n三、国有资本经营预算财政拨款收入\t3\t\t三、社会保障和就业支出\t34\t180.22\n四、上级补助收入\t4\t\t四、卫生健康支出\t35\t95.10\n五、事业收入\t5\t\t五、住房保障支出\t36\t110.00\n六、其他收入\t6\t5.30\t六、城乡社区支出\t37\t\n本年收入合计\t7\t2,470.97\t本年支出合计\t38\t2,485.77\n使用非财政拨款结余\t8\t\t结余分配\t39\t\n年初结转和结余\t9\t60.00\t年末结转和结余\t40\t45.20\n总计\t10\t2,530.97\t总计\t41\t2,530.97\n\n财政拨款“三公”经费支出决算表\n公开07表\n金额单位：万元\n预算数\t\t\t\t\t\t决算数\t\t\t\t\t\n合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费\n\t\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t\n1\t2\t3\t4\t5\t6\t7\t8\t9\t10\t11\t12\n30.00\t0.00\t25.00\t0.00\t25.00\t5.00\t27.35\t0.00\t23.10\t0.00\t23.10\t4.25\n'


D3 = '某区卫生健康局 2024 年部门预算\n\n表2\n部门收入总表\n单位：万元\n科目\t合计\t一般公共预算\t政府性基金预算\t事业收入\t上年结转\n合计\t3,200.00\t2,900.00\t100.00\t150.00\t50.00\n208 社会保障和就业支出\t400.00\t400.00\t\t\t\t\n  20805 行政事业单位养老支出\t400.00\t400.00\t\t\t\t\n    2080505 机关事业单位基本养老保险缴费支出\t400.00\t400.00\t\t\t\t\n210 卫生健康支出\t2,800.00\t2,500.00\t100.00\t150.00\t50.00\n  21001 卫生健康管理事务\t1,300.00\t1,250.00\t\t50.00\t\n    2100101 行政运行\t1,300.00\t1,250.00\t\t50.00\t\n  21004 公共卫生\t1,500.00\t1,250.00\t100.00\t100.00\t50.00\n    2100401 疾病预防控制机构\t900.00\t800.00\t\t100.00\t\n    2100409 重大公共卫生服务\t600.00\t450.00\t100.00\t\t50.00\n\n表3\n部门支出总表\n单位：万元\n科目\t合计\t基本支出\t项目支出\n合计\t3,200.00\t1,900.00\t1,300.00\n208 社会保障和就业支出\t400.00\t400.00\t\n  20805 行政事业单位养老支出\t400.00\t400.00\t\n    2080505 机关事业单位基本养老保险缴费支出\t400.00\t400.00\t\n210 卫生健康支出\t2,800.00\t1,500.00\t1,300.00\n  21001 卫生健康管理事务\t1,300.00\t1,000.00\t300.00\n    2100101 行政运行\t1,300.00\t1,000.00\t300.00\n  21004 公共卫生\t1,500.00\t500.00\t1,000.00\n    2100401 疾病预防控制机构\t900.00\t500.00\t400.00\n    2100409 重大公共卫生服务\t600.00\t\t600.00\n'


def check(text, name="u.txt"):
    doc = understand_document(parse_text(text, name))
    return doc, engine.check_documents([doc]).findings


def test_other_templates_are_understood():
    doc, _ = check(D1)
    assert [(t.number, t.title, t.kind, t.unit) for t in doc.tables] == [
        ("表一", "部门收支总表", "budget.summary", "万元"),
        ("表三", "部门支出总表", "budget.expenditure", "万元"),
        ("表八", "“三公”经费支出预算表", "budget.sangong", "万元"),
    ]
    sg = doc.tables[2]
    assert [c.path for c in sg.columns][:3] == [("合计",), ("因公出国(境)费",), ("公务用车购置及运行费", "小计")]
    doc2, _ = check(D2)
    t = doc2.tables[0]
    assert (t.number, t.title, t.kind, t.issuer, t.unit) == ("公开01表", "收入支出决算总表", "budget.summary", "某县农业农村局", "万元")
    assert [c.role for c in t.columns] == ["label", "lineno", "value", "label", "lineno", "value"]


def test_consistent_documents_raise_nothing():
    assert check(D1)[1] == []
    assert check(D2)[1] == []


def test_year_expenditure_is_reconciled_not_the_grand_total():
    """支出总计 includes 年末结转结余; the 支出总表 total is the year's expenditure."""
    text = D1.replace("本年收入合计\t1,610.50\t本年支出合计\t1,610.50", "本年收入合计\t1,610.50\t本年支出合计\t1,601.50")
    got = sorted((f.code, f.line, f.expected, f.actual) for f in check(text)[1])
    assert ("X302", 14, 1610.5, 1601.5) in got
    assert ("B301", 16, 1621.5, 1630.5) in got
    assert all(f[0] != "X302" or f[1] == 14 for f in got)


def test_sangong_row_under_captions():
    text = D1.replace("35.60\t10.00\t20.60\t0.00\t20.60\t5.00", "36.60\t10.00\t20.60\t0.00\t20.60\t5.00")
    found = check(text)[1]
    (f,) = [f for f in found if f.code == "B302"]
    assert (f.expected, f.actual, f.column["label"]) == (35.6, 36.6, "合计")
    # the sentence under the table still says 35.60 万元
    (n,) = [f for f in found if f.code == "N601"]
    assert (n.line, n.expected, n.actual) == (47, 36.6, 35.6)


def test_final_accounts_mistakes():
    text = (D2.replace("本年收入合计\t7\t2,470.97", "本年收入合计\t7\t2,407.97")
              .replace("年末结转和结余\t40\t45.20", "年末结转和结余\t40\t45.02")
              .replace("27.35\t0.00\t23.10\t0.00\t23.10\t4.25", "27.35\t0.00\t23.01\t0.00\t23.10\t4.25"))
    got = sorted((f.code, f.line, f.expected, f.actual) for f in check(text)[1])
    assert got == [
        ("B301", 18, 2467.97, 2530.97),  # 总计 ≠ 本年收入合计 2,407.97 + 年初结转和结余 60.00
        ("B301", 18, 2530.79, 2530.97),  # 总计 ≠ 本年支出合计 2,485.77 + 年末结转和结余 45.02
        ("B302", 27, 23.10, 23.01),  # 决算数 小计 ≠ 0.00 + 23.10
        ("B302", 27, 27.26, 27.35),  # 决算数 合计 ≠ 0.00 + 23.01 + 4.25
        ("S105", 15, 2470.97, 2407.97),  # 本年收入合计 ≠ Σ 一、… 六、
    ]


def test_inline_indented_codes_and_source_columns():
    """收入总表 by funding source and 支出总表 with codes written inline and indented by level."""
    doc, found = check(D3)
    assert found == []
    assert [r.code for r in doc.tables[0].rows][:4] == [None, "208", "20805", "2080505"]
    text = (D3.replace("2100401 疾病预防控制机构\t900.00\t500.00\t400.00", "2100401 疾病预防控制机构\t900.00\t550.00\t400.00")
              .replace("2100409 重大公共卫生服务\t600.00\t450.00", "2100409 重大公共卫生服务\t650.00\t450.00"))
    got = sorted((f.code, f.line) for f in check(text)[1])
    assert got == [("C201", 16), ("C201", 30), ("S102", 14), ("S102", 29), ("X303", 16)]
