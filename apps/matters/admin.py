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
