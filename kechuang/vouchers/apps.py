from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VouchersConfig(AppConfig):
    name = "kechuang.vouchers"
    label = "vouchers"
    indicators = "kechuang.vouchers.indicators"  # its figures (core.indicators)
    demo = "kechuang.vouchers.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("科技创新券与扶持资金")

    url_prefix = "vouchers"

    @property
    def todos(self):
        from kechuang.vouchers.todos import KINDS

        return KINDS

    @property
    def scheduled(self):
        import datetime as dt

        from kechuang.core.scheduling import Job

        return (Job("voucher-expiry", "vouchers", ("expire",), daily_at=dt.time(1, 0)),)

    @property
    def nav(self):
        from kechuang.core.navigation import NavItem
        from kechuang.core.permissions import is_bureau_staff, is_bureau_user, is_firm_user

        bureau = is_bureau_user
        return (
            NavItem(
                _("创新券"),
                "vouchers:programme_list",
                bureau,
                order=60,
                description=_("资金池、发放与兑付进度"),
            ),
            NavItem(
                _("创新券台账"), "vouchers:voucher_list", bureau, order=61, description=_("按状态查看创新券")
            ),
            NavItem(
                _("兑付审核"),
                "vouchers:redemption_queue",
                is_bureau_staff,
                order=62,
                description=_("待审核、待拨付的兑付申请"),
                shortcut=is_bureau_staff,
            ),
            NavItem(
                _("服务机构"),
                "vouchers:provider_list",
                bureau,
                order=63,
                description=_("服务机构入库与兑付统计"),
            ),
            NavItem(
                _("扶持资金与奖金"),
                "vouchers:fund_list",
                bureau,
                order=64,
                description=_("校城融合扶持资金、科技先锋奖金"),
            ),
            NavItem(
                _("我的创新券"),
                "vouchers:mine",
                is_firm_user,
                order=60,
                description=_("申领创新券、申请兑付"),
                shortcut=is_firm_user,
            ),
            NavItem(
                _("我提供的服务"),
                "vouchers:provided",
                is_firm_user,
                order=61,
                description=_("作为服务机构：确认创新券服务合同与兑付，查看拨付"),
            ),
        )

    @property
    def home_cards(self):
        from kechuang.vouchers import home, permissions

        return [
            ("vouchers/_home_firm.html", home.firm_card, permissions.sees_own_vouchers_on_home, 40),
            ("vouchers/_home_provider.html", home.provider_card, permissions.is_provider_user, 45),
        ]
