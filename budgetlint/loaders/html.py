"""HTML loader (government web pages): ``<table>`` grids and the prose around them.

Standard library only (:mod:`html.parser`): no DTDs, no external entities, no
network.  The page is parsed into a small tree (tolerant of unclosed ``<p>``,
``<td>``, ``<tr>``), then walked in reading order:

* every non-empty paragraph (``<p>``, ``<div>``, headings, list items, lines
  separated by ``<br>``) and every data table is a block numbered from 1;
  paragraphs get ``Location(paragraph=N)``, table cells ``paragraph=N`` of their
  table and ``cell`` = the A1 position in the table grid;
* ``rowspan``/``colspan`` are placed with the HTML table algorithm: text in the
  top-left position, covered positions empty, a :class:`Span` per merge;
* layout tables (those holding other tables, and one-column text boxes) are
  unwrapped and their content read as blocks; ``<caption>`` becomes the line
  just above its table;
* ``<script>``, ``<style>``, ``<head>``, form controls and the site's own
  navigation, header and footer (``<nav>``, ``class="nav|footer|position…"``)
  are ignored.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..grid import RawDocument, RawTable
from ..limits import Budget, LimitError
from ..model import Location, Paragraph
from . import LoadError
from ._layout import GridBuilder, a1, attach_context, clean_text, join_wrapped

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr", "basefont", "frame"})
SKIP = frozenset({"script", "style", "noscript", "template", "head", "title", "select", "option", "textarea", "button", "iframe", "object", "svg", "math"})
BLOCK = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
    "header", "footer", "nav", "main", "aside", "blockquote", "pre", "center", "form", "figure", "figcaption",
    "address", "hr", "br", "table", "caption", "body", "html", "fieldset", "legend", "details", "summary",
})
CELL = frozenset({"td", "th"})
SECTION = frozenset({"thead", "tbody", "tfoot"})
MAX_DEPTH = 256  # deeper elements are read as part of their ancestor
CHUNK = 1 << 20


_NO_ATTRS: dict[str, str] = {}  # shared by every element without attributes (never mutated)


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.children: list[_Node | str] = []


class _TreeBuilder(HTMLParser):
    """A forgiving tree builder: implied end tags for p, li, td, th, tr; unknown end tags ignored."""

    def __init__(self, budget: Budget) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("#root", {})
        self.stack: list[_Node] = [self.root]
        self.budget = budget
        self.nodes = 0
        self.skip_depth = 0
        self.max_nodes = budget.limits.max_cells

    # -- helpers -------------------------------------------------------------

    def _close_until(self, tags: frozenset[str], stop: frozenset[str]) -> None:
        """Pop elements while the top is in ``tags``-closing range, never past a ``stop`` element."""
        for i in range(len(self.stack) - 1, 0, -1):
            tag = self.stack[i].tag
            if tag in stop:
                return
            if tag in tags:
                del self.stack[i:]
                return

    def _in_table_context(self) -> bool:
        for node in reversed(self.stack):
            if node.tag in ("tr", "table") or node.tag in SECTION:
                return True
            if node.tag in CELL:
                return False
        return False

    # -- parser callbacks ----------------------------------------------------

    def handle_starttag(self, tag, attrs):
        if self.skip_depth:
            if tag in SKIP and tag not in VOID:
                self.skip_depth += 1
            return
        if tag in SKIP:
            self.skip_depth = 1
            return
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise LimitError(f"HTML 元素数超过上限 {self.max_nodes:,}，未继续读取（BUDGETLINT_MAX_CELLS）")
        if tag in ("p", "li", "dt", "dd") or tag in BLOCK and tag not in ("br", "hr", "caption"):
            # a block start closes an open <p> (HTML's implied end tag)
            self._close_until(frozenset({"p"}), frozenset({"table", "td", "th", "div", "li"}) | SECTION)
        if tag == "li":
            self._close_until(frozenset({"li"}), frozenset({"ul", "ol", "table", "td", "th"}))
        if tag == "tr":
            self._close_until(frozenset({"tr"}), frozenset({"table"}))
        if tag in CELL:
            self._close_until(CELL, frozenset({"tr", "table"}))
            if self.stack[-1].tag not in ("tr",) and self._in_table_context():
                self._push("tr", {})
        if tag in SECTION:
            self._close_until(frozenset({"tr"}) | SECTION, frozenset({"table"}))
        node = _Node(tag, {k: (v or "") for k, v in attrs} if attrs else _NO_ATTRS)
        if tag in VOID:
            self.stack[-1].children.append(node)
            return
        if len(self.stack) > MAX_DEPTH:
            return  # too deep: its content goes to the current element
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def _push(self, tag: str, attrs: dict[str, str]) -> None:
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.skip_depth and self.stack[-1].tag == tag and len(self.stack) > 1:
            self.stack.pop()

    def handle_endtag(self, tag):
        if self.skip_depth:
            if tag in SKIP:
                self.skip_depth -= 1
            return
        if tag in VOID:
            return
        stop = frozenset({"table"}) if tag != "table" else frozenset()
        for i in range(len(self.stack) - 1, 0, -1):
            node_tag = self.stack[i].tag
            if node_tag == tag:
                del self.stack[i:]
                return
            if node_tag in stop:
                return

    def handle_data(self, data):
        if self.skip_depth or not data:
            return
        self.stack[-1].children.append(data)


def decode(data: bytes) -> str:
    """The page's text: BOM, then ``<meta charset>``, then UTF-8, then a detected or GB encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    m = re.search(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", data[:4096], re.I)
    declared = m.group(1).decode("ascii").lower() if m else None
    if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80", "cp936", "euc-cn"):
        declared = "gb18030"
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 1 << 20]).best()
        if best is not None and best.encoding:
            return data.decode(best.encoding, errors="replace")
    except Exception:  # noqa: BLE001 - detection is a best effort
        pass
    return data.decode("gb18030", errors="replace")


