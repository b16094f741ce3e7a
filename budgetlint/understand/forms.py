"""Reading performance-target and scoring tables into a small located model.

The understanding step keeps every row of a 绩效目标表 as read (kinds
``perf.project_target`` / ``perf.unit_target``); this module interprets them
once per document:

* the **title block inside the form**: 预算单位 / 单位名称, 项目名称;
* the **funds block**: 年度预算总额 / 预算数 / 资金总额, 财政拨款 / 财政资金
  (with 上级安排 / 本级安排), 其他资金 — each value taken from the cell that
  follows its label, whatever column it landed in;
* the **资金支出计划** row (3月底 / 6月底 / 10月底 / 12月底) with OCR-split
  values (``2`` + ``5%`` for 25%) rejoined;
* the **总体目标** text;
* the **indicator tree** 一级 → 二级 → 三级 with 指标值 and 指标分值权重.  Rows
  are placed by content and header, not by fixed position: extraction drops
  blank leading cells (the row shifts left) or inserts one (it shifts right),
  so the weight column anchors the shift where there is one, category words
  (数量指标, 经济效益指标…) tell 一级 from 二级, and blank 一级 / 二级 cells
  inherit from the rows above (merged cells), or from the row below when the
  merged label was printed on the middle row of its block.

Scoring sheets and self-evaluation forms are read by :mod:`.scoring`; both kinds
are parsed once per document by :func:`.perf.perf_view`.  Nothing here judges
anything: the rules in ``rules/perf/`` do.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..model import Cell, Row, Table
from ..numbers import parse_number

TARGET_KINDS = ("perf.project_target", "perf.unit_target")

# ---------------------------------------------------------------------------
# text helpers


_P_TAG = re.compile(r"</?p>")
_WS = re.compile(r"\s+")
_SEPARATOR = re.compile(r"[-—:|=]+")


@lru_cache(maxsize=65536)
def squash(text: str | None) -> str:
    """NFKC and every space removed: the form labels are CJK, spaces are wraps."""
    t = unicodedata.normalize("NFKC", text or "")
    t = _P_TAG.sub(" ", t)
    return _WS.sub("", t)


_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef（）()“”、，。：；])\s+(?=[\u3000-\u9fff\uff00-\uffef（）()“”、，。：；])")


@lru_cache(maxsize=65536)
def clean(text: str | None) -> str:
    """NFKC, ``<p>`` markers dropped, wrap spaces between CJK characters removed, spaces folded."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"</?p>", " ", t)
    t = re.sub(r"\s+", " ", t).strip()
    return _CJK_GAP.sub("", t)


# ---------------------------------------------------------------------------
# indicator categories

_L1_ONLY = re.compile(r"^(产出|效益|效果|运行成本|管理效率|履职效能|部门决策|部门管理|部门履职|履职效果|部门创新|社会效益|经济效益)?(指标)?$")
_L1_WORDS = ("产出", "效益", "效果", "运行成本", "管理效率", "履职效能", "部门决策", "部门管理", "部门履职", "履职效果", "部门创新")
_L2_WORDS = (
    "数量", "质量", "时效", "经济效益", "社会效益", "生态效益", "生态环境效益", "可持续影响", "可持续发展",
    "经济成本", "社会成本", "生态环境成本", "生态成本", "服务对象满意度", "社会公众满意度", "满意度",
)
_AMBIGUOUS = ("满意度", "成本", "服务对象满意度", "预算执行率")


def category_level(text: str) -> int | None:
    """1 or 2 when the text is an indicator category name, 0 when either, None otherwise."""
    t = squash(text)
    if not t or len(t) > 14:
        return None
    base = t[:-2] if t.endswith("指标") else t
    if base in _AMBIGUOUS:
        return 0
    if base in ("产出", "效益", "效果") or base in _L1_WORDS:
        return 1
    if base in _L2_WORDS:
        return 2
    if t.endswith("指标") and 2 <= len(base) <= 8 and not re.search(r"\d", base):
        return 0
    return None


def family(text: str | None) -> str | None:
    """The 一级 family a category name belongs to: 产出, 效益, 满意度, 成本, 执行, or None."""
    t = squash(text)
    if not t:
        return None
    if "满意" in t:
        return "满意度"
    if "预算执行" in t or "执行率" in t:
        return "执行"
    if t.startswith(("经济成本", "社会成本", "生态环境成本", "生态成本")):
        return "成本"
    if t.startswith(("产出", "数量", "质量", "时效")):
        return "产出"
    if t.startswith("成本"):
        return "产出|成本"
    if "效益" in t or "效果" in t or "可持续" in t:
        return "效益"
    return None


