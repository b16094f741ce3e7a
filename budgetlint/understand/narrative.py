"""Statements read from prose, and the table cells they are about.

A budget narrative repeats the tables in sentences::

    一般公共预算 17,439.61 万元，占 97.98%，比上年预算增加 741.24 万元，增长 4.44%，主要原因是…
    资金分配情况：办公费 24.39 万元、差旅费 1.57 万元、劳务费 99.14 万元…

This module reads every prose paragraph of a document once and returns a
:class:`Narrative`: the :class:`Item` statements (a subject with its amount,
count, share and year-on-year change, each a located :class:`Cell`), the
lists of parts (``其中…``, ``包括…``, ``资金分配情况…``, runs of ``占 Y%``
paragraphs) with their stated whole, the project write-ups, and a
:class:`Linker` that finds the table cell a subject names (by table kind,
row label, column header and classification code).

Prose amounts follow domain rule §3: writers drop trailing zeros, they do not
round, so an amount takes the document's table precision whatever digits it
shows ("3 万元" stands for 3.00 ± 0.005) unless it is marked approximate
(约, 近, 左右, 余, 多).  Percentages keep their printed precision.

Everything here is pure: no findings, no formatting; rules in
``rules/narrative.py`` judge what this module reads.
"""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, Iterable, Iterator

from ..model import Cell, Document, Location, Paragraph, Row, Table
from .structure import amount_col, sides

# ---------------------------------------------------------------- templates


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """The prose templates of ``understand/templates/*.toml``, merged in file-name order.

    Arrays of tables (``[[project_format]]``, ``[[scope]]``) are appended; plain
    tables are merged key by key, a later file overriding an earlier one.
    """
    merged: dict[str, Any] = {}
    folder = resources.files(__package__).joinpath("templates")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
        for key, value in data.items():
            if isinstance(value, list):
                merged.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged.setdefault(key, {}).update(value)
            else:
                merged[key] = value
    return merged


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class ProjectFormat:
    """A regional project write-up: the keys that open its paragraphs."""

    id: str
    name: re.Pattern
    budget: re.Pattern
    unit: re.Pattern
    allocation: re.Pattern


def _key_re(words: list[str], capture: bool) -> re.Pattern:
    alt = _alternation(words)
    if capture:
        return re.compile(rf"(?:{alt})\s*:\s*(?P<value>.+)$")
    return re.compile(rf"^\s*(?:{alt})\s*:")


@lru_cache(maxsize=1)
def project_formats() -> tuple[ProjectFormat, ...]:
    out = []
    for e in templates().get("project_format", []):
        out.append(ProjectFormat(
            id=str(e["id"]), name=_key_re(e["name"], True), budget=_key_re(e["budget"], False),
            unit=re.compile(rf"^\s*(?:{_alternation(e['unit'])})\s*:\s*(?P<value>.+?)\s*$"),
            allocation=_key_re(e["allocation"], False),
        ))
    return tuple(out)


def _phrases(key: str) -> list[str]:
    return list(templates().get("phrases", {}).get(key, []))


# ---------------------------------------------------------------- patterns

MONEY_UNITS = {"亿元": "亿元", "万元": "万元", "千元": "千元", "元": "元", "万": "万元", "亿": "亿元"}
COUNT_UNITS = frozenset({"个", "人次", "人", "台", "辆", "家", "项", "名", "套", "件"})

_TOKEN_RE = re.compile(
    r"(?P<pre>约|近|大约|将近|超过|逾)?\s*"
    r"(?<![\d.])(?<!\d,)(?P<neg>[-−])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])"
    r"\s*(?P<approx>余|多)?\s*"
    r"(?P<unit>亿元|万元|千元|元|万(?![人亩平公户册次])|亿|%|个百分点|百分点|个|人次|人|台|辆|家|项(?!目)|名|套|件|平方米)?"
    r"(?P<tail>\s*(?:以上|以下|以内|左右|及以上|及以下))?"
)
_SEP = frozenset(",;:。、!?\n")
_SENT_END = frozenset("。!?")
_DEAD_RE = re.compile(_alternation(_phrases("reason_markers")))
_DEAD_END = re.compile(r"[;。]")
_MARKER_RE = re.compile(rf"(?:{_alternation(_phrases('list_markers'))})\s*:?")
_CLOSER_RE = re.compile(rf"^\s*(?:{_alternation(_phrases('list_closers'))})\s*[,:]")
_SELF_RE = re.compile(_alternation(_phrases("self_names")))
_HEADING_RE = re.compile(
    r"^\s*(?:[-•·]\s*)?(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.]|[(][一二三四五六七八九十百零]+[)])"
)
_TOP_HEADING_RE = re.compile(r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+\s*[、.])")
_KEYLINE_RE = re.compile(r"^\s*[\u4e00-\u9fff]{2,10}\s*:")
_NUMBERING_RE = re.compile(
    r"^(?:[-•·]\s*)?(?:\d{1,3}\s*[、.](?!\d)|[(][一二三四五六七八九十百零\d]+[)]|[一二三四五六七八九十]+[、.])\s*"
)
_YEAR_RE = re.compile(r"\d{4}\s*年(?:度)?")
_QUOTES_RE = re.compile(r"[“”\"'‘’《》〈〉]")
_CHANGE_TAIL_RE = re.compile(r"(?:比|较|与)?(?:上年|上一年|去年)(?:年初)?(?:预算|决算|同期)?(?:数)?(?:相比)?$|同比$")
_LEAD_RE = re.compile(r"^(?:其中|包括|另外|此外|以及|分别为|具体为|主要包括)+:?")
_GENERIC_RE = re.compile(r"^(?:预算数|预算|金额|合计|共计|总计|总额|共|计|安排|预算安排|资金|数额|规模)*(?:为|是)?$")
_ATTRIBUTE_RE = re.compile(r"^(?:涉及)?(?:预算)?(?:价值|金额|资金)(?:为|是)?$")
_SHARE_RE = re.compile(r"占(?P<whole>[^,;:。、]*?)(?:的)?(?:比重|比例)?(?:为|是)?$|占比(?:为|是)?$")
_DIR_RE = re.compile(r"(?P<word>增加|增长|上升|提高|增幅|减少|下降|降低|降幅|减)(?:了)?(?:为)?$")
_UP_WORDS = frozenset({"增加", "增长", "上升", "提高", "增幅"})
_PCT_WORDS = frozenset({"增长", "下降", "增幅", "降幅", "上升", "降低", "提高"})

