"""The registry of notification kinds. Modules register theirs at import time; users see the labels."""

KINDS: dict[str, str] = {
    "system": "系统通知",
    "job": "后台任务完成",
}


def register(kind: str, label: str) -> None:
    KINDS.setdefault(kind, label)