def level1_family(text: str | None) -> str | None:
    """The family of a 一级 label (成本指标 as a 一级 is the 2021 成本 category)."""
    f = family(text)
    if f == "产出|成本":
        return "成本"
    return f


def fits(level2: str | None, level1: str | None) -> bool:
    """Whether a 二级 category can sit under a 一级 category."""
    f2, f1 = family(level2), level1_family(level1)
    if f2 is None or f1 is None:
        return True
    return f1 in f2.split("|")


# ---------------------------------------------------------------------------
# targets


@dataclass(slots=True, frozen=True)
class Target:
    """What an 指标值 says: comparator, number and unit, a date, or words (shared between equal texts: never changed)."""

    text: str
    kind: str  # "number" | "date" | "words" | "empty" | "unit-only" | "comparator-only"
    comparator: str | None = None
    value: Decimal | None = None
    unit: str | None = None
    percent: bool = False


_DATE_RE = re.compile(r"^(?:(?P<comp>[<>≤≥]=?|=)\s*)?(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?\s*(?P<tail>之前|以前|日前|前|底前|底|内|以内)?$")
_LEAD_NUM_RE = re.compile(r"^(?P<num>(?:[<>≤≥=]|>=|<=|> =|< =)?\s*\d[\d,]*(?:\.\d+)?\s*(?:%|百分比|万元|元|万|个|次|人次|人|件|篇|类|台|辆|项|月|个月|天|日)?)\s*(?P<rest>\S.*)$")
UNIT_ONLY = frozenset({"%", "个", "次", "人次", "人", "件", "项", "万元", "元", "天", "月", "个月", "篇", "台", "辆", "百分比", "户", "亩"})


_LATEX = (("\\geq", "≥"), ("\\leq", "≤"), ("\\ge", "≥"), ("\\le", "≤"), ("\\%", "%"), ("$", ""))


def _normalise_target(raw: str) -> str:
    """Undo extraction damage: LaTeX (``$\\geq 90\\%$``), doubled comparators (``≥=95%``), a comparator after its number (``67>=万元``)."""
    t = unicodedata.normalize("NFKC", raw or "")
    if "$" in t or "\\" in t:
        for a, b in _LATEX:
            t = t.replace(a, b)
    t = re.sub(r"(?<=[<>])\s+(?==)", "", t)
    t = re.sub(r"^([≥≤])\s*=", r"\1", t.strip())
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*(>=|<=|≥|≤|>|<|=)\s*(\D.*)", t)
    if m:
        t = f"{m.group(2)}{m.group(1)}{m.group(3)}"
    return t


@lru_cache(maxsize=8192)
def parse_target(raw: str) -> Target:
    """Parse an 指标值: ``≥95%``, ``> =90%``, ``=5 类``, ``≤10 个月``, ``2024年11月30日之前``, words."""
    raw = _normalise_target(raw)
    text = clean(raw)
    t = squash(raw)
    if not t or t in ("-", "—", "/", "无"):
        return Target(text, "empty")
    if t in UNIT_ONLY:
        return Target(text, "unit-only", unit=t)
    if re.fullmatch(r"[<>≤≥=]+=?%?", t):  # a comparator whose number was never filled in
        return Target(text, "comparator-only")
    m = _DATE_RE.match(t)
    if m:
        comp = m.group("comp")
        comp = {">=": "≥", "<=": "≤"}.get(comp or "", comp)
        if m.group("tail"):
            comp = comp or "≤"
        return Target(text, "date", comparator=comp)
    n = parse_number(text)
    if n.value is None:
        lm = _LEAD_NUM_RE.match(text)
        if lm and not re.match(r"^[年月日号\d.]", lm.group("rest")):
            lead = parse_number(lm.group("num"))
            if lead.comparator is not None or lead.unit is not None:
                n = lead
    if n.value is not None:
        unit = n.unit
        percent = n.percent
        return Target(text, "number", n.comparator, n.value, unit, percent)
    if re.search(r"\d", t):
        return Target(text, "words")
    return Target(text, "words")


# ---------------------------------------------------------------------------
# the model


@dataclass(slots=True)
class Funds:
    """The funds block.  Cells are the printed amounts (``None`` when not printed)."""

    total: Cell | None = None
    fiscal: Cell | None = None
    other: Cell | None = None
    fiscal_parts: list[tuple[str, Cell]] = field(default_factory=list)  # 上级安排, 本级安排, 上年结转…
    other_parts: list[tuple[str, Cell]] = field(default_factory=list)
    unit: str | None = None

    def amount(self) -> Cell | None:
        """The project's amount: the total, else the fiscal part."""
        if self.total is not None and self.total.value is not None:
            return self.total
        return self.fiscal


@dataclass(slots=True)
class PlanStep:
    period: str
    month: int | None
    cell: Cell  # the (first) cell the value was read from
    value: Decimal
    raw: str