# numbering styles from the outermost level to the innermost: 一、 (一) 1. (1)
_STYLE_RES = (
    ("cn", re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.]")),
    ("paren_cn", re.compile(r"^\s*[(]([一二三四五六七八九十]{1,3})[)]")),
    ("arabic", re.compile(r"^\s*(\d{1,2})\s*[、.](?!\d)")),
    ("paren_arabic", re.compile(r"^\s*[(](\d{1,2})[)]")),
)
_STYLE_RANK = {name: i for i, (name, _) in enumerate(_STYLE_RES)}
# a numbered item starting inside a paragraph, after the end of a sentence or a colon
_EMBEDDED_ITEM_RE = re.compile(
    r"(?<=[。;!?:])\s{0,3}(?=[一二三四五六七八九十]{1,3}、|[(][一二三四五六七八九十]{1,3}[)]|[(]\d{1,2}[)]|\d{1,2}\s?[、.](?![\d\s]))"
)


@lru_cache(maxsize=8192)
def _nfkc(text: str) -> str:
    """NFKC, once per text: joining paragraphs looks at each one several times."""
    return unicodedata.normalize("NFKC", text)


def norm_name(text: str) -> str:
    """A label as a join key: NFKC, spaces, quotes, numbering, 其中 and (类/款/项) removed."""
    t = _QUOTES_RE.sub("", _nfkc(text or ""))
    t = re.sub(r"\s+", "", t)
    t = _NUMBERING_RE.sub("", t)
    t = re.sub(r"^\d{3}(?:\d{2}){0,2}(?=[\u4e00-\u9fff])", "", t)  # inline code "208社会保障…"
    t = _LEAD_RE.sub("", t)
    t = re.sub(r"\((?:类|款|项|小计)\)", "", t)
    return t.strip(":")


# ---------------------------------------------------------------- model


@dataclass(slots=True)
class Text:
    """Prose joined across wrapped lines, able to locate any offset."""

    text: str
    paragraphs: list[Paragraph]
    starts: list[int]

    def loc_at(self, pos: int) -> Location:
        i = max(0, bisect.bisect_right(self.starts, pos) - 1)
        return self.paragraphs[i].loc

    def para_at(self, pos: int) -> Paragraph:
        i = max(0, bisect.bisect_right(self.starts, pos) - 1)
        return self.paragraphs[i]

    @property
    def loc(self) -> Location:
        return self.paragraphs[0].loc

    def slice(self, a: int, b: int) -> "Text":
        """The text from offset ``a`` to ``b``, still able to locate its offsets."""
        first = max(0, bisect.bisect_right(self.starts, a) - 1)
        last = max(first, bisect.bisect_right(self.starts, max(a, b - 1)) - 1)
        paras = self.paragraphs[first : last + 1]
        starts = [0] + [st - a for st in self.starts[first + 1 : last + 1]]
        return Text(self.text[a:b], paras, starts)

    def items_split(self) -> list["Text"]:
        """The text cut before each numbered item that starts inside it ("…。2．社会保障…")."""
        cuts = [m.start() for m in _EMBEDDED_ITEM_RE.finditer(self.text)]
        cuts = [c for c in cuts if self.text[:c].strip()]
        if not cuts:
            return [self]
        bounds = [0, *cuts, len(self.text)]
        return [self.slice(x, y) for x, y in zip(bounds, bounds[1:]) if self.text[x:y].strip()]


def numbering_style(text: str) -> tuple[str | None, str]:
    """The numbering that opens a paragraph (``cn`` 一、, ``paren_cn`` (一), ``arabic`` 1., ``paren_arabic`` (1))."""
    t = text.lstrip(" -•·")
    for name, rx in _STYLE_RES:
        m = rx.match(t)
        if m:
            return name, m.group(1)
    return None, ""


@dataclass(slots=True)
class Token:
    kind: str  # money | percent | points | count | measure | bare
    cell: Cell
    start: int
    end: int
    threshold: bool = False


@dataclass(slots=True)
class Item:
    """One subject and what the prose states about it."""

    label: str
    subject: str
    text: Text
    pos: int
    amount: Cell | None = None
    count: Cell | None = None
    count_unit: str | None = None
    share: Cell | None = None
    share_whole: str = ""
    change: Cell | None = None  # the printed magnitude
    change_dir: int = 0  # +1 增加, -1 减少
    change_word: str = ""
    pct: Cell | None = None
    pct_dir: int = 0
    pct_word: str = ""
    base: Cell | None = None  # the amount of the year compared with, when the sentence states it
    scope: str | None = None
    group: "Group | None" = None
    project: "Project | None" = None

    @property
    def loc(self) -> Location:
        return self.text.loc_at(self.pos)

    @property
    def value_cell(self) -> Cell | None:
        return self.amount if self.amount is not None else self.count


@dataclass(slots=True)
class Group:
    """Parts stated for a whole: ``其中 …``, ``包括 …``, ``资金分配情况 …`` or a run of shares."""

    kind: str  # "list" | "allocation" | "structure"
    whole: Item | None
    parts: list[Item] = field(default_factory=list)
    label: str = ""
    restated: Item | None = None  # a list restating its whole first
    open_ended: bool = False
    opener_style: str | None = None  # numbering of the paragraph that opened the list
    part_style: str | None = None  # numbering of its parts


@dataclass(slots=True)
class Project:
    """A project write-up: 项目名称 / 预算安排规模 / 项目承担单位 / 资金分配情况."""

    name: str
    loc: Location
    unit: str = ""
    budget: Item | None = None
    allocation: Group | None = None
    format: ProjectFormat | None = None


@dataclass(slots=True)
class Narrative:
    items: list[Item]
    groups: list[Group]
    projects: list[Project]
    texts: list[Text]
    table_decimals: int
    table_unit: str | None
    linker: "Linker"


# ---------------------------------------------------------------- joining lines


def _ends_open(text: str) -> bool:
    t = text.rstrip()
    return bool(t) and t[-1] not in "。!?;:：；！？.)）" and not t.endswith("”")


