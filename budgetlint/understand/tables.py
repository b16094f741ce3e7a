"""Understanding: raw grids become tables that know what they are.

Done once for every input format:

* the title block above a table (表 N, title, 编制单位, 单位：万元) gives its
  number, title, issuer and unit;
* a table continued after a page break (no title of its own, the header rows
  repeated) is merged into the table it continues;
* leading header rows become a column header tree (merged cells filled
  rightwards under a parent), a 栏次 / ``※ ※ 1 2 3`` row numbers the columns;
* header rows repeated inside the body are dropped, a wrapped cell's tail on a
  row of its own is rejoined with the cell above;
* every row gets its label, its classification code (split over 类/款/项
  columns, joined, or inline ``208 社会保障和就业支出``) and a numbering depth;
* every cell is parsed once with :func:`budgetlint.numbers.parse_number` and
  learns its table/row/column position;
* the kind is recognised from the title, else from the content.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ..grid import RawDocument, RawTable
from .labels import display, key, norm
from .kinds import FORM_KINDS, TITLE_HINT, kind_from_content, kind_from_title
from ..model import Cell, Column, Document, Location, Paragraph, Row, Table
from ..numbers import parse_number
from .blocks import join_spanning_rows
from .transpose import choose_orientation, is_period, transposed_grid

_UNIT_RE = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|千元|元|%|万)")
_ISSUER_RE = re.compile(r"^(?:(?:编制|填报|报送|编报)单位|部门|部门名称|单位名称)\s*[:：]\s*(.*)$")
_NUMBER_RE = re.compile(
    r"^\s*(续?表\s*[0-9一二三四五六七八九十]+(?:\s*[-－—.]\s*[0-9]+)?|附件\s*[0-9一二三四五六七八九十]+|附表\s*[0-9]+(?:\s*[-－—]\s*[0-9]+)?"
    r"|(?:部门|单位)?公开\s*[0-9]+\s*表|公开表\s*[0-9一二三四五六七八九十]+|[A-Z]?[0-9]{2}\s*表)\s*$|^\s*(续?表\s*[0-9一二三四五六七八九十]+(?:\s*[-－—.]\s*[0-9]+)?|附件\s*[0-9一二三四五六七八九十]+|附表\s*[0-9]+(?:\s*[-－—]\s*[0-9]+)?)"
)
_LIST_NUMBER_RE = re.compile(r"^\s*(\d{1,3})\s*[、.．]\s*(?=\S)")
_CODE_INLINE = re.compile(r"^\s*(\d{3}(?:\s?\d{2}){0,2})(?!\d)\s*[　 ]?\s*(\S.*)$")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef（）()“”])\s+(?=[\u3000-\u9fff\uff00-\uffef（）()“”])")
_NUMBERING = [
    (re.compile(r"^[一二三四五六七八九十]+\s*[、.．]"), 1),
    (re.compile(r"^[（(][一二三四五六七八九十]+[)）]"), 2),
    (re.compile(r"^\d{1,2}\s*[、]"), 2),
    (re.compile(r"^\d{1,2}\s*[.．](?!\d)"), 2),
    (re.compile(r"^[（(]\d{1,2}[)）]"), 3),
]
_COLUMN_FORMULA = re.compile(r"(\d{1,2})\s*=\s*(\d{1,2}(?:\s*[+\-−]\s*\d{1,2})+)")
TOTAL_WORDS = ("总计", "合计", "小计", "收入总计", "支出总计", "本年收入合计", "本年支出合计")
_HEADER_WORDS = ("项目", "科目", "名称", "编码", "合计", "总计", "预算数", "决算数", "行次", "栏次", "类", "款", "项", "指标", "金额")


_SPACES = re.compile(r"\s+")
_TWO_DIGITS = re.compile(r"\d{1,2}")
_CODE_357 = re.compile(r"\d{3}(\d{2}){0,2}")
_CODE_3_7 = re.compile(r"\d{3,7}")
_BARE = re.compile(r"[\s:：]")
_YEAR = re.compile(r"(?:19|20)\d{2}\s*年?(?:度|预算数?|决算数?)?")
_YEAR_NOTE = re.compile(r"[（(]\s*\d{4}\s*年?\s*[)）]")


def norm_label(text: str) -> str:
    """A label as written (NFKC, wrap spaces removed): see :mod:`.labels`."""
    return display(text)


@dataclass
class TitleBlock:
    number: str | None = None
    title: str = ""
    issuer: str | None = None
    unit: str | None = None
    loc: Location | None = None
    explicit: bool = False  # a title or number of its own: not a continuation
    extra: list[str] = field(default_factory=list)


def read_title_block(lines: list[Paragraph]) -> TitleBlock:
    """Number, title, issuer and unit from the lines just above a table (nearest last)."""
    tb = TitleBlock()
    split: list[tuple[Paragraph, str]] = []
    for p in lines:
        text = norm_label(p.text)
        parts = split_marks(text) if text and len(text) <= 160 and not text.endswith("。") else [text]
        split.extend((p, t) for t in parts)
    consumed: set[int] = set()
    for at in range(len(split) - 1, -1, -1):
        p, written = split[at]
        text = key(written)  # matched in simplified characters, the title kept as written
        if not text or at in consumed:
            continue
        shown = written
        if len(shown) != len(text):
            shown = text
        m = _ISSUER_RE.match(text)
        if m:
            tb.issuer = tb.issuer or m.group(1).strip() or None
            um = _UNIT_RE.search(text)
            if um and not tb.unit:
                tb.unit = _canon_unit(um.group(1))
            continue
        um = _UNIT_RE.search(text)
        if um and not tb.unit:
            tb.unit = _canon_unit(um.group(1))
            rest = _UNIT_RE.sub("", text).strip(" （）()")
            if not rest:
                continue
            cut = re.search(r"[（(]\s*(?:金额)?单位\s*[:：][^)）]*[)）]", text)
            if cut:
                text, shown = (t[:cut.start()] + t[cut.end():] for t in (text, shown))
            text, shown = text.strip(), shown.strip()
        nm = _NUMBER_RE.match(text)
        if nm and not tb.number:
            tb.number = re.sub(r"\s+", " ", (nm.group(1) or nm.group(2)).replace("－", "-").replace("—", "-")).strip()
            tb.explicit = True
            rest = shown[nm.end():].strip(" ：:")
            if rest and not tb.title and len(rest) <= 120:
                tb.title, tb.loc = rest, p.loc
            elif tb.loc is None:
                tb.loc = p.loc
            continue
        if not tb.title and len(text) <= 120 and not text.endswith(("。", "：", ":", "；")) and (
            TITLE_HINT.search(text) or kind_from_title(text)
        ):
            lm = _LIST_NUMBER_RE.match(text)
            if lm and not tb.number:
                tb.number = lm.group(1)
                text = text[lm.end():].strip()
                shown = shown[lm.end():].strip()
            if kind_from_title(text) is None:  # a title wrapped over lines: "…培训费支出预" / "算表"
                shown, p = _unwrap_title(split, at, shown, p, consumed)
            tb.title, tb.loc, tb.explicit = shown, p.loc, True
            continue
        if _YEAR_NOTE.fullmatch(text):
            tb.extra.append(text)
            continue
        if tb.title or tb.number:
            break
    return tb


_QUOTES_ONLY = re.compile(r"^[\s“”\"'‘’「」]*$")


def _unwrap_title(split: list, at: int, text: str, p: Paragraph, consumed: set[int]) -> tuple[str, Paragraph]:
    """Join a title's tail with the up to three lines above it when only together they name a
    table kind (lines holding only the quotes of “三公” are skipped)."""
    pieces, used, first = [text], [], p
    j = at - 1
    while j >= 0 and len(used) < 3:
        above = split[j][1]
        if _QUOTES_ONLY.match(above):
            used.append(j)
            j -= 1
            continue
        if _ISSUER_RE.match(above) or _UNIT_RE.search(above) or above.endswith(("。", "：", ":", "表")) or len(above) > 60:
            break
        pieces.insert(0, above)
        used.append(j)
        first = split[j][0]
        joined = norm_label("".join(pieces).replace(" ", ""))
        if kind_from_title(joined):
            consumed.update(used)
            return joined, first
        j -= 1
    return text, p


def _canon_unit(u: str) -> str:
    return {"万": "万元"}.get(u, u)


def _signature(cells: list[Cell]) -> tuple[str, ...]:
    return tuple(t for t in (norm_label(c.raw) for c in cells) if t)


def _is_numbering_row(cells: list[Cell]) -> bool:
    non_empty = [t for t in (key(c.raw) for c in cells) if t]
    if not non_empty:
        return False
    if non_empty[0] in ("栏次", "栏 次"):
        return True
    at = next((i for i, t in enumerate(non_empty) if t in ("栏次", "栏 次")), None)
    if at is not None and all(len(t) <= 4 and parse_number(t).value is None for t in non_empty[:at]):
        non_empty = non_empty[at:]  # 类 | 款 | 项 | 栏次 | 1 | 2 …: the code columns' captions share the numbering row
    marks = [t for t in non_empty if t in ("※", "*", "栏次", "行次")]
    nums = [t for t in non_empty if _TWO_DIGITS.fullmatch(t)]
    formulas = [t for t in non_empty if _COLUMN_FORMULA.fullmatch(t)]  # "3=1+2": a numbered column with its formula
    if len(marks) + len(nums) + len(formulas) != len(non_empty) or len(nums) + len(formulas) < 2:
        return False
    ints = [int(n) for n in nums]
    return ints == sorted(ints) and len(set(ints)) == len(ints)


def _numbering_captions(cells: list[Cell]) -> list[Cell] | None:
    """The caption cells a 栏次 row carries before its 栏次 mark (类 | 款 | 项), as a header row of their own."""
    at = next((i for i, c in enumerate(cells) if key(c.raw) in ("栏次", "栏 次")), None)
    if not at or not any(c.raw.strip() for c in cells[:at]):
        return None
    return [c if i < at else Cell(raw="", loc=c.loc) for i, c in enumerate(cells)]


def _has_value(cells: list[Cell]) -> bool:
    """A row holding an amount: a number that is not a year nor a classification code ahead of its label.

    A header row never holds amounts, so a row whose cells are numbers is data
    (``人员经费 | 120 | 120``), however round they are; 栏次 numbering rows are
    recognised before this is asked.
    """
    seen_text = False
    for c in cells:
        t = key(c.raw)
        if not t:
            continue
        n = parse_number(c.raw)
        if n.value is None:
            seen_text = seen_text or not n.blank
            continue
        if _YEAR.fullmatch(t):
            continue  # 2023 | 2024 over the amount columns
        if not seen_text and _CODE_357.fullmatch(t) and len(cells) > 3:
            continue  # a classification code ahead of its label
        return True
    return False


def _looks_like_header(cells: list[Cell]) -> bool:
    texts = [t for t in (key(c.raw) for c in cells) if t]
    if not texts:
        return True
    first = texts[0]
    # a 小计 under a merged header (first column blank, no amounts) is a sub-header, not a total row
    # a 合计 heading a row of column captions (合计 | 因公出国（境）费 | 公务接待费 …, no amounts) is a header
    total_row = first in TOTAL_WORDS and (_has_value(cells) or (bool(norm_label(cells[0].raw)) and len(texts) <= 2))
    if any(first.startswith(w) for w in ("一、", "1、", "（一）", "(一)")) or total_row or "合计" in first and len(first) > 4 and len(texts) <= 2:
        return False
    return not _has_value(cells)


_A1_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def shifted_location(loc: Location, offset: int) -> Location:
    """The location ``offset`` columns to the right of ``loc`` (same line or row; A1 column moved)."""
    m = _A1_REF.match(loc.cell or "")
    if not m or offset == 0:
        return loc
    n = 0
    for ch in m.group(1):
        n = n * 26 + ord(ch) - 64
    n += offset
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return replace(loc, cell=f"{letters}{m.group(2)}")


def _pad(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """Rows made ``width`` cells long; an added blank cell is located in its own column, not the last read one."""
    out = []
    for r in rows:
        if len(r) < width:
            loc = r[-1].loc if r else Location("")
            r = r + [Cell(raw="", loc=shifted_location(loc, k + 1)) for k in range(width - len(r))]
        out.append(r)
    return out


def _column_paths(header: list[list[Cell]], width: int) -> list[tuple[str, ...]]:
    grid = [[norm_label(header[r][c].raw) if c < len(header[r]) else "" for c in range(width)] for r in range(len(header))]
    filled = [row[:] for row in grid]
    for r in range(len(grid)):
        for c in range(1, width):
            if filled[r][c]:
                continue
            below = any(grid[r2][c] for r2 in range(r + 1, len(grid)))
            if below and filled[r][c - 1] and (grid[r][c - 1] or filled[r][c - 1]):
                # a merged parent spanning to the right over labelled children
                left_has_children = any(grid[r2][c - 1] for r2 in range(r + 1, len(grid))) or c - 1 == 0 or True
                if left_has_children:
                    filled[r][c] = filled[r][c - 1]
    paths = []
    for c in range(width):
        path: list[str] = []
        for r in range(len(filled)):
            lab = filled[r][c]
            if lab and (not path or path[-1] != lab):
                path.append(lab)
        paths.append(tuple(path))
    return paths


def _role(path: tuple[str, ...], body: list[list[Cell]], c: int) -> str:
    leaf = key(path[-1]) if path else ""
    joined = key("".join(path))
    if leaf in ("类", "款", "项") or (("编码" in leaf or "代码" in leaf) and "名称" not in leaf) or leaf in ("科目编码", "功能分类科目编码", "经济分类科目编码"):
        return "code"
    if leaf in ("行次", "栏次", "序号"):
        return "lineno"
    non_empty: list[str] = []  # what the column holds: up to 200 filled cells are enough to tell
    numeric: list[str] = []
    for r in body:
        if c >= len(r):
            continue
        raw = r[c].raw
        if not raw or raw.isspace():
            continue
        n = parse_number(raw)
        if n.blank:
            continue
        non_empty.append(raw)
        if n.value is not None:
            numeric.append(raw)
        if len(non_empty) >= 200:
            break
    if any(w in leaf for w in ("名称", "科目", "内容", "支出功能分类", "项目", "指标")) and not leaf.endswith(("数", "额", "费", "支出", "合计", "小计")):
        if len(numeric) <= max(1, len(non_empty) // 3):
            return "label"
    if "项目" == leaf or "项目(" in joined[:4]:
        return "label"
    if c == 0 and len(non_empty) >= 2 and all(is_period(t) for t in non_empty):
        return "label"  # 2017 / 2018 / 2019 down the first column name the rows (a transposed table)
    if non_empty and len(numeric) >= 0.6 * len(non_empty):
        return "value"
    if not non_empty and any(w in joined for w in ("合计", "小计", "数", "费", "支出", "收入", "资金", "经费", "总计", "拨款", "预算", "结余", "结转")):
        return "value"
    return "text"


def _numbering_depth(label: str) -> int:
    for rx, depth in _NUMBERING:
        if rx.match(label):
            return depth
    return 0


def _fill_value(cell: Cell, n, unit: str | None) -> None:
    cell.value = n.value
    if n.decimals:
        cell.decimals = n.decimals
    if n.comparator is not None:
        cell.comparator = n.comparator
    if n.percent:
        cell.percent = True
    if n.approx:
        cell.approx = True
    u = n.unit or unit
    if u is not None:
        cell.unit = "万元" if u == "万" else u


def _fill_cell(cell: Cell, unit: str | None, parse: bool) -> None:
    raw = cell.raw
    if not parse:
        cell.blank = not raw or raw.isspace()
        return
    n = parse_number(raw)
    if n.blank:
        if unit is not None:
            cell.unit = unit
        return  # the class defaults already say: blank, no value
    cell.blank = False
    if n.value is not None:
        _fill_value(cell, n, unit)


def _wrapped_total_head(raw: str) -> bool:
    """The first line of a total label wrapped before its 小计/合计 (当年收入, 本年支出)."""
    t = key(raw)
    return bool(t) and t.endswith(("收入", "支出")) and not _numbering_depth(t) and t not in TOTAL_WORDS and len(t) <= 8


def _is_fragment(cells: list[Cell], roles: list[str], prev: Row | None) -> int | None:
    """A wrapped cell's tail on a row of its own: returns its column, else None."""
    if prev is None:
        return None
    filled = [i for i, c in enumerate(cells) if c.raw.strip()]
    if len(filled) != 1:
        return None
    i = filled[0]
    text = key(cells[i].raw)
    if roles[i] in ("value", "lineno", "code") and text not in ("万元", "元", "分", "%"):
        return None
    if text in ("小计", "合计") and _wrapped_total_head(prev.cells[i].raw):
        return i  # 当 年 收 入 / 小计: a total label wrapped over two lines
    if parse_number(text).value is not None or _CODE_INLINE.match(text) or _numbering_depth(text) or text in TOTAL_WORDS:
        return None
    main = roles.index("label") if "label" in roles else None
    if (
        roles[i] == "label" and main is not None and i != main and not prev.cells[i].raw.strip() and prev.cells[main].raw.strip()
        and all(roles[j] in ("label", "code") for j in range(main, i)) and len(text) <= 8
    ):
        return main  # a shifted row's wrapped label tail (T7 page breaks): it belongs to the main label above
    if not prev.cells[i].raw.strip() and text not in ("万元", "元", "分", "%"):
        return None
    if len(text) > 16:
        return None
    if roles[i] == "label" and i == roles.index("label") and len(text) > 4 and text not in ("万元", "元", "分", "%"):
        return None  # a short row of its own in the main label column (e.g. 因公出国（境）费 with blank values)
    return i


