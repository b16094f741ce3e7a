"""Duplicated words, found on word boundaries.

A repeated character is not a repeated word: 某市市场监督管理局 reads 某市 | 市场 |
监督 | 管理局, so its 市市 is no slip, while 唐山市唐山市 (唐山市 | 唐山市), 增加增加
and 经费费 (经费 | 费) are.  Candidates are found with cheap patterns first; only
text that has one is segmented (jieba, imported on first need, its messages
on standard error silenced), and a candidate is reported when the segmentation
puts a word boundary where the repetition starts:

- a word followed by the same word (唐山市 | 唐山市, 增加 | 增加, 的 | 的);
- a word followed by its own last character as a word of its own — a doubled
  suffix (经费 | 费, 新和县 | 县).

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
_SUFFIX_REPEAT = re.compile(rf"[{_CJK}]([{_CJK}])\1")
# reduplication that is correct Chinese (AABB/ABAB words and adverbs)
ALLOWED = frozenset({
    "研究研究", "讨论讨论", "学习学习", "常常", "往往", "仅仅", "渐渐", "刚刚", "稍稍", "处处", "人人", "天天", "年年",
    "层层", "项项", "个个", "家家", "事事", "时时", "步步", "条条", "件件", "一一", "区区", "县县", "乡乡", "村村",
    "户户", "月月", "日日", "多多", "好好", "慢慢", "紧紧", "牢牢", "实实", "明明", "默默",
})


# one-character words that a slip doubles (particles, conjunctions, the suffixes of names and amounts);
# other doubled characters are names (赵银银, 麦麦提) or words the dictionary does not know
SINGLE = frozenset("的了和与及或在是对为将把被从向于等元费县市省区州盟旗镇乡村局处科室所站队院厅委办")


@dataclass(frozen=True, slots=True)
class Duplicate:
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _tokenizer():
    """jieba's tokenizer, imported and initialised once, quietly."""
    import contextlib
    import io
    import logging

    import jieba  # type: ignore[import-untyped]

    jieba.setLogLevel(logging.ERROR)
    logging.getLogger("jieba").setLevel(logging.ERROR)
    tok = jieba.Tokenizer()
    with contextlib.redirect_stderr(io.StringIO()):
        tok.initialize()
    return tok


@lru_cache(maxsize=4096)
def segment(text: str) -> tuple[tuple[str, int], ...]:
    """``text`` as (word, start) pairs (dictionary words only, no guessing of new words)."""
    try:
        tok = _tokenizer()
    except ImportError:  # pragma: no cover - jieba is a dependency; degrade to characters
        return tuple((ch, i) for i, ch in enumerate(text))
    out, pos = [], 0
    for word in tok.cut(text, HMM=False):
        out.append((word, pos))
        pos += len(word)
    return tuple(out)


def _cjk(word: str) -> bool:
    return bool(word) and all("\u4e00" <= ch <= "\u9fff" for ch in word)


def duplicates(text: str, *, punctuation: str = "，。、；：") -> list[Duplicate]:
    """Words and punctuation doubled by mistake in ``text``, in order."""
    out: list[Duplicate] = []
    for m in re.finditer(f"([{re.escape(punctuation)}])\\1", text):
        out.append(Duplicate(m.start(), m.end(), m.group(0)))
    if _REPEAT.search(text) or _SUFFIX_REPEAT.search(text):
        words = segment(text)
        for (a, sa), (b, sb) in zip(words, words[1:]):
            if not _cjk(a) or not _cjk(b):
                continue
            if a == b and a + b not in ALLOWED and (len(a) > 1 or a in SINGLE):
                out.append(Duplicate(sa, sb + len(b), a + b))
            elif len(a) > 1 and len(b) == 1 and a[-1] == b and b in SINGLE:
                out.append(Duplicate(sb - 1, sb + 1, b + b))
    out.sort(key=lambda d: d.start)
    return out
