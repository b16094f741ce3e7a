"""XLS loader (Excel 97–2003, xlrd): one raw table per non-empty sheet.

* Cells are read as they are displayed: a number is formatted with its cell's
  number format (``#,##0.00`` → ``1,801.39``, ``0%`` → ``95%``), so the printed
  decimals the rounding rule needs survive; dates print as ``YYYY-MM-DD``.
* Every cell has ``Location(sheet=…, cell=A1)`` in sheet coordinates.
* Merged ranges keep their text in the top-left cell; covered cells are empty
  and a :class:`Span` records the merge.
* Rows above the table with a single filled cell (表 N, the title, 编制单位,
  单位：万元) go to the table's ``before``; single-cell rows below it (notes, an
  empty table's explanation) to ``after``; both are also prose.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..grid import RawDocument, RawTable, Span
from ..limits import Budget
from ..model import Cell, Location, Paragraph
from . import LoadError
from ._layout import clean_text, column_letters

_LITERAL = re.compile(r'"([^"]*)"|\\(.)')
_BRACKETS = re.compile(r"\[[^\]]*\]")


def load(path: Path) -> RawDocument:
    """Read an .xls workbook, sheet by sheet."""
    budget = Budget()
    try:
        import xlrd
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise LoadError(f"读取 XLS 需要安装 xlrd（{exc}）") from exc
    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, logfile=_Sink())
    except Exception as exc:  # noqa: BLE001 - xlrd raises XLRDError, CompDocError, struct.error, IndexError…
        msg = str(exc)
        if "encrypt" in msg.lower():
            raise LoadError("XLS 工作簿已加密，无法读取（encrypted workbook）") from exc
        raise LoadError(f"XLS 文件损坏，无法解析：{type(exc).__name__}: {msg}") from exc
    raw = RawDocument(path=str(path), format="xls")
    prose_index = 0
    try:
        for sx in range(book.nsheets):
            budget.tick()
            try:
                sheet = book.sheet_by_index(sx)
            except Exception as exc:  # noqa: BLE001
                raw.problems.append(("sheet", f"工作表 {sx + 1} 无法读取：{exc}", Location(str(path))))
                continue
            budget.cells(sheet.nrows * sheet.ncols)
            table = _read_sheet(book, sheet, str(path), budget)
            if table is not None:
                for p in table.before + table.after:
                    p.index = prose_index
                    prose_index += 1
                raw.prose.extend(table.before)
                raw.tables.append(table)
                raw.prose.extend(table.after)
            book.unload_sheet(sx)
    finally:
        book.release_resources()
    raw.meta["sheets"] = [t.loc.sheet for t in raw.tables]
    return raw


class _Sink:
    """xlrd writes warnings to a log file; keep them out of the user's terminal."""

    def write(self, _text: str) -> None:
        pass