_TITLE_CELL = re.compile(r"^(?:(?:编制|填报|报送|编报)?单位(?:名称)?|部门(?:名称)?|(?:金额)?单位)\s*[:：]\s*(.*)$")


def _title_cells_only(row: list[Cell], tb: TitleBlock) -> bool:
    """A grid row holding only 部门：… / 金额单位：万元 cells is part of the title block: read it into ``tb``."""
    texts = [key(c.raw) for c in row if c.raw.strip()]
    if not texts or not all(_TITLE_CELL.match(t) for t in texts):
        return False
    for t in texts:
        um = _UNIT_RE.search(t)
        if um and re.match(r"^(?:金额)?单位\s*[:：]", t):
            tb.unit = tb.unit or _canon_unit(um.group(1))
        elif not tb.issuer:
            tb.issuer = _TITLE_CELL.match(t).group(1).strip() or None
    return True


_TITLE_MARK = re.compile(
    r"((?:编制|填报|报送|编报)?(?:部门|单位)(?:名称)?\s*[:：]|金额单位\s*[:：]"
    r"|(?:部门|单位)?公开\s*[0-9]+\s*表|公开表\s*[0-9一二三四五六七八九十]+)"
)
_MARK_START = re.compile(r"^(?:(?:编制|填报|报送|编报)?(?:部门|单位)(?:名称)?|金额单位)\s*[:：]")
_NUMBER_ONLY = re.compile(r"^(?:(?:部门|单位)?公开\s*[0-9]+\s*表|公开表\s*[0-9一二三四五六七八九十]+|续?表\s*[0-9一二三四五六七八九十]+)$")


