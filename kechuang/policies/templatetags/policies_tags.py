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
