"""Row and column structure of an understood table: what must add up to what.

Rules never guess a table's hierarchy themselves; they ask this module.  The
hierarchy is derived from the table's own structure, not from a list of known
rows:

* **sides** — a two-sided table (收支总表: 收入 label + values | 支出 label +
  values) is two independent lists; every value column belongs to the label
  column on its left (:attr:`Column.label_col`);
* **classification codes** — 功能分类 类/款/项 (3/5/7 digits), 经济分类 类/款
  (3/5): a longer code is a child of the nearest shorter code above it;
* **group rows** — a row without a code followed by code rows (a unit in the
  项目支出表) starts a block: the 类 → 款 → 项 chain repeats under every unit,
  so code sums are scoped to the block; an organisation name followed by plain
  rows (上年结转结余表: unit, then its projects) is a group as well;
* **numbered items** — 一、/ (一) / 1、 1. / (1): the numbering styles rank in
  the order they first appear; an item's sub-items (the next rank) add up to it;
* **parts** — ``其中：`` starts a list of parts of the row above; the rows after
  it belong to the same list until the next numbered, coded or total row.
  Unnumbered rows right under a numbered or coded item are parts of it too.
  Parts never add up as siblings; together they are at most their parent,
  exactly their parent where the template's breakdown is complete
  (:data:`COMPLETE_BREAKDOWNS`, configurable under ``sums.breakdowns``);
* **headings** — a blank unnumbered row after an item, followed by plain rows,
  heads a list of its own (``支出经济分类`` under the numbered 支出性质 items);
* **total rows** — 总计/合计/小计/本年收入合计/收入总计… cover the top-level rows
  above them (back to the previous total, which they include), or below them
  when they come first.

Columns: :func:`column_sums` reads the header tree — a 合计/总计/小计 column is
the sum of the columns under the same merged header (a group represented by
its own 小计 where it has one); ``上级…转移支付`` / ``其中`` columns are parts of
the column before them, never siblings.

Public API: :func:`sides`, :func:`row_trees`, :func:`row_tree`,
:func:`find_row`, :func:`iter_nodes`, :func:`column_sums`, :func:`is_ratio_column`.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping, Sequence

from ..model import Cell, Column, Row, Table
from .kinds import BREAKDOWNS
from .labels import norm

# Breakdowns a template defines completely: the parts add up to the parent
# exactly.  Keys and names are compared after removing numbering, 其中 and
# spaces.  Data (templates/tables.toml, [[breakdown]]); configurable:
# ``sums.breakdowns = {parent: [part, …]}`` adds or replaces entries.
COMPLETE_BREAKDOWNS: dict[str, tuple[str, ...]] = dict(BREAKDOWNS)

_TOTAL_EXACT = frozenset({
    "总计", "合计", "小计", "收入总计", "支出总计", "本年收入合计", "本年支出合计", "收入合计", "支出合计", "总合计",
})
_STYLES = [
    ("cn", re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")),
    ("paren_cn", re.compile(r"^[（(][一二三四五六七八九十]+[)）]")),
    ("arabic", re.compile(r"^\d{1,2}\s*(?:[、]|[.．](?!\d))")),
    ("paren_arabic", re.compile(r"^[（(]\d{1,2}[)）]")),
]
_CODE_INLINE = re.compile(r"^\s*(\d{3}(?:\s?\d{2}){0,2})(?!\d)\s*(\S.*)$")
_PART_START = re.compile(r"^其中\s*[:：]?\s*")
# the endings of an organisation's name (a unit row of a project or carry-over table)
ORG_SUFFIXES = ("大队", "支队", "总队", "中队", "局", "委员会", "委", "中心", "站", "所", "院", "学校", "校", "办公室", "办", "处", "厅",
                "馆", "室", "社", "公司", "政府", "街道", "镇", "乡", "队")
_ORG_SUFFIX = re.compile("(" + "|".join(ORG_SUFFIXES) + ")$")
_RATIO_WORDS = ("比", "率", "%", "百分", "占")
CODE_RANK = {3: 1, 5: 2, 7: 3}


@lru_cache(maxsize=65536)
def bare_name(label: str) -> str:
    """A row label without numbering, ``其中：`` and an inline code."""
    t = norm(label)
    t = _PART_START.sub("", t)
    for _, rx in _STYLES:
        m = rx.match(t)
        if m:
            t = t[m.end():]
            break
    m = re.match(r"^\d{3}(?:\d{2}){0,2}(?!\d)", t)
    if m and len(t) > m.end():
        t = t[m.end():]
    return t.strip(":：")


@lru_cache(maxsize=65536)
def is_total_label(label: str) -> bool:
    """总计/合计/小计, 本年收入合计, 收入总计…; a named ``X（小计）`` is an item, not a total."""
    t = norm(label).strip(":：")
    if not t:
        return False
    if re.search(r"[(（]小计[)）]$", t) and len(t) > 4:
        return False
    t = re.sub(r"[()（）]", "", t)
    return t in _TOTAL_EXACT or t.endswith(("总计", "合计")) or t.startswith(("总计", "合计")) or t == "小计" or t.endswith("小计")


@lru_cache(maxsize=65536)
def numbering_style(label: str) -> str | None:
    t = norm(label)
    for name, rx in _STYLES:
        if rx.match(t):
            return name
    return None


def is_ratio_column(col: Column) -> bool:
    """A share or rate column (占比, 执行率, %): never summed over rows."""
    return _is_ratio_path(col.path)


@lru_cache(maxsize=4096)
def _is_ratio_path(path: tuple[str, ...]) -> bool:
    return any(w in p for p in path for w in _RATIO_WORDS)


# --------------------------------------------------------------------------- sides


@dataclass(frozen=True, slots=True)
class Side:
    """One list of rows of a table: its label column and its amount columns."""

    index: int
    label_col: int | None
    value_cols: tuple[int, ...]
    code_cols: tuple[int, ...] = ()
    main: bool = True  # the side whose labels and codes understanding put on Row.label / Row.code


def sides(table: Table) -> list[Side]:
    """The sides of a table: one for ordinary tables, two (or more) for 收支总表-like tables.

    A new side starts at a label or code column that follows a value column.
    """
    groups: list[list[Column]] = []
    seen_value = False
    for col in table.columns:
        if col.role in ("label", "code") and (seen_value or not groups):
            groups.append([])
            seen_value = False
        if not groups:
            groups.append([])
        groups[-1].append(col)
        if col.role == "value":
            seen_value = True
    out = []
    for i, g in enumerate(groups):
        labels = [c.index for c in g if c.role == "label"]
        values = tuple(c.index for c in g if c.role == "value" and c.path)
        codes = tuple(c.index for c in g if c.role == "code")
        if not values:
            continue
        out.append(Side(index=len(out), label_col=labels[0] if labels else None, value_cols=values, code_cols=codes, main=i == 0))
    return out


def amount_col(table: Table, side: Side, skip: Iterable[int] = ()) -> int | None:
    """The side's first amount column that holds an amount (a block may carry empty spacer columns)."""
    skipped = set(skip)
    for c in side.value_cols:
        if c in skipped:
            continue
        if any(c < len(r.cells) and r.cells[c].value is not None for r in table.rows):
            return c
    return next((c for c in side.value_cols if c not in skipped), None)