def split_marks(text: str) -> list[str]:
    """A title-block text cut before each 部门：/单位： marker and around a 公开NN表 number."""
    pieces: list[str] = []
    pos = 0
    for m in _TITLE_MARK.finditer(text):
        number = bool(_NUMBER_ONLY.match(m.group(0).strip()))
        cut = m.start()
        before = text[pos:cut].rstrip()
        if not number and before.endswith(("(", "（")):  # "…情况表（单位：万元）": the bracket goes with the unit
            cut = pos + len(before) - 1
        if cut > pos:
            pieces.append(text[pos:cut])
        if number:
            pieces.append(m.group(0))
        pos = m.end() if number else cut
    pieces.append(text[pos:])
    return [norm_label(x) for x in pieces if norm_label(x)]


def title_lines(texts: list[str]) -> list[str] | None:
    """The title-block lines printed in one grid row, or None when the row is not a title row.

    A title row holds no amounts and either one cell with a table title, possibly run
    together with its number and 部门：…/单位：万元 lines (``收支预算总表公开表一部门：某厅 单位：万元``),
    or only 部门/单位 cells (``部门： | 某厅 | 单位：万元``).  The lines come back split at those
    markers, in reading order.
    """
    texts = [t for t in texts if t]
    if not texts or len(texts) > 4:
        return None
    joined = " ".join(texts)
    if len(joined) > 160 or joined.endswith(("。", "；")):
        return None
    lines = split_marks(joined)
    if not lines:
        return None
    marked = [bool(_MARK_START.match(x)) or bool(_NUMBER_ONLY.match(x)) for x in lines]
    if all(marked):
        return lines if any(_MARK_START.match(x) for x in lines) else None
    unmarked = [x for x, mk in zip(lines, marked) if not mk]
    if len(texts) > 1 or len(unmarked) != 1:
        return None
    title = unmarked[0]
    if len(title) < 4 or not TITLE_HINT.search(title) or _CODE_INLINE.match(title):
        return None  # a table title ends like one (…表, …情况); a coded row label is not a title
    if any(parse_number(t).value is not None for t in texts):
        return None
    return lines


