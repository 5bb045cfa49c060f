"""Admin of acceptance (audited)."""
from django.contrib import admin

from apps.acceptance import models as m
from apps.core.admin.audit import AuditedModelAdmin


@admin.register(m.Hall)
class HallAdmin(AuditedModelAdmin):
    list_display = ["name", "hall_number", "hall_type", "region", "organisation", "booking_enabled", "is_active"]
    list_filter = ["hall_type", "booking_enabled", "is_active"]
    search_fields = ["name", "hall_number"]
    raw_id_fields = ["region", "organisation", "parent_hall"]


@admin.register(m.Window)
class WindowAdmin(AuditedModelAdmin):
    list_display = ["window_number", "name", "hall", "window_type", "is_active"]
    list_filter = ["window_type", "is_active"]
    search_fields = ["window_number", "name"]
    raw_id_fields = ["hall"]


@admin.register(m.HallStaff)
class HallStaffAdmin(AuditedModelAdmin):
    list_display = ["name", "staff_number", "hall", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "staff_number"]
    raw_id_fields = ["hall", "user", "department"]


@admin.register(m.CalendarLabel)
class CalendarLabelAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "hall", "is_builtin"]
    list_filter = ["kind", "is_builtin"]
    search_fields = ["name"]


@admin.register(m.BlacklistRule)
class BlacklistRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "no_show_period", "no_show_count", "restriction_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(m.Slot)
class SlotAdmin(AuditedModelAdmin):
    list_display = ["bookable_matter", "date", "period_start", "period_end", "capacity", "booked_count", "kind"]
    list_filter = ["kind"]
    raw_id_fields = ["bookable_matter", "hall"]
    readonly_fields = ["booked_count"]


@admin.register(m.Form)
class FormAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "status", "organisation", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["code", "name"]
    raw_id_fields = ["organisation", "creator"]
    readonly_fields = ["status"]


@admin.register(m.FormMapping)
class FormMappingAdmin(AuditedModelAdmin):
    list_display = ["name", "form", "target", "created_at"]
    search_fields = ["name"]
    raw_id_fields = ["form", "organisation", "created_by"]
