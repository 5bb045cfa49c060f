"""Admin: regions and data-source codes."""
from django.contrib import admin

from apps.core.models import DataSourceCode, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "region_type", "parent", "is_enabled"]
    list_filter = ["level", "region_type", "is_enabled"]
    search_fields = ["code", "name"]
    readonly_fields = ["level", "prefix", "parent"]
    list_select_related = ["parent"]
    ordering = ["code"]

    def get_readonly_fields(self, request, obj=None):
        # The code is the primary key: fixed once created (create new regions through region_create).
        return [*self.readonly_fields, "code"] if obj else self.readonly_fields


@admin.register(DataSourceCode)
class DataSourceCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "organisation", "is_enabled", "updated_at"]
    list_filter = ["is_enabled", ("region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["code", "name", "organisation__name", "region__name"]
    autocomplete_fields = ["region", "organisation"]
    list_select_related = ["region", "organisation"]

    def save_model(self, request, obj, form, change):
        from apps.core.services.datasources import data_source_code_create, data_source_code_update

        fields = {f: form.cleaned_data.get(f) for f in ("code", "name", "region", "organisation", "remarks",
                                                         "is_enabled")}
        if change:
            data_source_code_update(data_source=DataSourceCode.objects.get(pk=obj.pk), actor=request.user, **fields)
        else:
            obj.pk = data_source_code_create(actor=request.user, **fields).pk
