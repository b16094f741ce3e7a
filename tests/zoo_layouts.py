"""A zoo of table layouts rendered from one consistent set of figures.

One small unit budget (figures in the style of seed 003, in 万元): a 支出总表 by
功能分类 (类/款/项), a 收支总表, a “三公”经费表 with 会议费 and 培训费 beside it, and a
基本支出表 by 经济分类.  Every layout renders the same figures in another way
(flat or merged headers; codes joined, split over 类/款/项 columns, inline or shown
by indentation only; two-sided and three-block 收支总表; economic classes in
column groups side by side; tables across pages; 元 and 万元) and in one of the
formats txt, csv, xlsx, docx or pdf.

A *plant* changes one figure before rendering, so every layout can be checked
with the same mistake in it.  The figures stay consistent otherwise.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

from fixtures_build import FxDocument, FxTable, write_docx, write_html, write_pdf, write_txt, write_xls, write_xlsx

D = Decimal
UNIT_NAME = "某市自然资源执法监察支队"

# --------------------------------------------------------------------------- figures
# 支出总表 leaves: (code, name, basic, project); 类 and 款 rows are their sums.
EXP_LEAVES = [
    ("2080505", "机关事业单位基本养老保险缴费支出", "120.50", ""),
    ("2080506", "机关事业单位职业年金缴费支出", "48.20", ""),
    ("2101101", "行政单位医疗", "65.30", ""),
    ("2200101", "行政运行", "1,234.56", ""),
    ("2200106", "自然资源利用与保护", "", "310.00"),
    ("2200199", "其他自然资源事务支出", "", "95.44"),
    ("2210201", "住房公积金", "88.00", ""),
]
CLASS_NAMES = {
    "208": "社会保障和就业支出", "20805": "行政事业单位养老支出",
    "210": "卫生健康支出", "21011": "行政事业单位医疗",
    "220": "自然资源海洋气象等支出", "22001": "自然资源事务",
    "221": "住房保障支出", "22102": "住房改革支出",
}
# 基本支出 by 经济分类: (code, name, amount); 类 rows are sums; 301 + 303 人员经费, 302 公用经费.
ECON_LEAVES = [
    ("30101", "基本工资", "420.00"),
    ("30102", "津贴补贴", "310.56"),
    ("30108", "机关事业单位基本养老保险缴费", "120.50"),
    ("30109", "职业年金缴费", "48.20"),
    ("30110", "职工基本医疗保险缴费", "65.30"),
    ("30113", "住房公积金", "88.00"),
    ("30201", "办公费", "180.00"),
    ("30211", "差旅费", "90.00"),
    ("30217", "公务接待费", "3.40"),
    ("30231", "公务用车运行维护费", "12.60"),
    ("30299", "其他商品和服务支出", "118.00"),
    ("30302", "退休费", "100.00"),
]
ECON_CLASSES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助"}
SANGONG = {"出国": "0.00", "购置": "0.00", "运行": "12.60", "接待": "3.40", "会议费": "2.50", "培训费": "4.80"}
INCOME = [("一、一般公共预算拨款收入", "1,900.00"), ("二、事业收入", "62.00")]
CARRY = "30.00"


def dec(s: str) -> Decimal:
    return D(s.replace(",", "")) if s else D(0)


def fmt(v: Decimal | None, unit: str = "万元", blank_zero: bool = True) -> str:
    if v is None or (blank_zero and v == 0):
        return ""
    if unit == "元":
        v = v * 10000
    return f"{v:,.2f}"


@dataclass(frozen=True)
class Plant:
    """One figure changed before rendering: ``where`` names it, ``value`` is the new amount (万元)."""

    id: str
    where: tuple[str, str, str]  # (table, row key, column key)
    value: str


@dataclass
class Figures:
    """The document's figures as Decimal, keyed by (table, row key, column key); planted overrides applied on read."""

    plant: Plant | None = None
    overrides: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)

    def __post_init__(self):
        if self.plant:
            self.overrides[self.plant.where] = D(self.plant.value)

    def get(self, table: str, row: str, col: str, computed: Decimal) -> Decimal:
        return self.overrides.get((table, row, col), computed)

    # 支出总表 rows: (code, name, level, total, basic, project); level 1 类, 2 款, 3 项; code "" = 总计
    def exp_rows(self) -> list[tuple[str, str, int, Decimal, Decimal, Decimal]]:
        leaves = {c: (n, dec(b), dec(p)) for c, n, b, p in EXP_LEAVES}
        sums: dict[str, list[Decimal]] = {}
        for c, (_, b, p) in leaves.items():
            for k in (c[:3], c[:5], "", c):
                s = sums.setdefault(k, [D(0), D(0)])
                s[0] += b
                s[1] += p
        order = []
        for c in sorted({c[:3] for c in leaves} | {c[:5] for c in leaves} | set(leaves)):
            order.append(c)
        out = []
        for c in [""] + order:
            b, p = sums[c]
            name = "合计" if c == "" else CLASS_NAMES.get(c) or leaves[c][0]
            level = {0: 0, 3: 1, 5: 2, 7: 3}[len(c)]
            b = self.get("exp", c or "total", "basic", b)
            p = self.get("exp", c or "total", "project", p)
            t = self.get("exp", c or "total", "total", sums[c][0] + sums[c][1])
            out.append((c, name, level, t, b, p))
        return out

    def econ_rows(self) -> list[tuple[str, str, Decimal]]:
        out = []
        total = D(0)
        classes: dict[str, Decimal] = {}
        for c, _, a in ECON_LEAVES:
            classes[c[:3]] = classes.get(c[:3], D(0)) + dec(a)
            total += dec(a)
        for cls in sorted(classes):
            out.append((cls, ECON_CLASSES[cls], self.get("econ", cls, "amount", classes[cls])))
            for c, n, a in ECON_LEAVES:
                if c[:3] == cls:
                    out.append((c, n, self.get("econ", c, "amount", dec(a))))
        return [("", "合计", self.get("econ", "total", "amount", total))] + out

    def econ_split(self) -> tuple[Decimal, Decimal, Decimal]:
        """基本支出 合计, 人员经费 (301 + 303), 公用经费 (302)."""
        pers = sum(dec(a) for c, _, a in ECON_LEAVES if c[:3] in ("301", "303"))
        pub = sum(dec(a) for c, _, a in ECON_LEAVES if c[:3] == "302")
        return (self.get("econ", "total", "amount", pers + pub), self.get("econ", "total", "personnel", pers),
                self.get("econ", "total", "public", pub))

    def sangong(self) -> dict[str, Decimal]:
        s = {k: self.get("sangong", "row", k, dec(v)) for k, v in SANGONG.items()}
        s["小计"] = self.get("sangong", "row", "小计", dec(SANGONG["购置"]) + dec(SANGONG["运行"]))
        s["合计"] = self.get("sangong", "row", "合计", dec(SANGONG["出国"]) + dec(SANGONG["购置"]) + dec(SANGONG["运行"]) + dec(SANGONG["接待"]))
        return s

    def summary(self):
        """收入 lines, 本年收入合计, 上年结转, 收入总计; 支出 by class and by use, 本年支出合计, 年末结转, 支出总计."""
        exp = {c: (t, b, p) for c, _, lvl, t, b, p in Figures().exp_rows() if lvl <= 1}  # as the 支出总表 should read
        income = [(n, self.get("summary", n, "amount", dec(v))) for n, v in INCOME]
        year_in = sum(dec(v) for _, v in INCOME)
        year_in = self.get("summary", "本年收入合计", "amount", year_in)
        carry = dec(CARRY)
        by_class = [(f"{'一二三四'[i]}、{CLASS_NAMES[c]}", self.get("summary", c, "amount", exp[c][0]))
                    for i, c in enumerate(sorted(k for k in exp if k))]
        by_use = [("一、基本支出", self.get("summary", "基本支出", "amount", exp[""][1])),
                  ("二、项目支出", self.get("summary", "项目支出", "amount", exp[""][2]))]
        year_out = self.get("summary", "本年支出合计", "amount", exp[""][0])
        return income, year_in, carry, by_class, by_use, year_out


