"""Chinese names for third-party apps whose own AppConfig has an English, untranslated name
(their field and model names come from projects_site/locale)."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录安全"

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin

        # A method column takes its heading from its name unless it is given one.
        AccessAttemptAdmin.status.short_description = "状态"
