from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.supervision.models import (
    Complaint, ExchangeMessage, ExtensionRequest, NetizenEvaluation, OverdueReminder, PublicationNotice,
    ReconciliationRecord, WithdrawalRequest,
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


for model in (ExtensionRequest, WithdrawalRequest):
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "list_display": ["complaint", "status", "requested_at", "replied_at"], "list_filter": ["status"],
        "raw_id_fields": ["complaint", "requested_by"]}))
for model in (OverdueReminder, NetizenEvaluation, PublicationNotice):
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "list_display": ["complaint", "received_at"], "raw_id_fields": ["complaint", "message"]}))