# --------------------------------------------------------------------------- narrative
SANGONG_LAST_YEAR = D("14.00")


def narrative(f: Figures) -> list[str]:
    """The 情况说明 of the figures: an amount with its share of the whole, a growth rate.

    Plants: ``("prose", "basic", "amount")`` the 基本支出 amount the text states,
    ``("prose", "basic", "share")`` its share, ``("prose", "sangong", "rate")`` the 三公 growth rate.
    """
    true = Figures()  # the text states the true figures: a mistake planted in a table is the table's
    _, _, _, total, basic, project = true.exp_rows()[0]
    sg = true.sangong()["合计"]
    change = sg - SANGONG_LAST_YEAR
    share_b = f.get("prose", "basic", "share", (basic / total * 100).quantize(D("0.01")))
    share_p = (project / total * 100).quantize(D("0.01"))
    rate = f.get("prose", "sangong", "rate", (change / SANGONG_LAST_YEAR * 100).quantize(D("0.01")))
    stated_basic = f.get("prose", "basic", "amount", basic)
    return [
        "二、关于支出预算情况说明",
        f"{UNIT_NAME}2024年支出预算{fmt(total)}万元，其中：基本支出{fmt(stated_basic)}万元，占{share_b}%；"
        f"项目支出{fmt(project)}万元，占{share_p}%。",
        "三、关于“三公”经费预算情况说明",
        f"{UNIT_NAME}2024年“三公”经费预算{fmt(sg)}万元，比上年预算增加{fmt(change)}万元，增长{rate}%。",
    ]


