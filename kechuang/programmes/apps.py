from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    verbose_name = "项目申报"
    url_prefix = "programmes"

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.roles import Role

        bureau = frozenset({Role.STAFF, Role.LEADER})
        expert = frozenset({Role.EXPERT})
        return (
            NavItem(
                "我的申报",
                "programmes:my_applications",
                frozenset({Role.ENTERPRISE}),
                order=20,
                description="在线申报、补正材料、查看评审与立项结果",
                shortcut=frozenset({Role.ENTERPRISE}),
            ),
            NavItem(
                "申报批次",
                "programmes:call_list",
                bureau,
                order=20,
                description="申报、形式审查、评审、公示与决定",
                shortcut=frozenset({Role.STAFF}),
            ),
            NavItem(
                "评审任务",
                "programmes:review_list",
                expert,
                order=20,
                description="确认是否参加评审，在线评分",
                shortcut=expert,
            ),
            NavItem(
                "我的专家信息",
                "programmes:my_expert_profile",
                expert,
                order=21,
                description="专业领域、回避单位与联系方式",
                shortcut=expert,
            ),
            NavItem(
                "专家库", "programmes:expert_list", bureau, order=22, description="评审专家的维护、邀请与停用"
            ),
            NavItem("培训与宣讲", "programmes:training_list", bureau, order=25),
        )

    @property
    def todos(self):
        from kechuang.programmes.todos import KINDS

        return KINDS

    @property
    def public_nav(self):
        from kechuang.portal.public import PublicSection

        return (
            PublicSection(
                "公示公告", "programmes:public_publicity_list", "拟认定、立项名单公示与实名异议", order=10
            ),
            PublicSection(
                "申报通知", "programmes:public_call_list", "科技项目申报批次、申报指南与附件", order=11
            ),
        )

    def ready(self):
        from kechuang.programmes import handlers, indicators  # noqa: F401

    @property
    def home_cards(self):
        from kechuang.programmes import home, permissions

        return [
            ("programmes/_home_firm.html", home.firm_card, permissions.sees_own_applications_on_home, 20),
            ("programmes/_home_expert.html", home.expert_card, permissions.sees_reviews_on_home, 20),
        ]
