from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.supervision.models import (
    Complaint,
    EarlyWarning,
    ExchangeMessage,
    ExtensionRequest,
    IndicatorRule,
    NetizenEvaluation,
    OverdueReminder,
    PublicationNotice,
    ReconciliationRecord,
    SupervisionIndicator,
    SupervisionTask,
    TaskScore,
    WithdrawalRequest,
)


@admin.register(Complaint)
class ComplaintAdmin(AuditedModelAdmin):
    list_display = ["case_number", "title", "source", "kind", "status", "department", "region", "submitted_at"]
    list_filter = ["source", "kind", "status"]
    search_fields = ["case_number", "title", "query_code", "business_key", "external_id"]
    raw_id_fields = ["complainant", "handler", "department", "region"]
    exclude = ["complainant_mobile_digest"]


@admin.register(ExchangeMessage)
class ExchangeMessageAdmin(AuditedModelAdmin):
    list_display = ["created_at", "direction", "message_type", "business_key", "message_id", "read_confirmed_at"]
    list_filter = ["direction", "message_type"]
    search_fields = ["business_key", "message_id"]
    raw_id_fields = ["complaint"]


@admin.register(ReconciliationRecord)
class ReconciliationRecordAdmin(AuditedModelAdmin):
    list_display = ["day", "platform_count", "local_count", "received_at"]
    list_filter = ["day"]


for model in (ExtensionRequest, WithdrawalRequest):
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "list_display": ["complaint", "status", "requested_at", "replied_at"], "list_filter": ["status"],
        "raw_id_fields": ["complaint", "requested_by"]}))
for model in (OverdueReminder, NetizenEvaluation, PublicationNotice):
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "list_display": ["complaint", "received_at"], "list_filter": ["received_at"],
        "raw_id_fields": ["complaint", "message"]}))


class IndicatorRuleInline(admin.TabularInline):
    model = IndicatorRule
    extra = 1


@admin.register(SupervisionIndicator)
class SupervisionIndicatorAdmin(AuditedModelAdmin):
    list_display = ["number", "name", "theme", "metric", "data_source", "active"]
    list_filter = ["theme", "metric", "active"]
    search_fields = ["number", "name"]
    inlines = [IndicatorRuleInline]


@admin.register(SupervisionTask)
class SupervisionTaskAdmin(AuditedModelAdmin):
    list_display = ["name", "theme", "region", "period_start", "period_end", "status"]
    list_filter = ["theme", "status"]
    search_fields = ["name"]
    filter_horizontal = ["indicators"]
    raw_id_fields = ["region", "created_by"]


@admin.register(TaskScore)
class TaskScoreAdmin(AuditedModelAdmin):
    list_display = ["task", "department", "indicator", "value", "score", "manual"]
    list_filter = ["manual"]
    raw_id_fields = ["task", "department", "indicator"]


@admin.register(EarlyWarning)
class EarlyWarningAdmin(AuditedModelAdmin):
    list_display = ["complaint", "level", "department", "raised_at", "deadline"]
    list_filter = ["level"]
    raw_id_fields = ["complaint", "department", "region"]