@dataclass(slots=True)
class Indicator:
    """One indicator row: its tree position, its target and weight, all located."""

    row: Row
    level1: str | None
    level2: str | None
    name: str | None
    name_cell: Cell | None
    value_cell: Cell | None
    target: Target
    weight: Cell | None
    level1_cell: Cell | None = None
    level2_cell: Cell | None = None
    level1_inherited: bool = True
    shift: int = 0

    @property
    def line(self) -> int | None:
        return self.row.loc.line

    @property
    def anchor(self) -> Cell:
        return self.value_cell or self.name_cell or self.row.cells[0]


@dataclass(slots=True)
class Task:
    """One line of a 部门整体绩效目标表's 年度主要任务 block: its name and its 预算金额 (总额, 财政拨款, 其他资金)."""

    name: str
    name_cell: Cell
    amounts: dict[str, Cell]  # "total" | "fiscal" | "other" → the printed cell


@dataclass(slots=True)
class PerfTable:
    """A performance-target table understood."""

    table: Table
    unit_name: str | None = None
    unit_cell: Cell | None = None
    project_name: str | None = None
    project_cell: Cell | None = None
    funds: Funds = field(default_factory=Funds)
    plan: list[PlanStep] = field(default_factory=list)
    plan_label: Cell | None = None
    goal: str = ""
    goal_cell: Cell | None = None
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)
    indicators: list[Indicator] = field(default_factory=list)
    weight_total_cell: Cell | None = None  # a printed 合计 of the weights, if any
    repairs: list[tuple[tuple[str, ...], str, Cell]] = field(default_factory=list)  # OCR repairs: (printed pieces, read as, where)
    tasks: list[Task] = field(default_factory=list)  # 年度主要任务 (部门整体绩效目标表)
    tasks_total: Task | None = None  # its 金额合计 line

    @property
    def kind(self) -> str:
        return self.table.kind

    @property
    def has_weights(self) -> bool:
        return "weight" in self.columns

    def weighted(self) -> list[Indicator]:
        return [i for i in self.indicators if i.weight is not None and i.weight.value is not None]


# ---------------------------------------------------------------------------
# parsing target tables

_UNIT_LABEL = re.compile(r"^(预算单位|单位名称|部门\(单位\)名称|部门名称|申报单位|主管部门及代码|填报单位|实施单位)")
_PROJECT_LABEL = re.compile(r"^项目名称")
_STOP_LABEL = re.compile(r"^(项目负责人|联系人|联系电话|单位联系人|项目编码|项目属性|项目类型|主管部门|实施单位|项目期|项目周期)")
_TOTAL_LABEL = re.compile(r"^(年度预算总额|年度资金总额|预算总额|资金总额|预算数|年度预算数|项目总额|预算金额|年度预算资金|项目资金总额)")
_FISCAL_LABEL = re.compile(r"^(其中[:：]?)?(财政拨款|财政资金|财政性资金|一般公共预算)")
_OTHER_LABEL = re.compile(r"^(其中[:：]?)?(其他资金|非财政拨款|自有资金|单位资金)")
_FISCAL_PART = re.compile(r"^(上级安排|本级安排|上级补助|本级财力|上年结转|中央资金|省级资金|市级资金|县级资金)")
_OTHER_PART = re.compile(r"^(其他|其它)$")
_GOAL_LABEL = re.compile(r"^(项目总体目标|总体目标|绩效目标|年度绩效目标|年度总体目标|整体绩效目标|年度目标)")
_PLAN_LABEL = re.compile(r"^资金支出计")
_MONTH_RE = re.compile(r"(\d{1,2})\s*(?:月|[)）\]]+)")


def _label_unit(text: str) -> str | None:
    m = re.search(r"[(（]\s*(万元|元|千元|亿元)\s*[)）]", text)
    return m.group(1) if m else None


def _texts(row: Row) -> list[tuple[int, str]]:
    return [(i, squash(c.raw)) for i, c in enumerate(row.cells) if c.raw.strip()]


def _find_header(table: Table) -> int | None:
    for r in table.rows:
        sq = [squash(c.raw) for c in r.cells]
        if any(s.startswith("一级指标") for s in sq) and any(s.startswith(("三级指标", "二级指标")) for s in sq):
            return r.index
    return None


