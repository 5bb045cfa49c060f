"""Admin: SMS log (masked) and scheduled pushes."""
from django.contrib import admin

from apps.core.models import SmsMessage, SmsSchedule, SmsScheduleTime


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "masked_mobile_number", "recipient", "purpose", "status", "created_at"]
    list_filter = ["purpose", "outbox_message__status"]
    search_fields = ["content", "idempotency_key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient", "outbox_message"]
    fields = ["masked_mobile_number", "recipient", "content", "purpose", "idempotency_key", "outbox_message",
              "gateway_message_id", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


class SmsScheduleTimeInline(admin.TabularInline):
    model = SmsScheduleTime
    fields = ["time_of_day", "periodic_task"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SmsSchedule)
class SmsScheduleAdmin(admin.ModelAdmin):
    """Times are edited on the portal page, whose service keeps the beat entries in step."""

    list_display = ["name", "digest_kind", "times_display", "enabled", "organisation"]
    list_filter = ["enabled", "digest_kind"]
    search_fields = ["name"]
    filter_horizontal = ["recipients"]
    readonly_fields = ["digest_kind", "enabled", "created_by", "created_at"]
    inlines = [SmsScheduleTimeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation").prefetch_related("times")

    def has_add_permission(self, request):
        return False
