"""Admin: outbox messages (read-only, with a "retry dead messages" action)."""
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.models import OutboxMessage, OutboxStatus
from apps.core.outbox import outbox_message_retry


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["id", "peer", "kind", "status", "attempts", "created_at", "next_attempt_at", "delivered_at"]
    list_filter = ["status", "peer", "kind"]
    search_fields = ["idempotency_key", "kind"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry_dead"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新投递所选的失败消息"), permissions=["change"])
    def retry_dead(self, request, queryset):
        done = 0
        for message in queryset.filter(status=OutboxStatus.DEAD):
            try:
                outbox_message_retry(message=message, by=request.user, comment="管理后台重新投递")
                done += 1
            except ValidationError:
                continue
        messages.success(request, _("已重新排队 %(n)s 条消息。") % {"n": done})
