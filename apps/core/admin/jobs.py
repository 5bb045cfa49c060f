"""Admin: jobs with progress (read-only apart from deleting old runs)."""
from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.core.models.jobs import JobRun


@admin.register(JobRun)
class JobRunAdmin(AuditedModelAdmin):
    list_display = ("id", "title", "kind", "status", "done", "total", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("title", "kind", "created_by__username")
    list_select_related = ("created_by",)
    readonly_fields = [field.name for field in JobRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