def side_label_code(table: Table, row: Row, side: Side) -> tuple[str, str | None]:
    """A row's label and classification code on one side."""
    return _side_label(row, side, table)


# --------------------------------------------------------------------------- row tree


@dataclass(eq=False, slots=True)
class Node:
    """A row as seen from one side, placed in the row hierarchy.

    ``kind``: ``total`` (总计/合计…), ``code`` (classification code), ``item``
    (numbered), ``group`` (a unit block head), ``heading`` (a blank row heading
    a list), ``plain``, ``part`` (in a 其中 list or under an item).
    ``children`` add up to the row (code children, numbered sub-items, a
    group's or heading's rows); ``parts`` are its 其中 parts (≤, or = when
    ``parts_complete``); ``covers`` are the rows a total row adds up.
    """

    row: Row
    side: Side
    label: str
    name: str
    code: str | None
    kind: str
    rank: float = 0.0
    style: str | None = None
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    parts: list["Node"] = field(default_factory=list)
    parts_complete: bool = False
    covers: list["Node"] = field(default_factory=list)
    covers_below: bool = False

    @property
    def index(self) -> int:
        return self.row.index

    def cell(self, col: int) -> Cell:
        return self.row.cells[col]

    def cells(self) -> list[Cell]:
        """The amount cells of this row on its side."""
        return [self.row.cells[c] for c in self.side.value_cols]

    def blank(self) -> bool:
        return all(self.row.cells[c].value is None for c in self.side.value_cols)

    def display(self) -> str:
        """The label as printed (with its code), for messages."""
        if self.code and not self.label.startswith(self.code):
            return f"{self.code} {self.label}".strip()
        return self.label or (self.code or f"#{self.row.index + 1}")

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Node({self.kind} r{self.row.index} {self.display()!r})"


