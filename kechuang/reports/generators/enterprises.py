"""Drafting generators: 一、企业培育与研发投入 (see `reports/generators/__init__.py`)."""

from __future__ import annotations

from kechuang.reports import formatting, wording
from kechuang.reports.drafting import Context, Sentence, generator, join, positive


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
