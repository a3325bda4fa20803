from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages on top of every app: what a signed-in person opens first and always has."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "门户"
