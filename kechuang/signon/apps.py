from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignonConfig(AppConfig):
    """Unified sign-on (统一身份认证): OpenID Connect and CAS beside local accounts (docs/adr/0022)."""

    name = "kechuang.signon"
    label = "signon"
    demo = "kechuang.signon.demo"  # its part of the demo districts (core.demo)
    verbose_name = _("统一身份认证")

    url_prefix = "signon"
