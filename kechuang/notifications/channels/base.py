"""What every outside channel is: an address for a user, a send that returns the provider's message id or
raises `DeliveryError`, and an optional rate window (`busy_until`)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger("kechuang.notifications")

CONSOLE = "console"


class DeliveryError(Exception):
    """The channel refused or could not take the message; `retry=False` when trying again cannot help."""

    def __init__(self, message: str, *, retry: bool = True):
        super().__init__(message)
        self.retry = retry


class Channel:
    name = ""
    label = ""

    def address(self, user) -> str:
        """Where this user is reached on this channel; "" when they cannot be."""
        raise NotImplementedError

    def send(self, note, address: str) -> str:
        """Send one notice; return the provider's message id ("" when it gives none)."""
        raise NotImplementedError

    def busy_until(self, *, now: dt.datetime, address: str) -> dt.datetime | None:
        """When over a rate limit, the time the next message may go; None = send now."""
        return None


def to_console(channel: str, payload: dict) -> str:
    """The demo's transport: print what would have been posted (like Django's console e-mail backend)."""
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    sys.stdout.write(f"--- 通知渠道 {channel}（控制台，未实际发送）---\n{text}\n")
    sys.stdout.flush()
    log.info("console %s delivery: %s", channel, text)
    return f"console-{channel}"


def post_json(url: str, payload: dict, *, sign=None, timeout: float = 10) -> dict:
    """POST `payload` as UTF-8 JSON (with the headers `sign(body)` returns); return the JSON answer. Network
    errors, HTTP errors and answers that are not JSON become `DeliveryError` (5xx, 429 and network errors
    retry, other 4xx do not)."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = sign(body) if sign else {}
    request = urllib.request.Request(  # noqa: S310 - the URL is the deployment's configured gateway
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise DeliveryError(
            f"HTTP {exc.code} {exc.reason}", retry=exc.code >= 500 or exc.code == 429
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"无法连接 {urllib.parse.urlparse(url).netloc}：{exc}") from None
    try:
        answer = json.loads(raw.decode() or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DeliveryError(f"应答不是 JSON：{raw[:200]!r}") from None
    if not isinstance(answer, dict):
        raise DeliveryError(f"应答格式无效：{raw[:200]!r}")
    return answer
