"""Admin of reviews configuration: indicators, tags, settings, rules, words, clients, interfaces."""
from django.contrib import admin
from django.db import transaction

from apps.core.admin.audit import AuditedModelAdmin
from apps.reviews import models as m
from apps.reviews.services.clients import clients_changed


@admin.register(m.EvaluationIndicator)
class EvaluationIndicatorAdmin(AuditedModelAdmin):
    list_display = ["object_kind", "level", "name", "aspect", "source", "is_enabled"]
    list_filter = ["object_kind", "level", "source", "is_enabled"]
    list_editable = ["is_enabled"]
    search_fields = ["name", "national_code"]


@admin.register(m.EvaluationTag)
class EvaluationTagAdmin(AuditedModelAdmin):
    list_display = ["object_kind", "level", "name", "national_code", "is_enabled"]
    list_filter = ["object_kind", "level", "is_enabled"]
    search_fields = ["name", "national_code"]


@admin.register(m.EvaluationSettings)
class EvaluationSettingsAdmin(AuditedModelAdmin):
    list_display = ["__str__", "default_after_days", "default_level", "rectification_limit_working_days",
                    "appeal_limit_working_days", "window_qr_daily_limit"]
    list_filter = ["default_level"]


@admin.register(m.RegionRectificationLimit)
class RegionRectificationLimitAdmin(AuditedModelAdmin):
    list_display = ["region", "working_days"]
    search_fields = ["region__name", "=region__code"]
    list_select_related = ["region"]


@admin.register(m.EvaluationQualityRule)
class EvaluationQualityRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "schedule", "is_enabled", "last_run_at"]
    list_filter = ["kind", "schedule", "is_enabled"]
    search_fields = ["name"]


@admin.register(m.SensitiveWord)
class SensitiveWordAdmin(AuditedModelAdmin):
    list_display = ["word", "created_at"]
    search_fields = ["word"]


@admin.register(m.EvaluatorBlacklistEntry)
class EvaluatorBlacklistEntryAdmin(AuditedModelAdmin):
    list_display = ["user", "reason", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__username", "user__full_name", "reason"]
    raw_id_fields = ["user"]


@admin.register(m.WatchListEntry)
class WatchListEntryAdmin(AuditedModelAdmin):
    list_display = ["window", "staff", "reason", "is_automatic", "is_active", "created_at"]
    list_filter = ["is_automatic", "is_active"]
    search_fields = ["reason"]
    raw_id_fields = ["window", "staff"]


@admin.register(m.ShowcaseEntry)
class ShowcaseEntryAdmin(AuditedModelAdmin):
    list_display = ["evaluation", "kind", "is_published"]
    list_filter = ["kind", "is_published"]
    raw_id_fields = ["evaluation"]


class ClientCacheAdmin(AuditedModelAdmin):
    """Applications and interfaces are remembered by the open interface: every change forgets them."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        transaction.on_commit(clients_changed)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(clients_changed)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        transaction.on_commit(clients_changed)


@admin.register(m.ReviewClient)
class ReviewClientAdmin(ClientCacheAdmin):
    list_display = ["name", "organisation", "channel", "client_key", "is_enabled"]
    list_filter = ["channel", "is_enabled"]
    search_fields = ["name", "client_key"]
    exclude = ["secret"]
    readonly_fields = ["client_key"]
    raw_id_fields = ["organisation"]
    filter_horizontal = ["users"]


@admin.register(m.OpenInterface)
class OpenInterfaceAdmin(ClientCacheAdmin):
    list_display = ["category", "service_address", "service_port", "provision_status", "is_enabled"]
    list_filter = ["category", "is_enabled"]
    search_fields = ["service_address"]


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.Evaluation)
class EvaluationAdmin(ReadOnlyAdmin):
    """Evaluations are immutable: read-only here (REV-14.5)."""

    list_display = ["evaluation_number", "object_kind", "channel", "level", "is_valid", "is_blacklisted",
                    "is_abnormal", "national_check", "evaluated_at"]
    list_filter = ["channel", "level", "is_valid", "is_blacklisted", "is_abnormal", "national_check"]
    search_fields = ["evaluation_number"]


@admin.register(m.ClientAccessLog)
class ClientAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "client", "category", "ip", "accepted", "message"]
    list_filter = ["category", "accepted"]


@admin.register(m.BadReviewDisposal)
class BadReviewDisposalAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "region", "service_department", "status", "accepted_at", "verified_at",
                    "verified_true"]
    list_filter = ["status", "verified_true"]
    search_fields = ["evaluation__evaluation_number"]
    list_select_related = ["evaluation", "region", "service_department"]


@admin.register(m.Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["disposal", "organisation", "appellant", "status", "filed_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["organisation__name", "decision_reason"]
    list_select_related = ["organisation", "appellant"]


@admin.register(m.AbnormalFlag)
class AbnormalFlagAdmin(ReadOnlyAdmin):
    list_display = ["evaluation", "rule", "reason", "status", "review_due", "created_at"]
    list_filter = ["status", "rule"]
    search_fields = ["evaluation__evaluation_number", "reason"]
    list_select_related = ["evaluation", "rule"]


@admin.register(m.HotlineWorkOrder)
class HotlineWorkOrderAdmin(ReadOnlyAdmin):
    list_display = ["order_number", "evaluation", "status", "verification_result", "verified_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["order_number"]


@admin.register(m.EvaluationReminder)
class EvaluationReminderAdmin(ReadOnlyAdmin):
    list_display = ["case", "sent_at"]
    list_filter = ["sent_at"]
    search_fields = ["case__case_number"]
    list_select_related = ["case"]


class _DerivedAdmin(ReadOnlyAdmin):
    """Figures the platform computes (aggregates, daily counters, snapshots, push state): viewable here,
    never written by hand — the jobs that compute them would overwrite or be misled by an edit."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.EvaluationAggregate)
class EvaluationAggregateAdmin(_DerivedAdmin):
    list_display = ["day", "city_code", "region_code", "object_kind", "channel", "total", "level1"]
    list_filter = ["object_kind", "channel"]
    search_fields = ["region_code"]
    date_hierarchy = "day"


@admin.register(m.ClientAccessDaily)
class ClientAccessDailyAdmin(_DerivedAdmin):
    list_display = ["day", "client_id", "category", "calls", "refused", "records"]
    list_filter = ["category", "day"]
    search_fields = ["=client_id"]
    date_hierarchy = "day"


@admin.register(m.MatterSatisfactionPush)
class MatterSatisfactionPushAdmin(_DerivedAdmin):
    list_display = ["matter", "total", "score", "good_rate", "version", "dirty", "pushed_at"]
    list_filter = ["dirty", "pushed_at"]
    list_select_related = ["matter"]
    search_fields = ["matter__name"]


@admin.register(m.ImpressionAggregate)
class ImpressionAggregateAdmin(_DerivedAdmin):
    list_display = ["day", "city_code", "region_code", "object_kind", "channel", "dimension", "value", "count"]
    list_filter = ["object_kind", "channel", "dimension"]
    search_fields = ["region_code", "value"]
    date_hierarchy = "day"


@admin.register(m.OverviewSnapshot)
class OverviewSnapshotAdmin(_DerivedAdmin):
    list_display = ["region_code", "computed_at", "dirty"]
    list_filter = ["dirty"]
    search_fields = ["region_code"]
