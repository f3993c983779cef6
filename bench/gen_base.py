"""Shared constants of the benchmark data generator (regions, years, names) and its progress log."""

from __future__ import annotations

import datetime as dt
import time

SCALES = {"full": 1.0, "medium": 0.1, "small": 0.01, "tiny": 0.002}
CITIES = [
    ("370100", "济南市"),
    ("370200", "青岛市"),
    ("370300", "淄博市"),
    ("370400", "枣庄市"),
    ("370500", "东营市"),
    ("370600", "烟台市"),
    ("370700", "潍坊市"),
    ("370800", "济宁市"),
    ("370900", "泰安市"),
    ("371000", "威海市"),
    ("371100", "日照市"),
    ("371300", "临沂市"),
    ("371400", "德州市"),
    ("371500", "聊城市"),
    ("371600", "滨州市"),
    ("371700", "菏泽市"),
]
DISTRICTS = 130
TOWNS_PER_DISTRICT = 6
YEARS = (2018, 2019, 2020)
AS_OF = dt.date(2020, 11, 30)
SYLLABLES = [
    "华",
    "鑫",
    "源",
    "泰",
    "宏",
    "达",
    "新",
    "恒",
    "金",
    "瑞",
    "博",
    "盛",
    "天",
    "海",
    "创",
    "科",
    "通",
    "信",
    "德",
    "隆",
    "安",
    "兴",
    "昌",
    "永",
    "嘉",
    "润",
    "丰",
    "宇",
    "光",
    "明",
]
TRADES = [
    "电子",
    "机械",
    "新材料",
    "生物",
    "化工",
    "软件",
    "陶瓷",
    "纺织",
    "环保",
    "医药",
    "汽车配件",
    "食品",
]


def _log(msg: str, start: float) -> None:
    print(f"  {msg} ({time.perf_counter() - start:.1f} s)", flush=True)