def _header_columns(row: Row) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, c in enumerate(row.cells):
        s = squash(c.raw)
        if not s:
            continue
        if s.startswith("一级指标"):
            cols.setdefault("l1", i)
        elif s.startswith("二级指标"):
            cols.setdefault("l2", i)
        elif s.startswith("三级指标"):
            cols.setdefault("l3", i)
        elif "依据" in s:
            cols.setdefault("basis", i)
        elif "分值" in s or "权重" in s:
            cols.setdefault("weight", i)
        elif "赋分" in s:
            cols.setdefault("rule", i)
        elif "上年" in s:
            cols.setdefault("previous", i)
        elif "佐证" in s:
            cols.setdefault("evidence", i)
        elif "描述" in s or s == "绩效指标" or "指标内容" in s:
            cols.setdefault("description", i)
        elif s.startswith("指标性质") or s in ("符号", "比较符", "运算符", "指标值符号", "计算符号"):
            cols.setdefault("comparator", i)  # templates that print ≥ / ≤ / = in a column of its own
        elif s in ("度量单位", "计量单位", "单位", "指标单位", "指标值单位"):
            cols.setdefault("unit", i)
        elif "中期" in s and ("指标值" in s or "目标值" in s):
            cols.setdefault("midterm", i)  # 中期指标值 beside 年度指标值: the year's target is the one checked
        elif "指标值" in s or s in ("目标值", "年度指标值", "指标目标值", "年度目标值"):
            cols.setdefault("value", i)
    return cols


def _target_text(cells: list[Cell], value_cell: Cell | None, cols: dict[str, int], shift: int) -> str:
    """The 指标值 as one text: a comparator and a unit printed in columns of their own are joined to the number."""
    raw = value_cell.raw if value_cell is not None else ""
    if not raw.strip() or not ("comparator" in cols or "unit" in cols):
        return raw

    def part(key: str) -> str:
        j = cols.get(key)
        if j is None or not (0 <= j + shift < len(cells)):
            return ""
        return cells[j + shift].raw.strip()

    comp, unit = part("comparator"), part("unit")
    n = parse_number(raw)
    if n.value is None:
        return raw  # words
    if n.unit or n.percent:
        unit = ""  # the number carries its own unit
    if n.comparator or not re.fullmatch(r"[<>≤≥=＜＞＝≦≧]{1,2}|大于等于|小于等于|大于|小于|等于|不低于|不高于|不少于|不超过",
                                         unicodedata.normalize("NFKC", comp)):
        comp = ""  # its own comparator, or 定量, 定性, 正向…
    return f"{comp}{raw.strip()}{unit}"


def _is_bare_number(cell: Cell) -> bool:
    t = squash(cell.raw)
    return bool(re.fullmatch(r"\d{1,3}(\.\d+)?", t))


def _target_like(cell: Cell) -> bool:
    t = squash(cell.raw)
    if not t:
        return False
    if t in UNIT_ONLY:
        return True
    tg = parse_target(cell.raw)
    return tg.kind in ("number", "date") and (tg.comparator is not None or tg.percent or tg.unit is not None)


def _row_shift(row: Row, cols: dict[str, int]) -> tuple[int, Cell | None]:
    """How far the row's 指标值 moved from the header's column, and the row's weight cell.

    The two are found separately (an extra cell can sit between them) but
    agree where they can: a target-like cell (``≥95%``, ``=5 类``) next to the
    value column counts only if the weight moved the same way.
    """
    cells = row.cells
    n = len(cells)
    cv = cols.get("value")
    cw = cols.get("weight")

    def bare(j: int) -> bool:
        return 0 <= j < n and _is_bare_number(cells[j])

    def target(j: int) -> bool:
        return 0 <= j < n and _target_like(cells[j])

    if cv is not None and cw is not None:
        if target(cv):
            for d in (0, 1, -1, 2, -2):
                if bare(cw + d) and cw + d > cv:
                    return 0, cells[cw + d]
            return 0, None
        for d in (1, -1):
            if target(cv + d) and bare(cw + d):
                return d, cells[cw + d]
    if cw is not None:
        if bare(cw):
            return 0, cells[cw]
        options = []
        for d in (-1, 1, -2, 2):
            j = cw + d
            if bare(j):
                v = (cv + d) if cv is not None else None
                good = v is not None and 0 <= v < n and cells[v].raw.strip() != ""
                options.append((not good, abs(d), d, cells[j]))
        if options:
            options.sort(key=lambda o: (o[0], o[1]))
            return options[0][2], options[0][3]
    if cv is not None and cv < n and not cells[cv].raw.strip():
        for d in (-1, -2, -3, 1):
            if target(cv + d):
                return d, None
    return 0, None


_TAILS = frozenset({"", "指标", "标", "指", "度指标", "度指标", "效益", "度"})


