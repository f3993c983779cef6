from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "kechuang.proposals"
    label = "proposals"
    indicators = "kechuang.proposals.indicators"  # its figures (core.indicators)
    demo = "kechuang.proposals.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("建议提案")
    url_prefix = "proposals"

    @property
    def scheduled(self):
        import datetime as dt

        from kechuang.core.scheduling import Job

        return (Job("proposal-reminders", "proposals", ("remind",), daily_at=dt.time(8, 45)),)

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user

        return (
            NavItem(
                _("建议提案"),
                "proposals:list",
                is_bureau_user,
                order=85,
                description=_("人大建议、政协提案的交办、答复与满意度"),
            ),
        )

    def ready(self):
        from kechuang.notifications import kinds

        kinds.register("proposal_due", "建议提案到期提醒")
        from kechuang.proposals.services import reply_composer
        from kechuang.reports.documents import register_composer

        register_composer(reply_composer)
