from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "kechuang.policies"
    label = "policies"
    demo = "kechuang.policies.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("政策找企业")

    url_prefix = "policies"

    @property
    def profile_sections(self):
        from kechuang.policies.profile import matches_section

        return (matches_section,)

    @property
    def home_cards(self):
        from kechuang.policies import home, permissions

        return (
            ("policies/_home_firm.html", home.firm_card, permissions.is_firm, 15),
            ("policies/_home_staff.html", home.staff_card, permissions.is_bureau, 40),
        )

    @property
    def scheduled(self):
        import datetime as dt

        from kechuang.core.scheduling import Job

        return (Job("policy-match", "policies", ("match",), daily_at=dt.time(1, 30)),)

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_user, is_firm_user

        bureau = is_bureau_user
        return (
            NavItem(
                _("政策找企业"),
                "policies:policy_list",
                bureau,
                order=66,
                description=_("政策条款、匹配、模拟与免申即享兑现"),
            ),
            NavItem(
                _("政策找企业"),
                "policies:mine",
                is_firm_user,
                order=66,
                description=_("本企业符合、接近符合的政策及原因"),
            ),
        )

    @property
    def public_nav(self):
        from kechuang.portal.public import PublicSection

        return [
            PublicSection(
                _("政策库与兑现公示"),
                "policies:library",
                _("施行中的政策条款、适用条件与免申即享兑现公示"),
                order=15,
            ),
            PublicSection(
                _("政策计算器"), "policies:calculator", _("填写几项数据，看看能享受哪些政策"), order=16
            ),
        ]

    def ready(self):
        from kechuang.notifications import kinds

        kinds.register("policies.match", "政策匹配提醒")
        kinds.register("policies.award", "免申即享兑现进度")

        from django.db.models.signals import post_save

        from kechuang.enterprises.models import EnterpriseProfile, Qualification
        from kechuang.statistics.models import EnterpriseFact

        for model in (EnterpriseFact, Qualification, EnterpriseProfile):
            post_save.connect(
                _records_changed, sender=model, dispatch_uid=f"policies.rematch.{model.__name__}"
            )


def _records_changed(sender, instance, **kwargs):
    """A firm's facts, qualifications or profile changed: re-screen it once the change is committed (the
    nightly run catches bulk imports, which send no signal)."""
    from kechuang.policies.tasks import rematch_after_commit

    rematch_after_commit(instance.organisation_id)