# --------------------------------------------------------------------------- table builders
def _title(number: str, title: str, unit: str) -> list[str]:
    return [number, title, f"编制单位：{UNIT_NAME}", f"单位：{unit}"]


def exp_table(f: Figures, codes: str = "joined", header: str = "flat", unit: str = "万元", total_last: bool = False) -> FxTable:
    """支出总表. codes: joined | split | inline | indent | code_total (合计 in the code column)."""
    rows = f.exp_rows()
    body: list[list[str]] = []
    for c, name, level, t, b, p in rows:
        amounts = [fmt(t, unit, False), fmt(b, unit), fmt(p, unit)]
        if codes == "split":
            parts = [c[:3], c[3:5], c[5:7]] if c else ["", "", ""]
            body.append(parts + [name] + amounts)
        elif codes == "inline":
            body.append([f"{c} {name}" if c else name] + amounts)
        elif codes == "indent":
            body.append(["\u3000\u3000" * max(level - 1, 0) + name] + amounts)
        elif codes == "code_total":
            body.append([c, name] + amounts if c else ["合计", ""] + amounts)
        else:
            body.append([c, name] + amounts)
    if total_last:
        body = body[1:] + body[:1]
    n_lab = {"split": 4, "inline": 1, "indent": 1}.get(codes, 2)
    labels = {"split": ["类", "款", "项", "科目名称"], "inline": ["科目"], "indent": ["项目"]}.get(codes, ["科目编码", "科目名称"])
    merges: list[tuple[int, int, int, int]] = []
    if header == "merged":
        if codes == "split":
            head = [["功能分类科目编码", "", "", "功能分类科目名称", "支出预算", "", ""],
                    ["类", "款", "项", "", "合计", "基本支出", "项目支出"]]
            merges = [(0, 0, 1, 3), (0, 3, 2, 1), (0, 4, 1, 3)]
        else:
            head = [labels + ["支出预算", "", ""], [""] * n_lab + ["合计", "基本支出", "项目支出"]]
            merges = [(0, i, 2, 1) for i in range(n_lab)] + [(0, n_lab, 1, 3)]
    elif header == "numbered":
        head = [labels + ["合计", "基本支出", "项目支出"], ["栏次"] + [""] * (n_lab - 1) + ["1", "2", "3"]]
    else:
        head = [labels + ["合计", "基本支出", "项目支出"]]
    return FxTable(_title("表3", "部门支出总表", unit), head + body, merges, len(head))