def load(path: Path) -> RawDocument:
    """Read an HTML page into raw tables and numbered paragraphs."""
    budget = Budget()
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise LoadError(f"无法打开文件：{exc.strerror or exc}") from exc
    text = decode(data)
    del data
    builder = _TreeBuilder(budget)
    try:
        for i in range(0, len(text), CHUNK):
            builder.feed(text[i : i + CHUNK])
            budget.tick()
        builder.close()
    except LimitError:
        raise
    except Exception as exc:  # html.parser is lenient; anything raised here is a broken page
        raise LoadError(f"HTML 无法解析：{type(exc).__name__}: {exc}") from exc
    walker = _Walker(str(path), budget)
    walker.walk(builder.root)
    walker.flush_text()
    blocks = walker.blocks
    attach_context(blocks)
    raw = RawDocument(path=str(path), format="html")
    raw.tables = [b for b in blocks if isinstance(b, RawTable)]
    raw.prose = [b for b in blocks if isinstance(b, Paragraph)]
    title = _find_title(text)
    if title:
        raw.meta["title"] = title
    return raw


def _find_title(text: str) -> str | None:
    m = re.search(r"<title[^>]*>(.*?)</title>", text[:65536], re.I | re.S)
    return clean_text(m.group(1)) if m else None


class _Walker:
    """Reading-order walk producing numbered paragraphs and tables."""

    def __init__(self, path: str, budget: Budget) -> None:
        self.path = path
        self.budget = budget
        self.blocks: list[Paragraph | RawTable] = []
        self.block_no = 0
        self.n_prose = 0
        self.buffer: list[str] = []

    def flush_text(self) -> None:
        text = clean_text("".join(self.buffer))
        self.buffer = []
        if not text:
            return
        self.budget.lines()
        self.block_no += 1
        self.blocks.append(Paragraph(text=text, loc=Location(self.path, paragraph=self.block_no), index=self.n_prose))
        self.n_prose += 1

    def walk(self, node: _Node, depth: int = 0) -> None:
        for child in node.children:
            if isinstance(child, str):
                self.buffer.append(child)
                continue
            tag = child.tag
            if tag == "br" or tag == "hr":
                self.flush_text()
                continue
            if tag == "table":
                self.flush_text()
                self.table(child, depth)
                continue
            if _is_chrome(child):
                continue  # navigation, header and footer of the site, not the document
            block = tag in BLOCK
            if block:
                self.flush_text()
            if depth < MAX_DEPTH:
                self.walk(child, depth + 1)
            if block:
                self.flush_text()
        self.budget.tick()

    def table(self, table: _Node, depth: int) -> None:
        rows = list(_own_rows(table))
        cells = [list(_own_cells(tr)) for tr in rows]
        caption = next((c for c in table.children if isinstance(c, _Node) and c.tag == "caption"), None)
        if caption is not None:
            self.buffer.append(node_text(caption))
            self.flush_text()
        if _is_layout(table, cells) and depth < MAX_DEPTH:
            for row in cells:
                for cell in row:
                    self.walk(cell, depth + 1)
                    self.flush_text()
            return
        if not rows:
            return
        grid = GridBuilder(len(rows), self.budget)
        for r, row in enumerate(cells):
            col = 0
            for cell in row:
                col = grid.next_free(r, col)
                rowspan = _span(cell.attrs.get("rowspan"))
                if rowspan == 0:  # rowspan="0": to the end of the table
                    rowspan = len(rows) - r
                colspan = max(1, _span(cell.attrs.get("colspan")))
                grid.place(r, col, node_text(cell), rowspan, colspan)
                col += colspan
            self.budget.tick()
        self.block_no += 1
        number = self.block_no
        path = self.path
        grid_rows, spans = grid.build(lambda r, c: Location(path, paragraph=number, cell=a1(r, c)))
        hints = {"block": number}
        if caption is not None:
            hints["caption"] = node_text(caption)
        self.blocks.append(RawTable(rows=grid_rows, loc=Location(path, paragraph=number), spans=spans, hints=hints))


