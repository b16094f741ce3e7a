"""The one label normaliser: how labels are compared, never how they are shown.

Labels are shown as written (:func:`display`: NFKC, wrap spaces between CJK
characters removed).  They are *compared* in one form (:func:`norm`): NFKC,
traditional characters converted to simplified (科目編碼 → 科目编码, 合計 → 合计,
單位：萬元 → 单位：万元) and every space removed.

The conversion uses OpenCC, imported on first need: a string without a single
traditional-only character (almost every label) is returned untouched without
loading anything, and every distinct string is converted once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef（）()“”])\s+(?=[\u3000-\u9fff\uff00-\uffef（）()“”])")
# The few traditional characters of units and amounts, for when OpenCC is not installed.
_FALLBACK = str.maketrans({"萬": "万", "億": "亿", "圓": "元", "計": "计", "項": "项", "單": "单", "編": "编", "碼": "码"})

_converter = None
_traditional: frozenset[str] | None = None


def _load() -> None:
    """Load OpenCC's traditional → simplified converter and the set of characters it changes."""
    global _converter, _traditional
    try:
        import opencc

        conv = opencc.OpenCC("t2s")
        chars = [chr(i) for i in range(0x3400, 0xA000)]
        out = conv.convert("\n".join(chars)).split("\n")
        if len(out) != len(chars):  # pragma: no cover - defensive: a phrase rule crossed a line
            out = [conv.convert(ch) for ch in chars]
        _traditional = frozenset(a for a, b in zip(chars, out) if a != b)
        _converter = conv
    except Exception:  # noqa: BLE001 - without OpenCC only the fallback characters convert
        _converter = False
        _traditional = frozenset(k for k in map(chr, _FALLBACK))


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """``text`` with traditional characters in simplified form (unchanged when it has none)."""
    if not text or text.isascii():
        return text or ""
    if _traditional is None:
        if not any("\u3400" <= ch < "\ua000" for ch in text):
            return text
        _load()
    if not any(ch in _traditional for ch in text):  # type: ignore[operator]
        return text
    if _converter:
        return _converter.convert(text)
    return text.translate(_FALLBACK)


@lru_cache(maxsize=65536)
def display(text: str) -> str:
    """A label as written: NFKC, wrap spaces between CJK characters removed, runs of spaces folded."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).replace("\n", "")
    t = _CJK_SPACE.sub("", t)
    return _SPACES.sub(" ", t).strip()


@lru_cache(maxsize=65536)
def norm(text: str | None) -> str:
    """The form labels are compared in: NFKC, simplified characters, no spaces."""
    if not text:
        return ""
    return _SPACES.sub("", simplified(unicodedata.normalize("NFKC", text)))


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """:func:`display` in simplified characters: for matching that keeps single spaces."""
    return simplified(display(text))