def join_paragraphs(prose: Iterable[Paragraph]) -> list[Text]:
    """Rejoin sentences a line break cut ("其中：在职" + "571 人，…")."""
    out: list[Text] = []
    cur: list[Paragraph] = []
    for p in prose:
        t = _nfkc(p.text)
        if cur:
            prev = _nfkc(cur[-1].text)
            gap = (p.loc.line or 0) - (cur[-1].loc.line or 0)
            if p.loc.page and cur[-1].loc.page and p.loc.page == cur[-1].loc.page + 1 and (p.loc.line or 0) <= 2:
                gap = 1  # a sentence cut by a page break goes on at the top of the next page
            if (
                _ends_open(prev)
                and len(prev.strip()) >= 15
                and not _HEADING_RE.match(_nfkc(cur[0].text))
                and not _HEADING_RE.match(t)
                and not _KEYLINE_RE.match(t)
                and not re.match(r"^\s*(?:[-•·]\s*)?\d{1,3}\s*[、.](?!\d)", t)
                and 0 < gap <= 3
            ):
                cur.append(p)
                continue
            out.append(_make_text(cur))
        cur = [p]
    if cur:
        out.append(_make_text(cur))
    return out


def _make_text(paras: list[Paragraph]) -> Text:
    parts, starts, pos = [], [], 0
    for p in paras:
        t = _nfkc(p.text).strip()
        starts.append(pos)
        parts.append(t)
        pos += len(t)
    return Text("".join(parts), list(paras), starts)


# ---------------------------------------------------------------- tokens


def table_precision(doc: Document) -> tuple[int, str | None]:
    """The decimals and unit most money cells of the document's tables show."""
    decs: Counter = Counter()
    units: Counter = Counter()
    for t in doc.tables:
        if not t.kind.startswith("budget."):
            continue
        for r in t.rows:
            for c in r.cells:
                if c.value is not None and not c.percent and c.unit in MONEY_UNITS.values():
                    decs[c.decimals] += 1
                    units[c.unit] += 1
    if not decs:
        return 2, None
    return decs.most_common(1)[0][0], units.most_common(1)[0][0]


def tokenize(text: Text, table_dec: int, table_unit: str | None) -> list[Token]:
    out: list[Token] = []
    s = text.text
    for m in _TOKEN_RE.finditer(s):
        num = m.group("num")
        unit_raw = m.group("unit")
        start = m.start("neg") if m.group("neg") else m.start("num")
        if m.group("neg"):
            before = s[max(0, start - 1) : start]
            if before[:1].isdigit() or before in ("日", "月", "年"):
                start = m.start("num")
        neg = start != m.start("num")
        raw = s[start : m.end()].strip()
        value = Decimal(num.replace(",", ""))
        if neg:
            value = -value
        shown = len(num.split(".", 1)[1]) if "." in num else 0
        tail = (m.group("tail") or "").strip()
        approx = bool(m.group("pre") in ("约", "近", "大约", "将近") or m.group("approx") or tail == "左右")
        threshold = tail in ("以上", "以下", "以内", "及以上", "及以下") or m.group("pre") in ("超过", "逾")
        loc = text.loc_at(start)
        if unit_raw in MONEY_UNITS:
            unit = MONEY_UNITS[unit_raw]
            dec = shown if approx else max(shown, table_dec if (table_unit in (None, unit)) else shown)
            cell = Cell(raw=raw, loc=loc, value=value, decimals=dec, blank=False, unit=unit, approx=approx)
            kind = "money"
        elif unit_raw == "%":
            cell = Cell(raw=raw, loc=loc, value=value, decimals=shown, blank=False, unit="%", percent=True, approx=approx)
            kind = "percent"
        elif unit_raw in ("百分点", "个百分点"):
            cell = Cell(raw=raw, loc=loc, value=value, decimals=shown, blank=False, unit="百分点", approx=approx)
            kind = "points"
        elif unit_raw in COUNT_UNITS:
            cell = Cell(raw=raw, loc=loc, value=value, decimals=shown, blank=False, unit=unit_raw, approx=approx)
            kind = "count"
        elif unit_raw:
            cell = Cell(raw=raw, loc=loc, value=value, decimals=shown, blank=False, unit=unit_raw, approx=approx)
            kind = "measure"
        else:
            continue
        out.append(Token(kind, cell, start, m.end(), threshold))
    return out


_LAST_YEAR_RE = re.compile(r"^(?:上年|去年|上一年)(?:度)?(?!结转|结余)")
_COMPARED_YEAR_RE = re.compile(r"(?:与|比|较)\s?(\d{4})\s?年")
_YEAR_IN_RE = re.compile(r"(\d{4})\s?年")


def _continuation(s: str, items: list["Item"]) -> bool:
    """An unnumbered paragraph that only goes on about the last part ("与上年相比减少 X 万元。")."""
    if numbering_style(s)[0] is not None or _CLOSER_RE.match(s) or not items:
        return False
    first = items[0]
    return first.amount is None and first.count is None and first.base is None and not first.subject


def sentence_start(s: str, at: int, ends: Iterable[str] = _SENT_END) -> int:
    """Where the sentence holding offset ``at`` begins (after the last of ``ends`` before it)."""
    return max(s.rfind(ch, 0, at) for ch in ends) + 1


def _names_base_year(s: str, prefix: str, pstart: int) -> bool:
    """The amount is the year compared with ("上年预算数为 X"; "与 2016 年相比（2016 年…为 X）")."""
    label = re.sub(r"\s+", "", prefix)
    if _LAST_YEAR_RE.match(label) and not _DIR_RE.search(label):
        return True
    years = _YEAR_IN_RE.findall(prefix)
    if not years:
        return False
    start = sentence_start(s, pstart)
    return years[-1] in _COMPARED_YEAR_RE.findall(s[start:pstart + len(prefix)])


_FAR = 1 << 62  # beyond any text offset


def _dead_spans(s: str) -> list[tuple[int, int]]:
    """Spans from 主要原因/主要用于… to the end of their clause, merged: sorted and disjoint.

    One pass over the text: the end found for one phrase serves every phrase before it.
    """
    spans: list[tuple[int, int]] = []
    end = -1
    for m in _DEAD_RE.finditer(s):
        if end < m.end() and end != len(s):
            e = _DEAD_END.search(s, m.end())
            end = e.start() if e else len(s)
        if spans and m.start() <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((m.start(), end))
    return spans


