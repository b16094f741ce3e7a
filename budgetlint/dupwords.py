"""Duplicated words, found on word boundaries.

A repeated character is not a repeated word: 某市市场监督管理局 reads 某市 | 市场 |
监督 | 管理局, so its 市市 is no slip, while 唐山市唐山市 (唐山市 | 唐山市), 增加增加
and 经费费 (经费 | 费) are.  Candidates are found with cheap patterns first; only
has its word boundaries checked against jieba's dictionary (searched, never
loaded into a segmenter: that costs half a second per run):

- a repeated unit is no slip when its first copy ends a longer word (在职人员 |
  人员经费) or its second copy starts another word (某市 | 市场, 某县 | 县城);
- a doubled single character counts only as a suffix or particle, and 厅机关 /
  县本级 (a unit's organ, its budget level) are terms.

A one-character word counts only when it is a particle or a suffix
(:data:`SINGLE`): 赵银银 and 麦麦提 are names.

Doubled full-width punctuation (：：, ，，) needs no segmentation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CJK = "\u4e00-\u9fff"
_REPEAT = re.compile(rf"([{_CJK}]{{1,6}})\1")
# reduplication that is correct Chinese (AABB/ABAB words and adverbs)
ALLOWED = frozenset({
    "研究研究", "讨论讨论", "学习学习", "常常", "往往", "仅仅", "渐渐", "刚刚", "稍稍", "处处", "人人", "天天", "年年",
    "层层", "项项", "个个", "家家", "事事", "时时", "步步", "条条", "件件", "一一", "区区", "县县", "乡乡", "村村",
    "户户", "月月", "日日", "多多", "好好", "慢慢", "紧紧", "牢牢", "实实", "明明", "默默",
})


# one-character words that a slip doubles (particles, conjunctions, the suffixes of names and amounts);
# other doubled characters are names (赵银银, 麦麦提) or words the dictionary does not know
NAME_SUFFIXES = frozenset("元费县市省区州盟旗镇乡村局处科室所站队院厅委办")
SINGLE = frozenset("的了和与及或在是对为将把被从向于等") | NAME_SUFFIXES


@dataclass(frozen=True, slots=True)
class Duplicate:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _dictionary() -> bytes:
    """jieba's word list (one ``word freq tag`` line each), read as bytes once; empty when unavailable.

    Only a few words are ever looked up, so the list is searched, not loaded into
    a segmenter (which costs half a second of start-up on every run).
    """
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        return b""
    try:
        return b"\n" + (Path(list(spec.submodule_search_locations)[0]) / "dict.txt").read_bytes()
    except OSError:
        return b""


@lru_cache(maxsize=1)
def _cjk_start() -> int:
    """Where the dictionary's Chinese words begin (a few Latin-led words such as ``T恤`` come first)."""
    at = _dictionary().find("\n一 ".encode("utf-8"))
    return at + 1 if at >= 0 else len(_dictionary())


def _first_char(data: bytes, at: int) -> str:
    return data[at:at + 4].decode("utf-8", errors="ignore")[:1]


def _lower_bound(data: bytes, lo: int, hi: int, ch: str) -> int:
    """The first line start in ``[lo, hi)`` whose word begins with ``ch`` or a later character."""
    while lo < hi:
        mid = max(data.rfind(b"\n", 0, (lo + hi) // 2) + 1, lo)
        if _first_char(data, mid) < ch:
            nxt = data.find(b"\n", mid)
            lo = nxt + 1 if 0 <= nxt < hi else hi
        else:
            hi = mid
    return lo


@lru_cache(maxsize=8192)
def is_word(word: str) -> bool:
    """``word`` is in the dictionary.

    The dictionary's Chinese words are grouped by their first character in code-point
    order (not sorted within a group), so a bisection on that character narrows the
    search to one group: a few microseconds instead of a scan of 5 MB.
    """
    data = _dictionary()
    key = b"\n" + word.encode("utf-8") + b" "
    if not word or not ("\u4e00" <= word[0] <= "\u9fff"):
        return key in data
    start = _cjk_start()
    lo = _lower_bound(data, start, len(data), word[0])
    hi = _lower_bound(data, lo, len(data), chr(ord(word[0]) + 1))
    return data.find(key, lo - 1, hi) >= 0 or data.find(key, 0, start) >= 0  # 小S, 阿Q sit among the Latin-led words


# a unit's own organ or budget level: 办公厅厅机关, 某县县本级 are terms, not slips
_LEVEL_WORDS = ("机关", "本级")


def _aabb(text: str, a: int) -> bool:
    """The doubled character at ``a`` is half of an AABB word (实实在在): one doubled neighbour pair, not a run of them."""
    def pair(i: int) -> bool:
        return 0 <= i and i + 1 < len(text) and text[i] == text[i + 1]

    return (pair(a - 2) and text[a - 2] != text[a] and not pair(a - 4)) or (
        pair(a + 2) and text[a + 2] != text[a] and not pair(a + 4))


def _ends_longer_word(text: str, start: int, end: int) -> bool:
    """A dictionary word that ends at ``end`` and begins before ``start`` (在职人员 in 在职人员人员经费)."""
    return any(is_word(text[a:end]) for a in range(max(0, start - 3), start))


def _starts_word(text: str, at: int) -> bool:
    """A dictionary word of 2–4 characters begins at ``at`` (市场 in 某市市场, 县城 in 某县县城)."""
    return any(is_word(text[at:at + n]) for n in (2, 3, 4) if at + n <= len(text))


def _cjk(word: str) -> bool:
    return bool(word) and all("\u4e00" <= ch <= "\u9fff" for ch in word)


# a run of up to six Chinese characters or punctuation marks doubled: most texts have none, and
# this one search in C spares them the dictionary lookups
_ANY_DOUBLE = re.compile(rf"([{_CJK}\u3000-\u303f\uff00-\uffef,;:]{{1,6}})\1")


@lru_cache(maxsize=16)
def _doubled_punctuation(punctuation: str) -> re.Pattern:
    return re.compile(f"([{re.escape(punctuation)}])\\1")


def duplicates(text: str, *, punctuation: str = "，。、；：") -> list[Duplicate]:
    """Words and punctuation doubled by mistake in ``text``, in order."""
    if not _ANY_DOUBLE.search(text):
        return []
    out: list[Duplicate] = []
    for m in _doubled_punctuation(punctuation).finditer(text):
        out.append(Duplicate(m.start(), m.end(), m.group(0)))
    for m in _REPEAT.finditer(text):
        unit, a, b = m.group(1), m.start(), m.end()
        k = len(unit)
        if not _cjk(unit):
            continue
        suffix = k == 1 and unit in NAME_SUFFIXES and a > 0 and _cjk(text[a - 1])  # 新和县县: a name's suffix doubled
        if unit + unit in ALLOWED and not suffix:
            continue
        if k == 1:
            if _aabb(text, a) or unit not in SINGLE or _starts_word(text, a + 1) or text.startswith(_LEVEL_WORDS, b):
                continue
        elif _ends_longer_word(text, a, a + k) or _starts_word(text, a + k) and not is_word(unit):
            continue
        out.append(Duplicate(a, b, unit + unit))
    out.sort(key=lambda d: d.start)
    return out
