"""Admin: operations monitoring. Maintainers and front-end processors are edited on the portal pages,
whose services validate, encrypt and audit; here administrators find, inspect and delete them."""
from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.core.models import (InterfaceMaintainer, FrontEndProcessor, MonitoredInterface, MonitoringIncident,
                              ScheduledTaskRun)

METRIC_FIELDS = ["status", "status_reason", "window_calls", "window_failures", "window_rejected", "avg_latency_ms",
                 "max_latency_ms", "last_success_at", "last_failure_at", "last_error", "outbox_pending",
                 "outbox_oldest_pending_at", "outbox_dead", "checked_at"]


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MonitoredInterface)
class MonitoredInterfaceAdmin(AuditedModelAdmin):
    """The collector creates a row per interface it sees; administrators name and enable them here."""

    list_display = ["code", "name", "status", "window_calls", "window_failures", "avg_latency_ms", "checked_at"]
    list_filter = ["status", "is_enabled"]
    search_fields = ["code", "name"]
    fields = ["code", "name", "description", "is_enabled", *METRIC_FIELDS]
    readonly_fields = METRIC_FIELDS


@admin.register(InterfaceMaintainer)
class InterfaceMaintainerAdmin(ReadOnlyAdmin):
    list_display = ["name", "masked_mobile_number", "email", "organisation_name", "is_active", "updated_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "email", "organisation_name"]
    fields = ["name", "masked_mobile_number", "email", "organisation_name", "interfaces", "processors", "is_active",
              "remarks", "created_at", "updated_at"]
    readonly_fields = fields


@admin.register(FrontEndProcessor)
class FrontEndProcessorAdmin(ReadOnlyAdmin):
    list_display = ["name", "data_source", "host", "port", "database", "status", "last_checked_at"]
    list_filter = ["status", "is_enabled"]
    search_fields = ["name", "host", "database"]
    list_select_related = ["data_source"]
    fields = ["name", "data_source", "host", "port", "database", "username", "connect_timeout_seconds", "is_enabled",
              "status", "last_checked_at", "last_success_at", "last_latency_ms", "last_error", "remarks"]
    readonly_fields = fields          # never the password


@admin.register(ScheduledTaskRun)
class ScheduledTaskRunAdmin(ReadOnlyAdmin):
    list_display = ["periodic_task_name", "task", "last_status", "last_finished_at", "run_count", "failure_count"]
    list_filter = ["last_status"]
    search_fields = ["periodic_task_name", "task"]


@admin.register(MonitoringIncident)
class MonitoringIncidentAdmin(ReadOnlyAdmin):
    list_display = ["target_label", "kind", "summary", "opened_at", "closed_at", "notified_count"]
    list_filter = ["kind", "opened_at", "closed_at"]
    search_fields = ["target_label", "target_key", "summary"]
    date_hierarchy = "opened_at"
