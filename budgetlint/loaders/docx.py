"""DOCX loader (python-docx): body paragraphs and tables in document order.

* Every non-empty body paragraph and every table is a *block*, numbered from 1
  in reading order; a paragraph's :class:`Location` has ``paragraph=N``, a
  table cell has ``paragraph=N`` of its table and ``cell`` = its A1 position in
  the table grid.
* Merged cells (``gridSpan`` across, ``vMerge`` down) keep their text in the
  top-left position; covered positions are empty and a :class:`Span` records
  the merge.  ``gridBefore`` (rows starting right of column A) is respected.
* A layout table (a few cells wrapping other tables) is unwrapped: its
  paragraphs and inner tables are read as if they were in the body.  A table
  nested in a data cell adds its text to that cell.
* Two tables separated only by empty paragraphs or a page break, with the same
  grid width, are one table continued on the next page and are read as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..grid import RawDocument, RawTable
from ..limits import Budget, LimitError, check_zip
from ..model import Location, Paragraph
from . import LoadError
from ._layout import GridBuilder, a1, attach_context, clean_text, join_wrapped

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_DEPTH = 32  # nested tables deeper than this are read as text only


@dataclass
class _TcSpec:
    col: int
    colspan: int
    vmerge: str | None  # "restart", "continue" or None
    text: str


@dataclass
class _TableSpec:
    rows: list[list[_TcSpec]] = field(default_factory=list)
    width: int = 0


def load(path: Path) -> RawDocument:
    """Read a .docx file into raw tables and numbered paragraphs."""
    budget = Budget()
    check_zip(path, budget.limits)
    _check_main_part(path, budget)
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise LoadError(f"读取 DOCX 需要安装 python-docx（{exc}）") from exc
    try:
        document = docx.Document(str(path))
    except PackageNotFoundError as exc:
        raise LoadError("不是有效的 DOCX 文件（缺少 Word 文档部件）") from exc
    except KeyError as exc:
        raise LoadError(f"DOCX 文件不完整：缺少部件 {exc}") from exc
    except Exception as exc:  # lxml XMLSyntaxError, zipfile errors, ValueError from the package reader
        raise LoadError(f"DOCX 文件损坏，无法解析：{type(exc).__name__}: {exc}") from exc
    reader = _Reader(str(path), budget)
    body = document.element.body
    reader.read_container(body, 0)
    blocks = reader.finish()
    attach_context(blocks)
    raw = RawDocument(path=str(path), format="docx")
    raw.tables = [b for b in blocks if isinstance(b, RawTable)]
    raw.prose = [b for b in blocks if isinstance(b, Paragraph)]
    raw.problems.extend(reader.problems)
    raw.meta["blocks"] = reader.block_no
    return raw


def _check_main_part(path: Path, budget: Budget) -> None:
    """The main document XML is parsed in memory: keep it within the file-size limit."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            if info.filename.lower().startswith("word/") and info.filename.lower().endswith(".xml"):
                if info.file_size > budget.limits.max_file_bytes:
                    raise LimitError(
                        f"DOCX 部件 {info.filename} 解压后 {info.file_size:,} 字节，超过上限 "
                        f"{budget.limits.max_file_bytes:,} 字节，未读取（BUDGETLINT_MAX_FILE_BYTES）"
                    )