@dataclass(slots=True)
class RowTree:
    """The row hierarchy of one side: every node in row order and the roots."""

    side: Side
    nodes: list[Node]
    roots: list[Node]

    @property
    def totals(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "total"]


def _side_label(row: Row, side: Side, table: Table) -> tuple[str, str | None]:
    if side.main:
        return row.label, row.code
    label = ""
    if side.label_col is not None and side.label_col < len(row.cells):
        label = unicodedata.normalize("NFKC", row.cells[side.label_col].raw).strip()
        label = re.sub(r"\s+", " ", label)
    code = "".join(norm(row.cells[c].raw) for c in side.code_cols if c < len(row.cells)) or None
    if not code and label:
        m = _CODE_INLINE.match(label)
        if m and re.fullmatch(r"\d{3}(\d{2}){0,2}", m.group(1).replace(" ", "")):
            code, label = m.group(1).replace(" ", ""), m.group(2).strip()
    if code and not re.fullmatch(r"\d{3}(\d{2}){0,2}", code):
        code = None
    return label, code


def _breakdowns(config: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    out = dict(COMPLETE_BREAKDOWNS)
    extra = (config or {}).get("breakdowns") if isinstance(config, Mapping) else None
    if isinstance(extra, Mapping):
        for k, v in extra.items():
            out[norm(str(k))] = tuple(norm(str(x)) for x in (v or ()))
    return out


def row_trees(table: Table, config: Mapping[str, Any] | None = None) -> list[RowTree]:
    """The row hierarchy of every side of ``table``.

    ``config`` is the ``sums`` section of the configuration (``breakdowns``).
    Cached on the table (``table.meta``) for the default configuration.
    """
    if config is None:
        cached = table.meta.get("_row_trees")
        if cached is not None:
            return cached
    breakdowns = _breakdowns(config)
    out = [_build(table, s, breakdowns) for s in sides(table)]
    if config is None:
        table.meta["_row_trees"] = out
    return out


def row_tree(table: Table, side: int = 0) -> list[Node]:
    """The root nodes of one side (``side`` 0 is the left or only side)."""
    trees = row_trees(table)
    return trees[side].roots if side < len(trees) else []


def iter_nodes(table: Table) -> Iterator[Node]:
    """Every node of every side, in row order per side."""
    for t in row_trees(table):
        yield from t.nodes


def find_row(table: Table, *words: str, side: int | None = None) -> Node | None:
    """The first row whose label (without numbering) contains every word, on one side or any."""
    ws = [norm(w) for w in words]
    for t in row_trees(table):
        if side is not None and t.side.index != side:
            continue
        for n in t.nodes:
            if all(w in n.name for w in ws):
                return n
    return None


def _build(table: Table, side: Side, breakdowns: dict[str, tuple[str, ...]]) -> RowTree:
    # 1. the rows of this side that say something
    entries: list[Node] = []
    for row in table.rows:
        if row.kind in ("fragment", "note"):
            continue
        label, code = _side_label(row, side, table)
        if not label and not code:
            continue  # filler rows, blank lines, values without a row name (shifted extraction)
        name = bare_name(label)
        if is_total_label(label) and not code:
            kind = "total"
        elif code:
            kind = "code"
        elif numbering_style(label):
            kind = "item"
        else:
            kind = "plain"
        entries.append(Node(row=row, side=side, label=label, name=name, code=code, kind=kind, style=numbering_style(label) if kind == "item" else None))
    has_codes = any(e.kind == "code" for e in entries)
    if not has_codes and not any(e.kind == "item" for e in entries):
        _indentation_items(table, side, entries)
    style_rank: dict[str, int] = {}
    for e in entries:
        if e.kind == "item" and e.style not in style_rank:
            style_rank[e.style] = len(style_rank) + 1

    nodes: list[Node] = []
    stack: list[Node] = []
    part_owner: Node | None = None
    part_mode = "any"  # "any": every plain row joins; "catalogue": only the template's part names
    last_main: Node | None = None  # the last node that is not a part

    def attach(node: Node) -> None:
        while stack and stack[-1].rank >= node.rank:
            stack.pop()
        if stack:
            node.parent = stack[-1]
            stack[-1].children.append(node)
        stack.append(node)

    for i, e in enumerate(entries):
        nxt = entries[i + 1] if i + 1 < len(entries) else None
        if e.kind == "total":
            stack.clear()
            part_owner = None
            nodes.append(e)
            last_main = e
            continue
        if e.kind == "plain" and _PART_START.match(norm(e.label)) and last_main is not None:
            owner = last_main
            prev = nodes[-1] if nodes else None
            if prev is not None and prev.kind == "part":
                if _PART_START.match(norm(prev.label)):
                    owner = prev  # 其中：A / 其中：a — parts of a part
                else:
                    # a list member followed by its own 其中 list: it was the owner's sibling, not its part
                    prev.parent.parts.remove(prev)
                    prev.parent.parts_complete = _complete(prev.parent, breakdowns)
                    prev.kind, prev.parent = "plain", None
                    owner = prev
            e.kind, e.parent = "part", owner
            owner.parts.append(e)
            part_owner, part_mode = owner, "any"
            owner.parts_complete = _complete(owner, breakdowns)
            nodes.append(e)
            continue
        if e.kind in ("code", "item"):
            part_owner = None
            e.rank = CODE_RANK.get(len(e.code), 3) if e.kind == "code" else style_rank[e.style]
            attach(e)
            nodes.append(e)
            last_main = e
            continue
        # plain rows
        if part_owner is not None and (part_mode == "any" or e.name in breakdowns.get(part_owner.name, ())):
            e.kind, e.parent = "part", part_owner
            part_owner.parts.append(e)
            part_owner.parts_complete = _complete(part_owner, breakdowns)
            nodes.append(e)
            continue
        part_owner = None
        nxt_plain = nxt is not None and nxt.kind == "plain" and not _PART_START.match(norm(nxt.label))
        if has_codes and nxt is not None and nxt.kind == "code":
            e.kind, e.rank = "group", 0
            stack.clear()
            stack.append(e)
        elif (
            not has_codes and (not stack or stack[-1].kind == "group") and nxt_plain and _ORG_SUFFIX.search(e.name) and not _ORG_SUFFIX.search(nxt.name)
            and nxt.name not in breakdowns.get(e.name, ())
        ):
            e.kind, e.rank = "group", 0
            stack.clear()
            stack.append(e)
        elif stack and stack[-1].kind in ("item", "code") and e.blank() and nxt_plain:
            e.kind, e.rank = "heading", 1
            while stack and stack[-1].rank >= 1:
                stack.pop()
            if stack:
                e.parent = stack[-1]
                stack[-1].children.append(e)
            stack.append(e)
        elif stack and stack[-1].kind in ("heading", "group"):
            e.parent = stack[-1]
            stack[-1].children.append(e)
        elif stack and stack[-1].kind in ("item", "code"):
            owner = stack[-1]
            e.kind, e.parent = "part", owner
            owner.parts.append(e)
            owner.parts_complete = _complete(owner, breakdowns) or (table.kind == "budget.gpb_project" and owner.kind == "code")
            part_owner, part_mode = owner, "any"
            nodes.append(e)
            continue
        if e.name in breakdowns and e.kind == "plain":
            part_owner, part_mode = e, "catalogue"
        nodes.append(e)
        last_main = e
    roots = [n for n in nodes if n.parent is None and n.kind != "part"]
    _cover(nodes, roots)
    return RowTree(side=side, nodes=nodes, roots=roots)


_LEAD = re.compile(r"^[ \u3000\t\u00a0]+")


def _indent_width(raw: str) -> int:
    """Leading blank space of a label as printed: an ideographic space counts two, a tab four."""
    m = _LEAD.match(raw)
    if not m:
        return 0
    return sum(2 if ch == "\u3000" else 4 if ch == "\t" else 1 for ch in m.group(0))


def _indentation_items(table: Table, side: Side, entries: list[Node]) -> None:
    """Rows whose hierarchy is shown by indentation only (no codes, no numbering).

    Each deeper indentation is a level below the nearest shallower row above it.  Leading
    spaces can also be an extraction artefact (a centred label), so the reading is a
    hypothesis: it is kept only when the parents it makes equal the sum of their children
    in most cases (the numbers confirm it); the rows then rank as items of style ``indent``.
    """
    if side.label_col is None:
        return
    plain = [e for e in entries if e.kind == "plain" and not _PART_START.match(norm(e.label))]
    widths = {id(e): _indent_width(e.row.cells[side.label_col].raw) for e in plain if side.label_col < len(e.row.cells)}
    levels = sorted(set(widths.values()))
    if len(levels) < 2 or len(plain) < 3:
        return
    rank = {w: i + 1 for i, w in enumerate(levels)}
    col = next((c for c in side.value_cols if any(c < len(e.row.cells) and e.row.cells[c].value is not None for e in plain)), None)
    if col is None:
        return
    # the parents this reading makes, and whether each equals the sum of its children
    held = tried = 0
    stack: list[Node] = []
    children: dict[int, list[Node]] = {}
    for e in plain:
        r = rank[widths[id(e)]]
        while stack and rank[widths[id(stack[-1])]] >= r:
            stack.pop()
        if stack:
            children.setdefault(id(stack[-1]), []).append(e)
        stack.append(e)
    for e in plain:
        kids = children.get(id(e))
        if not kids:
            continue
        cells = [k.row.cells[col] for k in kids] + [e.row.cells[col]]
        if all(c.value is None for c in cells):
            continue
        tried += 1
        half = max((Decimal(5) * Decimal(10) ** -(c.decimals + 1) for c in cells if c.value is not None and not c.exact), default=Decimal(0))
        diff = abs(e.row.cells[col].amount - sum((k.row.cells[col].amount for k in kids), Decimal(0)))
        if diff <= half * (len(kids) + 1):
            held += 1
    kept = tried > 0 and held * 3 >= tried * 2
    readings = [r for r in table.meta.get("row_readings", []) if r["side"] != side.index]
    table.meta["row_readings"] = readings + [{"side": side.index, "reading": "indentation", "held": held, "tried": tried, "kept": kept}]
    if not kept:
        return
    for e in plain:
        e.kind, e.style = "item", f"indent{rank[widths[id(e)]]}"


def _complete(owner: Node, breakdowns: dict[str, tuple[str, ...]]) -> bool:
    names = breakdowns.get(owner.name)
    return bool(names) and all(p.name in names for p in owner.parts)


def _cover(nodes: list[Node], roots: list[Node]) -> None:
    """Which rows each total row adds up: top-level rows back to the previous total, or below when it comes first."""
    root_set = set(id(r) for r in roots)
    positions = [i for i, n in enumerate(nodes) if n.kind == "total"]
    for k, p in enumerate(positions):
        total = nodes[p]
        start = positions[k - 1] + 1 if k > 0 else 0
        above = [n for n in nodes[start:p] if id(n) in root_set]
        prev = nodes[positions[k - 1]] if k > 0 else None
        if above or (prev is not None and not prev.covers_below):
            total.covers = ([prev] if prev is not None and not prev.covers_below else []) + above
        else:
            end = positions[k + 1] if k + 1 < len(positions) else len(nodes)
            total.covers = [n for n in nodes[p + 1:end] if id(n) in root_set]
            total.covers_below = True


def expand_headings(nodes: Iterable[Node]) -> list[Node]:
    """Replace blank heading rows by the rows under them (a heading carries no amount)."""
    out: list[Node] = []
    for n in nodes:
        if n.kind == "heading":
            out.extend(expand_headings(n.children))
        else:
            out.append(n)
    return out


# --------------------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class ColumnSum:
    """``total`` column = Σ sign·column over ``terms`` in every row (relation ``=`` or ``>=``)."""

    total: int
    terms: tuple[tuple[int, int], ...]  # (sign, column index)
    relation: str = "="
    source: str = "header"  # "header" | "formula" | "names" | "part"
    text: str = ""  # the stated formula, if any


_TOTAL_COL = re.compile(r"(合计|总计|小计)$")
_PART_COL = re.compile(r"^(其中|上级.*(转移支付|补助)|.*其中)")


def is_total_column(col: Column) -> bool:
    leaf = norm(col.leaf)
    leaf = re.sub(r"[(（][^)）]*[)）]$", "", leaf)
    return bool(_TOTAL_COL.search(leaf))


def is_part_column(col: Column) -> bool:
    return bool(_PART_COL.match(norm(col.leaf)))


# A group whose columns include more totals than this (a header of 合计 repeated across the
# page) is ambiguous: which total covers which columns cannot be read from the header, and
# pairing every total with every other column would grow with the square of the columns.
MAX_TOTALS_PER_GROUP = 8


def column_sums(table: Table, vote: bool = True) -> list[ColumnSum]:
    """Column identities of a table: the header tree's, confirmed or corrected by the numbers.

    The header tree proposes 合计 = Σ the columns under the same header.  A flat
    header cannot say that 人员经费 and 公用经费 are parts of 基本支出 beside
    it, nor that 会议费 and 培训费 printed after the 三公 columns are not part of
    their 合计: :func:`vote_column_sums` tries those alternatives and keeps the
    one under which the most rows add up.  Cached on the table.
    """
    cached = table.meta.get("_column_sums") if vote else None
    if cached is not None:
        return cached
    out: list[ColumnSum] = []
    for side in sides(table):
        cols = [table.columns[c] for c in side.value_cols if not is_ratio_column(table.columns[c])]
        paths = {c.index: tuple(norm(p) for p in c.path) for c in cols}
        # every group (header prefix) -> its columns, built once: each group is then read in time
        # proportional to its own size, not to the width of the table
        under: dict[tuple[str, ...], list[Column]] = {}
        totals_in: dict[tuple[str, ...], int] = {}
        for c in cols:
            p = paths[c.index]
            for k in range(len(p)):
                under.setdefault(p[:k], []).append(c)
            if p and is_total_column(c):
                totals_in[p[:-1]] = totals_in.get(p[:-1], 0) + 1
        header_sums: list[ColumnSum] = []
        for col in cols:
            p = paths[col.index]
            if not p or not is_total_column(col):
                continue
            prefix = p[:-1]
            if totals_in.get(prefix, 0) > MAX_TOTALS_PER_GROUP:
                continue
            terms = _group_terms(cols, paths, prefix, exclude=col.index, under=under)
            if terms:
                header_sums.append(ColumnSum(total=col.index, terms=tuple((1, t) for t in terms)))
        out.extend(vote_column_sums(table, side, header_sums) if vote else header_sums)
        # 其中 / 上级转移支付 columns are parts of the column before them
        for i, col in enumerate(cols):
            if i and is_part_column(col):
                j = i - 1
                while j >= 0 and is_part_column(cols[j]):
                    j -= 1
                if j >= 0 and paths[cols[j].index][:-1] == paths[col.index][:-1]:
                    out.append(ColumnSum(total=cols[j].index, terms=((1, col.index),), relation=">=", source="part"))
    if vote:
        table.meta["_column_sums"] = out
    return out


def _group_terms(
    cols: Sequence[Column], paths: dict[int, tuple[str, ...]], prefix: tuple[str, ...], exclude: int,
    under: Mapping[tuple[str, ...], Sequence[Column]] | None = None,
) -> list[int]:
    """The columns that add up to a group's total: each child column, or a sub-group's own total, else its members.

    ``under`` (group prefix -> its columns, see :func:`column_sums`) avoids scanning every column per group.
    """
    n = len(prefix)
    if under is not None:
        members = [c for c in under.get(prefix, ()) if c.index != exclude]
    else:
        members = [c for c in cols if c.index != exclude and len(paths[c.index]) > n and paths[c.index][:n] == prefix]
    groups: dict[str, list[Column]] = {}  # insertion order: the order of first appearance
    for c in members:
        groups.setdefault(paths[c.index][n], []).append(c)
    out: list[int] = []
    for head, sub in groups.items():
        if len(sub) == 1 and len(paths[sub[0].index]) == n + 1:
            if not is_part_column(sub[0]):
                out.append(sub[0].index)
            continue
        own = [m for m in sub if len(paths[m.index]) == n + 2 and is_total_column(m)]
        if own:
            out.append(own[0].index)
        elif any(len(paths[m.index]) == n + 1 for m in sub):
            out.extend(m.index for m in sub if len(paths[m.index]) == n + 1 and not is_part_column(m))
        else:
            out.extend(_group_terms(sub, paths, prefix + (head,), exclude=exclude, under=under))
    return out


# --------------------------------------------------------------------------- column vote

MAX_VOTE_TERMS = 24  # a wider flat group keeps its header structure (the vote is quadratic in the terms)
_VOTE_ROUNDS = 3


def _data_rows(table: Table) -> list[int]:
    return [r.index for r in table.rows if r.kind not in ("fragment", "note")]


def _failures(m, rows, sums: Sequence[ColumnSum]) -> tuple[int, int]:
    """(failed, filled) row instances of ``sums`` over ``rows``, judged with the one rounding rule."""
    from ..rounding import failing_mask

    failed = filled = 0
    for cs in sums:
        bad, full = failing_mask(m, rows, cs.total, cs.terms, cs.relation)
        failed += int(bad.sum())
        filled += int(full.sum())
    return failed, filled


def _nest(cs: ColumnSum, parent: int, run: Sequence[int], source: str) -> list[ColumnSum]:
    """``cs`` with ``run`` moved under ``parent``: total = Σ the rest, parent = Σ run."""
    rest = tuple(t for t in cs.terms if t[1] not in run)
    return [ColumnSum(total=cs.total, terms=rest, source=cs.source), ColumnSum(total=parent, terms=tuple((1, c) for c in run), source=source)]


def _alternatives(table: Table, cs: ColumnSum) -> list[tuple[list[ColumnSum], str]]:
    """Other readings of one flat column group: nested parts, or a shorter run of terms."""
    terms = [c for _, c in cs.terms]
    out: list[tuple[list[ColumnSum], str]] = []
    names = [bare_name(table.columns[c].leaf) for c in terms]
    for i, parent in enumerate(terms):
        if is_total_column(table.columns[parent]):
            continue
        known = COMPLETE_BREAKDOWNS.get(names[i], ())
        for j in range(i + 2, len(terms)):
            run = terms[i + 1:j + 1]
            if any(is_total_column(table.columns[c]) for c in run):
                break
            if len(run) == len(terms) - 1:
                break  # the parent would be the only other term: that is a different total, not a nesting
            domain = bool(known) and all(n in known for n in names[i + 1:j + 1])
            out.append((_nest(cs, parent, run, "names" if domain else "numbers"), "domain" if domain else "nested"))
    for j in range(1, len(terms) - 1):
        out.append(([ColumnSum(total=cs.total, terms=cs.terms[:j + 1], source="numbers")], "prefix"))
    return out


def vote_column_sums(table: Table, side: Side, sums: list[ColumnSum]) -> list[ColumnSum]:
    """Keep the header's column sums where the rows bear them out, else the reading most rows agree with.

    Each header sum that fails on some row is set against its alternatives
    (:func:`_alternatives`); the one with the fewest failing row instances
    wins, the header reading on a tie, a reading named by the domain
    (基本支出 = 人员经费 + 公用经费) before a purely arithmetic one.  The choice
    is recorded in ``table.meta["column_vote"]`` for ``budgetlint tables``.
    """
    if not sums or not table.rows:
        return sums
    from ..rounding import table_matrix

    m = table_matrix(table)
    rows = _data_rows(table)
    out: list[ColumnSum] = []
    votes = table.meta.setdefault("column_vote", [])
    for cs in sums:
        chosen = [cs]
        if cs.relation != "=" or not (3 <= len(cs.terms) <= MAX_VOTE_TERMS):
            out.extend(chosen)
            continue
        best_fail, filled = _failures(m, rows, chosen)
        if best_fail == 0:
            out.extend(chosen)
            continue
        how = "header"
        for _ in range(_VOTE_ROUNDS):
            improved = False
            for alt, kind in sorted(_alternatives(table, chosen[0]), key=lambda a: a[1] != "domain"):
                cand = alt + chosen[1:]
                f, _ = _failures(m, rows, cand)
                if f < best_fail:
                    chosen, best_fail, how, improved = cand, f, kind, True
            if not improved or best_fail == 0:
                break
        if how != "header":
            votes.append({"total": cs.total, "reading": how, "failed": best_fail, "rows": filled,
                          "sums": [(c.total, [t for _, t in c.terms]) for c in chosen]})
        out.extend(chosen)
    return out
