from django.contrib import admin

from core.channels.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "address",
        "event_key",
        "status",
        "attempts",
        "sent_at",
    ]
    list_filter = ["channel", "status"]
    search_fields = ["event_key", "address", "text"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