def summary_table(f: Figures, blocks: int = 2, unit: str = "万元", merged_totals: bool = False) -> FxTable:
    """收支总表: 收入 | 支出 by 功能分类 (| 支出 by 用途).

    ``merged_totals`` (three blocks): the expenditure total lines are printed once for both
    breakdowns, as in the Jiangsu template — the label in the first expenditure block, a
    merged cell over the middle, the amount in the last block.
    """
    income, year_in, carry, by_class, by_use, year_out = f.summary()
    n = max(len(income), len(by_class), len(by_use))
    head = [["收入", "", "支出", ""] + (["", ""] if blocks == 3 else []),
            ["项目", "预算数", "功能分类", "预算数"] + (["支出用途", "预算数"] if blocks == 3 else [])]
    merges = [(0, 0, 1, 2), (0, 2, 1, 4 if blocks == 3 else 2)]
    body = []
    for i in range(n):
        r = []
        for lst in ([income, by_class] + ([by_use] if blocks == 3 else [])):
            r += [lst[i][0], fmt(lst[i][1], unit, False)] if i < len(lst) else ["", ""]
        body.append(r)
    body.append(["本年收入合计", fmt(year_in, unit), "本年支出合计", fmt(year_out, unit)] + (["本年支出合计", fmt(year_out, unit)] if blocks == 3 else []))
    body.append(["上年结转结余", fmt(carry, unit), "年末结转结余", fmt(carry, unit)] + (["年末结转结余", fmt(carry, unit)] if blocks == 3 else []))
    tot_in = f.get("summary", "收入总计", "amount", dec(INCOME[0][1]) + dec(INCOME[1][1]) + carry)
    tot_out = f.get("summary", "支出总计", "amount", dec(INCOME[0][1]) + dec(INCOME[1][1]) + carry)
    body.append(["收入总计", fmt(tot_in, unit), "支出总计", fmt(tot_out, unit)] + (["支出总计", fmt(tot_out, unit)] if blocks == 3 else []))
    if blocks == 3 and merged_totals:
        for k in range(len(body) - 3, len(body)):
            row = body[k]
            row[3] = row[4] = ""
            merges.append((len(head) + k, 2, 1, 3))
    return FxTable(_title("表1", "部门收支总表", unit), head + body, merges, 2)


def sangong_table(f: Figures, unit: str = "万元", layout: str = "row") -> FxTable:
    s = f.sangong()
    if layout == "rows":
        body = [["合计", fmt(s["合计"], unit, False)], ["1.因公出国（境）费", fmt(s["出国"], unit, False)],
                ["2.公务用车购置及运行费", fmt(s["小计"], unit, False)], ["其中：公务用车购置费", fmt(s["购置"], unit, False)],
                ["公务用车运行费", fmt(s["运行"], unit, False)], ["3.公务接待费", fmt(s["接待"], unit, False)]]
        return FxTable(_title("表8", "“三公”经费支出预算表", unit), [["项目", "预算数"]] + body, [], 1)
    head = [["“三公”经费合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费", "会议费", "培训费"],
            ["", "", "小计", "公务用车购置费", "公务用车运行费", "", "", ""]]
    merges = [(0, 0, 2, 1), (0, 1, 2, 1), (0, 2, 1, 3), (0, 5, 2, 1), (0, 6, 2, 1), (0, 7, 2, 1)]
    body = [[fmt(s[k], unit, False) for k in ("合计", "出国", "小计", "购置", "运行", "接待", "会议费", "培训费")]]
    return FxTable(_title("表8", "“三公”经费、会议费、培训费支出预算表", unit), head + body, merges, 2)


def basic_table(f: Figures, groups: int = 1, unit: str = "万元") -> FxTable:
    """基本支出表 by 经济分类: one list (合计 | 人员经费 | 公用经费), or 2–3 column groups side by side."""
    rows = f.econ_rows()
    if groups == 1:
        total, pers, pub = f.econ_split()
        body = []
        for c, n, a in rows:
            personnel = c[:3] in ("301", "303") or c == ""
            p_val = pers if c == "" else (a if personnel else None)
            u_val = pub if c == "" else (None if personnel else a)
            body.append([c, n, fmt(a, unit, False), fmt(p_val, unit), fmt(u_val, unit)])
        head = [["经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"]]
        return FxTable(_title("表6", "一般公共预算基本支出表", unit), head + body, [], 1)
    # side by side: 人员经费 (301, 303) | 公用经费 (302), each closed by its own total; or one class per group
    by_class: dict[str, list] = {}
    for r in rows[1:]:
        by_class.setdefault(r[0][:3], []).append(r)
    if groups == 2:
        total, pers, pub = f.econ_split()
        chunks = [by_class["301"] + by_class["303"] + [("", "人员经费合计", pers)], by_class["302"] + [("", "公用经费合计", pub)]]
    else:
        chunks = [by_class["301"], by_class["302"], by_class["303"]]
    height = max(len(ch) for ch in chunks)
    body = [[] for _ in range(height)]
    for ch in chunks:
        pad = [("", "", None)] * (height - len(ch))
        ch = ch[:-1] + pad + ch[-1:] if groups == 2 else ch + pad  # a group's total sits on the last row
        for i, (c, n, a) in enumerate(ch):
            body[i] += [c, n, "" if a is None else fmt(a, unit, False)]
    head = [["科目编码", "科目名称", "金额"] * groups]
    return FxTable(_title("表6", "一般公共预算基本支出表", unit), head + body, [], 1)


