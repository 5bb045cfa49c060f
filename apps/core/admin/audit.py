"""Admin: the audit log (read-only) and `AuditedModelAdmin`, the mixin every admin should use.

    from apps.core.admin.audit import AuditedModelAdmin

    @admin.register(Matter)
    class MatterAdmin(AuditedModelAdmin):
        ...

Additions, changes (with the changed fields' old and new values, sensitive ones masked) and
deletions made in the admin are then written to the audit log beside Django's LogEntry.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.models.audit import AuditAction, AuditLog
from apps.core.services.audit import audit_record


def _form_changes(form, *, change: bool) -> dict:
    changes = {}
    for name in form.changed_data:
        old = form.initial.get(name) if change else None
        changes[name] = [old, form.cleaned_data.get(name)]
    return changes


class AuditedModelAdmin(admin.ModelAdmin):
    """ModelAdmin whose add/change/delete also write AuditLog rows."""

    def save_model(self, request, obj, form, change):
        obj._audit_changes = _form_changes(form, change=change)
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        audit_record(actor=request.user, action=AuditAction.CREATE, obj=obj, request=request,
                     changes=getattr(obj, "_audit_changes", None), detail=str(_("管理后台新增")))
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        audit_record(actor=request.user, action=AuditAction.UPDATE, obj=obj, request=request,
                     changes=getattr(obj, "_audit_changes", None), detail=str(_("管理后台修改")))
        return entry

    def log_deletions(self, request, queryset):
        result = super().log_deletions(request, queryset)
        for obj in queryset:
            audit_record(actor=request.user, action=AuditAction.DELETE, obj=obj, request=request,
                         detail=str(_("管理后台删除")))
        return result


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Append-only: viewable, never added, changed or deleted here."""

    list_display = ("at", "actor_username", "actor_organisation", "action", "object_repr", "method",
                    "path", "status_code", "ip")
    list_filter = ("action", "method", "at", "content_type")
    search_fields = ("actor_username", "object_repr", "object_id", "path", "ip", "request_id")
    date_hierarchy = "at"
    list_select_related = ("actor_organisation",)
    readonly_fields = [field.name for field in AuditLog._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
