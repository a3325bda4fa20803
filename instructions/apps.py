from django.apps import AppConfig


class InstructionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "instructions"
    verbose_name = "领导批示"

    def ready(self):
        from core.kinds import NOTICE_KINDS
        from instructions.choices import InstructionsNotice

        NOTICE_KINDS.register(InstructionsNotice.choices)