def _row_title_lines(row: list[Cell]) -> list[str] | None:
    texts = [c.raw for c in row if c.raw.strip()]
    if not texts or len(texts) > 4:  # a title row holds at most a title, a number, 部门 and 单位
        return None
    return title_lines([norm_label(t) for t in texts])


def split_title_rows(rt: RawTable) -> list[RawTable]:
    """Title blocks printed inside a grid become the ``before`` lines of the grid below them.

    Leading empty rows are dropped; a run of title rows at the top is the table's title block;
    a run holding a table title further down starts a new table (two tables in one grid), the
    rows above it staying with the first.
    """
    rows = rt.rows
    start = 0
    while start < len(rows) and not any(c.raw.strip() for c in rows[start]):
        start += 1
    cuts: list[tuple[int, int, list[str]]] = []  # (first title row, first body row, lines)
    i = start
    while i < len(rows):
        lines = _row_title_lines(rows[i])
        if lines is None:
            i += 1
            continue
        j, block = i + 1, list(lines)
        while j < len(rows):
            more = _row_title_lines(rows[j])
            if more is None:
                if any(c.raw.strip() for c in rows[j]):
                    break
            else:
                block.extend(more)
            j += 1
        has_title = any(not _MARK_START.match(x) and not _NUMBER_ONLY.match(x) for x in block)
        if i == start or has_title:
            cuts.append((i, j, block))
        i = j
    if not cuts and start == 0:
        return [rt]
    out: list[RawTable] = []
    bounds = [(start, start, [])] + cuts if not cuts or cuts[0][0] != start else cuts
    for k, (head, body, block) in enumerate(bounds):
        end = bounds[k + 1][0] if k + 1 < len(bounds) else len(rows)
        if body >= end and k + 1 < len(bounds):
            continue
        seg = rows[body:end]
        loc_row = rows[head] if head < len(rows) else (rows[-1] if rows else None)
        lines_before = [Paragraph(text=x, loc=loc_row[0].loc if loc_row else rt.loc) for x in block]
        before = (list(rt.before) if k == 0 else []) + lines_before
        spans = [type(s)(s.row - body, s.col, min(s.rowspan, end - s.row), s.colspan) for s in rt.spans if body <= s.row < end]
        hints = dict(rt.hints)
        if k > 0:
            hints["split_from_grid"] = True
        seg_loc = seg[0][0].loc if seg and seg[0] else rt.loc
        out.append(RawTable(rows=seg, loc=seg_loc, before=before, after=list(rt.after) if k == len(bounds) - 1 else [], spans=spans, hints=hints))
    return out or [rt]


