"""Drafting generators: 五、农业科技 (see `reports/generators/__init__.py`)."""

from __future__ import annotations

from kechuang.reports import wording
from kechuang.reports.drafting import Context, Sentence, generator, positive


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