def _in_spans(pos: int, spans: list[tuple[int, int]]) -> bool:
    """``pos`` inside one of the sorted, disjoint ``spans`` (binary search)."""
    i = bisect.bisect_right(spans, (pos, _FAR)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


# ---------------------------------------------------------------- labels


# an administrative level ending a place name at the start of a unit's name
_REGION_END_RE = re.compile(r"^.{1,12}?(?:特别行政区|自治区|自治州|自治县|省|市|州|盟|县|旗)(?=.{4})")


class _Cleaner:
    """Removes the document's own unit name from a prose label, however it is prefixed.

    A unit is printed in its tables as "江苏省高级人民法院" or "自治区国土资源执法监察总队",
    and named in prose with a longer or shorter region prefix ("新疆维吾尔自治区国土资源…",
    "省检察院…").  Every issuer name is stripped together with any short region prefix
    written before it, and also its core (the name after its own leading region).
    """

    def __init__(self, issuers: Iterable[str]):
        names = {_nfkc(i).replace(" ", "") for i in issuers if i}
        cores = set()
        for n in names:
            m = _REGION_END_RE.match(n)
            if m:
                cores.add(n[m.end() :])
        alts = sorted(names | cores, key=len, reverse=True)
        self._issuer_re = (
            re.compile(rf"^[\u4e00-\u9fff]{{0,12}}?(?:{'|'.join(re.escape(a) for a in alts)})") if alts else None
        )

    def subject(self, label: str) -> str:
        t = _QUOTES_RE.sub("", label)
        t = re.sub(r"\s+", "", t)
        t = _YEAR_RE.sub("", t)
        if self._issuer_re is not None:
            t = self._issuer_re.sub("", t, count=1)
        t = _SELF_RE.sub("", t) if _SELF_RE.pattern else t
        t = _NUMBERING_RE.sub("", t)
        t = _LEAD_RE.sub("", t)
        t = _CHANGE_TAIL_RE.sub("", t)
        t = re.sub(r"(?:为|是|达)$", "", t)
        t = re.sub(r"^的", "", t)
        return norm_name(t)


def _label_before(s: str, pos: int, floor: int) -> tuple[str, int]:
    """The clause text before ``pos`` (back to a separator or ``floor``) and where it starts."""
    i = pos
    while i > floor and s[i - 1] not in _SEP:
        i -= 1
    return s[i:pos].strip(), i


def _previous_clause(s: str, start: int) -> str:
    """The clause before the separator ending at ``start`` (used after "…（项）：预算数为")."""
    j = start - 1
    if j < 0 or s[j] != ":":
        return ""
    i = j
    while i > 0 and s[i - 1] not in _SEP:
        i -= 1
    return s[i:j].strip()


# ---------------------------------------------------------------- extraction


def _scope_rank() -> dict[str, int]:
    return {k: int(v.get("rank", 0)) for k, v in templates().get("scope_tables", {}).items()}


_SCOPE_RANK = _scope_rank()
_SCOPE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (str(e["id"]), tuple(e["words"])) for e in templates().get("scope", [])
)


@lru_cache(maxsize=4096)
def _scope_of(text: str) -> str | None:
    """The scope (table family) a heading or list label names, by the template's words."""
    t = re.sub(r"\s+", "", _QUOTES_RE.sub("", text))
    for scope, words in _SCOPE_WORDS:
        if any(w in t for w in words):
            return scope
    return None


