"""Pure rules of the notification channels: keys, retry back-off, rate windows, SMS templates, signatures."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import urllib.parse

# Minutes to wait before attempt n+1 after attempt n failed (the last value repeats).
BACKOFF_MINUTES = (1, 5, 15, 60, 240)


def object_key(obj) -> str:
    """`app_label.model:pk` for a model instance; a string is taken as given (at most 120 characters)."""
    if obj is None or obj == "":
        return ""
    if isinstance(obj, str):
        return obj[:120]
    return f"{obj._meta.label_lower}:{obj.pk}"[:120]


def next_try(now: dt.datetime, attempts: int) -> dt.datetime:
    """When to try again after `attempts` failed attempts."""
    index = min(max(attempts, 1), len(BACKOFF_MINUTES)) - 1
    return now + dt.timedelta(minutes=BACKOFF_MINUTES[index])


def gives_up(attempts: int, max_attempts: int) -> bool:
    return attempts >= max_attempts


def parse_templates(raw: str) -> dict[str, str]:
    """`default=SMS_1,project_warning=SMS_2` → {"default": "SMS_1", "project_warning": "SMS_2"}."""
    templates: dict[str, str] = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        kind, sep, template_id = item.partition("=")
        if not sep or not kind.strip() or not template_id.strip():
            raise ValueError(f"短信模板配置“{item.strip()}”应为 类别=模板编号。")
        templates[kind.strip()] = template_id.strip()
    return templates


def sms_template(templates: dict[str, str], kind: str) -> str | None:
    """The provider template for a kind of notice: the kind's own, else the default, else none (not sent)."""
    return templates.get(kind) or templates.get("default")


def sms_params(title: str, *, limit: int = 30) -> dict[str, str]:
    """Template variables: providers cap each variable's length (often 35 characters); the title is cut."""
    title = " ".join(title.split())
    return {"title": title if len(title) <= limit else title[: limit - 1] + "…"}


def body_signature(key: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `timestamp\\n` + body, hex: how the SMS gateway checks a request came from us."""
    return hmac.new(key.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def receipt_valid(
    key: str, timestamp: str, signature: str, body: bytes, *, now: float, skew: int = 300
) -> bool:
    """A gateway's callback is ours to trust when signed with the shared key within `skew` seconds of now."""
    try:
        fresh = abs(now - int(timestamp)) <= skew
    except ValueError:
        return False
    return fresh and bool(signature) and hmac.compare_digest(body_signature(key, timestamp, body), signature)


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """钉钉 custom robot 加签: base64(HMAC-SHA256(secret, f"{timestamp}\\n{secret}")), URL-encoded, appended with
    the millisecond timestamp to the webhook address."""
    if not secret:
        return url
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def chat_text(title: str, body: str, url: str, *, limit: int = 2000) -> str:
    """The text of a work-chat message: title, body, link; 企业微信 caps text at 2048 bytes."""
    text = "\n".join(part for part in (f"【科创】{title}", body.strip(), url) if part)
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[: limit - 3].decode(errors="ignore") + "…"
