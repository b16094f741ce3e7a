"""Family H: doubled text in table cells and unit names spelled two ways."""

from __future__ import annotations

from pathlib import Path

import pytest

from budgetlint import engine
from budgetlint.loaders.text import parse_text
from budgetlint.understand import understand_document

from conftest import SEEDS, seed_path

PROJECT_TABLE = "\n".join([
    "表 7", "", "一般公共预算项目支出情况表", "", "单位：万元", "",
    "科目编码\t\t\t功能分类科目名称\t项目名称\t项目支出合计\t商品服务支出",
    "类\t款\t项\t\t\t\t",
    "\t\t\t总计\t\t180.00\t180.00",
    "\t\t\t乌鲁木齐市米东区国土资源执法监察大队\t\t160.00\t160.00",
    "220\t\t\t自然资源海洋气象等支出\t\t160.00\t160.00",
    "220\t01\t\t自然资源事务\t\t160.00\t160.00",
    "220\t01\t99\t其他自然资源事务支出\t全区国土资源执法监察系统执法办案补充经费\t160.00\t160.00",
    "\t\t\t新和县县国土资源执法监察大队\t\t20.00\t20.00",
    "220\t\t\t自然资源海洋气象等支出\t\t20.00\t20.00",
    "220\t01\t\t自然资源事务\t\t20.00\t20.00",
    "220\t01\t99\t其他自然资源事务支出\t全区国土资源执法监察系统执法办案补充经费\t20.00\t20.00",
    "",
    "(一) 项目名称：全区国土资源执法监察系统执法办案补充经费",
    "",
    "项目承担单位：乌鲁木齐米东区国土资源执法监察大队",
    "",
    "项目承担单位：新和县国土资源执法监察大队",
    "",
    "项目承担单位：伊宁县国土资源执法监察大队",
    "",
    "项目承担单位：伊宁市国土资源执法监察大队",
])


def findings(text, select):
    doc = understand_document(parse_text(text, "p.txt"))
    return engine.check_documents([doc], select=select).findings


def test_doubled_suffix_in_a_unit_name_cell():
    (f,) = findings(PROJECT_TABLE, ["H501"])
    assert (f.severity, f.line, f.row["label"]) == ("warning", 14, "新和县县国土资源执法监察大队")
    assert "「县县」重复" in f.message


def test_names_differing_by_an_inserted_character_are_reported_once_per_pair():
    found = findings(PROJECT_TABLE, ["H502"])
    pairs = sorted((f.line, f.terms[0]["line"]) for f in found)
    # 表7 乌鲁木齐市米东区… (line 10) against the write-up's 乌鲁木齐米东区… (line 21);
    # 表7 新和县县… (line 14) against 新和县… (line 23); 伊宁县 / 伊宁市 are different units.
    assert pairs == [(10, 21), (14, 23)]
    assert all(f.severity == "warning" for f in found)


def test_clean_names_raise_nothing():
    text = PROJECT_TABLE.replace("新和县县", "新和县").replace("乌鲁木齐米东区", "乌鲁木齐市米东区")
    assert findings(text, ["H"]) == []


def test_ocr_debris_and_cells_joined_by_a_space_are_not_doubled_words():
    text = "\n".join([
        "1. 业务费绩效目标表", "",
        "项目编码\t13073024P00\t项目名称\t业务费",
        "\t\t. , , , , , , ,\t",
        "效益指标\t经济效益指 对经济发展 对经济发展带来效果\t≥100%\t专家评审",
    ])
    assert findings(text, ["H501"]) == []


def test_seed_findings():
    seed_path("003")
    report = engine.run([str(SEEDS)], select=["H"])
    got = sorted((Path(f.path).name[:3], f.line, f.code) for f in report.findings)
    assert got == [
        # the 2022 sheet's B13 formula compares 2021 with 2020, and C2 is 2021 年新增违法用地管控工作
        ("001", 202, "H503"),
        ("001", 224, "H503"),
        ("002", 217, "H501"),  # 334002唐山市唐山市国土资源局丰润区分局
        ("002", 217, "H502"),  # … against 唐山市国土资源局丰润区分局 (line 44)
        ("003", 318, "H502"),  # 表7 乌鲁木齐市米东区… against the target table's 乌鲁木齐米东区… (line 2557)
        ("003", 730, "H501"),  # 表7 新和县县国土资源执法监察大队
        ("003", 730, "H502"),  # … against 新和县国土资源执法监察大队
        # prose (N608 before it was merged into H501): "设立的政策依据：：" doubled colon (projects 三十二 and 三十三)
        ("003", 1518, "H501"),
        ("003", 1530, "H501"),
        ("003", 2094, "H501"),  # "乌恰县县国土资源执法监察大队" (the county suffix typed twice)
        # "勘查开采矿产资源的的行为" in the 项目总体目标 of three target tables
        ("003", 2846, "H501"),
        ("003", 2915, "H501"),
        ("003", 2938, "H501"),
        ("003", 5107, "H501"),  # 保障保障 in a 项目总体目标
    ]


