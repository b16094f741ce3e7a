"""B303: 人员经费 / 公用经费 of the basic-expenditure table against its economic classes (convention, warning)."""

from __future__ import annotations

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

from conftest import SAMPLES

T6 = (SAMPLES / "disclosure_consistent.txt").read_text(encoding="utf-8")


def run(text, config=None):
    doc = understand_document(parse_text(text, "t6.txt"))
    return engine.check_documents([doc], select=["B303"], config=config).findings


def test_published_split_holds():
    assert run(T6) == []  # 11,740.77 = 11,123.32 + 617.45; 918.84 = 918.84


def test_amount_in_the_wrong_column_is_found():
    text = T6.replace("\t\t总计\t12,659.61\t11,740.77\t918.84", "\t\t总计\t12,659.61\t11,640.77\t1,018.84")
    got = sorted((f.column["label"], f.expected, f.actual, f.severity, [t["value"] for t in f.terms]) for f in run(text))
    assert got == [
        ("一般公共预算基本支出 / 人员经费", 11740.77, 11640.77, "warning", [11123.32, 617.45]),
        ("一般公共预算基本支出 / 公用经费", 918.84, 1018.84, "warning", [918.84]),
    ]


def test_class_lists_are_configurable():
    # a template that counts 303 对个人和家庭的补助 outside 人员经费
    found = run(T6, config={"balance": {"personnel_codes": ["301"]}})
    assert [(f.expected, f.actual) for f in found] == [(11123.32, 11740.77)]
