"""Admin registrations of identity: users (numbers masked), roles, system access requests."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from apps.identity.models import Role, SystemAccessRequest, User


class RegionOfOrganisationFilter(admin.SimpleListFilter):
    """Filter users by the city (市（地）) their organisation sits in."""

    title = _("归属区划")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        from apps.core.models import Region, RegionLevel

        return [(r.code, r.name) for r in Region.objects.filter(level__lte=RegionLevel.CITY).order_by("code")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        from apps.core.models.regions import prefix_of_code

        return queryset.filter(organisation__region__code__startswith=prefix_of_code(self.value()))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "full_name", "kind", "organisation", "masked_mobile", "is_active", "last_login")
    list_filter = ("kind", RegionOfOrganisationFilter, "roles", "is_active", "is_superuser")
    search_fields = ("username", "full_name")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    filter_horizontal = ("roles", "user_permissions", "groups")
    ordering = ("username",)
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("基本信息"), {"fields": ("kind", "full_name", "organisation", "email", "telephone", "mobile_number",
                                    "remarks")}),
        (_("公众用户"), {"classes": ("collapse",),
                         "fields": ("id_number", "credit_code", "home_region", "real_name_level")}),
        (_("角色与权限"), {"fields": ("is_active", "is_staff", "is_superuser", "roles", "user_permissions")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "kind", "full_name", "organisation",
                                                 "password1", "password2")}),
    )

    @admin.display(description=_("手机号码"))
    def masked_mobile(self, obj):
        return obj.masked_mobile_number or "—"

    def get_autocomplete_fields(self, request):
        # Autocomplete needs the Organisation admin to declare search_fields; fall back to a select.
        organisation_admin = self.admin_site._registry.get(User._meta.get_field("organisation").related_model)
        return self.autocomplete_fields if organisation_admin and organisation_admin.search_fields else ()


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "description")
    search_fields = ("code", "name")
    filter_horizontal = ("permissions",)


@admin.register(SystemAccessRequest)
class SystemAccessRequestAdmin(admin.ModelAdmin):
    list_display = ("applicant", "system", "status", "created_at", "reviewer", "decided_at")
    list_filter = ("system", "status")
    search_fields = ("applicant__username", "applicant__full_name")
    list_select_related = ("applicant", "reviewer")
    raw_id_fields = ("applicant", "reviewer")
    # Decisions go through the portal/API services so that the flow history is recorded.
    readonly_fields = ("status", "reviewer", "decided_at", "comment", "created_at", "updated_at")
    date_hierarchy = "created_at"


from apps.core.admin.audit import AuditedModelAdmin
from apps.identity.models import (
    AgentAuthorisation,
    ClientSystem,
    LoginFailure,
    QrLogin,
    SmsCode,
    SsoTicket,
)


@admin.register(ClientSystem)
class ClientSystemAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "owner", "kind", "min_real_name_level", "for_staff", "is_enabled")
    list_filter = ("kind", "for_staff", "is_enabled")
    search_fields = ("code", "name", "owner")
    exclude = ("ticket_secret",)
    readonly_fields = ("client_id",)


@admin.register(AgentAuthorisation)
class AgentAuthorisationAdmin(AuditedModelAdmin):
    list_display = ("legal_person", "agent", "status", "valid_until", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("legal_person", "agent")


@admin.register(SsoTicket)
class SsoTicketAdmin(admin.ModelAdmin):
    list_display = ("kind", "client", "user", "created_at", "expires_at", "used_at")
    list_filter = ("kind",)
    exclude = ("ticket",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SmsCode)
class SmsCodeAdmin(_ReadOnlyAdmin):
    list_display = ("purpose", "created_at", "expires_at", "attempts", "used_at")
    list_filter = ("purpose",)
    exclude = ("code_digest",)


@admin.register(LoginFailure)
class LoginFailureAdmin(_ReadOnlyAdmin):
    list_display = ("username", "ip_address", "created_at")
    search_fields = ("username",)


@admin.register(QrLogin)
class QrLoginAdmin(_ReadOnlyAdmin):
    list_display = ("status", "user", "created_at", "expires_at")
    list_filter = ("status",)
    exclude = ("token", "browser_key")
