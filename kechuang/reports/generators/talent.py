"""Drafting generators: 三、人才与引智 (see `reports/generators/__init__.py`)."""

from __future__ import annotations

from kechuang.reports.drafting import Context, Sentence, generator, join, positive


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
