from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The pages that gather every app's figures (home, ledger list, dashboard) and the
    navigation; the top layer, so nothing below imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "门户"