def _assign_tree(cells: list[Cell], v: int, cols: dict[str, int], shift: int) -> tuple[Cell | None, Cell | None, Cell | None]:
    """(一级 cell, 二级 cell, 三级 cell) among the cells left of the value cell."""
    l1c, l2c, l3c = cols.get("l1", 0), cols.get("l2", 1), cols.get("l3", 2)

    def usable(i: int) -> bool:
        return 0 <= i < len(cells) and i < v and squash(cells[i].raw) not in _TAILS

    left = [(i, cells[i]) for i in range(min(v, len(cells))) if usable(i)]
    if shift == 0:
        a = cells[l1c] if usable(l1c) else None
        b = cells[l2c] if usable(l2c) else None
        c = cells[l3c] if usable(l3c) else None
        if c is None and b is not None and category_level(b.raw) is None:
            b, c = None, b
        if c is None and a is not None and category_level(a.raw) is None:
            a, c = None, a
        if a is not None and category_level(a.raw) is None and c is not None:
            a = None  # OCR residue of a vertical 一级 label
        if a is not None and b is None and category_level(a.raw) == 2:
            a, b = None, a
        if b is not None and a is None and category_level(b.raw) == 1 and c is not None and category_level(c.raw) in (2, 0):
            a, b = b, c
            c = None
        return a, b, c
    # shifted rows: category words first, then the indicator's own name
    a = b = c = None
    cats = []
    for i, cell in left:
        if c is None and category_level(cell.raw) is not None and len(cats) < 2:
            cats.append(cell)
        elif c is None:
            c = cell
    if len(cats) == 2:
        a, b = cats
    elif len(cats) == 1:
        lvl = category_level(cats[0].raw)
        if lvl == 1:
            a = cats[0]
        elif lvl == 2:
            b = cats[0]
        else:
            # ambiguous (满意度指标, 成本指标): the column it landed in decides
            pos = cells.index(cats[0])
            if pos - shift <= l1c:
                a = cats[0]
            else:
                b = cats[0]
    return a, b, c


def _last_line(row: Row) -> int:
    return max((c.loc.line or 0) for c in row.cells if c.raw.strip()) if any(c.raw.strip() for c in row.cells) else 0


def _joined(base: Cell, tail: Cell) -> Cell:
    raw = (base.raw.rstrip() + tail.raw.strip()) if base.raw.strip() else tail.raw
    n = parse_number(raw)
    loc = base.loc if base.raw.strip() else tail.loc
    return dataclasses.replace(
        base, raw=raw, loc=loc, value=n.value, decimals=n.decimals, blank=n.blank, unit=n.unit or base.unit,
        comparator=n.comparator, percent=n.percent, approx=n.approx,
    )


def _is_separator(row: Row) -> bool:
    texts = [squash(c.raw) for c in row.cells if c.raw.strip()]
    return bool(texts) and all(_SEPARATOR.fullmatch(t) for t in texts)


def _merge_continuations(rows: list[Row], cols: dict[str, int]) -> list[Row]:
    """Rejoin a row's wrapped tails printed on a line of their own after a blank line (``万元``, ``分``, ``=95%``)."""
    out: list[Row] = []
    cw = cols.get("weight")
    for row in rows:
        if _is_separator(row):
            continue
        texts = [(j, squash(c.raw)) for j, c in enumerate(row.cells) if c.raw.strip()]
        if not texts:
            continue
        prev = out[-1] if out else None
        cont = (
            prev is not None
            and cw is not None
            and (row.loc.line or 0) - _last_line(prev) >= 2
            and all(len(t) <= 12 for _, t in texts)
            and not any(_is_bare_number(row.cells[j]) for j in range(max(0, cw - 2), min(len(row.cells), cw + 3)))
            and not any(t.startswith(("合计", "总计")) for _, t in texts)
        )
        if not cont:
            out.append(row)
            continue
        shift, _ = _row_shift(prev, cols)
        cells = list(prev.cells)
        for j, t in texts:
            k = min(max(j + shift, 0), len(cells) - 1)
            if _is_bare_number(cells[k]) and (t == "分" or "赋" in t) and k + 1 < len(cells):
                k += 1  # "分" wraps the scoring rule after the weight, never the weight itself
            cells[k] = _joined(cells[k], row.cells[j])
        out[-1] = Row(index=prev.index, cells=cells, label=prev.label, code=prev.code, kind=prev.kind, indent=prev.indent)
    return out