_ROW_LINE = re.compile(r"^\s*(\d{3}(?:\d{2}){0,2})\s+([^\d\s][^\t]*?)\s+(-?[\d,]+(?:\.\d+)?(?:\s+-?[\d,]+(?:\.\d+)?)*)\s*$")


def _with_stray_rows(rt: RawTable) -> RawTable:
    """A continuation whose first rows were printed without ruling (read as lines of text above it) gets them back.

    A line above the continuation that holds as many fields as its first row —
    a code, a name, amounts (``2210201 住房公积金 1,029.15`` over ``2210202 | 提租补贴 |
    1,959.99``) — is a row of the table: its fields take the positions of that
    row's cells.
    """
    if not rt.before or not rt.rows:
        return rt
    slots = [j for j, c in enumerate(rt.rows[0]) if c.raw.strip()]
    added: list[list[Cell]] = []
    for p in rt.before:
        m = _ROW_LINE.match(p.text)
        if not m:
            added = []  # only lines right above the grid, none of them prose
            continue
        fields = [m.group(1), m.group(2).strip(), *m.group(3).split()]
        if len(fields) != len(slots):
            added = []
            continue
        row = [Cell(raw="", loc=p.loc) for _ in rt.rows[0]]
        for j, text in zip(slots, fields):
            row[j] = Cell(raw=text, loc=p.loc)
        added.append(row)
    if not added:
        return rt
    return replace(rt, rows=added + list(rt.rows), before=list(rt.before[: len(rt.before) - len(added)]))


def _wrapped_header_end(rows: list[list[Cell]], n_header: int) -> int:
    """The header grows by the rows that only finish its captions (``公务用车`` / ``购置费``).

    A caption wrapped in a narrow cell can be extracted as a row of its own under the
    header.  Such a row comes before the first row with a number, and its text sits
    only in columns that hold no words further down (a heading row of the body names
    itself in the label column).
    """
    first = next((i for i in range(n_header, len(rows)) if any(c.raw.strip() and parse_number(c.raw).value is not None for c in rows[i])), None)
    if first is None:
        return n_header
    text_cols: set[int] = set()  # columns that hold words in the body: labels, names
    for r in rows[first:first + 200]:
        for j, c in enumerate(r):
            if c.raw.strip() and parse_number(c.raw).value is None and not parse_number(c.raw).blank:
                text_cols.add(j)
    at = n_header
    while at < len(rows) and at < 10:
        filled = [j for j, c in enumerate(rows[at]) if c.raw.strip()]
        if not filled:
            at += 1  # a blank line inside the header block
            continue
        if at >= first or any(j in text_cols for j in filled):
            break
        at += 1
        n_header = at
    return n_header


def _merge_shifted_columns(paths: list[tuple[str, ...]], body: list[list[Cell]], width: int) -> None:
    """Cells printed one column beside their header are moved under it.

    Ruling that differs between the pages of a table (or a header centred over
    two narrow cells) puts some rows' codes or names in an unheaded column next
    to the headed one.  When the two columns never both hold text in one row,
    they are one column: the unheaded column's cells move under the header.
    """
    if not body:
        return

    def headless(c: int) -> bool:
        return not any(p.strip() for p in paths[c])

    filled = [[bool(r[c].raw.strip()) for r in body] for c in range(width)]
    for c in range(width):
        if headless(c):
            continue
        for h in (c - 1, c + 1):
            if not (0 <= h < width) or not headless(h) or not any(filled[h]):
                continue
            if any(a and b for a, b in zip(filled[h], filled[c])):
                continue  # both hold text in some row: two columns, not one split
            for i, r in enumerate(body):
                if filled[h][i]:
                    r[c], r[h] = r[h], r[c]
            filled[c] = [a or b for a, b in zip(filled[c], filled[h])]
            filled[h] = [False] * len(body)


