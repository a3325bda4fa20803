from django.apps import AppConfig


class PipelineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pipeline"
    verbose_name = "项目谋划库"

    def ready(self):
        from pipeline import hooks

        hooks.register()
