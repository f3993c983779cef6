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
