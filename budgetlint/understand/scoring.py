"""Reading scoring sheets and self-evaluation forms into a tree of located nodes.

* **绩效评价指标体系表** (``perf.scoring`` with 一级/二级/三级 in the column
  header): a tree of nodes with 分值 and 得分, including weights written inside
  labels (``B 部门管理 (22 分)``, ``B1 预算执行 (10)``);
* **绩效自评表** printed as a form (项目/部门整体支出绩效自评表): the funds block
  (年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 by source) and the
  indicator header are rows inside the grid; the 预算执行率 points join the tree as
  a 一级 node of their own, and each indicator keeps its 年度指标值, 实际完成值
  and 偏差原因 cells.

Nothing here judges anything: the rules in ``rules/perf/`` do.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from ..model import Cell, Row, Table
from ..numbers import parse_number
from .forms import as_number, clean, squash

_LABEL_WEIGHT = re.compile(r"[(（]\s*([+\-−≤≥]?\s*\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$")


@dataclass(slots=True)
class ScoreNode:
    """One node of a scoring tree: its label, 分值 and 得分 (cells, possibly read from a label)."""

    label: str
    level: int
    cell: Cell  # the label cell
    weight: Cell | None = None
    score: Cell | None = None
    children: list["ScoreNode"] = field(default_factory=list)
    bonus: bool = False  # 加减分项: outside the 100
    target: Cell | None = None  # 年度指标值 (self-evaluation forms)
    result: Cell | None = None  # 实际完成值
    reason: Cell | None = None  # 偏差原因分析及改进措施

    @property
    def line(self) -> int | None:
        return self.cell.loc.line


@dataclass(slots=True)
class ExecutionBlock:
    """The funds block of a 绩效自评表: 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分 by source.

    ``columns`` maps ``initial``, ``budget``, ``executed``, ``weight``, ``rate``
    and ``score`` to the row positions they were printed in; ``total`` is the
    年度资金总额 row, ``parts`` the rows by source (当年财政拨款, 上年结转资金, 其他资金).
    """

    columns: dict[str, int]
    total: list[Cell]
    total_label: str
    parts: list[tuple[str, list[Cell]]] = field(default_factory=list)

    def cell(self, cells: list[Cell], key: str) -> Cell | None:
        j = self.columns.get(key)
        return as_number(cells[j]) if j is not None and j < len(cells) else None


@dataclass(slots=True)
class ScoreTree:
    table: Table
    roots: list[ScoreNode] = field(default_factory=list)
    total_weight: Cell | None = None
    total_score: Cell | None = None
    execution: ExecutionBlock | None = None  # self-evaluation forms: the 预算执行率 block
    subject: str | None = None  # the 项目名称 / 部门（单位）名称 a self-evaluation form is about
    subject_kind: str = "项目"  # 项目 or 部门 / 单位, as its caption says

    def about(self, lang: str = "zh") -> str:
        """``项目「…」：`` before a message, so one form among many is named."""
        if not self.subject:
            return ""
        return f"{self.subject_kind}「{self.subject}」：" if lang != "en" else f"{self.subject}: "


def _label_weight_cell(cell: Cell) -> Cell | None:
    m = _LABEL_WEIGHT.search(clean(cell.raw))
    if not m:
        return None
    raw = m.group(1).replace(" ", "")
    if raw.startswith(("≤", "≥", "+", "-", "−")):
        return None
    n = parse_number(raw)
    if n.value is None:
        return None
    return dataclasses.replace(cell, value=n.value, decimals=n.decimals, blank=False, unit=None, comparator=None, percent=False)


def parse_scoring_table(table: Table) -> ScoreTree | None:
    """The scoring tree of a 绩效评价指标体系表 (levels in the column header) or of a 绩效自评表 form.

    A self-evaluation form prints its funds block and its indicator header inside
    the grid (项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分, then
    一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因): the
    columns are read from those rows, and the 预算执行率 points join the tree as a
    一级 node of their own, so the 总分 row adds them up with the indicators.
    """
    cols = table.columns
    lvl_cols = []
    for word in ("一级", "二级", "三级"):
        for c in cols:
            if any(word in p for p in c.path):
                lvl_cols.append(c.index)
                break
    w_col = next((c.index for c in cols if any(("分值" in p or "权重" in p) for p in c.path)), None)
    s_col = next((c.index for c in cols if any("得分" in p for p in c.path)), None)
    if len(lvl_cols) >= 2 and w_col is not None:
        tree = ScoreTree(table)
        _grow_tree(tree, table.rows, lvl_cols, w_col, s_col, {})
        return tree
    return _parse_self_evaluation(table)


def _grow_tree(tree: ScoreTree, rows: list[Row], lvl_cols: list[int], w_col: int, s_col: int | None, more: dict[str, int]) -> None:
    """Add the rows' 一级 → 二级 → 三级 nodes to ``tree``; a 合计/总计/总分 row gives the totals."""
    stack: list[ScoreNode | None] = [None] * len(lvl_cols)

    def at(cells: list[Cell], j: int | None) -> Cell | None:
        return as_number(cells[j]) if j is not None and j < len(cells) else None

    for row in rows:
        cells = row.cells
        first = next((squash(c.raw) for c in cells if c.raw.strip()), "")
        if row.kind == "total" or squash(row.label).startswith(("合计", "总计", "总分")) or first.startswith(("合计", "总计", "总分")):
            wc, sc = at(cells, w_col), at(cells, s_col)
            tree.total_weight = wc if wc is not None and wc.value is not None else None
            tree.total_score = sc if sc is not None and sc.value is not None else None
            continue
        filled = [k for k, ci in enumerate(lvl_cols) if ci < len(cells) and cells[ci].raw.strip()]
        if not filled:
            continue
        deepest = filled[-1]
        for k in filled:
            cell = cells[lvl_cols[k]]
            node = ScoreNode(label=clean(cell.raw), level=k + 1, cell=cell)
            node.bonus = "加减分" in squash(cell.raw) or "加分" in squash(cell.raw) or "减分" in squash(cell.raw)
            if k == deepest:
                wc = at(cells, w_col)
                node.weight = wc if wc is not None and wc.value is not None else _label_weight_cell(cell)
                if wc is not None and wc.raw.strip() and re.match(r"^\(?[+\-−]", squash(wc.raw)):
                    node.bonus = True
                sc = at(cells, s_col)
                if sc is not None and sc.value is not None:
                    node.score = sc
                node.target, node.result, node.reason = at(cells, more.get("value")), at(cells, more.get("result")), at(cells, more.get("reason"))
                if more and row.index >= 0:  # a form: the row goes by its indicator's name
                    tree.table.meta.setdefault("row_names", {})[row.index] = node.label
            else:
                node.weight = _label_weight_cell(cell)
            parent = next((stack[j] for j in range(k - 1, -1, -1) if stack[j] is not None), None)
            if parent is not None:
                parent.children.append(node)
                node.bonus = node.bonus or parent.bonus
            else:
                tree.roots.append(node)
            stack[k] = node
            for j in range(k + 1, len(stack)):
                stack[j] = None


