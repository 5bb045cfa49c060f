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


@admin.register(m.RegionRectificationLimit)
class RegionRectificationLimitAdmin(AuditedModelAdmin):
    list_display = ["region", "working_days"]


@admin.register(m.EvaluationQualityRule)
class EvaluationQualityRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "schedule", "is_enabled", "last_run_at"]


@admin.register(m.SensitiveWord)
class SensitiveWordAdmin(AuditedModelAdmin):
    search_fields = ["word"]


@admin.register(m.EvaluatorBlacklistEntry)
class EvaluatorBlacklistEntryAdmin(AuditedModelAdmin):
    list_display = ["user", "reason", "created_at"]
    raw_id_fields = ["user"]


@admin.register(m.WatchListEntry)
class WatchListEntryAdmin(AuditedModelAdmin):
    list_display = ["window", "staff", "reason", "created_at"]
    raw_id_fields = ["window", "staff"]


@admin.register(m.ShowcaseEntry)
class ShowcaseEntryAdmin(AuditedModelAdmin):
    list_display = ["evaluation", "kind", "is_published"]
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
    exclude = ["secret"]
    readonly_fields = ["client_key"]
    raw_id_fields = ["organisation"]
    filter_horizontal = ["users"]


@admin.register(m.OpenInterface)
class OpenInterfaceAdmin(ClientCacheAdmin):
    list_display = ["category", "service_address", "service_port", "provision_status", "is_enabled"]


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


for model in (m.BadReviewDisposal, m.Appeal, m.AbnormalFlag, m.HotlineWorkOrder, m.EvaluationReminder,
              m.EvaluationAggregate):
    admin.site.register(model, ReadOnlyAdmin)
