from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from instructions.models import Attachment, Feedback, Instruction


class FeedbackInline(admin.TabularInline):
    model = Feedback
    extra = 0
    fields = ["text", "author", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Instruction)
class InstructionAdmin(SimpleHistoryAdmin):
    list_display = ["project", "signed_as", "unit", "issued_on", "deadline", "status"]
    list_filter = ["status"]
    search_fields = ["project__code", "project__name", "text", "signed_as"]
    raw_id_fields = ["project", "problem"]
    readonly_fields = ["version", "answered_at"]
    inlines = [FeedbackInline]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "feedback", "size"]
    raw_id_fields = ["feedback"]