class _Extractor:
    def __init__(self, doc: Document):
        self.doc = doc
        self.table_dec, self.table_unit = table_precision(doc)
        self.clean = _Cleaner([t.issuer or "" for t in doc.tables])
        self.items: list[Item] = []
        self.groups: list[Group] = []
        self.projects: list[Project] = []
        self.heading = ""
        self.subheading = ""
        self.open_group: Group | None = None  # a list whose parts are the next paragraphs
        self.structure: Group | None = None
        self.project: Project | None = None

    # -- paragraph dispatch
    def run(self, texts: list[Text]) -> None:
        for whole in texts:
            if not whole.text.strip():
                continue
            keyed = self._project_name(whole.text) is not None or self._project_key(whole.text) is not None
            for tx in ([whole] if keyed else whole.items_split()):
                self._one(tx)
        self._close_lists()
        for g in self.groups:
            self._restated_whole(g)

    @staticmethod
    def _restated_whole(g: Group) -> None:
        """A list that restates its whole first ("收入预算总计 X 万元，其中：收入预算总计 X 万元，…").

        The first part is the whole again when it equals the whole and either says so
        (the same subject, or a total's word) or the other parts add up to the whole.
        """
        if g.kind != "list" or g.whole is None or g.whole.amount is None or len(g.parts) < 2:
            return
        first, rest = g.parts[0], g.parts[1:]
        if first.amount is None or not _close(g.whole.amount, [first.amount]):
            return
        if first.subject == g.whole.subject or _close(g.whole.amount, [p.amount for p in rest if p.amount is not None]):
            g.restated = first
            g.parts = rest

    def _project_name(self, s: str) -> tuple[ProjectFormat, str] | None:
        """A write-up's name paragraph ("项目名称：…", also after a heading number), by any format."""
        heading = bool(_HEADING_RE.match(s))
        for fmt in project_formats():
            m = fmt.name.search(s)
            if m and (heading or not s[: m.start()].strip()):
                return fmt, m.group("value")
        return None

    def _project_key(self, s: str) -> str | None:
        """Which paragraph of the current write-up ``s`` is ("unit", "budget", "allocation")."""
        if self.project is None:
            return None
        # formats may share the name key: the first other key met tells which one the write-up follows
        own = self.project.format
        for fmt in ([own] if own is not None else []) + [f for f in project_formats() if f is not own]:
            for key, rx in (("unit", fmt.unit), ("budget", fmt.budget), ("allocation", fmt.allocation)):
                if rx.match(s):
                    self.project.format = fmt
                    return key
        return None

    def _one(self, tx: Text) -> None:
        s = tx.text
        if _HEADING_RE.match(s):
            self._close_lists()
            if _TOP_HEADING_RE.match(s):
                self.heading, self.subheading = s, ""
                self.project = None
            else:
                self.subheading = s
            named = self._project_name(s)
            if named:
                self.project = Project(name=norm_name(named[1]), loc=tx.loc, format=named[0])
                self.projects.append(self.project)
                return
            if not any(ch.isdigit() for ch in s):
                return
        named = self._project_name(s)
        if named:
            self._close_lists()
            self.project = Project(name=norm_name(named[1]), loc=tx.loc, format=named[0])
            self.projects.append(self.project)
            return
        key = self._project_key(s)
        if key == "unit":
            um = self.project.format.unit.match(s)  # type: ignore[union-attr]
            self.project.unit = norm_name(um.group("value"))  # type: ignore[union-attr]
            return
        if key == "budget":
            items = self._items(tx, scope=None)
            if items and items[0].amount is not None:
                it = items[0]
                it.label = s[: s.index(":")].strip()
                it.subject, it.project = self.project.name, self.project  # type: ignore[union-attr]
                self.project.budget = it  # type: ignore[union-attr]
                self.items.append(it)
            return
        if key == "allocation":
            self._allocation(tx)
            return
        self._generic(tx)

    def _close_lists(self) -> None:
        self.open_group = None
        self.structure = None

    def _scope(self, *texts: str) -> str | None:
        """The most specific scope any of the texts names (a list's label, then the headings)."""
        best, rank = None, 0
        for t in texts:
            sc = _scope_of(t) if t else None
            if sc is not None and _SCOPE_RANK[sc] > rank:
                best, rank = sc, _SCOPE_RANK[sc]
        return best

    # -- items of one text
    def _items(self, tx: Text, scope: str | None) -> list[Item]:
        """Items in reading order; list markers create groups (generic texts only)."""
        return self._parse(tx, scope, markers=False)[0]

    def _parse(self, tx: Text, scope: str | None, markers: bool) -> tuple[list[Item], list[tuple[int, Item | None, str]]]:
        s = tx.text
        toks = tokenize(tx, self.table_dec, self.table_unit)
        dead = _dead_spans(s)
        items: list[Item] = []
        cur: Item | None = None
        floor = 0
        marks: list[tuple[int, Item | None, str]] = []
        mk = list(_MARKER_RE.finditer(s)) if markers else []
        mi = 0
        scanned = 0  # text before this offset has been searched for sentence ends
        last_end = -1  # offset of the last sentence end found so far

        def take_marks(before: int) -> None:
            """Record the list markers (其中/包括…) up to ``before``: who opens each list."""
            nonlocal mi, floor
            while mi < len(mk) and mk[mi].start() < before:
                m = mk[mi]
                mi += 1
                if _in_spans(m.start(), dead):
                    continue
                opener, _ = _label_before(s, m.start(), floor)
                owner = cur if (cur is not None and not opener.strip(" ,;")) else None
                marks.append((m.end(), owner, opener))
                floor = max(floor, m.end())

        def start(label: str, pstart: int, pos: int, **facts) -> None:
            """A new item from ``label`` carrying ``facts``: appended, and the current item from now on."""
            nonlocal cur
            it = self._new(tx, label, pstart, pos, scope)
            for name, value in facts.items():
                setattr(it, name, value)
            items.append(it)
            cur = it

        for tok in toks:
            take_marks(tok.start)  # list markers between the previous token and this one
            if _in_spans(tok.start, dead) or tok.threshold:
                floor = max(floor, tok.end)
                continue
            if scanned < tok.start:  # each character is looked at once, however far back ``cur`` is
                for k in range(scanned, tok.start):
                    if s[k] in _SENT_END:
                        last_end = k
                scanned = tok.start
            if cur is not None and last_end >= cur.pos:
                cur = None
            prefix, pstart = _label_before(s, tok.start, floor)
            floor = max(floor, tok.end)
            if tok.kind in ("percent", "points"):
                if tok.kind == "percent":
                    sm = _SHARE_RE.search(prefix)
                    if sm:
                        whole = sm.group("whole") or ""
                        if cur is not None and cur.share is None and not prefix[: sm.start()].strip():
                            cur.share, cur.share_whole = tok.cell, norm_name(whole)
                        else:
                            start(prefix[: sm.start()], pstart, tok.start, share=tok.cell, share_whole=norm_name(whole))
                        continue
                dm = _DIR_RE.search(prefix)
                if dm and tok.kind == "percent":
                    d = 1 if dm.group("word") in _UP_WORDS else -1
                    if cur is not None and cur.pct is None and not _CHANGE_TAIL_RE.sub("", prefix[: dm.start()]).strip():
                        cur.pct, cur.pct_dir, cur.pct_word = tok.cell, d, dm.group("word")
                    else:
                        start(prefix[: dm.start()], pstart, tok.start, pct=tok.cell, pct_dir=d, pct_word=dm.group("word"))
                continue
            if tok.kind not in ("money", "count", "measure"):
                continue
            if tok.kind == "money" and _names_base_year(s, prefix, pstart):
                if cur is not None and cur.base is None and cur.amount is not None and cur.change is None:
                    cur.base = tok.cell
                else:
                    start(prefix, pstart, tok.start, base=tok.cell)
                continue
            dm = _DIR_RE.search(prefix)
            if dm and dm.group("word") not in ("增幅", "降幅"):
                d = 1 if dm.group("word") in _UP_WORDS else -1
                rest = _CHANGE_TAIL_RE.sub("", prefix[: dm.start()]).strip()
                if tok.kind == "money" or tok.kind == "count":
                    if cur is not None and cur.change is None and not rest and (
                        (tok.kind == "money" and cur.amount is not None) or (tok.kind == "count" and cur.count is not None)
                        or (cur.amount is None and cur.count is None)
                    ):
                        cur.change, cur.change_dir, cur.change_word = tok.cell, d, dm.group("word")
                    else:
                        start(prefix[: dm.start()], pstart, tok.start, change=tok.cell, change_dir=d, change_word=dm.group("word"))
                continue
            if tok.kind == "measure":
                start(prefix, pstart, tok.start)
                continue
            label = prefix
            if cur is not None and _ATTRIBUTE_RE.match(re.sub(r"\s+", "", label)):
                if tok.kind == "money" and cur.amount is None:
                    cur.amount = tok.cell
                    continue
            if tok.kind == "money":
                start(label, pstart, tok.start, amount=tok.cell)
            else:
                start(label, pstart, tok.start, count=tok.cell, count_unit=tok.cell.unit)
        take_marks(len(s) + 1)
        return items, marks

    def _new(self, tx: Text, label: str, pstart: int, pos: int, scope: str | None) -> Item:
        lab = label.strip(" ,;:")
        subj = self.clean.subject(lab)
        if _GENERIC_RE.match(subj or ""):
            prev = _previous_clause(tx.text, pstart)
            if prev:
                lab = prev
                subj = self.clean.subject(prev)
        return Item(label=lab, subject=subj, text=tx, pos=pos, scope=scope)

    # -- a generic paragraph
    def _generic(self, tx: Text) -> None:
        s = tx.text
        items, marks = self._parse(tx, None, markers=True)
        if not items and not marks:
            return
        local: list[tuple[int, Group]] = []
        for end, owner, opener in marks:
            whole = owner if owner is not None else (
                Item(label=opener, subject=self.clean.subject(opener), text=tx, pos=end) if opener else None
            )
            g = Group(kind="list", whole=whole, label=(whole.label if whole is not None else opener))
            g.opener_style = numbering_style(s)[0]
            local.append((end, g))
            self.groups.append(g)
        base = self.open_group
        keep_open = False
        if base is not None:
            verdict = self._continues(base, s)
            if verdict == "close" and _continuation(s, items):
                verdict = "detail"
            if verdict == "close":
                base = self.open_group = None
            elif verdict == "detail":
                base, keep_open = None, True  # a sub-item of the last part: not a part itself
        head: Item | None = None
        opened = 0  # lists opened before the current item (items and lists are in text order)
        for it in items:
            while opened < len(local) and local[opened][0] <= it.pos:
                opened += 1
            g = None
            j = opened - 1
            while j >= 0 and local[j][1].whole is it:
                j -= 1
            if j >= 0:
                g = local[j][1]
            if g is None and head is None:
                head = it
                if base is not None:
                    g = base
            if g is not None:
                if g is base and not g.parts:
                    g.part_style = numbering_style(s)[0]
                g.parts.append(it)
                it.group = g
            it.scope = self._scope(g.label if g is not None else "", self.subheading, self.heading)
            if it.project is None and self.project is not None:
                it.project = self.project
            self.items.append(it)
        for _, g in local:
            if g.whole is not None and g.whole.scope is None:
                g.whole.scope = self._scope(g.label, self.subheading, self.heading)
        # a run of paragraphs each stating one share makes a structure
        if head is not None and head.group is None and head.share is not None:
            if self.structure is None:
                self.structure = Group(kind="structure", whole=None, label=self.subheading or self.heading)
                self.groups.append(self.structure)
            self.structure.parts.append(head)
            head.group = self.structure
        elif head is not None:
            self.structure = None
        # a list opened at the end of this paragraph goes on over the next ones
        if local and not s[local[-1][0]:].strip(" 。;") and not local[-1][1].parts:
            self.open_group = local[-1][1]
            self.structure = None
        elif keep_open:
            pass
        elif head is None or head.group is not base:
            self.open_group = None

    def _continues(self, g: Group, s: str) -> str:
        """Whether a paragraph after an open list is one of its parts, a detail of a part, or past it.

        The parts of a list are the items of one level: the numbering of the first
        part sets it; a deeper numbering is a detail of the last part, the opener's
        own numbering or a higher one (or text after numbered parts) ends the list.
        """
        if _CLOSER_RE.match(s):
            return "close"
        style, no = numbering_style(s)
        if g.opener_style and style and _STYLE_RANK[style] <= _STYLE_RANK[g.opener_style]:
            return "close"
        if not g.parts:
            return "part"
        if style == g.part_style:
            return "close" if style and no in ("1", "一") else "part"
        if style and g.part_style and _STYLE_RANK[style] > _STYLE_RANK[g.part_style]:
            return "detail"
        return "close"

    # -- a 资金分配情况 paragraph
    def _allocation(self, tx: Text) -> None:
        s = tx.text
        start = s.index(":") + 1
        items, _ = self._parse(tx, None, markers=False)
        items = [i for i in items if i.amount is not None and i.pos >= start]
        if not items:
            return
        label = s[: start - 1].strip()
        budget = self.project.budget if self.project else None
        g = Group(kind="allocation", whole=budget, label=label)
        first = items[0]
        after = s[first.pos :]
        m = re.match(r"[^,;。、]{0,40}?(?:万元|万|元)\s*(?P<sep>[,;:。、]?)\s*(?P<mark>其中)?", after)
        restated = False
        if len(items) > 1:
            rest = items[1:]
            if m and (m.group("mark") or m.group("sep") in (":", "。")):
                restated = True  # "某大队 160.00 万元，其中…" / "共 160 万元：…"
            elif not first.subject or (self.project and self.project.unit and self.project.unit in norm_name(first.label)):
                restated = True  # no label of its own, or the project's unit named
            elif budget is not None and budget.amount is not None:
                restated = _close(first.amount, [budget.amount])  # the numbers say it is the whole
            else:
                restated = _close(first.amount, [r.amount for r in rest])
        if restated:
            g.restated = first
            items = items[1:]
        g.parts = items
        for it in ([g.restated] if g.restated else []) + items:
            it.group, it.project = g, self.project
            self.items.append(it)
        if self.project is not None:
            self.project.allocation = g
        self.groups.append(g)


