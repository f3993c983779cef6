"""Drafting generators: 四、校城融合、科技合作与项目管理 (see `reports/generators/__init__.py`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.reports import formatting, wording
from kechuang.reports.drafting import Context, Sentence, generator, join, positive


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
