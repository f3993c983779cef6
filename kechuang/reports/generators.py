"""Sentence generators of the drafting engine (see `reports/drafting.py`), by section.

Each writes one block from figures and records and returns False when its data is empty. Wording that
depends on a number (高于/低于/持平, 提高/下降/持平, 预计/快报/年报, 全覆盖, 首创) is chosen by
`reports.wording` and recorded as a claim; names, dates and an event's own amounts come from records. The
seed reply is the "seed" style: where the records hold what the seed says, the sentence reads as the seed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.reports import formatting, wording
from kechuang.reports.drafting import Context, Sentence, generator, join, ordinal, positive

# --- opening and closing --------------------------------------------------------------------------------


@generator("overview", section="opening", label="总体情况（开头）", order=1)
def overview(s: Sentence, ctx: Context) -> bool:
    """组建"N个工作专班" (from the bureau's teams) and 稳步提升 only when the HNTE count rose in a year;
    a reply names the body it answers (区政协 for a 提案, 区人大 for a 建议). Nothing to say: left out."""
    region = ctx.scope.region.name
    level = region[-1] if region[-1] in "省市区县" else "区"
    teams = ctx.record("teams")
    rose = None
    now_value = ctx.value("hnte_count")
    if positive(now_value):
        before = _previous_year(ctx, "hnte_count")
        cmp_ = wording.compare(now_value, before["value"])
        if cmp_ is not None and cmp_.word == "高于" and positive(before["value"]):
            rose = (s.fig("hnte_count", show=False), s._add(before, show=False))
    if not teams and rose is None:
        return False
    s.say("今年以来，")
    if ctx.audience:
        body = "政协" if ctx.audience == "cppcc" else "人大"
        s.say(f"在{level}委、{level}政府的坚强领导和{level}{body}的监督指导下，")
    if teams:
        s.say(f"{level}科技局组建“")
        s.rec("teams", f"{'两' if teams == 2 else ordinal(teams)}个工作专班", teams, name="工作专班数")
        s.say("”，把握重点，履职尽责" if ctx.style == "seed" else "”分工推进各项工作")
    if rose is not None:
        now, before = rose
        s.say(f"，全{level}高新技术企业由上年同期的" if teams else f"全{level}高新技术企业由上年同期的")
        s.pieces.append({"figure": before["index"]})
        s.say("家增至")
        s.pieces.append({"figure": now["index"]})
        s.say("家，科技创新能力")
        s.word("compare", "稳步提升", [now, before])
    s.say("。")
    return True


def _previous_year(ctx: Context, code: str) -> dict:
    """The same figure a year earlier (same region and period a year back, as-of date shifted a year)."""
    from kechuang.core.indicators import Period, Scope
    from kechuang.reports import summary
    from kechuang.reports.drafting import scope_data

    sc = ctx.scope
    try:
        as_of = sc.as_of.replace(year=sc.as_of.year - 1)
    except ValueError:  # 29 February
        as_of = sc.as_of.replace(year=sc.as_of.year - 1, day=28)
    prev = Scope(sc.region, Period(sc.period.year - 1, sc.period.quarter, sc.period.month), as_of)
    f = summary.figure(summary.FigureSource(prev), code, "")
    f["source"] = "indicator"
    f["scope"] = scope_data(prev)
    return f


@generator("next_steps", section="next", label="下一步打算", order=900)
def next_steps(s: Sentence, ctx: Context) -> bool:
    region = ctx.scope.region.name
    s.say(f"下一步，{region[-1]}科技局将聚焦重点工作，瞄准目标任务，着力在培育科技型企业、加快科技成果转化、")
    s.say("争取实施科技项目、强化科技人才支撑、促进校城深度融合上下功夫，以科技创新赋能高质量发展。")
    return True


# --- 一 enterprises and R&D -----------------------------------------------------------------------------


@generator("ladder", section="enterprises", label="梯次培育体系", keywords=("梯次", "培育", "高企", "企业"))
def ladder(s: Sentence, ctx: Context) -> bool:
    found = ctx.source.value("ladder_tier_counts")
    if found is None:
        return False
    parts = {k: v for k, v in (found[1].parts or {}).items() if positive(v)}
    if len(parts) < 2:
        return False
    s.say("构建“")
    for n, tier in enumerate(parts):
        if n:
            s.say("、")
        s.say(tier)
        s.fig("ladder_tier_counts", part=tier, show=False)
    s.say("”梯次培育体系，其中")
    for n, tier in enumerate(parts):
        if n:
            s.say("、")
        s.say(tier)
        s.pieces.append({"figure": s.figures[n]["index"]})
        s.say("家")
    s.say("。")
    return True


def _hnte_calls(ctx: Context) -> list[tuple[str, str]]:
    """(part key, batch label) of the HNTE calls with applications in the period."""
    found = ctx.source.value("programme_applications")
    if found is None:
        return []
    out = []
    for key, n in (found[1].parts or {}).items():
        code, _, call = key.partition("/")
        if code.startswith("hnte") and positive(n):
            batch = call.split("年")[-1] if "年" in call else call
            out.append((key, batch))
    return out


@generator(
    "hnte_applications",
    section="enterprises",
    label="高企培训与认定申报",
    keywords=("高企", "高新技术", "培训", "认定"),
)
def hnte_applications(s: Sentence, ctx: Context) -> bool:
    trained = ctx.value("firms_trained")
    calls = _hnte_calls(ctx)
    if not positive(trained) and not calls:
        return False
    if positive(trained):
        # The firms of the HNTE trainings themselves (not every training's), with their titles.
        held = ctx.record("trainings", topic="高企")
        s.say("组织")
        if held and held["firms"]:
            s.rec(
                "trainings",
                formatting.approx(held["firms"]),
                held,
                name="参训企业数",
                params={"topic": "高企"},
            )
            s.say("家企业参加")
            s.rec("trainings", join(held["titles"]), held, name="培训名称", params={"topic": "高企"})
        else:
            s.fig("firms_trained", style="余")
            s.say("家企业参加科技政策培训")
        s.say("，" if calls else "。")
    for n, (key, batch) in enumerate(calls):
        s.say("组织")
        s.fig("programme_applications", part=key)
        s.say(f"家企业进行高企（{batch}）认定申报工作")
        publicised = ctx.value("programme_publicised", key)
        if positive(publicised):
            s.say("，现认定公示")
            s.fig("programme_publicised", part=key)
            s.say("家")
        s.say("；" if n < len(calls) - 1 else "。")
    return True


@generator(
    "municipal_pool", section="enterprises", label="市级高企培育库入库", keywords=("高企", "培育库", "入库")
)
def municipal_pool(s: Sentence, ctx: Context) -> bool:
    found = ctx.source.value("programme_applications")
    if found is None:
        return False
    keys = [k for k, n in (found[1].parts or {}).items() if k.startswith("hnte-pool") and positive(n)]
    if not keys:
        return False
    names = ctx.record("pool_firms", keys=keys)
    if not names:
        return False
    s.say("积极组织")
    s.rec("pool_firms", join(names), names, name="入库申报企业", params={"keys": keys})
    s.say("等企业进行市级高新技术企业入库工作。")
    return True


@generator(
    "hnte_totals",
    section="enterprises",
    label="高企与科技型中小企业总量、高新技术产业产值占比",
    keywords=("高企", "高新技术", "科技型中小企业", "产值", "企业"),
)
def hnte_totals(s: Sentence, ctx: Context) -> bool:
    hnte, sme = ctx.value("hnte_count"), ctx.value("tech_sme_count")
    share = ctx.value("hightech_output_share")
    if not (positive(hnte) or positive(sme) or share is not None):
        return False
    s.say(f"截至{ctx.today}，{ctx.place}" if ctx.style == "plain" else f"截至目前，{ctx.place}")
    said = False
    if positive(hnte):
        s.say("共有")
        s.fig("hnte_count")
        s.say("家高新技术企业")
        said = True
    if positive(sme):
        s.say("，" if said else "")
        s.fig("tech_sme_count")
        s.say("家企业纳入科技部科技型中小企业信息库管理")
        said = True
    if share is not None:
        s.say("，" if said else "")
        f = s.fig("hightech_output_share", show=False)
        s.say("高新技术产业产值占比")
        s.status_fig(f)
        delta = s.fig("hightech_output_share_change", show=False)
        change = wording.change(delta["value"])
        if change is not None and change.word == "持平":
            s.say("，与年初")
            s.word("change", change.word, [delta])
        elif change is not None:
            s.say("，比年初")
            s.word("change", change.word, [delta])
            s.say(formatting.points(change.gap))
    s.say("。")
    return True


@generator("rd", section="enterprises", label="研发投入与全市比较", keywords=("研发", "投入", "R&D", "强度"))
def rd(s: Sentence, ctx: Context) -> bool:
    firms, total, intensity = ctx.value("rd_firm_count"), ctx.value("rd_total"), ctx.value("rd_intensity")
    if not (positive(firms) or positive(total)):
        return False
    s.say(f"{ctx.scope.period.year}年统计" if ctx.style == "plain" else "今年统计")
    if positive(firms):
        s.say("有研发项目的企业")
        s.fig("rd_firm_count")
        s.say("家")
    if positive(total):
        s.say("，研发投入" if positive(firms) else "研发投入")
        s.status_fig(s.fig("rd_total", show=False))
    if intensity is not None:
        f = s.fig("rd_intensity", show=False)
        s.say("，研发占比")
        s.status_fig(f, verb="达到")
        city = s.fig("rd_intensity_city", show=False)
        cmp_ = wording.compare(f["value"], city["value"])
        if cmp_ is not None and cmp_.word == "持平":
            s.say("，与全市")
            s.pieces.append({"figure": city["index"]})
            s.say("的平均水平")
            s.word("compare", cmp_.word, [f, city])
        elif cmp_ is not None:
            s.say("，")
            s.word("compare", cmp_.word, [f, city])
            s.say("全市")
            s.pieces.append({"figure": city["index"]})
            s.say(f"的平均水平{formatting.points(cmp_.gap)}")
    s.say("。")
    return True


@generator("achievements", section="enterprises", label="科技成果", keywords=("成果", "奖励", "科技成果"))
def achievements(s: Sentence, ctx: Context) -> bool:
    firms = ctx.value("achievement_firms")
    if not positive(firms):
        return False
    levels = [("provincial", "省级"), ("municipal", "市级"), ("national", "国家级")]
    present = [(code, label) for code, label in levels if positive(ctx.value(f"achievement_{code}"))]
    if not present:
        return False
    names = s.ctx.record("names", code="achievement_firms", path="organisation.name", limit=2)
    if names:
        s.names("achievement_firms", "organisation.name")
        s.say("等")
    s.fig("achievement_firms")
    s.say("家企业的项目分获" if len(present) > 1 else "家企业的项目获")
    for n, (code, label) in enumerate(present):
        if n:
            s.say("，")
        s.say(f"{label}科技成果")
        s.fig(f"achievement_{code}")
        s.say("项")
    s.say("。")
    return True


# --- 二 platforms ---------------------------------------------------------------------------------------


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


# --- 三 talent ------------------------------------------------------------------------------------------


@generator(
    "talent_awards", section="talent", label="人才工程与赛事获奖", keywords=("人才", "英才", "大赛", "创业")
)
def talent_awards(s: Sentence, ctx: Context) -> bool:
    n = ctx.value("talent_award_count")
    if not positive(n):
        return False
    people = ctx.record("names", code="talent_award_count", path="person.name", limit=3, short=False)
    if people:
        s.names("talent_award_count", "person.name", limit=3)
        s.say("等")
    s.fig("talent_award_count")
    s.say("人次在人才工程和创新创业大赛中获奖或入选")
    recommended = ctx.value("talent_recommended_count")
    if positive(recommended):
        s.say("，")
        s.fig("talent_recommended_count")
        s.say("人被推荐参加上级赛事")
    s.say("。")
    return True


@generator(
    "foreign_experts",
    section="talent",
    label="外国专家需求与引智项目、平台",
    keywords=("引智", "外国专家", "外专", "国际"),
)
def foreign_experts(s: Sentence, ctx: Context) -> bool:
    demand, pooled = ctx.value("foreign_demand_count"), ctx.value("foreign_project_pooled")
    platforms = ctx.value("foreign_talent_platform_count")
    if not (positive(demand) or positive(pooled) or positive(platforms)):
        return False
    said = False
    if positive(demand):
        s.say("广泛征集外国专家需求")
        s.fig("foreign_demand_count")
        s.say("项")
        said = True
    if positive(pooled) or positive(platforms):
        s.say("，" if said else "")
        if positive(pooled):
            s.fig("foreign_project_pooled")
            s.say("项外国专家项目")
        if positive(platforms):
            s.say("与" if positive(pooled) else "")
            s.fig("foreign_talent_platform_count")
            s.say("家平台")
        s.say("入选市国际高端人才项目与引智平台培育库")
    s.say("。")
    return True


@generator("nominations", section="talent", label="外国专家奖项推荐", keywords=("友谊奖", "外国专家", "引智"))
def nominations(s: Sentence, ctx: Context) -> bool:
    if not positive(ctx.value("nomination_count")):
        return False
    people = ctx.record("nominees")
    if not people:
        return False
    s.say("推荐")
    s.rec("nominees", join(people), people, name="推荐人选")
    s.say("。")
    return True


@generator("foreign_provincial", section="talent", label="省引智项目申报", keywords=("引智", "外国专家"))
def foreign_provincial(s: Sentence, ctx: Context) -> bool:
    if not positive(ctx.value("foreign_project_provincial_applied")):
        return False
    s.say("组织")
    if s.ctx.record("names", code="foreign_project_provincial_applied", path="organisation.name", limit=2):
        s.names("foreign_project_provincial_applied", "organisation.name")
        s.say("等企业")
    else:
        s.say("企业")
    s.say("申报省引智项目")
    s.fig("foreign_project_provincial_applied")
    s.say("项。")
    return True


# --- 四 cooperation and projects ------------------------------------------------------------------------


@generator(
    "school_city",
    section="cooperation",
    label="校城融合发展项目",
    keywords=("校城", "高校", "合作", "产学研"),
)
def school_city(s: Sentence, ctx: Context) -> bool:
    n = ctx.value("school_city_projects")
    if not positive(n):
        return False
    s.say("立项校城融合发展项目")
    s.fig("school_city_projects")
    s.say("项")
    out = ctx.value("school_city_out_of_city")
    if positive(out):
        s.say("，推动与市内外高校院所的产学研合作，其中市外校城融合发展项目立项")
        s.fig("school_city_out_of_city")
        s.say("项")
    s.say("。")
    return True


def _span(start: str, end: str) -> str:
    a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    if a == b:
        return f"{a.month}月{a.day}日"
    if a.month == b.month:
        return f"{a.month}月{a.day}—{b.day}日"
    return f"{a.month}月{a.day}日—{b.month}月{b.day}日"


@generator(
    "events",
    section="cooperation",
    label="科技活动（日期、议程与活动期间的成果）",
    keywords=("活动", "校城", "对接", "合作", "产学研"),
)
def events(s: Sentence, ctx: Context) -> bool:
    """Each event with its own dates and agenda; money, agreements and experts only from that event's
    records (the support paid on its days, agreements signed at it, experts who consulted at it)."""
    items = ctx.record("events")
    if not items:
        return False
    for n, e in enumerate(items[:3]):
        s.say("" if n == 0 else "")
        s.rec("events", _span(e["starts_on"], e["ends_on"]), items, name="活动日期")
        quoted = e["name"] if e["name"].startswith("“") or "”系列" in e["name"] else f"“{e['name']}”"
        s.say("，举办")
        s.rec("events", quoted, items, name="活动名称")
        if e["activities"]:
            s.say("，包含")
            s.rec(
                "events",
                join(f"“{a}”" if "“" not in a else a for a in e["activities"]),
                items,
                name="活动议程",
            )
            s.say("等")
        facts = []
        if positive(e["paid"]):
            facts.append(("活动期间发放科技创新券与扶持资金", formatting.money_yuan(Decimal(e["paid"]))))
        if e["agreements"]:
            facts.append(("签订各类产学研合作协议", f"{e['agreements']}个"))
        for label, text in facts:
            s.say(f"，{label}")
            s.rec("events", text, items, name=label)
        if e["experts"]:
            s.say("，邀请")
            s.rec("events", f"{e['experts']}名", items, name="问诊专家数")
            s.say("专家开展一对一科技问诊")
        s.say("。")
    return True


@generator(
    "funds_paid",
    section="cooperation",
    label="科技创新券与扶持资金发放（全年）",
    keywords=("创新券", "资金", "扶持", "校城"),
)
def funds_paid(s: Sentence, ctx: Context) -> bool:
    if not positive(ctx.value("vouchers_and_funds_paid")):
        return False
    names = ctx.record("voucher_programmes")
    s.say(f"{ctx.scope.period.year}年以来，" if ctx.style == "plain" else "今年以来，")
    s.say("发放校城融合项目扶持资金与")
    if names:
        s.rec("voucher_programmes", "“" + "”“".join(names) + "”", names, name="创新券名称")
    else:
        s.say("科技创新券")
    s.fig("vouchers_and_funds_paid")
    s.say("。")
    return True


@generator(
    "taishan_studios", section="cooperation", label="泰山系列人才工作室", keywords=("人才", "工作室", "泰山")
)
def taishan_studios(s: Sentence, ctx: Context) -> bool:
    if not positive(ctx.value("taishan_studio_count")):
        return False
    earlier = ctx.record("earlier_platforms", kind="taishan_studio")
    # 首创 only when there was none before the period.
    f = s.rec(
        "earlier_platforms",
        "",
        earlier,
        name="此前已有的工作室",
        params={"kind": "taishan_studio"},
        show=False,
    )
    if earlier == 0:
        s.word("first", "首创", [f])
    s.say("建立")
    s.fig("taishan_studio_count")
    s.say("处“泰山系列人才工作室”。")
    return True


@generator(
    "agreements", section="cooperation", label="产学研合作协议（全年）", keywords=("产学研", "协议", "合作")
)
def agreements(s: Sentence, ctx: Context) -> bool:
    n = ctx.value("agreement_count")
    if not positive(n):
        return False
    at_events = sum(e["agreements"] for e in ctx.record("events"))
    if at_events and str(at_events) == str(n):
        return False  # every agreement of the year was signed at an event the events sentence names
    s.say("全年签订各类产学研合作协议" if ctx.style == "plain" else "今年以来签订各类产学研合作协议")
    s.fig("agreement_count")
    s.say("个。")
    return True


@generator(
    "experts_transfer",
    section="cooperation",
    label="专家对接与成果转化",
    keywords=("专家", "对接", "成果转化", "高校"),
)
def experts_transfer(s: Sentence, ctx: Context) -> bool:
    experts, transfers = ctx.value("experts_matched"), ctx.value("expected_transfer_count")
    if not (positive(experts) or positive(transfers)):
        return False
    said = False
    if positive(experts):
        s.say("邀请")
        if s.ctx.record("names", code="experts_matched", path="employer.name", limit=3, short=False):
            s.names("experts_matched", "employer.name", limit=3)
            s.say("等高校院所")
        s.fig("experts_matched")
        s.say(f"名专家与{ctx.place}企业开展了精准对接")
        said = True
    if positive(transfers):
        s.say("，预期将有" if said else "预期将有")
        s.fig("expected_transfer_count", style="余")
        s.say("项科技成果落地转化")
    s.say("。")
    return True


@generator("reserve", section="cooperation", label="科技创新项目储备库", keywords=("项目", "储备", "策划"))
def reserve(s: Sentence, ctx: Context) -> bool:
    if not positive(ctx.value("reserve_count")):
        return False
    s.say("建立科技创新项目储备库，现入库重点项目")
    s.fig("reserve_count")
    s.say("个。")
    return True


@generator(
    "supervision",
    section="cooperation",
    label="科技计划项目督查",
    keywords=("项目", "督查", "科技计划", "管理"),
)
def supervision(s: Sentence, ctx: Context) -> bool:
    """全覆盖/无例外 only when every project in scope was inspected; otherwise n/m and the rest's deadline."""
    sup = ctx.record("supervision")
    if not sup or not sup.get("in_scope"):
        return False
    cov = wording.coverage(sup["inspected"], sup["in_scope"])
    f = s.rec("supervision", "", sup, name="督查覆盖", show=False)
    keys = ["inspected", "in_scope"]
    s.say("抓实省、市、区级科技计划项目的落地实施，")
    s.rec("supervision", f"开展{sup['name']}", sup, name="督查名称")
    s.say("，")
    if cov.complete:
        s.rec("supervision", f"{cov.total}个在实施项目", sup, name="应督查项目")
        s.word("coverage", "全部督查、无例外", [f, f], keys=keys)
    else:
        s.rec("supervision", f"覆盖{cov.covered}/{cov.total}个项目", sup, name="已督查/应督查")
        s.word("coverage", "", [f, f], keys=keys)
        if sup.get("ends_on"):
            end = dt.date.fromisoformat(sup["ends_on"])
            s.say("，其余")
            s.rec("supervision", f"{cov.missing}个于{formatting.cn_date(end)}前完成", sup, name="未督查项目")
        else:
            s.say(f"，其余{cov.missing}个尚待督查")
    s.say("，确保项目按阶段性目标顺利推进、规范实施。")
    return True


# --- 五 agritech ----------------------------------------------------------------------------------------


@generator(
    "key_villages",
    section="agritech",
    label="重点村科技指导覆盖",
    keywords=("农业", "扶贫", "特派员", "乡村", "重点村", "农科"),
)
def key_villages(s: Sentence, ctx: Context) -> bool:
    total = ctx.value("key_village_count")
    if not positive(total):
        return False
    covered_f = s.fig("key_village_covered", show=False)
    total_f = s.fig("key_village_count", show=False)
    cov = wording.coverage(covered_f["value"], total_f["value"])
    if cov.complete:
        s.say("实现")
        s.pieces.append({"figure": total_f["index"]})
        s.say("个省扶贫工作重点村科技指导人员")
        s.word("coverage", "全覆盖", [covered_f, total_f])
    elif str(covered_f["value"]) == "0":
        s.pieces.append({"figure": total_f["index"]})
        s.say("个省扶贫工作重点村的科技指导人员")
        s.word("coverage", "", [covered_f, total_f])
        s.say("正在对接落实")
    else:
        s.say("科技指导人员已覆盖")
        s.pieces.append({"figure": covered_f["index"]})
        s.say("/")
        s.pieces.append({"figure": total_f["index"]})
        s.say("个省扶贫工作重点村")
        s.word("coverage", "", [covered_f, total_f])
        s.say(f"，其余{cov.missing}个正在对接")
    s.say("。")
    return True


@generator(
    "commissioners", section="agritech", label="科技特派员服务", keywords=("特派员", "农业", "扶贫", "服务")
)
def commissioners(s: Sentence, ctx: Context) -> bool:
    n = ctx.value("commissioner_count")
    if not positive(n):
        return False
    s.say("实行科技特派员结对帮扶亮牌服务，")
    s.fig("commissioner_count")
    s.say("名科技特派员")
    logs = ctx.value("service_log_count")
    if positive(logs):
        s.say("开展服务")
        s.fig("service_log_count")
        s.say("次")
    people = ctx.value("people_trained")
    if positive(people):
        s.say("，培训农民")
        s.fig("people_trained")
        s.say("人次")
    s.say("。")
    return True
