"""One number parser for every loader.

Budget cells hold more than digits: thousands separators (``17,789.61``),
full-width digits, ``-``/``—``/blank for nothing, negatives (also in
parentheses), percentages, comparators and units (``≥95%``, ``> =90%``,
``≤5 万元``, ``>=8400 人次``), OCR gaps (``879. 00``).  The parser returns the
exact value (Decimal), the printed decimals (for the rounding rule), the unit,
the comparator and whether the cell was blank.  It never raises.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

BLANK_TOKENS = frozenset({"", "-", "--", "—", "——", "–", "－", "/", "\\", "—-", "-—", "…", "...", "/ ", "无"})  # "…" is "..." after NFKC

_COMPARATORS = {
    ">=": "≥", "=>": "≥", "≥": "≥", "≧": "≥", "不低于": "≥", "不少于": "≥", "不小于": "≥", "大于等于": "≥",
    "<=": "≤", "=<": "≤", "≤": "≤", "≦": "≤", "不高于": "≤", "不超过": "≤", "不多于": "≤", "小于等于": "≤", "控制在": "≤",
    ">": ">", "<": "<", "=": "=", "==": "=", "大于": ">", "小于": "<", "约": "≈", "≈": "≈",
}
_COMP_RE = "|".join(sorted((re.escape(k) for k in _COMPARATORS), key=len, reverse=True))

# Units we accept after a number.  Anything longer or containing digits means
# the cell is prose that merely starts with a number.
UNIT_RE = (
    r"%|‰|百分比|百分点|万元|亿元|千元|元|万|亿|人次|人天|人|个月|个|次|项|件|台|辆|篇|家|户|类|天|日|月|年|小时|"
    r"分钟|分|平方米|平方公里|平米|㎡|亩|万亩|公顷|公里|千米|km|米|份|期|场|套|批|宗|处|块|所|本|册|张|名|间|座|条|吨|"
    r"万人次|万人|册次|课时|学时|人/次|台次|车次|次/年|个工作日|工作日|周|季度|轮|单|起|例|栋|幢|盏|棵|株|kg|t|m|m2|㎞"
)
_NUM_RE = re.compile(
    rf"^(?P<comp>{_COMP_RE})?\s*(?P<neg>[-−])?\s*(?P<open>\()?\s*(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
    rf"\s*(?P<close>\))?\s*(?P<unit>(?:{UNIT_RE}))?\s*(?P<tail>以上|以下|以内|及以上|及以下|左右|内)?$"
)
_APPROX_WORDS = ("约", "近", "左右", "余", "多")


@dataclass(frozen=True, slots=True)
class Number:
    """What a cell's text says as a number."""

    value: Decimal | None
    decimals: int = 0
    blank: bool = False
    unit: str | None = None
    comparator: str | None = None
    percent: bool = False
    approx: bool = False


BLANK = Number(None, 0, True)
TEXT = Number(None, 0, False)


# Characters that print as nothing (or as a plain space) but turn "1234.00" into text when they sit
# inside it: zero-width space/joiners, word joiner and invisible operators, byte-order mark, soft
# hyphen, Mongolian vowel separator, bidirectional marks and overrides, no-break spaces.
INVISIBLE_RE = re.compile("[\u00a0\u00ad\u180e\u2007\u200b-\u200f\u202a-\u202f\u2060-\u2064\u2066-\u2069\ufeff]")


def invisible_chars(raw: str) -> list[str]:
    """The invisible characters ``raw`` holds, as ``U+XXXX`` (each once, in order)."""
    out: list[str] = []
    for ch in INVISIBLE_RE.findall(raw or ""):
        name = f"U+{ord(ch):04X}"
        if name not in out:
            out.append(name)
    return out


_TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "圓": "元"})


def normalize(text: str) -> str:
    """NFKC (full-width digits and punctuation to ASCII), traditional unit characters, folded spaces."""
    t = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)
    return re.sub(r"\s+", " ", t).strip()


_PLAIN = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


