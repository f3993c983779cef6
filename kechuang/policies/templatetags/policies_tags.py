from django import template

from kechuang.policies import rules

register = template.Library()


@register.simple_tag
def condition_text(condition, on) -> str:
    """A stored condition in plain language ("上一年度（2019年）研发费用不低于100万元")."""
    return rules.describe(condition.kind, condition.params, on)


@register.simple_tag
def benefit_text(benefit, on) -> str:
    return rules.describe_benefit(benefit, on) if benefit else "未设置"


@register.simple_tag
def condition_tree(conditions, on) -> list[tuple[int, list[tuple[object, str]]]]:
    """An item's stored conditions as its tree, each with its wording: [(0, [(c, text)]), (group, [...]), …]
    (group 0: must hold on its own; n > 0: an any-of group, 满足其一)."""
    conditions = list(conditions)
    texts = [(c, rules.describe(c.kind, c.params, on)) for c in conditions]
    return rules.layout(texts, [c.group for c in conditions])
