"""Drafting generators: 二、创新平台 (see `reports/generators/__init__.py`)."""

from __future__ import annotations

import datetime as dt

from kechuang.reports.drafting import Context, Sentence, generator, join, positive


@generator(
    "communities", section="platforms", label="市级创新创业共同体", keywords=("平台", "共同体", "协同")
)
def communities(s: Sentence, ctx: Context) -> bool:
    if not positive(ctx.value("community_municipal_count")):
        return False
    industries = ctx.record(
        "names", code="community_municipal_count", path="industry.name", limit=4, short=False
    )
    if industries:
        s.say("在")
        s.rec(
            "names",
            join(industries),
            industries,
            name="产业",
            params={"code": "community_municipal_count", "path": "industry.name", "limit": 4, "short": False},
        )
        s.say("等产业")
    s.say("培育")
    s.fig("community_municipal_count")
    s.say("家市级创新创业共同体。")
    return True


@generator(
    "platforms_building",
    section="platforms",
    label="在建、申报中的创新平台",
    keywords=("平台", "研发机构", "院士", "工作站"),
)
def platforms_building(s: Sentence, ctx: Context) -> bool:
    items = ctx.record("platforms_in_progress")
    if not items:
        return False
    for n, p in enumerate(items):
        s.say("；" if n else "")
        who = p["operator"] or p["name"]
        if p["partner"]:
            s.rec(
                "platforms_in_progress",
                f"推动{who}与{p['partner']}的合作，做好{p['kind']}的组建工作",
                items,
                name="在建平台",
            )
        else:
            s.rec("platforms_in_progress", f"组织{who}申报{p['level']}{p['kind']}", items, name="在建平台")
    s.say("。")
    return True


@generator("alliances", section="platforms", label="创新战略联盟", keywords=("联盟", "平台", "产业集群"))
def alliances(s: Sentence, ctx: Context) -> bool:
    if not positive(ctx.value("alliance_count")):
        return False
    firms = ctx.record("names", code="alliance_member_firms", path="organisation.name", limit=2)
    fields = ctx.record("names", code="alliance_count", path="industry.name", limit=2, short=False)
    s.say("组织")
    if firms:
        s.names("alliance_member_firms", "organisation.name")
        s.say("等")
    s.say("企业参加")
    if fields:
        s.rec(
            "names",
            join(fields),
            fields,
            name="联盟领域",
            params={"code": "alliance_count", "path": "industry.name", "limit": 2, "short": False},
        )
        s.say("等")
    s.fig("alliance_count")
    s.say("个创新战略联盟。")
    return True


@generator(
    "platforms_recognised",
    section="platforms",
    label="新获批的高层次平台",
    keywords=("平台", "孵化", "众创", "备案"),
)
def platforms_recognised(s: Sentence, ctx: Context) -> bool:
    items = ctx.record("recognised_platforms")
    if not items:
        return False
    for n, p in enumerate(items):
        on = dt.date.fromisoformat(p["on"])
        s.say("；" if n else "")
        s.rec(
            "recognised_platforms",
            f"{on.year}年{on.month}月“{p['name']}”获批{p['level']}{p['kind']}",
            items,
            name="获批平台",
        )
    s.say("。")
    return True
