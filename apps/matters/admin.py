"""Admin registrations of matters: every model with list filters and search."""
from django.contrib import admin

from apps.matters.models import (
    ApplicationMaterial, CatalogueItem, ChangeRequest, CodeCounter, CodingRule, CodingRuleSegment, FeeItem,
    ImplementationItem, MatterVersion, ProcessStep, Situation,
)


class SegmentInline(admin.TabularInline):
    model = CodingRuleSegment
    extra = 0


@admin.register(CodingRule)
class CodingRuleAdmin(admin.ModelAdmin):
    list_display = ["name", "target", "is_active", "created_at"]
    list_filter = ["target", "is_active"]
    search_fields = ["name"]
    inlines = [SegmentInline]


@admin.register(CodeCounter)
class CodeCounterAdmin(admin.ModelAdmin):
    list_display = ["rule", "scope_key", "last_value"]
    list_filter = ["rule"]
    search_fields = ["scope_key"]
    readonly_fields = ["rule", "scope_key", "last_value"]


class _ChildInline(admin.TabularInline):
    extra = 0


def _inlines(owner: str):
    return [type(f"{model.__name__}{owner}Inline", (_ChildInline,), {"model": model, "fk_name": owner})
            for model in (Situation, ApplicationMaterial, ProcessStep, FeeItem)]


class MatterAdmin(admin.ModelAdmin):
    list_filter = ["status", "matter_type", "level", "is_immediate"]
    list_select_related = ["region", "handling_department"]
    raw_id_fields = ["handling_department", "region", "created_by"]
    readonly_fields = ["version", "status", "published_at"]


@admin.register(CatalogueItem)
class CatalogueItemAdmin(MatterAdmin):
    list_display = ["basic_code", "name", "department", "region", "status", "version"]
    search_fields = ["basic_code", "name"]
    raw_id_fields = [*MatterAdmin.raw_id_fields, "department", "parent"]
    readonly_fields = [*MatterAdmin.readonly_fields, "basic_code"]
    inlines = _inlines("catalogue_item")


@admin.register(ImplementationItem)
class ImplementationItemAdmin(MatterAdmin):
    list_display = ["implementation_code", "name", "implementing_body", "region", "status", "version"]
    search_fields = ["implementation_code", "basic_code", "name"]
    raw_id_fields = [*MatterAdmin.raw_id_fields, "implementing_body", "implementing_agency", "catalogue_item"]
    readonly_fields = [*MatterAdmin.readonly_fields, "basic_code", "implementation_code"]
    inlines = _inlines("implementation_item")


@admin.register(MatterVersion)
class MatterVersionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "catalogue_item", "implementation_item", "created_at", "summary"]
    list_filter = ["created_at"]
    search_fields = ["catalogue_item__name", "implementation_item__name"]
    raw_id_fields = ["catalogue_item", "implementation_item", "change_request", "created_by"]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["__str__", "route", "status", "current_region", "submitted_at"]
    list_filter = ["status", "route"]
    search_fields = ["catalogue_item__name", "implementation_item__name"]
    raw_id_fields = ["catalogue_item", "implementation_item", "region", "current_region", "department",
                     "submitted_by"]


# --- phase 2: dynamic management, quality, optimisation, resources, knowledge -------------------
from apps.core.admin.audit import AuditedModelAdmin  # noqa: E402
from apps.matters.models import (  # noqa: E402
    CorrectionRequest, DataDemand, Delegation, DelegationBatch, ElementControl, KnowledgeEntry, LicenceLink,
    MatterNotification, MatterTag, OneThing, QualityIssue, QualityRule, QualityScan, SuspensionRequest,
)


@admin.register(QualityRule)
class QualityRuleAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "is_enabled"]
    list_filter = ["kind", "is_enabled"]
    search_fields = ["code", "name"]


@admin.register(QualityScan)
class QualityScanAdmin(AuditedModelAdmin):
    list_display = ["started_at", "status", "items_scanned", "issues_found"]
    list_filter = ["status"]
    readonly_fields = ["status", "started_at", "finished_at", "items_scanned", "issues_found", "triggered_by"]


@admin.register(QualityIssue)
class QualityIssueAdmin(AuditedModelAdmin):
    list_display = ["item_name", "item_code", "rule", "level", "department"]
    list_filter = ["rule", "level"]
    search_fields = ["item_name", "item_code"]
    list_select_related = ["rule", "department"]
    raw_id_fields = ["scan", "department", "region"]


@admin.register(MatterTag)
class MatterTagAdmin(AuditedModelAdmin):
    list_display = ["name", "is_reserved", "created_by", "created_at"]
    list_filter = ["is_reserved"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]


for model, fields in (
    (SuspensionRequest, ["matter", "status", "department", "submitted_at"]),
    (Delegation, ["catalogue_item", "department", "to_levels", "batch", "created_at"]),
    (DelegationBatch, ["__str__", "region", "status", "title", "published_at"]),
    (ElementControl, ["catalogue_item", "department", "status", "scope", "created_at"]),
    (MatterNotification, ["title", "recipient", "kind", "created_at", "read_at"]),
    (CorrectionRequest, ["matter", "tab", "status", "department", "created_at"]),
    (LicenceLink, ["implementation_item", "catalogue_code", "catalogue_name", "department"]),
    (DataDemand, ["implementation_item", "requester", "source", "status"]),
    (KnowledgeEntry, ["title", "kind", "department", "updated_at"]),
    (OneThing, ["name"]),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "list_display": fields, "list_filter": [f for f in ("status", "kind") if hasattr(model, f)],
        "search_fields": [f for f in ("title", "name", "catalogue_code", "catalogue_name") if hasattr(model, f)]
        or ["=pk"],
        "raw_id_fields": [f.name for f in model._meta.get_fields() if f.many_to_one and f.concrete],
    }))
