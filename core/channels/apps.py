from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core.channels"
    label = "core_channels"
    verbose_name = "消息渠道"