# --------------------------------------------------------------------------- writers
def write_csv(doc: FxDocument, path: Path) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf)
    for t in doc.tables:
        for p in t.before:
            w.writerow([p])
        for r in t.grid:
            w.writerow(r)
        w.writerow([])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def write_tsv_text(doc: FxDocument, path: Path) -> Path:
    return write_txt(doc, path)


def paged(t: FxTable, at: int) -> list[FxTable]:
    """A table broken over two pages: the second part repeats the title block (running header) and the header rows."""
    k = t.header_rows + at
    first = FxTable(t.before, t.grid[:k], [m for m in t.merges if m[0] + m[2] <= k], t.header_rows)
    second = FxTable(list(t.before), t.grid[: t.header_rows] + t.grid[k:], [m for m in t.merges if m[0] + m[2] <= t.header_rows], t.header_rows)
    return [first, second]


def write_unruled_pdf(doc: FxDocument, path: Path) -> Path:
    return write_pdf(doc, path, ruled=False)


WRITE = {"txt": write_txt, "csv": write_csv, "xlsx": write_xlsx, "xls": write_xls, "docx": write_docx, "html": write_html,
         "pdf": write_pdf, "pdf-unruled": write_unruled_pdf}


@dataclass(frozen=True)
class Layout:
    id: str
    fmt: str
    build: Callable[[Figures], list[FxTable]]
    tables: tuple[str, ...]  # which tables of the figures it renders: exp, summary, sangong, econ
    cols: dict = field(default_factory=dict, hash=False)  # 支出总表 column labels as the tool shows them
    unit: str = "万元"
    econ: str = "list"  # 基本支出表: one list, or column groups side by side
    sangong: str = "beside"  # 三公 table: one row under captions beside 会议费/培训费, or one row per item

    prose: bool = False  # the 情况说明 follows the tables

    def write(self, folder: Path, plant: Plant | None = None) -> Path:
        figures = Figures(plant)
        doc = FxDocument(list(self.build(figures)) + (narrative(figures) if self.prose else []))
        return WRITE[self.fmt](doc, folder / f"{self.id}.{self.fmt.split('-')[0]}")


EXP_FLAT = {"total": "合计", "basic": "基本支出", "project": "项目支出"}
EXP_MERGED = {"total": "支出预算 / 合计", "basic": "支出预算 / 基本支出", "project": "支出预算 / 项目支出"}


def _exp(**kw):
    return lambda f: [exp_table(f, **kw)]