def _close(a: Cell | None, parts: list[Cell | None]) -> bool:
    """``a`` equals the sum of ``parts`` within the rounding of every printed figure."""
    if a is None or a.value is None or not parts or any(p is None or p.value is None for p in parts):
        return False
    from ..rounding import sum_holds

    return sum_holds(a, parts)  # type: ignore[arg-type]


# ---------------------------------------------------------------- linking


@dataclass(slots=True)
class Link:
    cell: Cell
    table: Table
    exact: bool
    how: str


_SYNONYMS: dict[str, tuple[str, ...]] = {
    k: tuple(v.get("totals", ())) for k, v in templates().get("scope_tables", {}).items()
}
_SCOPE_TABLES: dict[str, tuple[str, ...]] = {
    k: tuple(v.get("kinds", ())) for k, v in templates().get("scope_tables", {}).items()
}
_CODE_RE = re.compile(r"\d{3}(?:\d{2}){0,2}")
_TOTAL_WORDS = ("总计", "合计", "共计", "总额")
_TRIM_SUFFIXES = ("预算数", "预算", "拨款", "总额", "金额", "数")
_TOTAL_LABELS = ("收入总计", "总计", "合计", "本年收入合计", "本年支出合计", "支出总计")


def _variants(subject: str) -> list[str]:
    out = [subject]
    s = subject
    changed = True
    while changed:
        changed = False
        for suf in _TRIM_SUFFIXES:
            if s.endswith(suf) and len(s) > len(suf) + 1:
                s = s[: -len(suf)]
                out.append(s)
                changed = True
    return out


