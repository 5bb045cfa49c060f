"""Admin: working-day calendar and workflow history."""
from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core import calendar
from apps.core.models import CalendarDay, CalendarDaySource, StateTransition


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "is_holiday", "is_makeup_day", "label", "source", "updated_by"]
    list_filter = ["is_working_day", "is_holiday", "is_makeup_day", "source"]
    search_fields = ["label"]
    date_hierarchy = "date"
    readonly_fields = ["source", "updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        # An admin edit is a manual edit: load_holidays must never overwrite it.
        obj.source, obj.updated_by = CalendarDaySource.MANUAL, request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(calendar.invalidate)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(calendar.invalidate)
        messages.info(request, _("已删除；该日期恢复为周一至周五工作的默认规则。"))


@admin.register(StateTransition)
class StateTransitionAdmin(admin.ModelAdmin):
    """Append-only: viewable, never editable."""

    list_display = ["at", "content_type", "object_id", "from_state", "to_state", "action", "actor_name"]
    list_filter = ["content_type", "action", "to_state"]
    search_fields = ["object_id", "actor_name", "comment"]
    date_hierarchy = "at"
    list_select_related = ["content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
