import re

from django.core.exceptions import ValidationError

_CLASSES = [
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^a-zA-Z0-9]"), "特殊字符"),
]


class CharacterClassValidator:
    """等保 password composition: at least 3 of the 4 character classes."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for pattern, _ in _CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、特殊字符中的{self.min_classes}类。",
                code="password_character_classes",
            )

    def get_help_text(self):
        return f"密码须至少包含大写字母、小写字母、数字、特殊字符中的{self.min_classes}类。"


class PasswordHistoryValidator:
    """等保: a new password may not repeat the current one or any of the previous `count` - 1."""

    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        from django.contrib.auth.hashers import check_password

        if user is None or user.pk is None:
            return
        hashes = [user.password] if user.password else []
        hashes += list(user.password_history.values_list("password", flat=True)[: self.count - 1])
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(
                f"新密码不得与最近 {self.count} 次使用过的密码相同。", code="password_reused"
            )

    def get_help_text(self):
        return f"不得重复使用最近 {self.count} 次的密码。"