def _parse_indicators(pt: PerfTable, rows: list[Row]) -> None:
    cols = pt.columns
    rows = _merge_continuations(rows, cols)
    cv = cols.get("value")
    cur1: str | None = None
    cur2: str | None = None
    cur1_cell: Cell | None = None
    cur2_cell: Cell | None = None
    for row in rows:
        tx = _texts(row)
        if not tx:
            continue
        first = tx[0][1]
        if first in ("合计", "总计", "合计分值", "分值合计") or first.startswith(("合计", "总计")):
            for i, c in enumerate(row.cells):
                if i > tx[0][0] and c.value is not None:
                    pt.weight_total_cell = c
            continue
        if len(tx) == 1 and len(first) <= 6 and category_level(first) is None and not _target_like(row.cells[tx[0][0]]):
            continue  # a wrapped fragment (万元, 分, 标) or OCR residue on a line of its own
        shift, weight = _row_shift(row, cols)
        v = (cv + shift) if cv is not None else len(row.cells)
        v = max(0, min(v, len(row.cells)))
        a, b, c = _assign_tree(row.cells, v, cols, shift)
        value_cell = row.cells[v] if v < len(row.cells) else None
        inherited = a is None
        if a is not None:
            if squash(a.raw) != squash(cur1):
                cur2, cur2_cell = None, None
            cur1, cur1_cell = clean(a.raw), a
        if b is not None:
            cur2, cur2_cell = clean(b.raw), b
        target = parse_target(_target_text(row.cells, value_cell, cols, shift))
        ind = Indicator(
            row=row, level1=cur1, level2=cur2, name=clean(c.raw) if c is not None else None, name_cell=c,
            value_cell=value_cell, target=target, weight=weight, level1_cell=cur1_cell if not inherited else None,
            level2_cell=cur2_cell, level1_inherited=inherited, shift=shift,
        )
        pt.indicators.append(ind)
        _note_read_as(pt, ind)
    _fix_middle_labels(pt.indicators)


def _note_read_as(pt: PerfTable, ind: Indicator) -> None:
    """Remember the header column a moved cell was read as, so a finding on it names that column,
    and the indicator's name as its row's name.

    Rows whose leading cells were dropped (or merged by OCR) sit left or right of
    the header; the cell keeps its printed position, the label follows its meaning.
    """
    if ind.name and ind.row.index >= 0:
        pt.table.meta.setdefault("row_names", {})[ind.row.index] = ind.name
    cols = pt.columns
    roles = (("l1", ind.level1_cell), ("l2", ind.level2_cell), ("l3", ind.name_cell), ("value", ind.value_cell), ("weight", ind.weight))
    for key, cell in roles:
        j = cols.get(key)
        if cell is not None and j is not None and cell.col != j and cell.row >= 0:
            pt.table.meta.setdefault("read_as", {})[(cell.row, cell.col)] = j


def _fix_middle_labels(inds: list[Indicator]) -> None:
    """A 一级 label printed on the middle row of its merged block belongs to the rows above it too."""
    for k, ind in enumerate(inds):
        if not ind.level1_inherited:
            continue
        if ind.level1 is not None and fits(ind.level2, ind.level1):
            continue
        for nxt in inds[k + 1:]:
            if not nxt.level1_inherited:
                if fits(ind.level2, nxt.level1):
                    ind.level1 = nxt.level1
                break


def _cell_after(cells: list[Cell], i: int, stop: re.Pattern | None = None) -> Cell | None:
    for c in cells[i + 1:]:
        s = squash(c.raw)
        if not s:
            continue
        if stop is not None and stop.match(s):
            return None
        return c
    return None


