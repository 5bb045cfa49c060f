"""Admin of the monthly case report: browse and search; writes go through the portal pages
(services), so the admin is read-mostly (no add; changes are audited by the admin hook)."""
from django.contrib import admin

from apps.portal.models import MonthlyCaseReport, MonthlyReportLock


@admin.register(MonthlyCaseReport)
class MonthlyCaseReportAdmin(admin.ModelAdmin):
    list_display = ("month", "organisation", "variant", "city", "is_own_level", "filled_by", "updated_at")
    list_filter = ("variant", "month", "is_own_level", "city")
    search_fields = ("organisation__name", "organisation__credit_code", "region__name")
    list_select_related = ("organisation", "city", "filled_by")
    raw_id_fields = ("organisation", "region", "city", "filled_by")
    date_hierarchy = "month"
    readonly_fields = ("variant", "organisation", "region", "city", "is_own_level", "filled_by",
                       "created_at", "updated_at")

    def has_add_permission(self, request):
        return False


@admin.register(MonthlyReportLock)
class MonthlyReportLockAdmin(admin.ModelAdmin):
    list_display = ("month", "locked_by", "locked_at")
    list_filter = ("month",)
    search_fields = ("locked_by__username",)
    list_select_related = ("locked_by",)
    readonly_fields = ("locked_by", "locked_at")
