"""The national 部门决算 公开表 template, a layout the seeds do not have.

A small unit's final accounts rendered from one consistent set of figures:

* 公开01表 收入支出决算总表 — two sides, each with a 行次 column, a 栏次 row;
* 公开02表 收入决算表 — 类/款/项 codes split over three columns, columns by source
  (本年收入合计 = 财政拨款收入 + 事业收入 + 其他收入), a 栏次 row numbering them;
* 公开03表 支出决算表 — 本年支出合计 = 基本支出 + 项目支出;
* 公开07表 “三公”经费支出决算表 — 预算数 and 决算数 side by side, each with
  合计 = 因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 and the vehicle 小计 =
  购置费 + 运行费, one row of amounts under merged captions.

The consistent document raises nothing; a mistake planted in one cell is found at it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from fixtures_build import FxDocument, FxTable, write_txt, write_xlsx

from budgetlint import engine
from budgetlint.loaders import load_document

D = Decimal
UNIT = "某县自然资源局"
# 功能分类 leaves: code, name, 财政拨款收入, 事业收入, 其他收入, 基本支出, 项目支出 (income = expense per leaf)
LEAVES = [
    ("2080505", "机关事业单位基本养老保险缴费支出", "86.40", "", "", "86.40", ""),
    ("2101101", "行政单位医疗", "31.25", "", "", "31.25", ""),
    ("2200101", "行政运行", "612.30", "20.00", "", "632.30", ""),
    ("2200106", "自然资源利用与保护", "240.00", "", "15.50", "", "255.50"),
    ("2210201", "住房公积金", "52.80", "", "", "52.80", ""),
]
NAMES = {"208": "社会保障和就业支出", "20805": "行政事业单位养老支出", "210": "卫生健康支出", "21011": "行政事业单位医疗",
         "220": "自然资源海洋气象等支出", "22001": "自然资源事务", "221": "住房保障支出", "22102": "住房改革支出"}
CARRY_IN, CARRY_OUT = D("12.00"), D("12.00")
# 三公: (预算数, 决算数) for 因公出国（境）费, 购置费, 运行费, 公务接待费
SANGONG = {"出国": ("0.00", "0.00"), "购置": ("0.00", "0.00"), "运行": ("9.00", "8.42"), "接待": ("3.00", "2.16")}


def dec(s: str) -> Decimal:
    return D(s.replace(",", "")) if s else D(0)


def fmt(v: Decimal) -> str:
    return f"{v:,.2f}"


def _rows(plant: dict) -> list[tuple[str, str, list[Decimal]]]:
    """Code rows with 类/款 sums: (code, name, [fiscal, business, other, basic, project])."""
    sums: dict[str, list[Decimal]] = {}
    for c, _, *vals in LEAVES:
        for k in ("", c[:3], c[:5], c):
            s = sums.setdefault(k, [D(0)] * 5)
            for i, v in enumerate(vals):
                s[i] += dec(v)
    out = []
    for k in [""] + sorted(x for x in sums if x):
        name = "合计" if not k else NAMES.get(k) or next(n for c, n, *_ in LEAVES if c == k)
        vals = [plant.get((k or "total", i), v) for i, v in enumerate(sums[k])]
        out.append((k, name, vals))
    return out


def build(plant: dict | None = None) -> FxDocument:
    plant = plant or {}
    rows = _rows(plant)
    total = rows[0][2]
    income_total = plant.get(("income_total",), total[0] + total[1] + total[2])
    # 公开01表: 收入 | 行次 | 金额 | 支出 | 行次 | 金额
    inc = [("一、一般公共预算财政拨款收入", total[0]), ("二、事业收入", total[1]), ("三、其他收入", total[2])]
    exp = [(f"{'一二三四'[i]}、{n}", v[3] + v[4]) for i, (c, n, v) in enumerate(r for r in rows if len(r[0]) == 3)]
    t1 = [["收入", "", "", "支出", "", ""], ["项目", "行次", "金额", "项目", "行次", "金额"], ["栏次", "", "1", "栏次", "", "2"]]
    n = max(len(inc), len(exp))
    for i in range(n):
        left = [inc[i][0], str(i + 1), fmt(inc[i][1])] if i < len(inc) else ["", "", ""]
        right = [exp[i][0], str(i + 30), fmt(exp[i][1])] if i < len(exp) else ["", "", ""]
        t1.append(left + right)
    year_in = income_total
    year_out = total[3] + total[4]
    t1 += [["本年收入合计", "10", fmt(year_in), "本年支出合计", "40", fmt(year_out)],
           ["年初结转和结余", "11", fmt(CARRY_IN), "年末结转和结余", "41", fmt(CARRY_OUT)],
           ["收入总计", "12", fmt(plant.get(("grand",), year_in + CARRY_IN)), "支出总计", "42", fmt(year_out + CARRY_OUT)]]
    # 公开02表 / 公开03表: 类 | 款 | 项 | 科目名称 | amounts, 栏次 row
    head = ["科目编码", "", "", "科目名称"]
    t2 = [head + ["本年收入合计", "财政拨款收入", "事业收入", "其他收入"], ["类", "款", "项", "栏次", "1", "2", "3", "4"]]
    t3 = [head + ["本年支出合计", "基本支出", "项目支出"], ["类", "款", "项", "栏次", "1", "2", "3"]]
    for code, name, v in rows:
        parts = [code[:3], code[3:5], code[5:7]] if code else ["", "", ""]
        t2.append(parts + [name, fmt(plant.get((code or "total", "income"), v[0] + v[1] + v[2])), fmt(v[0]), fmt(v[1]), fmt(v[2])])
        t3.append(parts + [name, fmt(plant.get((code or "total", "expense"), v[3] + v[4])), fmt(v[3]), fmt(v[4])])
    # 公开07表: 预算数 | 决算数, each 合计 | 因公出国（境）费 | 公务用车购置及运行费 (小计 | 购置费 | 运行费) | 公务接待费
    cap = ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"]
    sub = ["", "", "小计", "购置费", "运行费", ""]
    t7 = [["预算数"] + [""] * 5 + ["决算数"] + [""] * 5, cap + cap, sub + sub]
    vals: list[str] = []
    for k in (0, 1):
        a, p, r, j = (dec(SANGONG[x][k]) for x in ("出国", "购置", "运行", "接待"))
        r = plant.get(("sangong", k, "运行"), r)
        vals += [fmt(a + p + dec(SANGONG["运行"][k]) + j), fmt(a), fmt(p + dec(SANGONG["运行"][k])), fmt(p), fmt(r), fmt(j)]
    t7.append(vals)
    m7 = [(0, 0, 1, 6), (0, 6, 1, 6)] + [m for k in (0, 6) for m in ((1, k, 2, 1), (1, k + 1, 2, 1), (1, k + 2, 1, 3), (1, k + 5, 2, 1))]

    def title(number: str, name: str) -> list[str]:
        return [number, f"{UNIT}2023年度{name}", f"编制单位：{UNIT}", "单位：万元"]

    return FxDocument([
        FxTable(title("公开01表", "收入支出决算总表"), t1, [(0, 0, 1, 3), (0, 3, 1, 3)], 3),
        FxTable(title("公开02表", "收入决算表"), t2, [(0, 0, 1, 3)], 2),
        FxTable(title("公开03表", "支出决算表"), t3, [(0, 0, 1, 3)], 2),
        FxTable(title("公开07表", "“三公”经费支出决算表"), t7, m7, 3),
    ])


WRITERS = {"txt": write_txt, "xlsx": write_xlsx}


def _check(tmp_path: Path, fmt_: str, plant: dict | None = None):
    path = WRITERS[fmt_](build(plant), tmp_path / f"final.{fmt_}")
    doc = load_document(path)
    return doc, engine.check_documents([doc]).findings


@pytest.mark.parametrize("fmt_", sorted(WRITERS))
def test_consistent_final_accounts_raise_nothing(tmp_path, fmt_):
    doc, found = _check(tmp_path, fmt_)
    assert [t.kind for t in doc.tables] == ["budget.summary", "budget.income", "budget.expenditure", "budget.sangong"]
    assert [(f.code, f.message) for f in found] == []


PLANTS = [
    # a 项 row of 收入决算表 whose 本年收入合计 is not its sources' sum (632.30 printed 623.30)
    ("income-row", {("2200101", "income"): D("623.30")}, "C201", "收入决算表", "行政运行", "623.30"),
    # the 支出决算表 合计 row (1,058.25 printed 1,085.25)
    ("expense-total", {("total", "expense"): D("1085.25")}, "S101", "支出决算表", "合计", "1,085.25"),
    # 收入总计 ≠ 本年收入合计 + 年初结转和结余 (and ≠ 支出总计)
    ("grand-total", {("grand",): D("1080.25")}, "B301", "收入支出决算总表", "收入总计", "1,080.25"),
    # 决算数 运行费 makes the vehicle 小计 wrong (8.42 printed 8.24)
    ("sangong-running", {("sangong", 1, "运行"): D("8.24")}, "B302", "“三公”经费支出决算表", None, "8.24"),
]


@pytest.mark.parametrize("fmt_", sorted(WRITERS))
@pytest.mark.parametrize("pid, plant, code, table, row, raw", PLANTS, ids=[p[0] for p in PLANTS])
def test_planted_mistake_in_final_accounts_is_found_at_its_cell(tmp_path, fmt_, pid, plant, code, table, row, raw):
    _, found = _check(tmp_path, fmt_, plant)
    errors = [f for f in found if f.severity == "error"]
    hits = [f for f in errors if f.code == code and table in f.table["title"]]
    assert hits, [(f.code, f.message) for f in errors]
    planted = float(next(iter(plant.values())))
    f = hits[0]
    assert f.actual == planted or any(t.get("value") == planted for t in f.terms), f.message
    if row is not None:
        assert f.row["label"] == row
