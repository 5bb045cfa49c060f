"""Admin: organisations, change requests (read-only audit view) and subscribers."""
from django.contrib import admin

from apps.core.models import Organisation, OrganisationChangeRequest, OrganisationSubscriber


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "credit_code", "region", "kind", "parent", "is_enabled"]
    list_filter = ["kind", "is_enabled", "region__level"]
    search_fields = ["name", "short_name", "credit_code", "region__code"]
    autocomplete_fields = ["region", "parent"]
    readonly_fields = ["tree_path", "created_at", "updated_at"]
    list_select_related = ["region", "parent"]

    def save_model(self, request, obj, form, change):
        from apps.core.services.organisations import organisation_create, organisation_update

        fields = {f: form.cleaned_data[f] for f in ("name", "short_name", "credit_code", "region", "parent", "kind",
                                                     "is_enabled") if f in form.cleaned_data}
        if change:
            organisation_update(organisation=Organisation.objects.get(pk=obj.pk), actor=request.user, **fields)
        else:
            obj.pk = organisation_create(actor=request.user, **fields).pk


@admin.register(OrganisationChangeRequest)
class OrganisationChangeRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "applicant_organisation", "applicant", "submitted_at", "delivered_at"]
    list_filter = ["kind", "status"]
    search_fields = ["proposed_data__name", "applicant_organisation__name"]
    list_select_related = ["applicant_organisation", "applicant"]
    readonly_fields = [f.name for f in OrganisationChangeRequest._meta.fields]

    def has_add_permission(self, request):
        return False        # applications go through the portal workflow

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OrganisationSubscriber)
class OrganisationSubscriberAdmin(admin.ModelAdmin):
    list_display = ["name", "endpoint_url", "is_enabled", "created_at"]
    list_filter = ["is_enabled"]
    search_fields = ["name", "endpoint_url"]
