from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kechuang.core"
    label = "core"
    demo = "kechuang.core.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("基础数据")

    url_prefix = None

    def ready(self) -> None:
        from kechuang.core import memlimit

        memlimit.apply_if_worker()  # the task worker (it parses uploads) runs under a memory cap
        from django.db.backends.signals import connection_created

        from kechuang.core import collation

        connection_created.connect(collation.register, dispatch_uid="kechuang.core.collation")
        from kechuang.core.imports import dictionaries  # noqa: F401  registers the dictionary import

    @property
    def scheduled(self):
        from kechuang.core.scheduling import CORE_JOBS

        return CORE_JOBS

    @property
    def nav(self):

        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import (
            is_bureau_staff,
            is_bureau_user,
            keeps_reference_data,
            may_read_audit_trail,
            may_see_background_jobs,
        )

        return (
            NavItem(_("工作台"), "core:home", order=0),
            NavItem(
                _("单位与人员"),
                "core:organisation_list",
                is_bureau_user,
                order=90,
                description=_("统一社会信用代码为键的单位库与人员库"),
            ),
            NavItem(
                _("数据导入"),
                "core:import_index",
                is_bureau_staff,
                order=92,
                description=_("Excel 批量导入：先预览逐行校验，无误后一次性提交"),
                shortcut=is_bureau_staff,
            ),
            NavItem(
                _("工作日历"),
                "core:calendar",
                keeps_reference_data,
                order=95,
                description=_("法定节假日与调休，用于公示期与办理时限"),
            ),
            NavItem(
                _("数据字典"),
                "core:dictionaries",
                keeps_reference_data,
                order=95,
                description=_("行业、技术领域、重点产业等代码表，表单与导入模板的可选值"),
            ),
            NavItem(
                _("后台任务"),
                "core:background_jobs",
                may_see_background_jobs,
                order=96,
                description=_("后台任务进程与定时任务进程的心跳，排队过久未开始的任务"),
            ),
            NavItem(
                _("审计日志"),
                "core:audit_list",
                may_read_audit_trail,
                order=99,
                description=_("所有写操作的防篡改记录"),
            ),
        )
