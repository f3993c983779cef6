"""Title lines of a 公文 (GB/T 9704-2012 §7.3.1): a long title is set on several centred lines, "回行时，要做到
词意完整，排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形".

Pure: `break_title(text, width)` returns the lines. Breaks fall only between words (jieba's segmentation,
with 第134092号, 〔2020〕 and the like kept whole), never before a particle (的、和、与、及…) or after a
preposition (关于、对、就…) that belongs to the next words; among the allowed breaks the one with the fewest
lines whose lengths are closest (a regular trapezoid: upper lines not longer than lower ones by more than a
little, or equal) wins. Width is counted in full-width characters; digits and Latin letters count 0.6.
"""

from __future__ import annotations

import re
from functools import lru_cache

import jieba
import jieba.posseg

jieba.setLogLevel(60)

# Words a line must not begin with (they lean on the word before) or end with (they lead the next words).
NO_LINE_START = frozenset("的之和与及或等了着地得暨")
NO_LINE_END = ("关于", "对于", "对", "就", "在", "为", "和", "与", "及", "暨", "第", "《", "“", "（")
# Pieces kept whole whatever the segmenter says: 第134092号, 〔2020〕15号, (…), 《…》 up to 12 characters.
KEEP_WHOLE = re.compile(
    r"第[0-9０-９一二三四五六七八九十百千]+[号条项次批届]|〔\d{4}〕\d*号?|\d+(?:\.\d+)?[%号年月日]?"
)


def width(text: str) -> float:
    """In full-width characters; digits and Latin letters are counted a little over half (proportional
    fonts set them wider than half an em)."""
    return sum(0.6 if ord(ch) < 0x2E80 else 1.0 for ch in text)


def _tagged(text: str) -> list[tuple[str, str]]:
    return [(w.word, w.flag) for w in jieba.posseg.lcut(text, HMM=False)] if text else []


@lru_cache(maxsize=512)
def tagged_words(text: str) -> tuple[tuple[str, str], ...]:
    """The title cut into pieces that may not be split, with their part of speech: jieba's words, with
    numbered forms (第134092号, 〔2020〕15号, 2020年) kept whole."""
    pieces: list[tuple[str, str]] = []
    pos = 0
    for match in KEEP_WHOLE.finditer(text):
        pieces += _tagged(text[pos : match.start()])
        pieces.append((match.group(), "m"))
        pos = match.end()
    pieces += _tagged(text[pos:])
    return tuple(p for p in pieces if p[0])


def words(text: str) -> tuple[str, ...]:
    return tuple(w for w, _tag in tagged_words(text))


def _allowed(before: str, after: str) -> bool:
    return not (after[:1] in NO_LINE_START or before.endswith(NO_LINE_END))


NOUNISH = ("n", "j", "b", "vn", "m", "nz")


def break_penalty(before: tuple[str, str], after: tuple[str, str]) -> float:
    """What a break between two words costs: after a verb (it leaves its object), between two nouns (a
    compound like 产业/转型), a little between a noun and the verb that starts the next phrase."""
    b, a = before[1], after[1]
    if after[0].startswith("第") and a == "m":  # 第134092号 starts the designation: the natural break
        return 0
    if b.startswith("v") and b != "vn" and not a.startswith(("u", "p")):
        return 30
    if b.startswith(NOUNISH) and a.startswith(NOUNISH):
        return 8
    if b.startswith(NOUNISH) and a.startswith("v"):
        return 4
    return 0


def _cost(lines: list[str], limit: float) -> float:
    lengths = [width(line) for line in lines]
    if max(lengths) > limit:
        return float("inf")
    cost = (max(lengths) - min(lengths)) ** 2
    # A regular trapezoid (or a diamond): a line longer than the one below it costs more than one shorter.
    for upper, lower in zip(lengths, lengths[1:], strict=False):
        if upper > lower:
            cost += (upper - lower) * 1.5
    return cost


def break_title(text: str, limit: float = 20) -> list[str]:
    """The title's lines, each at most `limit` full-width characters, broken between words only."""
    text = text.strip()
    if width(text) <= limit:
        return [text]
    tagged = tagged_words(text)
    pieces = [w for w, _tag in tagged]
    n = len(pieces)
    best: tuple[float, list[str]] | None = None
    for lines_wanted in range(2, 6):
        # Every way of cutting the pieces into `lines_wanted` lines at allowed boundaries (titles are short:
        # a few dozen pieces, so the search is small; pruned by the line limit).
        def cuts(start: int, left: int):
            if left == 1:
                line = "".join(pieces[start:])
                if width(line) <= limit:
                    yield [line], 0.0
                return
            for end in range(start + 1, n - left + 2):
                line = "".join(pieces[start:end])
                if width(line) > limit:
                    break
                if not _allowed(pieces[end - 1], pieces[end]):
                    continue
                penalty = break_penalty(tagged[end - 1], tagged[end])
                for rest, more in cuts(end, left - 1):
                    yield [line, *rest], penalty + more

        for lines, penalty in cuts(0, lines_wanted):
            cost = _cost(lines, limit) + penalty
            if best is None or cost < best[0]:
                best = (cost, lines)
        if best is not None:
            return best[1]
    # No allowed break fits (a single word wider than a line): fall back to the width, character by character.
    out, line = [], ""
    for ch in text:
        if width(line + ch) > limit:
            out.append(line)
            line = ""
        line += ch
    return [*out, line] if line else out
