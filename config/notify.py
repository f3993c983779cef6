"""Outside notice channels (kechuang.notifications.channels; deploy/README.md has examples, docs/adr/0021).
In-app messages are always on. A channel's URL "console" prints what would be sent (the demo's default).
Imported by config/settings.py; read from the environment like every other setting."""

from django.core.exceptions import ImproperlyConfigured

from config.env import env as _env
from config.env import env_int as _env_int
from config.env import env_list as _env_list


def notify_settings(*, debug: bool, testing: bool) -> dict:
    """The NOTIFY_* settings; refuses a channel switched on without what it needs."""
    DEBUG, TESTING = debug, testing  # noqa: N806 - the names the settings below read
    _NOTIFY_ALL = ("email", "sms", "wecom", "dingtalk")
    NOTIFY_CHANNELS = _env_list("NOTIFY_CHANNELS", list(_NOTIFY_ALL) if DEBUG and not TESTING else ["email"])
    for _channel in NOTIFY_CHANNELS:
        if _channel not in _NOTIFY_ALL:
            raise ImproperlyConfigured(
                f"环境变量 NOTIFY_CHANNELS 含未知渠道 {_channel!r}：可选 {', '.join(_NOTIFY_ALL)}。"
            )
    # Channels a user receives a kind of notice on until they choose otherwise.
    NOTIFY_DEFAULT_CHANNELS = _env_list("NOTIFY_DEFAULT_CHANNELS", ["in_app", "email"])
    NOTIFY_SITE_URL = _env("NOTIFY_SITE_URL")  # e.g. https://kc.example.gov.cn: links in e-mail, SMS and chat
    NOTIFY_MAX_ATTEMPTS = _env_int("NOTIFY_MAX_ATTEMPTS", 5, minimum=1)
    _console_default = "console" if DEBUG or TESTING else ""
    NOTIFY_SMS_URL = _env("NOTIFY_SMS_URL", _console_default)
    NOTIFY_SMS_KEY = _env("NOTIFY_SMS_KEY")
    NOTIFY_SMS_SIGN_NAME = _env("NOTIFY_SMS_SIGN_NAME", "科创平台")
    try:
        from kechuang.notifications.rules import parse_templates as _parse_templates

        NOTIFY_SMS_TEMPLATES = _parse_templates(_env("NOTIFY_SMS_TEMPLATES", "default=KC_NOTICE"))
    except ValueError as _exc:
        raise ImproperlyConfigured(f"环境变量 NOTIFY_SMS_TEMPLATES 无效：{_exc}") from None
    NOTIFY_SMS_PER_PHONE_PER_HOUR = _env_int("NOTIFY_SMS_PER_PHONE_PER_HOUR", 5, minimum=1)
    NOTIFY_SMS_PER_MINUTE = _env_int("NOTIFY_SMS_PER_MINUTE", 100, minimum=1)
    NOTIFY_WECOM_URL = _env("NOTIFY_WECOM_URL", _console_default)
    NOTIFY_WECOM_PER_MINUTE = _env_int("NOTIFY_WECOM_PER_MINUTE", 20, minimum=1)
    NOTIFY_DINGTALK_URL = _env("NOTIFY_DINGTALK_URL", _console_default)
    NOTIFY_DINGTALK_SECRET = _env("NOTIFY_DINGTALK_SECRET")
    NOTIFY_DINGTALK_PER_MINUTE = _env_int("NOTIFY_DINGTALK_PER_MINUTE", 20, minimum=1)
    for _channel, _url in (
        ("sms", NOTIFY_SMS_URL),
        ("wecom", NOTIFY_WECOM_URL),
        ("dingtalk", NOTIFY_DINGTALK_URL),
    ):
        if _channel in NOTIFY_CHANNELS and not _url:
            raise ImproperlyConfigured(
                f"已在 NOTIFY_CHANNELS 中启用 {_channel}，但未设置 NOTIFY_{_channel.upper()}_URL（网关或机器人地址）。"
            )
    if "sms" in NOTIFY_CHANNELS and NOTIFY_SMS_URL != "console" and not NOTIFY_SMS_KEY:
        raise ImproperlyConfigured("已启用短信渠道，但未设置 NOTIFY_SMS_KEY（与短信网关约定的签名密钥）。")
    return {name: value for name, value in locals().items() if name.startswith("NOTIFY_")}
