"""Password rules. Django's validators, with Chinese wherever Django's catalog has none."""

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django 5.2 reworded the "too short" message and its zh_Hans catalog has no translation
    for it yet, so users would read English; the rule itself stays Django's."""

    def get_error_message(self):
        return f"密码太短，至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"密码至少需要{self.min_length}个字符。"