def _form_columns(cells: list[Cell]) -> dict[str, int]:
    """Positions of the indicator header of a self-evaluation form."""
    cols: dict[str, int] = {}
    for j, c in enumerate(cells):
        t = squash(c.raw)
        if not t:
            continue
        for key, test in (
            ("l1", t.startswith("一级指标")), ("l2", t.startswith("二级指标")), ("l3", t.startswith("三级指标")),
            ("score", "得分" in t), ("weight", "分值" in t or "权重" in t),
            ("result", ("实际完成" in t or "完成值" in t or t in ("实际值", "完成情况")) and "上年" not in t),
            ("reason", "偏差" in t or "原因" in t), ("value", "指标值" in t or t in ("目标值", "预期目标值")),
        ):
            if test:
                cols.setdefault(key, j)
                break
    return cols


_EXEC_HEADS = (
    ("initial", ("年初预算数", "年初预算")), ("budget", ("全年预算数", "全年预算", "调整预算数", "预算数")),
    ("executed", ("全年执行数", "执行数", "实际支出数", "实际支出")), ("weight", ("分值",)), ("rate", ("执行率",)), ("score", ("得分",)),
)


def _execution_columns(cells: list[Cell]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for j, c in enumerate(cells):
        t = squash(c.raw)
        for key, words in _EXEC_HEADS:
            if key not in cols and any(t.startswith(w) for w in words):
                cols[key] = j
                break
    return cols if {"budget", "executed", "rate"} <= cols.keys() else {}


def _parse_self_evaluation(table: Table) -> ScoreTree | None:
    """A scoring table whose captions are rows of the grid: the indicator header (and the funds block above it)."""
    lines: list[list[Cell]] = [list(h) for h in table.header] + [list(r.cells) for r in table.rows]
    head, cols = _indicator_header(lines)
    if head is None:
        return None
    lvl_cols = [cols[k] for k in ("l1", "l2", "l3") if k in cols]
    tree = ScoreTree(table)
    tree.subject, tree.subject_kind = _subject(lines[:head])
    tree.execution = _execution_block(lines[:head])
    ex = tree.execution
    # findings on the form name the caption printed above them, not the title rows the grid reader took for a header
    skip = len(table.header)
    heads = [i for i, cells in enumerate(lines[:head]) if _execution_columns(cells)][:1] + [head]
    starts = [max(i - skip + 1, 0) for i in heads]

    def captions(i: int) -> list[str]:
        own = [clean(c.raw) for c in lines[i]]
        if i == head and "weight" not in _form_columns(lines[head]):  # a header on two rows: the row above names the rest
            above = [clean(c.raw) for c in lines[head - 1]]
            own = [t or (above[j] if j < len(above) else "") for j, t in enumerate(own)] + above[len(own):]
        return own

    table.meta["form_captions"] = [(a, b, captions(i)) for a, b, i in zip(starts, starts[1:] + [len(table.rows)], heads)]
    if ex is not None:
        weight, score = ex.cell(ex.total, "weight"), ex.cell(ex.total, "score")
        if weight is not None and weight.value is not None:
            label = next((c for c in ex.total if c.raw.strip() and c.value is None), ex.total[0])
            tree.roots.append(ScoreNode(label="预算执行率", level=1, cell=label, weight=weight,
                                        score=score if score is not None and score.value is not None else None))
    body = table.rows[max(head - skip + 1, 0):]
    more = {k: cols[k] for k in ("value", "result", "reason") if k in cols}
    _grow_tree(tree, body, lvl_cols, cols["weight"], cols.get("score"), more)
    return tree if any(r.weight is not None for r in tree.roots) or tree.total_weight is not None else None


def _indicator_header(lines: list[list[Cell]]) -> tuple[int | None, dict[str, int]]:
    """The row naming 一级/二级/三级指标, and where 分值, 得分 and the rest are: on that row, or on the row
    above it when the header is printed on two rows (指标 | | | 分值 | 得分 over 一级指标 | 二级指标 | 三级指标)."""
    for i, cells in enumerate(lines):
        cols = _form_columns(cells)
        if "l1" not in cols or len({"l1", "l2", "l3"} & cols.keys()) < 2:
            continue
        if "weight" not in cols and i > 0:
            cols = {**_form_columns(lines[i - 1]), **cols}
        if "weight" in cols:
            return i, cols
    return None, {}


_SUBJECT = re.compile(r"^(项目名称|部门\(单位\)名称|部门名称|单位名称)[:：]?")


def _subject(lines: list[list[Cell]]) -> tuple[str | None, str]:
    """The project (or unit) the form is about: the text after its 项目名称 caption, and which it is."""
    for cells in lines:
        for j, c in enumerate(cells):
            t = squash(c.raw)
            m = _SUBJECT.match(t)
            if not m:
                continue
            kind = "项目" if t.startswith("项目") else ("部门" if t.startswith("部门") else "单位")
            rest = _SUBJECT.sub("", t, count=1)
            return (rest or next((clean(x.raw) for x in cells[j + 1:] if x.raw.strip()), None)), kind
    return None, "项目"


def _execution_block(lines: list[list[Cell]]) -> ExecutionBlock | None:
    """The 预算执行率 block above the indicators: its header row, the 年度资金总额 row and the rows by source."""
    for i, cells in enumerate(lines):
        cols = _execution_columns(cells)
        if not cols:
            continue
        block: ExecutionBlock | None = None
        for row in lines[i + 1:]:
            label = next((squash(c.raw) for c in row if c.raw.strip() and c.value is None and not _dash(c)), "")
            amounts = [as_number(row[j]) for k, j in cols.items() if k in ("initial", "budget", "executed") and j < len(row)]
            if not any(c.value is not None for c in amounts):
                break
            if block is None:
                block = ExecutionBlock(columns=cols, total=row, total_label=label)
            elif block.parts and (label.startswith(("其中", "按")) or ("支出" in label) != ("支出" in block.parts[0][0])):
                break  # a second breakdown (by source, then 基本支出 / 项目支出) is a list of its own
            else:
                block.parts.append((re.sub(r"^其中[:：]?", "", label), row))
        return block
    return None


def _dash(cell: Cell) -> bool:
    return squash(cell.raw) in ("—", "-", "–", "/", "——")
