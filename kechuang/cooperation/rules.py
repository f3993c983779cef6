"""Matchmaking between a technology need and experts or offered achievements — pure, explainable.

score = Σ idf(shared keyword) + FIELD_WEIGHT if the need's field code is one of the candidate's
        + HISTORY_WEIGHT × min(past cooperations, HISTORY_CAP)
Keywords come from jieba's search-mode segmentation (so 高温陶瓷 also yields 高温, 陶瓷), minus
stopwords, single characters and numbers. idf is computed over the candidate set, so a word every
expert mentions (技术, 研究) weighs little and a rare specific word (氢燃料, 导热油) weighs much.
Every match carries its reasons in Chinese.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import jieba

from kechuang.core.workflow import Workflow, chain

FIELD_WEIGHT = 2.0
HISTORY_WEIGHT = 1.0
HISTORY_CAP = 3

STOPWORDS = frozenset(
    [
        "企业",
        "公司",
        "有限公司",
        "需要",
        "需求",
        "希望",
        "寻求",
        "解决",
        "问题",
        "提高",
        "提升",
        "相关",
        "进行",
        "开展",
        "研究",
        "技术",
        "开发",
        "研发",
        "应用",
        "工艺",
        "方面",
        "专家",
        "合作",
        "项目",
        "能力",
        "产品",
        "生产",
        "我们",
        "目前",
        "现有",
        "一种",
        "以及",
        "及其",
        "用于",
        "通过",
        "实现",
        "主要",
        "方向",
        "领域",
        "教授",
        "研究员",
        "工程师",
        "高级",
        "大学",
        "学院",
        "研究所",
        "中心",
        "实验室",
        "国家",
        "重点",
        "从事",
        "擅长",
        "长期",
        "多年",
        "具有",
        "丰富",
        "经验",
    ]
)
_NUMBER = re.compile(r"^[\d.%]+$")

jieba.setLogLevel(60)


@lru_cache(maxsize=4096)
def keywords(text: str) -> frozenset[str]:
    words = set()
    for w in jieba.lcut_for_search(text or ""):
        w = w.strip().lower()
        if len(w) < 2 or w in STOPWORDS or _NUMBER.match(w) or not any(c.isalnum() for c in w):
            continue
        words.add(w)
    return frozenset(words)


@dataclass(frozen=True)
class Candidate:
    key: int
    label: str
    text: str
    fields: frozenset[str] = frozenset()
    history: int = 0


@dataclass
class Match:
    key: int
    label: str
    score: float
    shared: list[str]
    field_match: bool
    history: int
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "score": round(self.score, 3),
            "shared": self.shared,
            "field_match": self.field_match,
            "history": self.history,
            "reasons": self.reasons,
        }


def rank(
    need_text: str,
    need_field: str,
    candidates: Iterable[Candidate],
    *,
    field_names: dict | None = None,
    limit=10,
) -> list[Match]:
    """The candidates with any reason to match, best first (ties broken by key for determinism)."""
    candidates = list(candidates)
    need_words = keywords(need_text)
    docs = {c.key: keywords(c.text) for c in candidates}
    n = len(candidates)
    df: dict[str, int] = {}
    for words in docs.values():
        for w in words & need_words:
            df[w] = df.get(w, 0) + 1
    matches = []
    for c in candidates:
        shared = sorted(docs[c.key] & need_words, key=lambda w: (-df[w], w))
        kw = sum(math.log((n + 1) / (df[w] + 1)) + 1 for w in shared)
        field_match = bool(need_field) and need_field in c.fields
        history = min(c.history, HISTORY_CAP)
        score = kw + (FIELD_WEIGHT if field_match else 0) + HISTORY_WEIGHT * history
        if score <= 0:
            continue
        reasons = []
        if shared:
            reasons.append("共同关键词：" + "、".join(shared[:8]))
        if field_match:
            name = (field_names or {}).get(need_field, need_field)
            reasons.append(f"技术领域一致（{name}）")
        if c.history:
            reasons.append(f"与需求企业有{c.history}次合作记录")
        matches.append(Match(c.key, c.label, score, shared, field_match, c.history, reasons))
    matches.sort(key=lambda m: (-m.score, m.key))
    return matches[:limit]


TRANSFER_FLOW = Workflow(
    chain(
        ("expected", "in_progress"),
        ("expected", "landed"),
        ("expected", "dropped"),
        ("in_progress", "landed"),
        ("in_progress", "dropped"),
    )
)
CONTACT_FLOW = Workflow(
    chain(
        ("proposed", "contacted"),
        ("proposed", "agreed"),
        ("proposed", "declined"),
        ("contacted", "agreed"),
        ("contacted", "declined"),
    )
)
