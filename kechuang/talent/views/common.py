"""What the talent pages share: the tabs (a firm sees only its 引智需求)."""

from kechuang.core.permissions import is_firm_user

TABS = [
    ("专家库", "talent:expert_list"),
    ("人才奖项", "talent:award_list"),
    ("外国专家", "talent:foreign_list"),
    ("引智需求", "talent:demand_list"),
    ("引智项目", "talent:project_list"),
    ("奖项推荐", "talent:nomination_list"),
]
FIRM_TABS = [("引智需求", "talent:demand_list")]


def _tabs(user):
    return FIRM_TABS if is_firm_user(user) else TABS
