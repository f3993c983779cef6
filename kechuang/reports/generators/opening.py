"""Drafting generators: 开头与结尾（总体情况、下一步打算） (see `reports/generators/__init__.py`)."""

from __future__ import annotations

from kechuang.reports import wording
from kechuang.reports.drafting import Context, Sentence, generator, ordinal, positive


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
