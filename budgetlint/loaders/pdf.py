"""PDF loader (pdfplumber): ruled tables per page, prose lines in reading order.

* Pages are read one at a time (lazily, so a file's page count is checked
  before pages are parsed) and each page's caches are freed after use.
* Tables are found from their ruling lines.  Each cell keeps its page and the
  page line it sits on: ``Location(page=P, line=L, cell=A1)``, where ``L`` counts
  the text lines of page ``P`` from the top (table rows included).
* Merged cells (a cell box spanning several column or row edges) keep their
  text in the top-left position, covered positions are empty, and a
  :class:`Span` records the merge.
* Text outside tables becomes paragraphs: lines that wrap (a line filling the
  text width followed by the next one) are joined; page numbers are dropped.
* A table that ends a page and a table that starts the next page, with the
  same column edges and nothing but a page number between them, are one table:
  the continuation's repeated header rows are dropped and its rows appended.
  Other tables continued over a page break are left for the understanding step.
* A PDF without a text layer (scanned images) reads as empty with a problem
  ``scanned``: "扫描版 PDF，没有文本层" — never silently empty.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..grid import RawDocument, RawTable, Span
from ..limits import Budget, LimitError
from ..model import Cell, Location, Paragraph
from . import LoadError
from ._layout import a1, attach_context, clean_text, join_wrapped

EDGE_TOLERANCE = 3.0  # points: column edges closer than this are the same edge
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}\s*(页)?(\s*/\s*(共\s*)?\d{1,4}\s*页?)?[-—–\s]*$")
SCANNED_MESSAGE = "扫描版 PDF，没有文本层（scanned PDF: no text layer），无法读取表格和文字，请先做文字识别（OCR）"


@dataclass
class _PageTable:
    """A table found on one page, before page merging."""

    page: int
    rows: list[list[str]]
    lines: list[int]  # page line number of each row
    spans: list[Span]
    col_edges: list[float]
    top: float
    bottom: float
    page_height: float
    pages: list[int] = field(default_factory=list)
    row_pages: list[int] = field(default_factory=list)
    owned: list[int] = field(default_factory=list)  # every page line the table holds (wrapped pieces too)


def load(path: Path) -> RawDocument:
    """Read a PDF into raw tables (per page, merged over clean page breaks) and prose paragraphs."""
    budget = Budget()
    try:
        import pdfplumber
        from pdfminer.pdfpage import PDFPage
        from pdfplumber.page import Page
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise LoadError(f"读取 PDF 需要安装 pdfplumber（{exc}）") from exc
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds for broken files
        raise LoadError(_open_error(exc)) from exc
    raw = RawDocument(path=str(path), format="pdf")
    blocks: list[Paragraph | _PageTable] = []
    pages_with_text = 0
    pages_with_images_only: list[int] = []
    n_pages = 0
    content = _ContentCount()
    with pdf:
        declared = _declared_page_count(pdf)
        if declared is not None:
            budget.pages(declared)
        doctop = 0.0
        try:
            page_iter = PDFPage.create_pages(pdf.doc)
            for number, page_obj in enumerate(page_iter, 1):
                budget.pages(number)
                budget.tick()
                _check_content(page_obj, number, budget, content)
                page = Page(pdf, page_obj, page_number=number, initial_doctop=doctop)
                doctop += float(page.height)
                n_pages = number
                try:
                    has_text = bool(page.chars)
                    if has_text:
                        pages_with_text += 1
                        blocks.extend(_read_page(page, number, str(path), budget))
                    elif page.images:
                        pages_with_images_only.append(number)
                finally:
                    page.close()
        except LimitError:
            raise
        except RecursionError as exc:
            raise LoadError("PDF 结构嵌套过深，无法解析") from exc
        except Exception as exc:  # noqa: BLE001
            raise LoadError(f"PDF 文件损坏，无法解析：{type(exc).__name__}: {exc}") from exc
    raw.meta["pages"] = n_pages
    if n_pages and not pages_with_text:
        if pages_with_images_only:
            raw.problems.append(("scanned", SCANNED_MESSAGE, Location(str(path), page=1)))
        else:
            raw.problems.append(("empty", "PDF 没有任何文字（empty PDF: no text）", Location(str(path), page=1)))
    elif pages_with_images_only:
        listed = "、".join(str(p) for p in pages_with_images_only[:20])
        raw.problems.append((
            "scanned-pages",
            f"第 {listed} 页是扫描图像，没有文本层（scanned pages without text layer），这些页未读取",
            Location(str(path), page=pages_with_images_only[0]),
        ))
    merged = _merge_page_breaks(blocks)
    out: list[Paragraph | RawTable] = []
    prose_index = 0
    for b in merged:
        if isinstance(b, Paragraph):
            b.index = prose_index
            prose_index += 1
            out.append(b)
        else:
            out.append(_to_raw_table(b, str(path)))
    attach_context(out)
    raw.tables = [b for b in out if isinstance(b, RawTable)]
    raw.prose = [b for b in out if isinstance(b, Paragraph)]
    return raw


PASSWORD_MESSAGE = (
    "PDF 设有打开密码，无法读取；budgetlint 不接受密码：请使用未加密的原件，或在 PDF 阅读器中输入密码后另存为无密码副本再检查"
    "（password protected PDF: it needs a password to open and budgetlint does not take passwords; "
    "check an unprotected copy instead）"
)
UNSUPPORTED_ENCRYPTION_MESSAGE = (
    "PDF 使用了无法读取的加密方式（{detail}）；budgetlint 不接受密码或证书：请使用未加密的原件"
    "（encrypted PDF with a protection budgetlint cannot open ({detail}); budgetlint does not take passwords or "
    "certificates: check an unprotected copy instead）"
)


def _open_error(exc: Exception) -> str:
    name = type(exc).__name__
    # pdfplumber wraps pdfminer's errors (PdfminerException: PDFPasswordIncorrect)
    said = " ".join([name, str(exc), *(type(a).__name__ for a in exc.args), type(exc.__cause__).__name__ if exc.__cause__ else ""])
    if "Password" in said:
        return PASSWORD_MESSAGE
    if "Encrypt" in said:
        return UNSUPPORTED_ENCRYPTION_MESSAGE.format(detail=str(exc) or name)
    return f"PDF 文件损坏，无法打开：{name}: {exc}"


# ---------------------------------------------------------------------------
# content streams: size and operator count checked before pdfminer interprets them

_OPERATOR = re.compile(rb"(?<![/A-Za-z0-9#.])[A-Za-z'\"][A-Za-z*0-9]{0,2}(?![A-Za-z0-9])")
_DO = re.compile(rb"(?<![/A-Za-z0-9#.])Do(?![A-Za-z0-9])")


@dataclass
class _ContentCount:
    operators: int = 0  # for the whole file


def _stream_data(stream, limit: int, what: str) -> bytes:
    """A content stream's decoded bytes; a Flate stream is first expanded piecewise to check its size."""
    from pdfminer.pdftypes import resolve1

    stream = resolve1(stream)
    if not hasattr(stream, "get_data"):
        return b""
    filters = [getattr(f, "name", f) for f, _ in (stream.get_filters() or [])]
    raw = getattr(stream, "rawdata", None)
    if raw is not None and filters in (["FlateDecode"], ["Fl"]) and not getattr(stream, "decipher", None):
        import zlib

        d = zlib.decompressobj()
        size = 0
        try:
            chunk = d.decompress(raw, limit + 1)
            size = len(chunk)
            while d.unconsumed_tail and size <= limit:
                chunk = d.decompress(d.unconsumed_tail, limit + 1 - size)
                size += len(chunk)
                if not chunk:
                    break
        except zlib.error:
            size = 0  # pdfminer reports the damage itself
        if size > limit:
            raise LimitError(what)
    data = stream.get_data()
    if len(data) > limit:
        raise LimitError(what)
    return data


