import importlib.util

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "kechuang.enterprises"
    label = "enterprises"
    indicators = "kechuang.enterprises.indicators"  # its figures (core.indicators)
    demo = "kechuang.enterprises.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("企业培育")

    url_prefix = "enterprises"

    @property
    def todos(self):
        from kechuang.enterprises.todos import KINDS

        return KINDS

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_leader, is_bureau_staff, is_bureau_user, is_firm_user

        bureau = is_bureau_user
        return (
            NavItem(
                _("企业库"),
                "enterprises:firm_list",
                bureau,
                order=10,
                description=_("企业主档、资质与画像"),
                shortcut=is_bureau_staff,
            ),
            NavItem(
                _("梯次培育"),
                "enterprises:ladder",
                bureau,
                order=11,
                description=_("各梯次企业数与升降变化"),
                shortcut=is_bureau_leader,
            ),
            NavItem(
                _("培育储备"),
                "enterprises:pipeline",
                bureau,
                order=12,
                description=_("高企、科技型中小企业后备与到期提醒"),
            ),
            NavItem(
                _("我的企业"),
                "enterprises:mine",
                is_firm_user,
                order=10,
                description=_("维护本企业数据，高企与科技型中小企业自评"),
            ),
        )

    def ready(self):
        # The import engine lives in core; until it is installed the specs simply are not registered.
        if importlib.util.find_spec("kechuang.core.imports") is not None:
            from kechuang.enterprises import imports  # noqa: F401