def _parse_funds_and_titles(pt: PerfTable, rows: list[Row]) -> None:
    f = pt.funds
    f.unit = pt.table.unit
    in_plan = False
    plan_header: list[tuple[int, str]] = []
    section: str | None = None  # 财政 / 其他 for 上级安排 / 其他 parts
    for row in rows:
        tx = _texts(row)
        if not tx:
            continue
        first = tx[0][1]
        cells = row.cells
        if in_plan:
            in_plan = False
            _read_plan(pt, plan_header, row)
            if pt.plan or first.startswith("划"):
                continue
        if pt.unit_name is None and re.match(r"^\d{6}\S", first) and len(tx) == 1:
            pt.unit_name = clean(re.sub(r"^\d{6}", "", clean(cells[tx[0][0]].raw)))
            pt.unit_cell = cells[tx[0][0]]
            continue
        if _PLAN_LABEL.match(first):
            pt.plan_label = cells[tx[0][0]]
            plan_header = [(i, s) for i, s in tx[1:]]
            in_plan = True
            continue
        for pos, (i, s) in enumerate(tx):
            lab_unit = _label_unit(clean(cells[i].raw))
            if lab_unit and f.unit is None:
                f.unit = lab_unit
            if _UNIT_LABEL.match(s) and pt.unit_name is None:
                rest = _UNIT_LABEL.sub("", s).strip("(（)）盖章:：")
                target = cells[i] if rest else _cell_after(cells, i, _STOP_LABEL)
                if target is not None:
                    pt.unit_name = clean(_UNIT_LABEL.sub("", clean(target.raw))).strip("(（)）盖章:： ") if rest else clean(target.raw)
                    pt.unit_cell = target
            elif "项目名称" in s and pt.project_name is None:
                rest = clean(re.sub(r"^.*?项目名称[:：]?", "", clean(cells[i].raw)))
                parts = [rest] if rest else []
                first_cell = cells[i] if rest else None
                for c in cells[i + 1:]:
                    cs = squash(c.raw)
                    if not cs:
                        continue
                    if _STOP_LABEL.match(cs):
                        break
                    parts.append(clean(c.raw))
                    first_cell = first_cell or c
                if parts:
                    pt.project_name = " ".join(parts)
                    pt.project_cell = first_cell
            elif _GOAL_LABEL.match(s) and not pt.goal and len(s) <= 10:
                rest = [c for c in cells[i + 1:] if c.raw.strip()]
                if rest:
                    pt.goal = " ".join(clean(c.raw) for c in rest)
                    pt.goal_cell = rest[0]
                break
        # amounts: every label takes the first number that follows it before the next label
        pending: str | None = None
        pending_name = ""
        for i, c in enumerate(cells):
            s = squash(c.raw)
            if not s:
                continue
            kind = None
            if _TOTAL_LABEL.match(s):
                kind = "total"
            elif _FISCAL_LABEL.match(s):
                kind, section = "fiscal", "fiscal"
            elif _OTHER_LABEL.match(s):
                kind, section = "other", "other"
            elif _FISCAL_PART.match(s):
                kind = "fiscal_part"
            elif _OTHER_PART.match(s) and section == "other":
                kind = "other_part"
            if kind is not None:
                pending, pending_name = kind, clean(c.raw)
                if _label_unit(clean(c.raw)) and f.unit is None:
                    f.unit = _label_unit(clean(c.raw))
                continue
            if pending is None:
                continue
            if c.value is None and not _is_amount_text(s):
                continue
            cell = _money_cell(c, f.unit)
            if pending == "total" and f.total is None:
                f.total = cell
            elif pending == "fiscal" and f.fiscal is None:
                f.fiscal = cell
            elif pending == "other" and f.other is None:
                f.other = cell
            elif pending == "fiscal_part":
                f.fiscal_parts.append((pending_name, cell))
            elif pending == "other_part":
                f.other_parts.append((pending_name, cell))
            pending = None
    if f.unit is not None:
        for attr in ("total", "fiscal", "other"):
            c = getattr(f, attr)
            if c is not None and c.unit is None:
                setattr(f, attr, _money_cell(c, f.unit))
        f.fiscal_parts = [(n, _money_cell(c, f.unit)) for n, c in f.fiscal_parts]
        f.other_parts = [(n, _money_cell(c, f.unit)) for n, c in f.other_parts]


def _is_amount_text(s: str) -> bool:
    return bool(re.fullmatch(r"\d[\d,]*(\.\d+)?", s))


def as_number(cell: Cell) -> Cell:
    """A form cell read as a number where it prints one (a copy: the table keeps what it read). The grid
    reader may have taken its column for text (a 分值 column that also holds 按支出性质分 captions)."""
    if cell.value is not None or not cell.raw.strip():
        return cell
    n = parse_number(cell.raw)
    if n.value is None:
        return cell
    return dataclasses.replace(cell, value=n.value, decimals=n.decimals, blank=n.blank, unit=n.unit,
                               comparator=n.comparator, percent=n.percent, approx=n.approx)


def _money_cell(c: Cell, unit: str | None) -> Cell:
    """The amount cell, in the funds block's unit (a copy: the table keeps what it read)."""
    c = as_number(c)
    if unit and c.unit != unit and (c.unit is None or c.unit not in ("元", "万元", "亿元", "千元")):
        c = dataclasses.replace(c, unit=unit)
    return c


def _read_plan(pt: PerfTable, header: list[tuple[int, str]], row: Row) -> None:
    """Periods from the plan header row, percentages from the row below it."""
    # periods: "3月底", OCR "3)]底", "3)" + "月底"
    periods: list[tuple[int, int | None, str]] = []
    for i, s in header:
        m = _MONTH_RE.search(s)
        if m:
            periods.append((i, int(m.group(1)), s))
        elif "月" in s or "底" in s or "季" in s:
            if periods and "月" not in periods[-1][2] and "底" not in periods[-1][2]:
                continue  # "月底" completing an OCR-split "3)"
            periods.append((i, None, s))
    if not periods:
        return
    vals: list[tuple[int, str, Cell]] = []
    label_done = False
    for i, c in enumerate(row.cells):
        s = squash(c.raw)
        if not s:
            continue
        if not label_done and i == 0 and not re.match(r"^\d", s):
            label_done = True
            continue
        vals.append((i, s, c))
    # OCR split "2" + "5%" -> 25%
    if len(vals) > len(periods):
        merged: list[tuple[int, str, Cell]] = []
        k = 0
        extra = len(vals) - len(periods)
        while k < len(vals):
            i, s, c = vals[k]
            if extra > 0 and k + 1 < len(vals) and re.fullmatch(r"\d", s) and re.fullmatch(r"\d+(\.\d+)?%", vals[k + 1][1]):
                merged.append((i, s + vals[k + 1][1], c))
                pt.repairs.append(((s, vals[k + 1][1]), s + vals[k + 1][1], c))
                k += 2
                extra -= 1
                continue
            merged.append((i, s, c))
            k += 1
        vals = merged
    period_cols = {p[0]: p for p in periods}
    if vals and all(i in period_cols for i, _, _ in vals):
        pairs = [(period_cols[i], s, c) for i, s, c in vals]
    elif len(vals) == len(periods):
        pairs = [(p, s, c) for p, (i, s, c) in zip(periods, vals)]
    else:
        return
    for (col, month, label), s, c in pairs:
        n = parse_number(s)
        if n.value is None:
            continue
        pt.plan.append(PlanStep(period=clean(label), month=month, cell=c, value=n.value, raw=s))


