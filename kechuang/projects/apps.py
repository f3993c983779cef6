from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "kechuang.projects"
    label = "projects"
    indicators = "kechuang.projects.indicators"  # its figures (core.indicators)
    demo = "kechuang.projects.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("科技计划项目")
    url_prefix = "projects"

    @property
    def todos(self):
        from kechuang.projects.todos import KINDS

        return KINDS

    @property
    def scheduled(self):
        import datetime as dt

        from kechuang.core.scheduling import Job

        return (Job("project-warnings", "projects", ("warn",), daily_at=dt.time(8, 0)),)

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_or_firm_user, is_bureau_user, is_firm_user

        bureau = is_bureau_user
        return (
            NavItem(
                _("计划项目"),
                "projects:project_list",
                bureau,
                order=30,
                description=_("省、市、区级科技计划项目全过程管理"),
                shortcut=bureau,
            ),
            NavItem(
                _("项目督查"),
                "projects:campaign_list",
                bureau,
                order=31,
                description=_("半年督查：覆盖全部在实施项目"),
            ),
            NavItem(
                _("项目储备库"),
                "projects:reserve_list",
                bureau,
                order=32,
                description=_("重点项目策划与储备"),
            ),
            NavItem(
                _("我的项目"),
                "projects:project_list",
                is_firm_user,
                order=21,
                description=_("任务书、阶段目标报告、变更与验收申请"),
                shortcut=is_firm_user,
            ),
            NavItem(
                _("督查整改"),
                "projects:finding_list",
                is_bureau_or_firm_user,
                order=33,
                description=_("督查发现问题的整改与跟踪（含逾期）"),
            ),
        )

    @property
    def home_cards(self):
        from kechuang.projects import home, permissions

        return [("projects/_home_firm.html", home.firm_card, permissions.sees_own_projects_on_home, 30)]

    @property
    def public_nav(self):
        from kechuang.portal.public import PublicSection

        return (
            PublicSection(
                _("区级科技计划项目"), "projects:public_list", _("区级立项项目名单与实施状态"), order=30
            ),
        )

    def ready(self):
        from kechuang.programmes.outcomes import register_outcome
        from kechuang.projects.handlers import project_from_application

        register_outcome("project", project_from_application)