def _check_content(page_obj, number: int, budget: Budget, count: _ContentCount) -> None:
    """Refuse a page whose content streams expand past the limits, before anything parses them.

    A small compressed stream can expand to millions of drawing operators; pdfminer
    would build an object for each.  The decoded size of each stream, the operators
    of the page (a Form XObject's operators counted once per ``Do`` that draws it)
    and the operators of the whole file are checked against ``BUDGETLINT_MAX_PDF_*``.
    """
    from pdfminer.pdftypes import resolve1

    lim = budget.limits
    too_big = (
        f"PDF 第 {number} 页的内容流解压后超过上限 {lim.max_pdf_stream_bytes // (1024 * 1024)} MiB，未读取"
        f"（content stream over the size limit; BUDGETLINT_MAX_PDF_STREAM_BYTES）"
    )
    ops = draws = 0
    for stream in page_obj.contents or []:
        data = _stream_data(stream, lim.max_pdf_stream_bytes, too_big)
        ops += len(_OPERATOR.findall(data))
        draws += len(_DO.findall(data))
    if draws:
        form_ops = 0
        try:
            xobjects = resolve1((page_obj.resources or {}).get("XObject")) or {}
            for ref in list(xobjects.values())[:1000]:
                x = resolve1(ref)
                if hasattr(x, "get") and getattr(resolve1(x.get("Subtype")), "name", None) == "Form":
                    form_ops = max(form_ops, len(_OPERATOR.findall(_stream_data(x, lim.max_pdf_stream_bytes, too_big))))
        except LimitError:
            raise
        except Exception:  # noqa: BLE001 - a broken resource dictionary is pdfminer's to report
            form_ops = 0
        ops += draws * form_ops
    if ops > lim.max_pdf_operators:
        raise LimitError(
            f"PDF 第 {number} 页约有 {ops:,} 个绘图指令，超过上限 {lim.max_pdf_operators:,}，未读取"
            f"（too many drawing operators on one page; BUDGETLINT_MAX_PDF_OPERATORS）"
        )
    count.operators += ops
    if count.operators > lim.max_pdf_operators * 20:
        raise LimitError(
            f"PDF 的绘图指令总数超过上限 {lim.max_pdf_operators * 20:,}，已停止（too many drawing operators in the file; "
            f"BUDGETLINT_MAX_PDF_OPERATORS × 20）"
        )