def parse_target_table(table: Table) -> PerfTable:
    pt = PerfTable(table=table)
    h = _find_header(table)
    pt.header_row = h
    head_rows = table.rows if h is None else table.rows[:h]
    _parse_funds_and_titles(pt, head_rows)
    if pt.unit_name is None:
        # some templates print "324001 怀来县自然资源和规划局" as a line of its own above the table
        for p in reversed(table.meta.get("before", [])):
            m = re.match(r"^\s*\d{6}\s*(\S.*?)\s*$", p.text)
            if m and not re.search(r"\d", m.group(1)):
                pt.unit_name = clean(m.group(1))
                pt.unit_cell = Cell(raw=p.text, loc=p.loc)
                break
    _parse_tasks(pt, head_rows)
    if h is not None:
        pt.columns = _header_columns(table.rows[h])
        _parse_indicators(pt, table.rows[h + 1:])
    return pt


_TASK_HEAD = re.compile(r"^(任务名称|主要任务名称|重点任务|工作任务)")
_TASK_TOTAL = re.compile(r"^(金额合计|合计|总计|小计)")
_TASK_AMOUNTS = (("total", re.compile(r"^(总额|合计|小计|预算金额|金额)")), ("fiscal", re.compile(r"^(财政拨款|财政资金|财政性资金)")),
                 ("other", re.compile(r"^(其他资金|其它资金)")))


def _parse_tasks(pt: PerfTable, rows: list[Row]) -> None:
    """The 年度主要任务 block: 任务名称 | 主要内容 | 预算金额 (总额 | 财政拨款 | 其他资金), then 金额合计."""
    for k, row in enumerate(rows):
        name_col = next((i for i, s in _texts(row) if _TASK_HEAD.match(s)), None)
        if name_col is None:
            continue

        def captions(r: Row) -> dict[str, int]:
            found: dict[str, int] = {}
            for i, s in _texts(r):
                key = next((key for key, pat in _TASK_AMOUNTS if pat.match(s)), None)
                if i > name_col and key is not None:
                    found.setdefault(key, i)
            return found

        # the amount captions sit under a merged 预算金额 when there is a row of them, else on the header row
        below = captions(rows[k + 1]) if k + 1 < len(rows) else {}
        cols, body = (below, k + 2) if below else (captions(row), k + 1)
        if "total" not in cols:
            return
        # findings on the block name the captions printed above them (任务名称, 总额, 财政拨款…)
        named = [clean(c.raw) for c in row.cells]
        for key, i in cols.items():
            named[i:i + 1] = [clean(rows[body - 1].cells[i].raw)] if i < len(named) else []
        start = rows[body].index if body < len(rows) else len(pt.table.rows)
        for line in rows[body:]:
            tx = _texts(line)
            if not tx:
                continue
            amounts = {key: line.cells[i] for key, i in cols.items() if i < len(line.cells) and line.cells[i].value is not None}
            if not amounts:
                break  # the block ends (年度总体目标, the indicators…)
            name_cell = line.cells[name_col] if name_col < len(line.cells) and line.cells[name_col].raw.strip() else \
                next((line.cells[i] for i, _ in tx if line.cells[i].value is None), line.cells[tx[0][0]])
            task = Task(name=clean(name_cell.raw), name_cell=name_cell, amounts=amounts)
            end = line.index + 1
            if _TASK_TOTAL.match(squash(name_cell.raw)) or any(_TASK_TOTAL.match(t) for _, t in tx):
                pt.tasks_total = task
                break
            pt.tasks.append(task)
        if pt.tasks:
            pt.table.meta.setdefault("form_captions", []).append((start, end, named))
        return