_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside"})
_CHROME_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|breadcrumbs?|crumbs?|bread|footer|foot|header|position|location|share|toolbar|sidebar)(?:$|[\s_-])",
    re.I,
)


def _is_chrome(node: _Node) -> bool:
    """Site navigation, headers and footers around the published document."""
    if node.tag in _CHROME_TAGS:
        return True
    if node.tag not in ("div", "ul", "ol", "section", "p", "span", "td"):
        return False
    marker = f"{node.attrs.get('class', '')} {node.attrs.get('id', '')}".strip()
    return bool(marker) and bool(_CHROME_RE.search(marker))


def _span(value: str | None) -> int:
    if not value:
        return 1
    m = re.match(r"\s*(\d+)", value)
    if not m:
        return 1
    return min(int(m.group(1)[:6]), 65534)


def _own_rows(table: _Node):
    for child in table.children:
        if not isinstance(child, _Node):
            continue
        if child.tag == "tr":
            yield child
        elif child.tag in SECTION:
            for tr in child.children:
                if isinstance(tr, _Node) and tr.tag == "tr":
                    yield tr


def _own_cells(tr: _Node):
    for child in tr.children:
        if isinstance(child, _Node) and child.tag in CELL:
            yield child


def _contains_table(node: _Node, depth: int = 0) -> bool:
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == "table":
                return True
            if depth < MAX_DEPTH and _contains_table(child, depth + 1):
                return True
    return False


def _is_layout(table: _Node, cells: list[list[_Node]]) -> bool:
    """Layout tables hold other tables, or are one column of text boxes."""
    if table.attrs.get("role") == "presentation":
        return True
    flat = [c for row in cells for c in row]
    if any(_contains_table(c) for c in flat):
        return True
    width = max((sum(max(1, _span(c.attrs.get("colspan"))) for c in row) for row in cells), default=0)
    return width == 1


def node_text(node: _Node) -> str:
    """A cell's text: its lines (``<br>``, ``<p>``, ``<div>``) joined as wrapped text."""
    lines: list[str] = []
    current: list[str] = []

    def visit(n: _Node, depth: int) -> None:
        for child in n.children:
            if isinstance(child, str):
                current.append(child)
                continue
            block = child.tag in BLOCK
            if block and current:
                lines.append("".join(current))
                current.clear()
            if depth < MAX_DEPTH:
                visit(child, depth + 1)
            if block and current:
                lines.append("".join(current))
                current.clear()

    visit(node, 0)
    if current:
        lines.append("".join(current))
    return join_wrapped(lines)
