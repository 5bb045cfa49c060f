"""Admin of the monthly case report: browse and search; writes go through the portal pages
(services), so the admin is read-mostly (no add; changes are audited by the admin hook)."""
from django.contrib import admin

from apps.portal.models import Article, ContentColumn, MonthlyCaseReport, MonthlyReportLock


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


@admin.register(ContentColumn)
class ContentColumnAdmin(admin.ModelAdmin):
    """信息发布栏目 (PORTAL-5.1). The portal pages enforce depth, cycles and non-empty deletes; the
    admin is for inspection and emergency fixes by administrators."""

    list_display = ("name", "parent", "organisation", "column_model", "position", "display_mode",
                    "is_categorised", "order", "is_enabled")
    list_filter = ("position", "column_model", "display_mode", "is_categorised", "is_enabled")
    search_fields = ("name", "organisation__name")
    list_select_related = ("parent", "organisation")
    raw_id_fields = ("parent", "organisation", "created_by")
    readonly_fields = ("created_by", "created_at", "updated_at")


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "column", "category", "is_published", "published_at", "author")
    list_filter = ("is_published", "column__position", "category")
    search_fields = ("title", "summary", "column__name")
    list_select_related = ("column", "author")
    raw_id_fields = ("column", "author")
    date_hierarchy = "published_at"
    readonly_fields = ("author", "created_at", "updated_at")