def _cell_table(names: list[str]) -> str:
    rows = [f"{i + 1}\t{n}\t{10 * (i + 1)}.00" for i, n in enumerate(names)]
    return "\n".join(["表 9", "", "单位预算情况表", "", "单位：万元", "", "序号\t单位名称\t金额", *rows])


REAL_NAMES = [
    "北京市市场监督管理局", "某市市场监督管理局（本级）", "乌鲁木齐市米东区", "天津市市容管理委员会",
    "乌恰县国土资源执法监察大队", "麦麦提·木萨", "赵银银", "办公经费费用支出", "层层落实责任", "研究研究",
    "江苏省委办公厅厅机关本级", "某县县本级", "某县县城建设", "9名在职人员人员经费", "实实在在", "的的确确",
]


def test_repeated_characters_of_two_words_are_not_doubled_words():
    """市市 in 北京市|市场…, names (赵银银) and real reduplication are not slips."""
    assert findings(_cell_table(REAL_NAMES), ["H501"]) == []


@pytest.mark.parametrize("name, dup", [
    ("唐山市唐山市国土资源局", "唐山市唐山市"), ("增加增加设备购置", "增加增加"), ("办公经费费", "费费"),
    ("政策依据：：根据", "：："), ("新和县县国土资源执法监察大队", "县县"), ("矿产资源的的行为", "的的"), ("清清楚楚的的", "的的"),
])
def test_doubled_words_on_word_boundaries(name, dup):
    (f,) = findings(_cell_table(["北京市市场监督管理局", name]), ["H501"])
    assert f"「{dup}」重复" in f.message and f.line == 9


# --- H503 year from another period ----------------------------------------------------

_SHEET = (
    "附件 1\n\n某局 2024 年整体支出绩效评价指标体系表\n\n"
    "指标\t\t\t分值\t指标解释\t标准\t评价标准\t得分\n"
    "一级指标\t二级指标\t三级指标\t\t\t\t\t\n"
    "A 部门决策 (10 分)\tA1 目标设定 (10)\tA11 {a11}\t10\t{explain}\t合理\t按比例评分。\t10\n"
    "合 计\t\t\t10\t\t\t\t10\n"
)


def _h503(a11="绩效目标合理性", explain="目标明确。"):
    from budgetlint import engine
    from budgetlint.loaders.text import parse_text
    from budgetlint.understand import understand_document

    doc = understand_document(parse_text(_SHEET.format(a11=a11, explain=explain), "t.txt"))
    return engine.check_documents([doc], select=["H503"]).findings


@pytest.mark.parametrize("a11, explain, flagged", [
    ("绩效目标合理性", "目标明确。", False),
    ("2023年新增违法用地管控", "目标明确。", True),  # last year's indicator kept
    ("控制率", "(2023年实际支出数-2022年支出数)/2022年支出数", True),
    ("排名进步", "在全省排名比2023年有进步。", False),  # a comparison
    ("执法成效", "2020年以来累计查处案件。", False),  # a starting point
    ("执法成效", "2024年查处案件 100 件。", False),  # the sheet's own year
])
def test_h503_years_before_the_sheet(a11, explain, flagged):
    found = _h503(a11, explain)
    assert bool(found) is flagged, [f.message for f in found]


def test_dictionary_lookup_agrees_with_a_full_scan():
    """The bisection relies on the word list grouping Chinese words by first character:
    every word of the installed list is found, and made-up words are not."""
    from budgetlint import dupwords

    data = dupwords._dictionary()
    words = [line.split(b" ")[0].decode("utf-8") for line in data.split(b"\n") if line]
    assert len(words) > 300_000
    dupwords.is_word.cache_clear()
    assert [w for w in words if not dupwords.is_word(w)] == []
    for w in ("唐山市唐山市", "经费费", "增加增加", "市市", "在职人员人员"):
        assert dupwords.is_word(w) is ((b"\n" + w.encode("utf-8") + b" ") in data) is False
    dupwords.is_word.cache_clear()


def test_units_are_known_by_the_endings_the_row_trees_use():
    # a 学校 (an ending beyond land-enforcement units) spelled two ways: 城关镇中心学校 / 城关中心学校;
    # the 街道 is spelled one way
    text = (PROJECT_TABLE.replace("乌鲁木齐市米东区国土资源执法监察大队", "某县城关镇中心学校")
            .replace("乌鲁木齐米东区国土资源执法监察大队", "某县城关中心学校")
            .replace("新和县县国土资源执法监察大队", "某县城关街道").replace("新和县国土资源执法监察大队", "某县城关街道"))
    found = findings(text, ["H502"])
    assert [(f.line, f.terms[0]["line"]) for f in found] == [(10, 21)]
    assert "某县城关镇中心学校" in found[0].message and "某县城关中心学校" in found[0].message