LAYOUTS: list[Layout] = [
    Layout("exp-joined-flat-txt", "txt", _exp(), ("exp",), EXP_FLAT),
    Layout("exp-joined-flat-csv", "csv", _exp(), ("exp",), EXP_FLAT),
    Layout("exp-joined-flat-xlsx", "xlsx", _exp(), ("exp",), EXP_FLAT),
    Layout("exp-joined-merged-docx", "docx", _exp(header="merged"), ("exp",), EXP_MERGED),
    Layout("exp-split-merged-txt", "txt", _exp(codes="split", header="merged"), ("exp",), EXP_MERGED),
    Layout("exp-split-merged-xlsx", "xlsx", _exp(codes="split", header="merged"), ("exp",), EXP_MERGED),
    Layout("exp-split-merged-pdf", "pdf", _exp(codes="split", header="merged"), ("exp",), EXP_MERGED),
    Layout("exp-split-numbered-txt", "txt", _exp(codes="split", header="numbered"), ("exp",), EXP_FLAT),
    Layout("exp-inline-flat-txt", "txt", _exp(codes="inline"), ("exp",), EXP_FLAT),
    Layout("exp-inline-merged-docx", "docx", _exp(codes="inline", header="merged"), ("exp",), EXP_MERGED),
    Layout("exp-indent-flat-txt", "txt", _exp(codes="indent"), ("exp",), EXP_FLAT),
    Layout("exp-total-in-code-column-xlsx", "xlsx", _exp(codes="code_total"), ("exp",), EXP_FLAT),
    Layout("exp-total-last-csv", "csv", _exp(total_last=True), ("exp",), EXP_FLAT),
    Layout("exp-yuan-txt", "txt", _exp(unit="元"), ("exp",), EXP_FLAT, unit="元"),
    Layout("exp-paged-txt", "txt", lambda f: paged(exp_table(f), 7), ("exp",), EXP_FLAT),
    Layout("exp-paged-merged-pdf", "pdf", lambda f: paged(exp_table(f, codes="split", header="merged"), 7), ("exp",), EXP_MERGED),
    Layout("summary-two-sided-txt", "txt", lambda f: [summary_table(f, 2)], ("summary",)),
    Layout("summary-three-blocks-txt", "txt", lambda f: [summary_table(f, 3)], ("summary",)),
    Layout("summary-three-blocks-xlsx", "xlsx", lambda f: [summary_table(f, 3)], ("summary",)),
    Layout("summary-three-blocks-pdf", "pdf", lambda f: [summary_table(f, 3)], ("summary",)),
    Layout("summary-three-blocks-merged-totals-txt", "txt", lambda f: [summary_table(f, 3, merged_totals=True)], ("summary",)),
    Layout("summary-three-blocks-merged-totals-xlsx", "xlsx", lambda f: [summary_table(f, 3, merged_totals=True)], ("summary",)),
    Layout("summary-three-blocks-merged-totals-pdf", "pdf", lambda f: [summary_table(f, 3, merged_totals=True)], ("summary",)),
    Layout("exp-joined-flat-unruled-pdf", "pdf-unruled", _exp(), ("exp",), EXP_FLAT),
    Layout("summary-three-blocks-merged-totals-unruled-pdf", "pdf-unruled", lambda f: [summary_table(f, 3, merged_totals=True)], ("summary",)),
    Layout("document-html", "html", lambda f: [summary_table(f, 3, merged_totals=True), exp_table(f, codes="split", header="merged"),
                                                basic_table(f, 2), sangong_table(f)],
           ("summary", "exp", "econ", "sangong"), EXP_MERGED, econ="groups", prose=True),
    Layout("document-xls", "xls", lambda f: [summary_table(f, 2), exp_table(f, codes="inline"), basic_table(f), sangong_table(f)],
           ("summary", "exp", "econ", "sangong"), EXP_FLAT),
    Layout("document-unruled-pdf", "pdf-unruled", lambda f: [exp_table(f), sangong_table(f)], ("exp", "sangong"), EXP_FLAT, prose=True),
    Layout("sangong-beside-meetings-txt", "txt", lambda f: [sangong_table(f)], ("sangong",)),
    Layout("sangong-beside-meetings-xlsx", "xlsx", lambda f: [sangong_table(f)], ("sangong",)),
    Layout("sangong-beside-meetings-docx", "docx", lambda f: [sangong_table(f)], ("sangong",)),
    Layout("sangong-rows-txt", "txt", lambda f: [sangong_table(f, layout="rows")], ("sangong",), sangong="rows"),
    Layout("basic-one-list-txt", "txt", lambda f: [basic_table(f)], ("econ",)),
    Layout("basic-two-groups-txt", "txt", lambda f: [basic_table(f, 2)], ("econ",), econ="groups"),
    Layout("basic-three-groups-xlsx", "xlsx", lambda f: [basic_table(f, 3)], ("econ",), econ="groups"),
    Layout("basic-two-groups-pdf", "pdf", lambda f: [basic_table(f, 2)], ("econ",), econ="groups"),
    Layout("document-txt", "txt", lambda f: [summary_table(f, 3), exp_table(f, codes="split", header="merged"), basic_table(f), sangong_table(f)],
           ("summary", "exp", "econ", "sangong"), EXP_MERGED, prose=True),
    Layout("document-pdf", "pdf", lambda f: [exp_table(f), sangong_table(f)], ("exp", "sangong"), EXP_FLAT, prose=True),
    Layout("document-yuan-xlsx", "xlsx", lambda f: [summary_table(f, 2, "元"), exp_table(f, unit="元"), basic_table(f, 1, "元"), sangong_table(f, "元")],
           ("summary", "exp", "econ", "sangong"), EXP_FLAT, unit="元"),
    Layout("document-docx", "docx", lambda f: [summary_table(f, 3), exp_table(f, codes="inline"), basic_table(f, 2), sangong_table(f)],
           ("summary", "exp", "econ", "sangong"), EXP_FLAT, econ="groups", prose=True),
]
