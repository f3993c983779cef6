from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    indicators = "kechuang.programmes.indicators"  # its figures (core.indicators)
    demo = "kechuang.programmes.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("项目申报")
    url_prefix = "programmes"

    @property
    def scheduled(self):
        import datetime as dt

        from kechuang.core.scheduling import Job

        return (Job("review-answer-deadlines", "programmes", ("expire",), daily_at=dt.time(7, 30)),)

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_staff, is_bureau_user, is_expert_account, is_firm_user

        bureau = is_bureau_user
        return (
            NavItem(
                _("我的申报"),
                "programmes:my_applications",
                is_firm_user,
                order=20,
                description=_("在线申报、补正材料、查看评审与立项结果"),
                shortcut=is_firm_user,
            ),
            NavItem(
                _("申报批次"),
                "programmes:call_list",
                bureau,
                order=20,
                description=_("申报、形式审查、评审、公示与决定"),
                shortcut=is_bureau_staff,
            ),
            NavItem(
                _("评审任务"),
                "programmes:review_list",
                is_expert_account,
                order=20,
                description=_("确认是否参加评审，在线评分"),
                shortcut=is_expert_account,
            ),
            NavItem(
                _("我的专家信息"),
                "programmes:my_expert_profile",
                is_expert_account,
                order=21,
                description=_("专业领域、回避单位与联系方式"),
                shortcut=is_expert_account,
            ),
            NavItem(
                _("专家库"),
                "programmes:expert_list",
                bureau,
                order=22,
                description=_("评审专家的维护、邀请与停用"),
            ),
            NavItem(_("培训与宣讲"), "programmes:training_list", bureau, order=25),
        )

    @property
    def home_cards(self):
        from kechuang.programmes import home, permissions

        return [
            ("programmes/_home_firm.html", home.firm_card, permissions.sees_own_applications_on_home, 20),
            ("programmes/_home_expert.html", home.expert_card, permissions.sees_reviews_on_home, 20),
        ]

    @property
    def todos(self):
        from kechuang.programmes.todos import KINDS

        return KINDS

    @property
    def public_nav(self):
        from kechuang.portal.public import PublicSection

        return (
            PublicSection(
                _("公示公告"),
                "programmes:public_publicity_list",
                _("拟认定、立项名单公示与实名异议"),
                order=10,
            ),
            PublicSection(
                _("申报通知"),
                "programmes:public_call_list",
                _("科技项目申报批次、申报指南与附件"),
                order=11,
            ),
        )

    def ready(self):
        from kechuang.programmes import handlers  # noqa: F401