class Linker:
    """Finds the table cell a prose subject names, within the document."""

    def __init__(self, doc: Document, aliases: dict[str, tuple[str, str]] | None = None):
        self.doc = doc
        self.by_kind: dict[str, Table] = {}
        for t in doc.tables:
            if t.kind not in self.by_kind and (t.rows or t.columns):
                self.by_kind[t.kind] = t
        if aliases is None:
            aliases = {str(k): (str(v[0]), str(v[1])) for k, v in templates().get("conventions", {}).items()}
        self.aliases = aliases
        self._rows: dict[int, dict[str, list[tuple[Row, int]]]] = {}
        self._projects: dict[tuple[str, str], Cell] | None = None
        self._units: dict[str, list[tuple[str, Cell]]] = {}

    # -- table helpers
    def total_row(self, t: Table) -> Row | None:
        for r in t.rows:
            if r.kind == "total" and norm_name(r.label) in _TOTAL_LABELS:
                return r
        for r in t.rows:
            if r.kind == "total":
                return r
        if len(t.rows) == 1 and not t.rows[0].label:
            return t.rows[0]  # a single row of amounts under column captions (合计 | 因公出国（境）费 | …)
        return None

    def first_value_col(self, t: Table, label_col: int | None = None) -> int | None:
        for c in t.columns:
            if c.role == "value" and (label_col is None or c.label_col in (None, label_col)) and not self._code_col(t, c.index):
                return c.index
        return None

    def _code_col(self, t: Table, ci: int) -> bool:
        """A column of classification codes read as numbers (科目编码 2010101 is never an amount)."""
        col = t.columns[ci] if ci < len(t.columns) and t.columns[ci].index == ci else next((c for c in t.columns if c.index == ci), None)
        if col is not None and any(w in "".join(col.path) for w in ("代码", "编码", "编号")):
            return True
        values = [r.cells[ci] for r in t.rows if r.kind != "total" and ci < len(r.cells) and r.cells[ci].value is not None]
        return len(values) >= 2 and all(_CODE_RE.fullmatch(v.raw.strip()) for v in values)

    def sangong_total(self) -> Link | None:
        """The 三公 total: the 三公 小计 column (or row), never a 合计 that adds 会议费 and 培训费."""
        t = self.by_kind.get("budget.sangong")
        if t is None:
            return None
        r = self.total_row(t)
        if r is not None:
            for c in t.columns:
                if c.role != "value" or c.index >= len(r.cells) or any(w in "".join(c.path) for w in ("上年", "增减", "%")):
                    continue
                path = [norm_name(x) for x in c.path]
                at = next((i for i, x in enumerate(path) if "三公" in x), None)
                if at is not None and (at == len(path) - 1 or path[-1] in ("小计", "合计")):
                    return Link(r.cells[c.index], t, True, "三公 total")
        for row in t.rows:
            if "三公" in norm_name(row.label):
                vc = self.first_value_col(t)
                if vc is not None and vc < len(row.cells):
                    return Link(row.cells[vc], t, True, "三公 total")
        others = any(w in "".join(c.path) for c in t.columns for w in ("会议", "培训"))
        vc = self.first_value_col(t)
        if r is None or vc is None or others:
            return None  # the first amount also counts other items: no 三公 total to compare with
        return Link(r.cells[vc], t, True, "三公 total")

    def column(self, t: Table, name: str) -> int | None:
        for c in t.columns:
            if c.role != "value" or not c.path:
                continue
            leaf = norm_name(c.leaf)
            if leaf == name:
                return c.index
            if norm_name(c.path[0]) == name and leaf in ("合计", "小计", name):
                return c.index
        return None

    def _row_index(self, t: Table) -> dict[str, list[tuple[Row, int]]]:
        idx = self._rows.get(t.index)
        if idx is not None:
            return idx
        idx = {}
        blocks = [s for s in sides(t) if s.label_col is not None]
        if len(blocks) > 1:
            # side by side (收入 | 支出, or two expenditure breakdowns): each block's rows and amount column
            for blk in blocks:
                vc = amount_col(t, blk, skip=[c for c in blk.value_cols if self._code_col(t, c)])
                for r in t.rows:
                    if blk.label_col < len(r.cells) and r.cells[blk.label_col].text:
                        idx.setdefault(norm_name(r.cells[blk.label_col].text), []).append((r, vc if vc is not None else -1))
        else:
            vc = self.first_value_col(t)
            for r in t.rows:
                if r.label:
                    idx.setdefault(norm_name(r.label), []).append((r, vc if vc is not None else -1))
        self._rows[t.index] = idx
        return idx

    # -- subjects
    def link(self, subject: str, scope: str | None, level: str | None = None, chain: list[str] | None = None) -> Link | None:
        if not subject:
            return None
        for alias, (kind, col) in self.aliases.items():
            if alias in subject:
                t = self.by_kind.get(kind)
                if t is not None:
                    r, ci = self.total_row(t), self.column(t, col)
                    if r is not None and ci is not None:
                        return Link(r.cells[ci], t, False, f"{alias} = {col}")
        if "三公" in subject:
            scope = "sangong"
            if not any(w in subject for w in ("出国", "接待", "用车")):
                return self.sangong_total()
        if scope is None:
            return None
        kinds = _SCOPE_TABLES.get(scope, ())
        variants = _variants(subject)
        # the scope's own total
        syn = _SYNONYMS.get(scope, ())
        if any(v in syn for v in variants):
            for kind in kinds:
                t = self.by_kind.get(kind)
                if t is None:
                    continue
                r = self.total_row(t)
                vc = self.first_value_col(t)
                if r is not None and vc is not None and vc < len(r.cells):
                    # a title alias is an inferred pairing; the row's own label is an exact one
                    return Link(r.cells[vc], t, norm_name(r.label) == subject, "total")
        # a column of the total row
        for kind in kinds:
            t = self.by_kind.get(kind)
            if t is None:
                continue
            for v in variants:
                ci = self.column(t, v)
                if ci is not None:
                    r = self.total_row(t)
                    if r is not None and ci < len(r.cells):
                        return Link(r.cells[ci], t, v == subject, "column")
        # a row by its label (classification names, 三公 items, projects carried over)
        for kind in kinds:
            t = self.by_kind.get(kind)
            if t is None:
                continue
            idx = self._row_index(t)
            for v in variants:
                rows = idx.get(v)
                if not rows:
                    continue
                rows = self._pick(rows, level, chain, t)
                if rows:
                    r, vc = rows[0]
                    if vc >= 0 and vc < len(r.cells):
                        return Link(r.cells[vc], t, len(rows) == 1 and v == subject, "row")
        return None

    def _pick(self, rows: list[tuple[Row, int]], level: str | None, chain: list[str] | None, t: Table) -> list[tuple[Row, int]]:
        want = {"类": 3, "款": 5, "项": 7}.get(level or "")
        if want:
            coded = [(r, c) for r, c in rows if r.code and len(r.code) == want]
            if coded:
                rows = coded
        if chain and len(rows) > 1:
            idx = self._row_index(t)
            parents = [norm_name(x) for x in chain]
            keep = []
            for r, c in rows:
                if not r.code:
                    continue
                ok = True
                for p in parents:
                    cand = idx.get(p, [])
                    if not any(pr.code and r.code.startswith(pr.code) for pr, _ in cand):
                        ok = False
                if ok:
                    keep.append((r, c))
            if keep:
                rows = keep
        return rows

    # -- projects (项目支出表)
    def project_table(self) -> Table | None:
        return self.by_kind.get("budget.gpb_project")

    def _project_index(self) -> None:
        if self._projects is not None:
            return
        self._projects = {}
        t = self.project_table()
        if t is None:
            return
        name_cols = [c.index for c in t.columns if c.role == "label" and any("项目名称" in p for p in c.path)]
        vc = self.first_value_col(t)
        if vc is None:
            return
        coded = any(r.code and len(r.code) == 7 for r in t.rows)
        unit = ""
        for r in t.rows:
            if r.kind == "total":
                continue
            if not r.code:
                if coded or not name_cols:
                    if r.label and coded:
                        unit = norm_name(r.label)
                    if coded:
                        continue
            elif len(r.code) != 7:
                continue
            if not coded and (vc >= len(r.cells) or r.cells[vc].value is None):
                continue
            label = norm_name(r.label)
            pname = norm_name(r.cells[name_cols[0]].text) if name_cols and name_cols[0] < len(r.cells) else label
            if pname == label and name_cols:
                pname = ""  # a shifted row: the name column holds the row's own label
            cell = r.cells[vc]
            self._projects.setdefault((unit, pname), cell)
            self._units.setdefault(unit, []).append((pname, cell))

    def project_count(self) -> int | None:
        self._project_index()
        if self.project_table() is None:
            return None
        return sum(len(v) for v in self._units.values())

    def project_cell(self, unit: str, name: str) -> Link | None:
        self._project_index()
        t = self.project_table()
        if t is None or not self._projects:
            return None
        cell = self._projects.get((unit, name))
        if cell is not None:
            return Link(cell, t, True, "project")
        cands = self._units.get(unit)
        exact_unit = cands is not None
        if cands is None:
            cands = []
            best = _closest(unit, [u for u in self._units if u])
            if best is not None:
                cands = self._units[best]
        hits = [c for p, c in cands if p and (p == name or (len(name) >= 4 and (name in p or p in name)))]
        if not hits and exact_unit and len(cands) == 1 and not cands[0][0]:
            hits = [cands[0][1]]  # the unit's only project, its name not printed
        if len(hits) == 1:
            return Link(hits[0], t, False, "project (fuzzy)" if exact_unit else "project (fuzzy unit)")
        return None

    def table_total(self, kind: str, col: str | None = None) -> Cell | None:
        t = self.by_kind.get(kind)
        if t is None:
            return None
        r = self.total_row(t)
        ci = self.column(t, col) if col else self.first_value_col(t)
        if r is None or ci is None or ci >= len(r.cells):
            return None
        return r.cells[ci]


