from django.apps import AppConfig


class RegistryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "registry"
    verbose_name = "项目台账"

    def ready(self):
        from registry import checks  # noqa: F401  (registers the system checks)
