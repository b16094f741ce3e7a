"""N611: the text gives an amount to one unit, the table lists it under another (seed 003: 吐鲁番 / 石河子)."""

from __future__ import annotations

import pytest

from arith_fixtures import doc_from, tsv
from budgetlint import engine

CARRY = [
    "表11", "上年结转结余情况明细表", "单位：万元",
    "项目|合计|基本支出|项目支出",
    "总计|9.00||9.00",
    "石河子市国土资源执法监察支队|9.00||9.00",
    "执法办案工作经费|9.00||9.00",
]
PROJECTS = [
    "表7", "一般公共预算项目支出情况表", "单位：万元",
    "项目|合计",
    "总计|140.00",
    "吐鲁番市国土资源执法监察支队|57.00",
    "执法办案经费|57.00",
    "石河子市国土资源执法监察支队|83.00",
    "执法办案补充经费|83.00",
]


def _n611(sentence: str):
    doc = doc_from(tsv(CARRY), tsv(PROJECTS), "关于上年结转结余的说明\n\n" + sentence + "\n")
    return engine.check_documents([doc], select=["N611"]).findings


def test_a_carry_over_explained_as_another_units_is_found():
    [f] = _n611("非财政拨款结转结余 9.00 万元，主要原因是吐鲁番市支队申报 2023 年非财政拨款结转结余项目 9 万元。")
    assert f.severity == "warning"
    assert "吐鲁番市" in f.message and "石河子市国土资源执法监察支队" in f.message
    assert f.terms[0]["value"] == 9.0


@pytest.mark.parametrize("sentence", [
    "非财政拨款结转结余 9.00 万元，主要原因是石河子市支队申报 2023 年非财政拨款结转结余项目 9 万元。",  # the right unit
    "吐鲁番市支队执法办案经费 57 万元。",  # its own row in 表7: compared by the amount checks, not here
    "吐鲁番市支队和石河子市支队结转 9 万元。",  # two units: whose is not certain
    "非财政拨款结转结余 9.00 万元。",  # no unit named
])
def test_no_finding_when_the_unit_is_right_or_uncertain(sentence):
    assert _n611(sentence) == []