def _read_sheet(book, sheet, path: str, budget: Budget) -> RawTable | None:
    import xlrd

    nrows, ncols = sheet.nrows, sheet.ncols
    if not nrows or not ncols:
        return None
    text = [[_display(book, sheet, r, c, xlrd) for c in range(ncols)] for r in range(nrows)]
    merges = [(rlo, min(rhi, nrows), clo, min(chi, ncols)) for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", [])]
    top_left = {(rlo, clo): (rhi - rlo, chi - clo) for rlo, rhi, clo, chi in merges if rlo < nrows and clo < ncols}
    for rlo, rhi, clo, chi in merges:
        for r in range(rlo, rhi):
            for c in range(clo, chi):
                if (r, c) != (rlo, clo):
                    text[r][c] = ""
    filled = [[c for c in range(ncols) if text[r][c]] for r in range(nrows)]
    rows = [r for r in range(nrows) if filled[r]]
    if not rows:
        return None
    first, last = rows[0], rows[-1]

    def single(r: int) -> bool:
        return len(filled[r]) == 1 or (len(filled[r]) > 0 and _spans_most(top_left, r, filled[r], ncols))

    start = first
    before_rows = []
    while start <= last and (not filled[start] or single(start)) and len(before_rows) < 6:
        if filled[start]:
            before_rows.append(start)
        start += 1
    if start > last:  # nothing but title lines: a sheet of notes, keep it as one column
        start, before_rows = first, []
    end = last
    after_rows = []
    while end > start and (not filled[end] or (len(filled[end]) == 1 and len(text[end][filled[end][0]]) > 8)):
        if filled[end]:
            after_rows.append(end)
        end -= 1
    after_rows.reverse()
    cols = sorted({c for r in range(start, end + 1) for c in filled[r]})
    c0, c1 = (cols[0], cols[-1]) if cols else (0, ncols - 1)
    name = sheet.name

    def loc(r: int, c: int) -> Location:
        return Location(path, sheet=name, cell=f"{column_letters(c)}{r + 1}")

    grid = [[Cell(raw=text[r][c], loc=loc(r, c)) for c in range(c0, c1 + 1)] for r in range(start, end + 1)]
    spans = []
    for (r, c), (rs, cs) in sorted(top_left.items()):
        if start <= r <= end and c0 <= c <= c1 and (rs > 1 or cs > 1):
            spans.append(Span(r - start, c - c0, min(rs, end + 1 - r), min(cs, c1 + 1 - c)))
    before = [Paragraph(text=text[r][filled[r][0]], loc=loc(r, filled[r][0])) for r in before_rows]
    after = [Paragraph(text=text[r][filled[r][0]], loc=loc(r, filled[r][0])) for r in after_rows]
    return RawTable(rows=grid, loc=loc(start, c0), before=before, after=after, spans=spans, hints={"sheet": name})


def _spans_most(top_left, r: int, filled: list[int], ncols: int) -> bool:
    """A row whose only text is one merged cell across most of the table (a title row)."""
    if len(filled) != 1:
        return False
    span = top_left.get((r, filled[0]))
    return bool(span) and span[1] * 2 >= ncols


def _display(book, sheet, r: int, c: int, xlrd) -> str:
    cell = sheet.cell(r, c)
    ctype = cell.ctype
    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if ctype == xlrd.XL_CELL_TEXT:
        return clean_text(str(cell.value))
    if ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    if ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#ERR")
    fmt = _format_of(book, sheet, r, c)
    if ctype == xlrd.XL_CELL_DATE:
        try:
            dt = xlrd.xldate_as_datetime(cell.value, book.datemode)
            return dt.strftime("%Y-%m-%d") if (dt.hour, dt.minute, dt.second) == (0, 0, 0) else dt.strftime("%Y-%m-%d %H:%M:%S")
        except Exception:  # noqa: BLE001 - an out-of-range date prints as its number
            pass
    return format_number(float(cell.value), fmt)


def _format_of(book, sheet, r: int, c: int) -> str:
    try:
        xf = book.xf_list[sheet.cell_xf_index(r, c)]
        return book.format_map[xf.format_key].format_str or "General"
    except Exception:  # noqa: BLE001 - no formatting information
        return "General"


def format_number(value: float, fmt: str) -> str:
    """A number as Excel displays it with format ``fmt`` (the parts budget tables use).

    Decimals, thousands separators, percent, the negative and zero sections
    (``#,##0.00;(#,##0.00)``, the accounting ``"-"`` for zero) and quoted
    literal text (``0.00"万元"``) are honoured; anything else prints like
    Excel's General format.
    """
    if math.isnan(value) or math.isinf(value):
        return ""
    sections = _split_sections(fmt)
    own_sign = False
    section = sections[0]
    if value < 0 and len(sections) > 1 and sections[1].strip():
        section, own_sign = sections[1], True
    elif value == 0 and len(sections) > 2 and sections[2].strip():
        section = sections[2]
    section = _BRACKETS.sub("", section)
    tokens = _tokens(section)
    core = "".join(t for kind, t in tokens if kind == "code")
    if core.strip().lower() in ("general", "", "@") or not re.search(r"[0#?]", core):
        literal = "".join(t for kind, t in tokens if kind == "lit").strip()
        if literal and re.search(r"[0#?]", core) is None and core.strip().lower() not in ("general", "@"):
            return literal  # e.g. the accounting format's "-" for zero
        return ("-" if value < 0 and own_sign else "") + _general(abs(value) if own_sign else value)
    m = re.search(r"[#0?][#0?,]*(?:\.[#0?]*)?|\.[#0?]+", core)
    placeholder = m.group(0)
    int_part, _, frac = placeholder.partition(".")
    decimals = len(frac)
    min_dec = sum(ch == "0" for ch in frac)
    percent = "%" in core
    v = Decimal(repr(abs(value))) * (100 if percent else 1)
    q = v.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # Excel rounds half away from zero
    digits = f"{q:,.{decimals}f}" if "," in int_part else f"{q:.{decimals}f}"
    if q == 0 and "0" not in int_part and min_dec == 0:
        digits = ""  # "#" and "?" print nothing for a zero (the accounting format shows its "-")
    if decimals > min_dec:  # optional digits (#) are dropped when zero
        whole, _, dec = digits.partition(".")
        dec = dec.rstrip("0")
        dec += "0" * max(0, min_dec - len(dec))
        digits = whole + ("." + dec if dec else "")
    # literal text around the number, in order
    prefix = suffix = ""
    seen_number = False
    for kind, t in tokens:
        if kind == "code":
            start = t.find(placeholder) if not seen_number else -1
            if start >= 0:
                prefix += _visible(t[:start])
                suffix += _visible(t[start + len(placeholder):])
                seen_number = True
            else:
                if seen_number:
                    suffix += _visible(t)
                else:
                    prefix += _visible(t)
        else:
            if seen_number:
                suffix += t
            else:
                prefix += t
    text = f"{prefix.strip()}{digits}{suffix.strip()}"
    if value < 0 and not own_sign:
        text = "-" + text
    return text


def _split_sections(fmt: str) -> list[str]:
    out, cur, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def _tokens(section: str) -> list[tuple[str, str]]:
    """Split a format section into literal text (quoted or escaped) and format code."""
    out: list[tuple[str, str]] = []
    i = 0
    code = ""
    while i < len(section):
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = len(section) if j < 0 else j
            if code:
                out.append(("code", code))
                code = ""
            out.append(("lit", section[i + 1 : j]))
            i = j + 1
        elif ch == "\\" and i + 1 < len(section):
            if code:
                out.append(("code", code))
                code = ""
            out.append(("lit", section[i + 1]))
            i += 2
        elif ch in "_*" and i + 1 < len(section):
            i += 2  # padding directives print nothing we need
        else:
            code += ch
            i += 1
    if code:
        out.append(("code", code))
    return out


def _visible(code: str) -> str:
    """Characters of format code that print as themselves."""
    return "".join(ch for ch in code if ch in "()-+%$¥￥/:" or "\u4e00" <= ch <= "\u9fff")


def _general(value: float) -> str:
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.10g}"
