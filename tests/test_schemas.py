"""Shape validation: one pandera schema call per table kind over stacked frames; problems are findings."""

from __future__ import annotations

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

from conftest import SAMPLES


def _doc(text: str, name: str = "t.txt"):
    return understand_document(parse_text(text, name))


def test_bad_amount_and_negative_amount_are_located_shape_findings():
    text = (SAMPLES / "disclosure_consistent.txt").read_text(encoding="utf-8")
    text = text.replace("302\t05\t水费\t24.88\t\t24.88", "302\t05\t水费\t24.8B\t\t-24.88")
    report = engine.check_documents([_doc(text)], select=["L003"])
    got = sorted((f.line, f.column["label"], f.message) for f in report.findings)
    assert got == [
        (57, "一般公共预算基本支出 / 公用经费", "金额为负数：-24.88（预算表中的金额一般不应为负）"),
        (57, "一般公共预算基本支出 / 合计", "金额栏内容不是数字：「24.8B」"),
    ]
    assert all(f.severity == "warning" and f.table["kind"] == "budget.gpb_basic" for f in report.findings)


def test_adjustment_columns_may_be_negative():
    text = "\n".join([
        "表 1-2 支出预决算情况表（单位：万元）", "",
        "项目\t行次\t年初预算数\t追加预算数\t预算调整数\t决算数",
        "一、基本支出\t1\t1668.64\t-25.13\t1643.51\t1643.51",
        "二、项目支出\t2\t121.28\t-16.82\t104.46\t104.46",
        "本年支出合计\t3\t1789.92\t-41.95\t1747.97\t1747.97",
    ])
    assert engine.check_documents([_doc(text)], select=["L003"]).findings == []


def test_missing_required_column_is_reported_on_the_table():
    text = "\n".join([
        "表 3", "单位支出总体情况表", "单位：万元",
        "功能分类科目编码\t\t\t功能分类科目名称\t合计",
        "类\t款\t项\t\t",
        "208\t\t\t社会保障和就业支出\t1,801.39",
    ])
    findings = engine.check_documents([_doc(text)], select=["L003"]).findings
    assert {f.message for f in findings} == {"表格缺少应有的栏目：基本支出", "表格缺少应有的栏目：项目支出"}
    assert all(f.line == 2 and f.row is None for f in findings)


def test_stacked_validation_covers_every_document():
    docs = [_doc((SAMPLES / "disclosure_consistent.txt").read_text(encoding="utf-8"), f"d{i}.txt") for i in range(3)]
    bad = (SAMPLES / "disclosure_consistent.txt").read_text(encoding="utf-8").replace("\t84.89\t\t84.89", "\t84.89\t\tabc")
    docs.append(_doc(bad, "bad.txt"))
    findings = engine.check_documents(docs, select=["L003"]).findings
    assert [(f.path, f.line) for f in findings] == [("bad.txt", 56)]
