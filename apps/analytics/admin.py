"""Admin of analytics: datasets and logs are read-mostly; snapshot rows and visit counts are written only
by the refresh job and the ingest API, so the admin shows them read-only."""
from django.contrib import admin

from apps.analytics.models import DataLog, EmbedClient, TopicDataset, TopicFact, VisitBatch, VisitCount


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TopicDataset)
class TopicDatasetAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "is_enabled", "last_refreshed_at", "row_count", "source_count")
    list_filter = ("category", "is_enabled")
    search_fields = ("code", "name", "english_name")
    readonly_fields = ("code", "last_refreshed_at", "row_count", "source_count", "last_job", "last_error")


@admin.register(TopicFact)
class TopicFactAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "region", "organisation", "day", "dimension", "label", "value", "total")
    list_filter = ("dataset", "dimension")
    search_fields = ("label", "region__name")
    list_select_related = ("dataset", "region", "organisation")


@admin.register(DataLog)
class DataLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "dataset", "summary", "records_in", "records_affected", "operator")
    list_filter = ("kind", "dataset")
    search_fields = ("summary",)
    list_select_related = ("dataset", "operator")


@admin.register(EmbedClient)
class EmbedClientAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "origin", "region", "is_enabled", "may_report_visits", "key_prefix", "created_at")
    list_filter = ("kind", "is_enabled", "may_report_visits")
    search_fields = ("name", "origin")
    readonly_fields = ("key_prefix", "key_digest", "created_by", "created_at")


@admin.register(VisitCount)
class VisitCountAdmin(ReadOnlyAdmin):
    list_display = ("day", "channel", "matter_code", "matter_name", "region", "count")
    list_filter = ("channel",)
    search_fields = ("matter_code", "matter_name")


@admin.register(VisitBatch)
class VisitBatchAdmin(ReadOnlyAdmin):
    list_display = ("batch_id", "client", "rows", "visits", "received_at")
    list_filter = ("client",)
    search_fields = ("batch_id",)