def _declared_page_count(pdf) -> int | None:
    """The /Count of the page tree (cheap; the real count is checked again while reading)."""
    try:
        from pdfminer.pdftypes import resolve1

        pages = resolve1(pdf.doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        return int(count) if isinstance(count, int) else None
    except Exception:  # noqa: BLE001 - a broken tree is reported when pages are read
        return None


# ---------------------------------------------------------------------------
# one page


def _read_page(page, number: int, path: str, budget: Budget) -> list[Paragraph | _PageTable]:
    page = _visible(page)
    lines = page.extract_text_lines(return_chars=True)
    budget.lines(len(lines))
    tables = []
    for found in _ruled_tables(page):
        for t in _without_frames(page, found):
            rows = t.rows
            if not rows or max(len(r.cells) for r in rows) < 2:
                continue  # a frame around text, not a table
            tables.append(t)
    aligned: list[_PageTable] = []
    if not tables:  # no ruling lines: tables whose columns are only aligned text
        aligned = _aligned_tables(lines, number, float(page.height))
    owner = _line_owners(lines, tables, aligned)
    items: list[tuple[float, int, object]] = []
    prose_lines = []
    for ln_no, line in enumerate(lines, 1):
        if owner[ln_no - 1] is not None:
            continue
        text = clean_text(line["text"])
        if not text or _PAGE_NUMBER.match(text):
            continue
        prose_lines.append((ln_no, line, text))
    # the text's right edge: the widest line of the page, at least three quarters of the page width
    right_edge = max([float(ln["x1"]) for ln in lines] + [0.75 * float(page.width)])
    for para in _paragraphs(prose_lines, right_edge):
        ln_no, top, text = para
        items.append((top, 0, Paragraph(text=text, loc=Location(path, page=number, line=ln_no))))
    for k, t in enumerate(tables):
        tops = [float(lines[i]["top"]) for i, o in enumerate(owner) if o == k]
        items.append((min(tops) if tops else t.bbox[1], 1, _page_table(t, lines, number, float(page.height), budget)))
    for pt in aligned:
        budget.cells(sum(len(r) for r in pt.rows))
        items.append((pt.top, 1, pt))
    items.sort(key=lambda it: (it[0], it[1]))
    return [it[2] for it in items]


def _is_white(color) -> bool:
    if color is None:
        return False
    vals = color if isinstance(color, (tuple, list)) else (color,)
    try:
        nums = [float(v) for v in vals]
    except (TypeError, ValueError):
        return False
    if len(nums) == 4:  # CMYK: no ink at all
        return all(v <= 0.001 for v in nums)
    return bool(nums) and all(v >= 0.999 for v in nums)


def _invisible_rect(obj) -> bool:
    """A white, unstroked rectangle: a cell background or a line drawn in white, not a ruling a reader sees."""
    if obj.get("object_type") != "rect":
        return False
    if obj.get("stroke") and not _is_white(obj.get("stroking_color")):
        return False
    return not obj.get("fill") or _is_white(obj.get("non_stroking_color"))


def _ruled_tables(page) -> list:
    """The page's ruled tables as a reader sees the rulings.

    Spreadsheets printed to PDF draw every cell's background in white and, inside a merged
    cell, white lines where the grid would be: taken as rulings they split a wrapped label
    from its amount.  Without the white rectangles the rows are the ones printed — unless a
    row's visible border is missing (the first row on a continued page), where a background
    is the only thing that bounds it: the reading that keeps more of the page's amounts inside
    tables wins.
    """
    found = list(page.find_tables())
    if not found or not any(_invisible_rect(r) for r in page.rects):
        return found
    visible = list(page.filter(lambda obj: not _invisible_rect(obj)).find_tables())
    if visible and _amounts_inside(page, visible) >= _amounts_inside(page, found):
        return visible
    return found


_AMOUNT_WORD = re.compile(r"^[-(（]?\d[\d,]*\.\d+[)）]?$")


def _amounts_inside(page, tables) -> int:
    """How many printed amounts (digits with a decimal point) lie inside the tables' boxes."""
    boxes = [t.bbox for t in tables]
    return sum(
        1 for w in page.extract_words() if _AMOUNT_WORD.match(w["text"])
        and any(x0 - 1 <= w["x0"] and w["x1"] <= x1 + 1 and top - 1 <= w["top"] and w["bottom"] <= bottom + 1 for x0, top, x1, bottom in boxes)
    )


def _visible(page):
    """The page cropped to its box when it carries objects outside it (text no viewer shows)."""
    x0, top, x1, bottom = (float(v) for v in page.bbox)
    for c in page.chars:
        if c["x1"] < x0 or c["x0"] > x1 or c["bottom"] < top or c["top"] > bottom:
            return page.crop(page.bbox)
    return page


def _without_frames(page, table) -> list:
    """The table's grids once container cells are dropped.

    A cell whose box holds two or more other cells is not a table cell but a frame drawn
    around a title block and a grid (or several grids): its text outside the inner cells is
    prose above the table.  Without containers the table is returned unchanged.
    """
    cells = table.cells
    if len(cells) < 3:
        return [table]
    import numpy as np
    from pdfplumber.table import Table as PlumberTable
    from pdfplumber.table import cells_to_tables

    box = np.asarray(cells, dtype=float)
    tol = EDGE_TOLERANCE
    holds = (
        (box[None, :, 0] >= box[:, None, 0] - tol) & (box[None, :, 1] >= box[:, None, 1] - tol)
        & (box[None, :, 2] <= box[:, None, 2] + tol) & (box[None, :, 3] <= box[:, None, 3] + tol)
    )
    np.fill_diagonal(holds, False)
    container = holds.sum(axis=1) >= 2
    if not container.any():
        return [table]
    inner = [c for c, is_frame in zip(cells, container) if not is_frame]
    return [PlumberTable(page, group) for group in cells_to_tables(inner) if group]


def _line_owners(lines, tables, aligned) -> list[int | None]:
    """For each text line, the index of the table it belongs to (None: prose).

    A ruled table owns the lines that sit in its cells, and the lines inside its box below
    its first line of cell text (gaps between cells); lines inside its box above its first
    cell text (a title block in a frame) are prose.  An aligned table owns its rows' lines.
    """
    owner: list[int | None] = [None] * len(lines)
    if aligned:
        for k, pt in enumerate(aligned):
            for ln in pt.owned or pt.lines:
                owner[ln - 1] = k
        return owner
    if not tables:
        return owner
    boxed: list[list[int]] = [[] for _ in tables]
    first_top = [float("inf")] * len(tables)
    for i, line in enumerate(lines):
        mid_y = (line["top"] + line["bottom"]) / 2
        mid_x = (line["x0"] + line["x1"]) / 2
        for k, t in enumerate(tables):
            x0, top, x1, bottom = t.bbox
            if not (top <= mid_y <= bottom and x0 - 2 <= mid_x <= x1 + 2):
                continue
            if _in_a_cell(t, mid_x, mid_y):
                owner[i] = k
                first_top[k] = min(first_top[k], float(line["top"]))
            else:
                boxed[k].append(i)
            break
    for k, idxs in enumerate(boxed):
        for i in idxs:
            if float(lines[i]["top"]) >= first_top[k]:
                owner[i] = k
    return owner


def _in_a_cell(t, x: float, y: float) -> bool:
    for r in t.rows:
        if not (r.bbox[1] - 1 <= y <= r.bbox[3] + 1):
            continue
        for box in r.cells:
            if box is not None and box[0] - 2 <= x <= box[2] + 2 and box[1] - 1 <= y <= box[3] + 1:
                return True
    return False


_NUMERIC = re.compile(r"^[-−(]?\d[\d,]*(?:\.\d+)?%?\)?$")


def _line_segments(line) -> list[tuple[float, float, str]]:
    """A text line cut into cells where the gap between characters is wider than a character."""
    chars = sorted((c for c in line.get("chars", []) if c["text"].strip()), key=lambda c: c["x0"])
    if not chars:
        return []
    widths = sorted(float(c["x1"]) - float(c["x0"]) for c in chars)
    gap_limit = max(2.0, 1.1 * widths[len(widths) // 2])
    segs: list[list] = []
    for c in chars:
        if segs and float(c["x0"]) - segs[-1][1] <= gap_limit:
            segs[-1][1] = max(segs[-1][1], float(c["x1"]))
            segs[-1][2] += (" " if float(c["x0"]) - segs[-1][1] > 0.6 * widths[len(widths) // 2] else "") + c["text"]
        else:
            segs.append([float(c["x0"]), float(c["x1"]), c["text"]])
    return [(a, b, clean_text(t)) for a, b, t in segs]


MAX_FRAGMENT_RUN = 2  # wrapped label lines in a row between two lines of cells


def _aligned_tables(lines, number: int, page_height: float) -> list[_PageTable]:
    """Runs of lines whose cells line up in columns (at least 3 lines of 2+ cells, 2 with amounts).

    A label wrapped over two or three lines in a narrow column prints its pieces on lines of
    their own, above and below the line with the row's code and amounts (the amounts are
    centred vertically).  Up to :data:`MAX_FRAGMENT_RUN` such one-piece lines inside a run do not
    end the table; each is joined to the cell of the nearest line of cells, above or below.
    """
    from .layout_text import _columns, _place

    segs = [_line_segments(ln) for ln in lines]
    out: list[_PageTable] = []
    i = 0
    while i < len(lines):
        if len(segs[i]) < 2:
            i += 1
            continue
        def row_like(k: int) -> bool:  # a line of cells, or a lone amount whose label wrapped around it
            return len(segs[k]) >= 2 or (len(segs[k]) == 1 and _has_amount(segs[k]))

        j = i
        while j < len(lines):
            if row_like(j):
                j += 1
                continue
            run = j
            while run < len(lines) and len(segs[run]) == 1 and not row_like(run) and run - j < MAX_FRAGMENT_RUN:
                run += 1
            if len(segs[j]) == 1 and run < len(lines) and row_like(run):
                j = run  # wrapped pieces between two lines of cells
                continue
            if len(segs[j]) == 1 and j > i and _is_fragment_line(lines, segs, j, j - 1):
                j += 1  # the last row's wrapped tail
                continue
            break
        block = list(range(i, j))
        multi = [k for k in block if len(segs[k]) >= 2]
        numeric = [k for k in block if _has_amount(segs[k])]
        # a table of one row of amounts under captions (三公 table): one line with three or more amounts
        one_row = len(numeric) == 1 and sum(1 for _, _, t in segs[numeric[0]] if _NUMERIC.match(t.replace(" ", ""))) >= 3
        if len(multi) >= 3 and len(numeric) >= 2 or len(multi) >= 2 and one_row:
            cols = _columns([segs[k] for k in numeric])
            if len(cols) >= 2:
                # captions spanning several columns, printed on a line just above the block
                while i > 0 and _is_fragment_line(lines, segs, i - 1, i) and any(len(_covered(seg, cols)) >= 2 for seg in segs[i - 1]):
                    i -= 1
                    block.insert(0, i)
                first_amount = min(numeric)
                while first_amount > block[0] and _is_fragment_line(lines, segs, first_amount - 1, min(numeric)):
                    first_amount -= 1  # the first row's label wrapped above its amounts
                head = [k for k in block if k < first_amount]
                body = [k for k in block if k >= first_amount]
                placed: dict[int, list[str]] = {}
                for k in body:
                    cells = [""] * len(cols)
                    for seg in segs[k]:
                        c = _place(seg, cols)
                        cells[c] = f"{cells[c]} {seg[2]}".strip() if cells[c] else seg[2]
                    placed[k] = cells
                keep = _join_fragments(lines, segs, body, placed)
                header, spans = _header_rows(lines, segs, head, cols)
                out.append(_PageTable(
                    page=number, rows=header + [placed[k] for k in keep],
                    lines=[head[0] + 1 if head else keep[0] + 1] * len(header) + [k + 1 for k in keep], spans=spans,
                    col_edges=[c[0] for c in cols] + [cols[-1][1]],
                    top=float(lines[i]["top"]) - 0.5, bottom=float(lines[j - 1]["bottom"]) + 0.5, page_height=page_height,
                    pages=[number], row_pages=[number] * (len(header) + len(keep)), owned=[k + 1 for k in block],
                ))
        i = max(j, i + 1)
    return out


def _covered(seg, cols) -> list[int]:
    """The columns a text piece stretches over (their extents overlap it)."""
    x0, x1, _ = seg
    return [c for c, (a, b) in enumerate(cols) if a < x1 - 1 and b > x0 + 1]


def _header_rows(lines, segs, head: list[int], cols) -> tuple[list[list[str]], list[Span]]:
    """The header of an unruled table from its caption lines.

    Caption lines closer than a line height are one header row wrapped over lines: the
    pieces of a column are joined (``“三公”`` / ``经费合计``), and a caption stretching over
    several columns heads them (a merged cell in a row of its own above, with its span; the
    captions beside it span both rows).  Lines further apart are header rows of their own.
    """
    from .layout_text import _place

    clusters: list[list[int]] = []
    for k in head:
        if clusters and _is_fragment_line(lines, segs, k, clusters[-1][-1]):
            clusters[-1].append(k)
        else:
            clusters.append([k])
    rows: list[list[str]] = []
    spans: list[Span] = []
    for cl in clusters:
        top = [""] * len(cols)
        pieces: list[list[str]] = [[] for _ in cols]
        merged: list[tuple[int, int]] = []
        for k in cl:
            for seg in segs[k]:
                under = _covered(seg, cols)
                if len(cl) > 1 and len(under) >= 2:
                    top[under[0]] = seg[2]
                    merged.append((under[0], len(under)))
                else:
                    pieces[under[0] if under else _place(seg, cols)].append(seg[2])
        own = [join_wrapped(p) for p in pieces]
        if not merged:
            rows.append(own)
            continue
        at = len(rows)
        spans += [Span(at, c, 1, n) for c, n in merged]
        under_span = {c + i for c, n in merged for i in range(n)}
        for c in range(len(cols)):
            if c not in under_span and own[c]:
                top[c], own[c] = own[c], ""  # a caption beside the merged ones spans both rows
                spans.append(Span(at, c, 2, 1))
        rows += [top, own]
    return rows, sorted(spans, key=lambda sp: (sp.row, sp.col))


def _has_amount(seg_list) -> bool:
    return any(_NUMERIC.match(t.replace(" ", "")) for _, _, t in seg_list)


def _is_fragment_line(lines, segs, k: int, near: int) -> bool:
    """A text line (no amount) closer to line ``near`` than a line height: pieces of wrapped cells."""
    if not segs[k] or _has_amount(segs[k]):
        return False
    height = float(lines[k]["bottom"]) - float(lines[k]["top"])
    return abs(float(lines[k]["top"]) - float(lines[near]["top"])) < 1.45 * height  # one leading, at most


_ITEM_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．]|\d{3}(?:\d{2}){0,2}\b|其中)")


def _continues(piece: str, cell: str, above: bool) -> bool:
    """Whether a wrapped piece can join a filled cell: text goes on across the line break
    (the lower part never starts a new numbered item, code or 其中 list)."""
    lower = cell if above else piece
    return not _ITEM_START.match(lower.strip())


def _join_fragments(lines, segs, block: list[int], placed: dict[int, list[str]]) -> list[int]:
    """Join the pieces of wrapped cells to the line of amounts they were wrapped around.

    A label wrapped in a narrow column prints its pieces above and below the line that holds
    the row's amounts (centred vertically), leaving that line's label cell empty.  A text line
    within a line height of a line with amounts gives each piece to the cell of that line which
    is empty in the piece's column (the nearer line when both are); the line is dropped when all
    its pieces found a cell.  Returns the lines that stay rows: a line of labels without amounts
    (an item with blank amounts, a heading) stays a row of its own.
    """
    mains = [k for k in block if _has_amount(segs[k])]
    gaps = sorted(float(lines[b]["top"]) - float(lines[a]["top"]) for a, b in zip(mains, mains[1:]))
    pitch = gaps[len(gaps) // 2] if gaps else 0.0

    def close(k: int, m: int) -> bool:  # nearer than most rows are to each other
        return abs(float(lines[k]["top"]) - float(lines[m]["top"])) < 0.75 * pitch

    pieces: dict[int, list[tuple[int, bool, int]]] = {}  # main line -> (column, above, fragment line)
    dropped: set[int] = set()
    claimed: set[tuple[int, int]] = set()  # (main line, column) already filled from above
    for k in block:
        if k in mains or not segs[k]:
            continue
        near = [m for m in (max((m for m in mains if m < k), default=None), min((m for m in mains if m > k), default=None))
                if m is not None and _is_fragment_line(lines, segs, k, m)]
        if not near:
            continue
        near.sort(key=lambda m: abs(float(lines[k]["top"]) - float(lines[m]["top"])))
        cols = [c for c, t in enumerate(placed[k]) if t]
        homes = []
        for c in cols:
            home = next((m for m in near if not placed[m][c] or (m, c) in claimed), None)
            if home is None:
                # a label over three lines: its middle piece shares the amounts' line
                home = next((m for m in near if close(k, m) and _continues(placed[k][c], placed[m][c], above=k < m)), None)
            homes.append(home)
        if any(h is None for h in homes):
            continue  # a piece with no empty cell to go to: a row of its own
        for c, m in zip(cols, homes):
            pieces.setdefault(m, []).append((c, k < m, k))
            claimed.add((m, c))
        dropped.add(k)
    for m, got in pieces.items():
        for c in {c for c, _, _ in got}:
            ups = [placed[k][c] for col, up, k in sorted(got, key=lambda g: g[2]) if col == c and up]
            downs = [placed[k][c] for col, up, k in sorted(got, key=lambda g: g[2]) if col == c and not up]
            placed[m][c] = join_wrapped(ups + ([placed[m][c]] if placed[m][c] else []) + downs)
    return [k for k in block if k not in dropped]


def _paragraphs(prose_lines, right_edge: float):
    """Join wrapped lines: a line reaching the right text edge continues on the next line."""
    out: list[tuple[int, float, str]] = []
    current: list[str] = []
    start: tuple[int, float] | None = None
    prev = None
    for ln_no, line, text in prose_lines:
        if prev is not None:
            height = max(prev["bottom"] - prev["top"], 1.0)
            gap = line["top"] - prev["bottom"]
            wrapped = prev["x1"] >= right_edge - 2 * height and 0 <= gap <= height * 1.2
            if not wrapped:
                out.append((start[0], start[1], join_wrapped(current)))
                current, start = [], None
        if start is None:
            start = (ln_no, float(line["top"]))
        current.append(text)
        prev = line
    if current and start is not None:
        out.append((start[0], start[1], join_wrapped(current)))
    return out


def _page_table(t, lines, number: int, page_height: float, budget: Budget) -> _PageTable:
    rows = t.rows
    ncols = max(len(r.cells) for r in rows)
    texts = t.extract()
    budget.cells(len(rows) * ncols)
    col_x0 = [None] * ncols
    for r in rows:
        for j, box in enumerate(r.cells):
            if box is not None and (col_x0[j] is None or box[0] < col_x0[j]):
                col_x0[j] = box[0]
    col_x1 = max(box[2] for r in rows for box in r.cells if box is not None)
    edges = [x for x in col_x0 if x is not None] + [col_x1]
    grid = [["" for _ in range(ncols)] for _ in rows]
    spans: list[Span] = []
    for i, r in enumerate(rows):
        for j, box in enumerate(r.cells):
            if box is None:
                continue
            text = texts[i][j] if i < len(texts) and j < len(texts[i]) else None
            grid[i][j] = join_wrapped((text or "").split("\n"))
            colspan = 1
            while j + colspan < ncols and r.cells[j + colspan] is None and col_x0[j + colspan] is not None and col_x0[j + colspan] < box[2] - EDGE_TOLERANCE:
                colspan += 1
            rowspan = 1
            while i + rowspan < len(rows) and rows[i + rowspan].cells[j] is None and rows[i + rowspan].bbox[1] < box[3] - EDGE_TOLERANCE:
                rowspan += 1
            if rowspan > 1 or colspan > 1:
                spans.append(Span(i, j, rowspan, colspan))
    line_of_row = []
    for r in rows:
        top, bottom = r.bbox[1], r.bbox[3]
        ln = next((k for k, line in enumerate(lines, 1) if top - 1 <= (line["top"] + line["bottom"]) / 2 <= bottom + 1), None)
        line_of_row.append(ln)
    # rows without text of their own (empty rows) take the line of the row above
    for i in range(len(line_of_row)):
        if line_of_row[i] is None:
            line_of_row[i] = line_of_row[i - 1] if i else next((x for x in line_of_row if x), 1)
    return _PageTable(
        page=number, rows=grid, lines=line_of_row, spans=spans, col_edges=edges,
        top=float(t.bbox[1]), bottom=float(t.bbox[3]), page_height=page_height,
        pages=[number], row_pages=[number] * len(grid),
    )


# ---------------------------------------------------------------------------
# page breaks


def _same_edges(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= EDGE_TOLERANCE for x, y in zip(a, b))


def _merge_page_breaks(blocks: list) -> list:
    """Join a table ending one page with the table that starts the next page, when they line up."""
    out: list = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            isinstance(b, _PageTable)
            and isinstance(prev, _PageTable)
            and b.page == prev.pages[-1] + 1
            and _same_edges(prev.col_edges, b.col_edges)
        ):
            k = _repeated_prefix(prev.rows, b.rows)
            prev.rows.extend(b.rows[k:])
            prev.lines.extend(b.lines[k:])
            prev.row_pages.extend([b.page] * (len(b.rows) - k))
            offset = len(prev.row_pages) - (len(b.rows) - k)
            for s in b.spans:
                if s.row >= k:
                    prev.spans.append(Span(s.row - k + offset, s.col, s.rowspan, s.colspan))
            prev.pages.append(b.page)
            continue
        out.append(b)
    return out


def _repeated_prefix(first: list[list[str]], rows: list[list[str]]) -> int:
    k = 0
    while k < min(len(first), len(rows)) - 1 and first[k] == rows[k] and any(rows[k]):
        k += 1
    return k


def _to_raw_table(t: _PageTable, path: str) -> RawTable:
    cells = [
        [Cell(raw=text, loc=Location(path, page=t.row_pages[i], line=t.lines[i], cell=a1(i, j))) for j, text in enumerate(row)]
        for i, row in enumerate(t.rows)
    ]
    hints = {"page": t.pages[0], "col_edges": [round(x, 1) for x in t.col_edges]}
    if len(t.pages) > 1:
        hints["pages"] = list(t.pages)
    hints["last_page"] = t.pages[-1]
    return RawTable(rows=cells, loc=Location(path, page=t.pages[0], line=t.lines[0] if t.lines else None), spans=t.spans, hints=hints)