def build_table(index: int, path: str, parts: list[tuple[RawTable, TitleBlock]], transposed: bool = False) -> Table:
    first_raw, tb = parts[0]
    rows_raw: list[list[Cell]] = [r for raw, _ in parts for r in raw.rows]
    # a lone "单位：元" / issuer cell row at the top belongs to the title block (docx layouts)
    while rows_raw:
        sig = tuple(key(t) for t in _signature(rows_raw[0]))
        if len(sig) == 1 and _UNIT_RE.search(sig[0]) and len(sig[0]) <= 12:
            tb.unit = tb.unit or _canon_unit(_UNIT_RE.search(sig[0]).group(1))
            rows_raw = rows_raw[1:]
            continue
        break
    while rows_raw and _title_cells_only(rows_raw[0], tb):
        rows_raw = rows_raw[1:]
    for j, r in enumerate(rows_raw[:3]):
        sig = tuple(key(t) for t in _signature(r))
        if len(sig) == 1 and _UNIT_RE.search(sig[0]) and len(sig[0]) <= 12:
            tb.unit = tb.unit or _canon_unit(_UNIT_RE.search(sig[0]).group(1))
            rows_raw = rows_raw[:j] + rows_raw[j + 1:]
            break
        unit_cells = [c for c in r if re.fullmatch(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|千元|元)", key(c.raw))]
        if unit_cells:
            tb.unit = tb.unit or _canon_unit(_UNIT_RE.search(key(unit_cells[0].raw)).group(1))
            table_unit_cell = unit_cells[0]
            rows_raw[j] = [c for c in r if c is not table_unit_cell]
            break
    width = max((len(r) for r in rows_raw), default=0)
    rows_raw = _pad(rows_raw, width)
    title = tb.title
    kind = kind_from_title(title) if title else None
    table = Table(
        index=index, path=path, loc=tb.loc or first_raw.loc, number=tb.number, title=title, unit=tb.unit,
        issuer=tb.issuer, kind=kind or "unknown",
        notes=list(parts[-1][0].after),
    )
    table.meta["lines"] = (first_raw.loc.line, rows_raw[-1][0].loc.line if rows_raw else first_raw.loc.line)
    table.meta["before"] = list(first_raw.before)  # the lines above: a unit line like "324001 某局" sits there in some templates
    table.meta["parts"] = len(parts)
    if kind in FORM_KINDS or (kind is None and _looks_like_form(rows_raw)) or (kind == "perf.scoring" and _self_evaluation_form(rows_raw)):
        if kind is None:
            table.kind = kind_from_content("", " ".join(c.raw for r in rows_raw for c in r))
            if table.kind == "unknown":
                table.kind = "perf.project_target"
        _build_form(table, rows_raw, width)
        return table
    # header rows: up to the 栏次 row, else the leading rows without values
    n_header = 0
    numbering = None
    for i, r in enumerate(rows_raw[:6]):
        if _is_numbering_row(r):
            numbering, n_header = i, i + 1
            break
    if numbering is None:
        seen = 0  # header lines with text: blank separator lines of a PDF grid do not count
        for i, r in enumerate(rows_raw[:12]):
            filled = any(c.raw.strip() for c in r)
            if filled and (seen >= 5 or not _looks_like_header(r)):
                break
            if filled:
                seen += 1
                n_header = i + 1
    if numbering is None and n_header:
        n_header = _wrapped_header_end(rows_raw, n_header)
    header_rows = rows_raw[: numbering if numbering is not None else n_header]
    if numbering is not None:
        captions = _numbering_captions(rows_raw[numbering])
        if captions is not None:
            header_rows = header_rows + [captions]  # 类 | 款 | 项 printed on the 栏次 row name the code columns
    table.header = rows_raw[:n_header]
    paths = _column_paths(header_rows, width)
    header_sigs = {_signature(r) for r in rows_raw[:n_header] if _signature(r)}
    header_words = {norm_label(c.raw) for r in rows_raw[:n_header] for c in r if c.raw.strip()}
    body_raw = [r for r in rows_raw[n_header:] if not _is_header_repeat(r, header_sigs, header_words)]
    _merge_shifted_columns(paths, body_raw, width)
    roles = [_role(paths[c], body_raw, c) for c in range(width)]
    if not transposed:
        grid = transposed_grid(header_rows, body_raw, paths, roles)
        if grid is not None:  # years as rows: two readings, the numbers choose
            return choose_orientation(
                lambda: build_table(index, path, parts, transposed=True),
                lambda: build_table(index, path, [(RawTable(rows=grid, loc=first_raw.loc, after=list(parts[-1][0].after)), tb)], transposed=True),
            )
    first_value = roles.index("value") if "value" in roles else width
    for c in range(first_value + 1, width):
        if roles[c] == "text" and not any(norm_label(r[c].raw) and not parse_number(r[c].raw).blank for r in body_raw):
            roles[c] = "value"  # an amount column left blank throughout
    for c in range(first_value + 1, width - 1):
        if roles[c] == "text" and roles[c - 1] == "value" and roles[c + 1] == "value":
            roles[c] = "label"  # a column of names between amount columns starts another side (支出 | 功能分类 | 预算数)
    if roles[:2] == ["text", "value"] and "label" in roles[2:] and _names_column(body_raw, 0):
        roles[0] = "label"  # 收入 | 支出: the first side's names under a caption that is no label word
    if "label" not in roles:
        for c in range(width):
            if roles[c] == "text":
                roles[c] = "label"
                break
    numbers = [None] * width
    if numbering is not None:
        for c, cell in enumerate(rows_raw[numbering]):
            t = norm_label(cell.raw)
            numbers[c] = t if _TWO_DIGITS.fullmatch(t) else None
            fm = _COLUMN_FORMULA.fullmatch(t.replace(" ", ""))
            if fm:
                numbers[c] = fm.group(1)
                table.meta.setdefault("column_formulas", {})[c] = fm.group(2)  # stated 栏次 formula, e.g. "1+2"
    last_label = None
    for c in range(width):
        col = Column(index=c, path=paths[c], number=numbers[c], role=roles[c])
        if roles[c] == "label":
            last_label = c
        if roles[c] == "value":
            col.label_col = last_label
        table.columns.append(col)
    if not title:
        table.kind = kind_from_content(" ".join(" ".join(p) for p in paths), " ".join(c.raw for r in body_raw[:40] for c in r))
    code_cols = [c for c in range(width) if roles[c] == "code" and c < first_value]  # later ones belong to other sides
    label_cols = [c for c in range(width) if roles[c] == "label"]
    main_label = label_cols[0] if label_cols else None
    parse_cols = [roles[c] in ("value", "text") for c in range(width)]
    unit = table.unit
    for r in body_raw:
        if not any(c.raw and not c.raw.isspace() for c in r):
            continue
        prev = table.rows[-1] if table.rows else None
        frag = _is_fragment(r, roles, prev)
        if frag is not None and prev is not None:
            pc = prev.cells[frag]
            src = next(c for c in r if c.raw.strip())
            pc.raw = (pc.raw.rstrip() + src.raw.strip()) if pc.raw.strip() else src.raw
            if frag == main_label:
                prev.label = norm_label(pc.raw)
            continue
        ri = len(table.rows)
        row = Row(index=ri, cells=r)
        for c, cell in enumerate(r):
            cell.table = index
            cell.row = ri
            cell.col = c
            raw = cell.raw
            if not parse_cols[c]:
                if raw and not raw.isspace():
                    cell.blank = False
                continue
            n = parse_number(raw)
            if n.blank:
                if unit is not None:
                    cell.unit = unit
                continue
            cell.blank = False
            if n.value is not None:
                _fill_value(cell, n, unit)
        _label_and_code(row, code_cols, main_label)
        if not row.label and main_label is not None:
            # cells shifted right by the extraction: the label sits in the next label column of the same side
            for c in label_cols[1:]:
                if any(roles[j] == "value" for j in range(main_label, c)):
                    break
                if r[c].raw.strip():
                    _label_and_code(row, code_cols, c)
                    break
        if not row.label and not row.code and all(r[c].value is None for c in range(width) if roles[c] == "value"):
            if not any(r[c].raw.strip() for c in range(width) if roles[c] in ("label", "text", "value")):
                continue
        table.rows.append(row)
    return table


def _is_header_repeat(r: list[Cell], header_sigs: set, header_words: set) -> bool:
    """A header row (or 栏次 row) repeated after a page break, possibly slightly different."""
    for c in r:  # a row with a decimal amount is never a header
        t = c.raw.strip()
        if t[:1].isdigit() and "." in t:
            return False
    sig = _signature(r)
    if not sig:
        return False
    if sig in header_sigs:
        return True
    if all(t in ("※", "*", "栏次", "行次") or (len(t) <= 2 and t.isdigit()) for t in sig) and _is_numbering_row(r):
        return True
    return bool(header_words) and not _has_value(r) and sum(1 for t in sig if t in header_words) >= max(2, int(0.7 * len(sig)))


def _label_and_code(row: Row, code_cols: list[int], main_label: int | None) -> None:
    code, label, indent, total = _read_label(
        tuple(row.cells[c].raw for c in code_cols), row.cells[main_label].raw if main_label is not None else "")
    row.code = code
    row.label = label
    row.indent = indent
    if total:
        row.kind = "total"


@lru_cache(maxsize=65536)
def _read_label(code_raws: tuple[str, ...], label_raw: str) -> tuple[str | None, str, int, bool]:
    """A row's code, label, numbering depth and whether it is a total, from its raw cells.

    Pure and cached: the same 科目 names and codes recur in every table of a document set.
    """
    parts = [norm_label(raw) for raw in code_raws]
    code = "".join(p for p in parts if p)
    label = norm_label(label_raw)
    if code and not label and parse_number(code).value is None:
        # a merged code/name cell read into the code column (合计, 总计, a unit's name): it is the row's label
        code, label = "", norm_label(" ".join(p for p in parts if p))
    if not code and label:
        m = _CODE_INLINE.match(label)
        if m and _CODE_357.fullmatch(m.group(1).replace(" ", "")):
            code, label = m.group(1).replace(" ", ""), norm_label(m.group(2))
    bare = _BARE.sub("", key(label))
    total = bare in TOTAL_WORDS or bare.endswith(("总计", "合计")) or bare.startswith(("总计", "合计")) or bare.endswith("小计") or "小计" in bare
    return (code if code and _CODE_3_7.fullmatch(code) else None), label, _numbering_depth(label), total


def _looks_like_form(rows: list[list[Cell]]) -> bool:
    text = " ".join(key(c.raw) for r in rows[:12] for c in r)
    return ("一级指标" in text and ("预算" in text or "资金" in text)) or "绩效目标" in text


def _self_evaluation_form(rows: list[list[Cell]]) -> bool:
    """A 绩效自评表 printed as a form: its captions are rows inside the grid (项目名称 …, a funds block with
    全年执行数 / 执行率, then 一级指标 | 二级指标 | 三级指标 further down), not a column header on top."""
    for i, r in enumerate(rows[:40]):
        texts = [key(c.raw) for c in r if c.raw.strip()]
        if any(t.startswith("执行率") for t in texts) and any("执行数" in t for t in texts):
            return True
        if any(t.startswith("一级指标") for t in texts) and any(t.startswith(("二级指标", "三级指标")) for t in texts):
            return i >= 2  # the first indicator header: on top (a scoring sheet's column header) or further down
    return False


def _build_form(table: Table, rows_raw: list[list[Cell]], width: int) -> None:
    """Key-value forms (绩效目标表): every row kept as read; meaning comes from the perf parser."""
    table.columns = [Column(index=c, path=(), role="text") for c in range(width)]
    for r in rows_raw:
        if not any(c.raw.strip() for c in r):
            continue
        row = Row(index=len(table.rows), cells=r)
        for c, cell in enumerate(r):
            cell.table, cell.row, cell.col = table.index, row.index, c
            _fill_cell(cell, table.unit, True)
        first = next((norm_label(c.raw) for c in r if c.raw.strip()), "")
        row.label = first
        table.rows.append(row)


def _reindex(table: Table) -> None:
    for i, row in enumerate(table.rows):
        row.index = i
        for c, cell in enumerate(row.cells):
            cell.table, cell.row, cell.col = table.index, i, c


def _is_running_header(prev: tuple[RawTable, TitleBlock], raw: RawTable, tb: TitleBlock) -> bool:
    """The title block repeated at the top of the next page over the same header rows: the same table goes on."""
    prev_raw, prev_tb = prev
    if not tb.title or norm(tb.title) != norm(prev_tb.title) or tb.issuer != prev_tb.issuer:
        return False
    if tb.number is not None and tb.number != prev_tb.number:
        return False  # a running title may leave the table's number out, never change it
    if kind_from_title(tb.title) in FORM_KINDS or not raw.rows or not prev_raw.rows:
        return False  # forms (绩效目标表) repeat one title for every project
    return _signature(raw.rows[0]) == _signature(prev_raw.rows[0])


def _next_page_untitled(prev_raw: RawTable, raw: RawTable, tb: TitleBlock) -> bool:
    """A table with no title of its own, first on the page after the one where the previous table
    ended, spanning the same width (its ruling may split the columns differently)."""
    if tb.title or tb.number or "split_from_grid" in raw.hints:
        return False
    last, page = prev_raw.hints.get("last_page"), raw.hints.get("page")
    a, b = prev_raw.hints.get("col_edges"), raw.hints.get("col_edges")
    if last is None or page != last + 1 or not a or not b:
        return False
    tol = max(6.0, 0.03 * (a[-1] - a[0]))
    return abs(a[0] - b[0]) <= tol and abs(a[-1] - b[-1]) <= tol


def _names_column(body: list[list[Cell]], c: int) -> bool:
    """A column holding names only (no amounts), in at least two rows."""
    texts = [r[c].raw for r in body if c < len(r) and r[c].raw.strip()]
    return len(texts) >= 2 and all(parse_number(t).value is None for t in texts)


def _header_only(raw: RawTable) -> bool:
    """A table part of a few rows without any amount: a header printed at the foot of a page."""
    return len(raw.rows) <= 3 and not any(_has_value(r) for r in raw.rows)


def _realign(prev_edges: list[float], raw: RawTable) -> RawTable:
    """A continuation's cells moved to the columns of the part it continues, by x position."""
    edges = raw.hints.get("col_edges")
    if not edges or len(edges) < 2 or edges == prev_edges:
        return raw
    width = len(prev_edges) - 1
    target = []
    for j in range(len(edges) - 1):
        mid = (edges[j] + edges[j + 1]) / 2
        k = next((i for i in range(width) if prev_edges[i] - 1 <= mid <= prev_edges[i + 1] + 1), width - 1)
        target.append(k)
    rows = []
    for r in raw.rows:
        out = [Cell(raw="", loc=r[0].loc if r else raw.loc) for _ in range(width)]
        for j, cell in enumerate(r):
            k = target[j] if j < len(target) else width - 1
            if not cell.raw.strip():
                continue
            if out[k].raw.strip():
                out[k].raw = join_cell(out[k].raw, cell.raw)
            else:
                out[k] = cell
        rows.append(out)
    hints = dict(raw.hints, col_edges=list(prev_edges))
    return RawTable(rows=rows, loc=raw.loc, before=raw.before, after=raw.after, spans=[], hints=hints)


def join_cell(a: str, b: str) -> str:
    return f"{a.strip()} {b.strip()}"


def _is_continuation(prev: tuple[RawTable, TitleBlock], raw: RawTable, tb: TitleBlock) -> bool:
    if tb.explicit:
        return _is_running_header(prev, raw, tb)
    if _next_page_untitled(prev[0], raw, tb):
        return True
    if any("续表" in p.text for p in raw.before):
        return True
    prev_raw, prev_tb = prev
    if not raw.before and not prev_raw.after:
        return True
    # only issuer / unit lines between: a page break
    if (tb.issuer or tb.unit) and (prev_tb.issuer or prev_tb.unit):
        return True
    first_sig = _signature(raw.rows[0]) if raw.rows else ()
    return bool(first_sig) and first_sig == (_signature(prev_raw.rows[0]) if prev_raw.rows else ())


def understand_document(raw: RawDocument) -> Document:
    groups: list[list[tuple[RawTable, TitleBlock]]] = []
    for rt in (seg for whole in raw.tables for seg in split_title_rows(whole)):
        if not rt.rows:
            continue
        tb = read_title_block(rt.before)
        if not tb.title and rt.hints.get("title"):
            tb.title, tb.explicit = str(rt.hints["title"]), True
        if groups and rt.hints.get("continuation", None) is not False and _is_continuation(groups[-1][-1], rt, tb):
            rt = _with_stray_rows(rt)
            first, first_tb = groups[-1][0]
            prev_edges = first.hints.get("col_edges")
            if prev_edges and rt.hints.get("col_edges"):
                if len(groups[-1]) == 1 and _header_only(first) and len(rt.rows) > len(first.rows):
                    # a page that ends right after the header: the body's columns are the table's
                    groups[-1][0] = (_realign(rt.hints["col_edges"], first), first_tb)
                else:
                    rt = _realign(prev_edges, rt)
            groups[-1].append((rt, tb))
        else:
            groups.append([(rt, tb)])
    tables = []
    for i, g in enumerate(groups):
        # the continuation's own unit/issuer lines agree with the first part's in practice
        table = build_table(i, raw.path, g)
        join_spanning_rows(table)
        tables.append(table)
    doc = Document(path=raw.path, format=raw.format, tables=tables, prose=list(raw.prose), meta=dict(raw.meta))
    if raw.problems:
        doc.meta["problems"] = list(raw.problems)
    return doc