@lru_cache(maxsize=65536)
def parse_number(raw: str) -> Number:
    """Parse a cell's text.  Blank-like text gives ``blank=True``; prose gives ``value=None``."""
    if raw is None:
        return BLANK
    if INVISIBLE_RE.search(raw):  # "1\u200b234.00" is the number 1234.00, not text
        raw = INVISIBLE_RE.sub("", raw)
    plain = _PLAIN.fullmatch(raw.strip()) if len(raw) <= 40 else None
    if plain:  # the common case, "17,789.61": no normalisation needed
        frac = plain.group(1)
        return Number(Decimal(plain.group(0).replace(",", "")), len(frac) if frac else 0)
    t = normalize(raw)
    if t in BLANK_TOKENS:
        return BLANK
    if len(t) > 40 or not any(ch.isdigit() for ch in t):
        return TEXT
    # OCR and wrapping put spaces inside numbers: "879. 00", "1 801.39", "≥100 百分 比"
    t = re.sub(r"(?<=\d)\s*\.\s*(?=\d)", ".", t)
    t = re.sub(r"(?<=\d),\s+(?=\d{3}\b)", ",", t)
    t = re.sub(r"(?<=[^\d\s])\s+(?=[^\d\s])", "", t)  # "百分 比" -> "百分比", "> =" -> ">="
    m = _NUM_RE.match(t)
    if not m:
        return TEXT
    num = m.group("num").replace(",", "")
    if bool(m.group("open")) != bool(m.group("close")):
        return TEXT
    try:
        value = Decimal(num)
    except InvalidOperation:  # pragma: no cover - regex guarantees digits
        return TEXT
    decimals = len(num.split(".", 1)[1]) if "." in num else 0
    if m.group("neg") or m.group("open"):
        value = -value
    unit = m.group("unit")
    percent = unit in ("%", "百分比")
    if unit == "百分比":
        unit = "%"
    comp = m.group("comp")
    comparator = _COMPARATORS[comp] if comp else None
    tail = m.group("tail")
    if tail in ("以上", "及以上") and comparator is None:
        comparator = "≥"
    elif tail in ("以下", "及以下", "以内", "内") and comparator is None:
        comparator = "≤"
    approx = comparator == "≈" or tail == "左右"
    return Number(value, decimals, False, unit, comparator, percent, approx)


def is_approximate(context: str) -> bool:
    """Prose marks an amount as approximate with 约/近/左右/余/多."""
    return any(w in context for w in _APPROX_WORDS)


def to_float(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def decimals_of(v: Decimal | float | int | str | None) -> int:
    """Digits after the point that ``v`` needs to be shown exactly (``2698.7`` → 1, ``0.015`` → 3)."""
    if v is None or isinstance(v, bool):
        return 0
    if isinstance(v, str):
        return parse_number(v).decimals
    d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    if not d.is_finite():
        return 0
    d = d.normalize() if isinstance(v, float) else d
    exp = d.as_tuple().exponent
    return max(0, -exp) if isinstance(exp, int) else 0


def format_amount(v: Decimal | float | int | None, decimals: int | None = None, *, sign: bool = False) -> str:
    """The one way amounts are printed: thousands separators and the table's printed decimals.

    ``decimals`` is the number of digits the table prints (``2`` → ``-27.00``,
    ``2,698.70``); a value that needs more digits keeps them (a tolerance of
    ``0.015`` stays ``0.015``), never fewer.  ``sign`` prefixes ``+`` to
    positive values (a signed difference).  ``None`` gives ``—``.
    """
    if v is None:
        return "—"
    if isinstance(v, bool):
        return str(v)
    d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    if not d.is_finite():
        return str(v)
    need = min(decimals_of(v), 6)
    places = max(need, decimals if decimals is not None and 0 <= decimals <= 6 else need)
    d = d.quantize(Decimal(1).scaleb(-places)) if places else d.quantize(Decimal(1))
    if d == 0:
        d = abs(d)  # no "-0.00"
    text = f"{d:,.{places}f}"
    return f"+{text}" if sign and d > 0 else text