class _Reader:
    """Walks the body, numbering blocks and collecting pending tables for page-break merging."""

    def __init__(self, path: str, budget: Budget) -> None:
        self.path = path
        self.budget = budget
        self.block_no = 0
        self.blocks: list[Paragraph | RawTable] = []
        self.pending: list[_TableSpec] = []  # tables waiting: the next may continue them
        self.pending_no = 0
        self.n_prose = 0
        self.problems: list[tuple[str, str, Location | None]] = []

    # -- walking -------------------------------------------------------------

    def read_container(self, element, depth: int) -> None:
        for child in element.iterchildren():
            self.budget.tick()
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl":
                self.table(child, depth)
            elif tag in (W + "sdt", W + "customXml", W + "sdtContent", W + "smartTag"):
                inner = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if inner is not None:
                    self.read_container(inner, depth)

    def paragraph(self, p) -> None:
        text = paragraph_text(p)
        if not text:
            return  # an empty paragraph or a page break keeps a pending table open
        self.flush()
        self.budget.lines()
        self.block_no += 1
        self.blocks.append(Paragraph(text=text, loc=Location(self.path, paragraph=self.block_no), index=self.n_prose))
        self.n_prose += 1

    def table(self, tbl, depth: int) -> None:
        if depth < MAX_DEPTH and _is_layout(tbl):
            for tc in _iter_cells(tbl):
                self.read_container(tc, depth + 1)
            return
        spec = self.table_spec(tbl, depth)
        if self.pending and self.pending[-1].width == spec.width:
            self.pending.append(spec)  # continued after a page break
            return
        self.flush()
        self.block_no += 1
        self.pending_no = self.block_no
        self.pending = [spec]

    def table_spec(self, tbl, depth: int) -> _TableSpec:
        spec = _TableSpec()
        for tr in _iter_rows(tbl):
            self.budget.tick()
            col = _int_val(tr.find(f"{W}trPr/{W}gridBefore"), 0)
            row: list[_TcSpec] = []
            for tc in _iter_row_cells(tr):
                pr = tc.find(W + "tcPr")
                colspan = max(1, min(_int_val(pr.find(W + "gridSpan") if pr is not None else None, 1), 1000))
                vm = pr.find(W + "vMerge") if pr is not None else None
                vmerge = None if vm is None else ("restart" if vm.get(W + "val") == "restart" else "continue")
                hm = pr.find(W + "hMerge") if pr is not None else None
                if hm is not None and hm.get(W + "val") != "restart" and row:
                    row[-1].colspan += colspan  # legacy horizontal merge: widen the previous cell
                    col += colspan
                    continue
                row.append(_TcSpec(col, colspan, vmerge, cell_text(tc, depth)))
                col += colspan
            self.budget.cells(len(row))
            spec.rows.append(row)
            spec.width = max(spec.width, col)
        return spec

    # -- output --------------------------------------------------------------

    def flush(self) -> None:
        if not self.pending:
            return
        specs, number = self.pending, self.pending_no
        self.pending = []
        rows = list(specs[0].rows)
        dropped = 0
        for spec in specs[1:]:
            k = _repeated_prefix(specs[0].rows, spec.rows)
            dropped += k
            rows.extend(spec.rows[k:])
        grid = GridBuilder(len(rows), self.budget)
        for r, row in enumerate(rows):
            for tc in row:
                if tc.vmerge == "continue" and r > 0 and _has_cell_at(rows[r - 1], tc.col):
                    continue  # covered by a vertical merge from above
                rowspan = 1
                if tc.vmerge == "restart":
                    k = r + 1
                    while k < len(rows) and any(t.col == tc.col and t.vmerge == "continue" for t in rows[k]):
                        k += 1
                    rowspan = k - r
                grid.place(r, tc.col, tc.text, rowspan, tc.colspan)
        path = self.path
        cells, spans = grid.build(lambda r, c: Location(path, paragraph=number, cell=a1(r, c)))
        hints = {"block": number}
        if len(specs) > 1:
            hints["parts"] = len(specs)
            hints["repeated_header_rows"] = dropped
        self.blocks.append(RawTable(rows=cells, loc=Location(path, paragraph=number), spans=spans, hints=hints))

    def finish(self) -> list[Paragraph | RawTable]:
        self.flush()
        return self.blocks


def _repeated_prefix(first: list[list[_TcSpec]], rows: list[list[_TcSpec]]) -> int:
    """How many leading rows of a continuation repeat the first part's leading rows (its header)."""
    def key(row: list[_TcSpec]) -> list[tuple]:
        return [(t.col, t.colspan, t.text) for t in row]

    k = 0
    while k < min(len(first), len(rows)) - 1 and key(first[k]) == key(rows[k]) and any(t.text for t in rows[k]):
        k += 1
    return k


def _has_cell_at(row: list[_TcSpec], col: int) -> bool:
    return any(t.col == col for t in row)


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val", default))
    except (TypeError, ValueError):
        return default


def _children(parent, tag: str):
    """``parent``'s children with ``tag``, including those wrapped in a content control or custom XML."""
    for child in parent.iterchildren():
        if child.tag == W + tag:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if inner is not None:
                yield from (c for c in inner.iterchildren() if c.tag == W + tag)


def _iter_rows(tbl):
    return _children(tbl, "tr")


def _iter_row_cells(tr):
    return _children(tr, "tc")


def _iter_cells(tbl):
    for tr in _iter_rows(tbl):
        yield from _iter_row_cells(tr)


def _is_layout(tbl) -> bool:
    """A table used for page layout: few cells, and they hold other tables."""
    cells = list(_iter_cells(tbl))
    if not cells or len(cells) > 4:
        return False
    return any(tc.find(W + "tbl") is not None for tc in cells)


_SKIP_ANCESTORS = (W + "del", W + "moveFrom", W + "txbxContent")


def paragraph_text(p) -> str:
    """A paragraph's visible text: runs, tabs and line breaks; deleted text and text boxes skipped."""
    parts: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen", W + "sym"):
        if _inside_skipped(el, p):
            continue
        tag = el.tag
        if tag == W + "t":
            parts.append(el.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    text = "".join(parts)
    return join_wrapped(text.split("\n"))


def _inside_skipped(el, stop) -> bool:
    parent = el.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in _SKIP_ANCESTORS:
            return True
        parent = parent.getparent()
    return False


def cell_text(tc, depth: int = 0) -> str:
    """A table cell's text: its paragraphs joined as wrapped lines, nested tables row by row."""
    parts: list[str] = []
    for child in tc.iterchildren():
        if child.tag == W + "p":
            parts.append(paragraph_text(child))
        elif child.tag == W + "tbl" and depth < MAX_DEPTH:
            for tr in _iter_rows(child):
                cells = [cell_text(c, depth + 1) for c in _iter_row_cells(tr)]
                parts.append(" ".join(c for c in cells if c))
        elif child.tag == W + "sdt":
            inner = child.find(W + "sdtContent")
            if inner is not None:
                parts.extend(paragraph_text(p) for p in inner.iterchildren(W + "p"))
    return clean_text(join_wrapped(parts))