def _closest(name: str, candidates: list[str]) -> str | None:
    """The one candidate spelled almost like ``name`` (a doubled or dropped character), if unique."""
    if not name:
        return None
    from difflib import SequenceMatcher

    contained = [c for c in candidates if name in c or c in name]
    if len(contained) == 1:
        return contained[0]
    scored = sorted(((SequenceMatcher(None, name, c).ratio(), c) for c in candidates), reverse=True)
    if scored and scored[0][0] >= 0.9 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return None


# ---------------------------------------------------------------- entry point


def display_label(label: str) -> str:
    """A label for messages: year, numbering, quotes-as-written kept, "比上年…" tail dropped."""
    t = re.sub(r"\s+", "", _nfkc(label or ""))
    t = _YEAR_RE.sub("", t)
    t = _NUMBERING_RE.sub("", t)
    t = _LEAD_RE.sub("", t)
    t = _CHANGE_TAIL_RE.sub("", t)
    t = re.sub(r"(?:为|是)$", "", t)
    return t.strip(":,;")


_LEVEL_MARK_RE = re.compile(r"\((类|款|项)\)")


def level_and_chain(label: str) -> tuple[str | None, list[str], str]:
    """``A（类）B（款）C（项）`` → ("项", [A, B], C); plain labels pass through."""
    t = _nfkc(label)
    # each name is the text between the previous parenthesis and its (类)/(款)/(项) mark; found
    # by scanning once (a lazy regex for it retries from every offset of a long label)
    parts: list[tuple[str, str]] = []
    prev = 0
    for m in _LEVEL_MARK_RE.finditer(t):
        a = max(t.rfind("(", prev, m.start()), t.rfind(")", prev, m.start())) + 1
        seg = t[max(a, prev) : m.start()]
        if seg:
            parts.append((seg.rstrip() or seg[:1], m.group(1)))
        prev = m.end()
    if not parts:
        return None, [], ""
    names = [norm_name(p[0]) for p in parts]
    return parts[-1][1], names[:-1], names[-1]


def extract(doc: Document, aliases: dict[str, tuple[str, str]] | None = None) -> Narrative:
    """Read every statement of the document's prose (cached per document)."""
    key = ("_narrative", tuple(sorted((aliases or {}).items())) if aliases is not None else None)
    cached = doc.meta.get("_narrative")
    if cached is not None and cached[0] == key:
        return cached[1]
    texts = join_paragraphs(doc.prose)
    ex = _Extractor(doc)
    ex.run(texts)
    nar = Narrative(ex.items, ex.groups, ex.projects, texts, ex.table_dec, ex.table_unit, Linker(doc, aliases))
    doc.meta["_narrative"] = (key, nar)
    return nar


def link_item(nar: Narrative, it: Item) -> Link | None:
    """The table cell an item's subject names, if any."""
    if it.project is not None and it is it.project.budget:
        return nar.linker.project_cell(it.project.unit, it.project.name)
    if it.group is not None and it.group.kind == "allocation":
        return None
    level, chain, last = level_and_chain(it.label)
    subject = last or it.subject
    return nar.linker.link(subject, it.scope, level, chain)


def iter_items(nar: Narrative) -> Iterator[Item]:
    yield from nar.items
