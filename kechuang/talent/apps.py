from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "kechuang.talent"
    label = "talent"
    verbose_name = "人才与引智"
    url_prefix = "talent"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.roles import Role

        return (
            NavItem(
                "人才与引智",
                "talent:expert_list",
                frozenset({Role.STAFF, Role.LEADER}),
                order=44,
                description="专家库、人才奖项、外国专家、引智需求与项目、奖项推荐",
            ),
            NavItem("引智需求", "talent:demand_list", frozenset({Role.ENTERPRISE}), order=44),
        )

    def ready(self):
        from kechuang.talent import handlers, indicators  # noqa: F401
