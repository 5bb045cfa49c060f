"""Automatic word segmentation of search text (STORE-2.f, decision 0802).

Bidirectional maximum matching over a dictionary: the shipped base vocabulary (data/search_words.txt)
plus every enabled keyword and associated word the portal administrators maintain. Of the forward and
the backward segmentation the one with fewer words wins (then fewer single characters, then backward,
which is right more often for Chinese). Runs of characters the dictionary does not know stay together
as one word; Latin letters and digits form one word each run; punctuation separates. Question and
filler words (如何, 怎么, 我要 …) are dropped from the search terms but kept in `words`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_WORD = 8
STOP_WORDS = frozenset({
    "如何", "怎么", "怎样", "怎么样", "我要", "我想", "想要", "在哪", "在哪里", "哪里", "哪儿", "需要", "什么",
    "的", "了", "吗", "呢", "啊", "和", "与", "及", "或", "去", "要", "想", "请问", "可以", "能", "能否",
    "办", "办理", "手续", "流程", "在", "到", "给",
})
_STOP_CHARS = frozenset(w for w in STOP_WORDS if len(w) == 1)
_CHUNK = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff]+")
_BASE = Path(__file__).resolve().parent / "data" / "search_words.txt"


@lru_cache(maxsize=1)
def base_words() -> frozenset[str]:
    lines = _BASE.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _forward(text: str, words: frozenset[str]) -> list[str]:
    out, i = [], 0
    while i < len(text):
        for size in range(min(MAX_WORD, len(text) - i), 0, -1):
            piece = text[i:i + size]
            if size == 1 or piece in words:
                out.append(piece)
                i += size
                break
    return out


def _backward(text: str, words: frozenset[str]) -> list[str]:
    out, j = [], len(text)
    while j > 0:
        for size in range(min(MAX_WORD, j), 0, -1):
            piece = text[j - size:j]
            if size == 1 or piece in words:
                out.insert(0, piece)
                j -= size
                break
    return out


def _merge_unknown(pieces: list[str], words: frozenset[str]) -> list[str]:
    """Glue runs of unknown single characters into one word ("松北" stays "松北"); a known single
    character or a stop character stands alone."""
    out: list[str] = []
    run = ""
    for piece in pieces:
        unknown = len(piece) == 1 and piece not in words and piece not in _STOP_CHARS
        if unknown:
            run += piece
            continue
        if run:
            out.append(run)
            run = ""
        out.append(piece)
    if run:
        out.append(run)
    return out


def _score(pieces: list[str]) -> tuple[int, int]:
    return len(pieces), sum(1 for p in pieces if len(p) == 1)


@dataclass(frozen=True)
class Segmented:
    words: list[str]      # every word, in order
    terms: list[str]      # the words that carry meaning (stop words dropped, duplicates removed)


def segment(text: str, extra_words=()) -> Segmented:
    words_set = base_words() | STOP_WORDS | frozenset(w for w in extra_words if w)
    words: list[str] = []
    for chunk in _CHUNK.findall(text or ""):
        if chunk.isascii():
            words.append(chunk)
            continue
        forward, backward = _forward(chunk, words_set), _backward(chunk, words_set)
        best = forward if _score(forward) < _score(backward) else backward
        words.extend(_merge_unknown(best, words_set))
    terms: list[str] = []
    for word in words:
        if word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return Segmented(words=words, terms=terms)
