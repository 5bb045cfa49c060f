"""Admin of ops: rules and reference data are editable; events, alerts and work_orders are read through
here but changed only by their services (workflow history, notifications)."""
from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.ops import models as m


class ReadOnlyAdmin(AuditedModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(m.LogType)
class LogTypeAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "storage_method", "retention_days", "partitioning", "importance", "priority",
                    "is_enabled"]
    list_filter = ["storage_method", "importance", "is_enabled"]
    search_fields = ["name", "code"]


@admin.register(m.FilterRule)
class FilterRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "action", "priority", "is_enabled", "hit_count"]
    list_filter = ["action", "is_enabled"]
    search_fields = ["name"]


@admin.register(m.LogEvent)
class LogEventAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "peer_ip", "hostname", "app_name", "severity", "log_type", "message"]
    list_filter = ["log_type", "protocol", "severity"]
    search_fields = ["message", "hostname", "=source_ip"]
    list_select_related = ["log_type"]


@admin.register(m.ThreatIndicator)
class ThreatIndicatorAdmin(ReadOnlyAdmin):
    list_display = ["kind", "value", "severity", "is_compromise", "is_enabled", "hit_count", "last_hit_at"]
    list_filter = ["kind", "severity", "is_compromise", "is_enabled"]
    search_fields = ["value", "description"]


@admin.register(m.KeywordRule)
class KeywordRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "severity", "is_enabled"]
    list_filter = ["category", "severity", "is_enabled"]
    search_fields = ["name", "keywords"]
    filter_horizontal = ["recipients"]


@admin.register(m.CorrelationRule)
class CorrelationRuleAdmin(AuditedModelAdmin):
    list_display = ["name", "group_by", "threshold", "window_seconds", "category", "severity", "is_enabled"]
    list_filter = ["category", "severity", "is_enabled"]
    search_fields = ["name"]


@admin.register(m.Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["title", "origin", "category", "severity", "direction", "status", "count", "last_seen_at"]
    list_filter = ["origin", "category", "severity", "direction", "status"]
    search_fields = ["title", "rule_name", "=source_ip", "=destination_ip"]
    list_select_related = ["asset"]


@admin.register(m.MetricThreshold)
class MetricThresholdAdmin(AuditedModelAdmin):
    list_display = ["name", "metric", "target", "operator", "value", "consecutive", "severity", "is_enabled"]
    list_filter = ["severity", "is_enabled"]
    search_fields = ["name", "metric", "target"]
    filter_horizontal = ["recipients"]


@admin.register(m.MetricSample)
class MetricSampleAdmin(ReadOnlyAdmin):
    list_display = ["collected_at", "target", "metric", "value"]
    list_filter = ["metric"]
    search_fields = ["target"]


@admin.register(m.AssetGroup)
class AssetGroupAdmin(AuditedModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]


class AssetServiceInline(admin.TabularInline):
    model = m.AssetService
    extra = 0


@admin.register(m.HostAsset)
class HostAssetAdmin(AuditedModelAdmin):
    list_display = ["name", "category", "ip_address", "group", "registration_status", "discovery_source",
                    "discovered_at"]
    list_filter = ["category", "registration_status", "discovery_source", "group"]
    search_fields = ["name", "=ip_address", "responsible"]
    list_select_related = ["group"]
    inlines = [AssetServiceInline]


@admin.register(m.WebsiteAsset)
class WebsiteAssetAdmin(AuditedModelAdmin):
    list_display = ["name", "url", "usage_status", "availability", "group", "last_probed_at"]
    list_filter = ["usage_status", "availability", "group"]
    search_fields = ["name", "url", "site_title"]
    list_select_related = ["group"]


@admin.register(m.Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "severity", "asset", "port", "status", "source", "found_at"]
    list_filter = ["kind", "severity", "status", "source"]
    search_fields = ["title", "cve", "=asset__ip_address"]
    list_select_related = ["asset"]


@admin.register(m.WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "subject", "priority", "status", "owner", "created_at", "due_at"]
    list_filter = ["subject", "priority", "status"]
    search_fields = ["number", "title"]
    list_select_related = ["owner"]


@admin.register(m.LoginPolicy)
class LoginPolicyAdmin(AuditedModelAdmin):
    list_display = ["__str__", "two_factor_scope", "max_sessions_per_user", "session_limit_action", "code_minutes"]
    list_filter = ["two_factor_scope", "session_limit_action"]

    def has_add_permission(self, request):
        return not m.LoginPolicy.objects.exists()


@admin.register(m.StaffSecondFactor)
class StaffSecondFactorAdmin(AuditedModelAdmin):
    list_display = ["user", "method"]
    list_filter = ["method"]
    search_fields = ["user__username", "user__full_name"]


@admin.register(m.LoginChallenge)
class LoginChallengeAdmin(ReadOnlyAdmin):
    list_display = ["user", "method", "created_at", "expires_at", "attempts", "used_at"]
    list_filter = ["method"]
    search_fields = ["user__username"]
    exclude = ["code_digest"]


@admin.register(m.StaffSession)
class StaffSessionAdmin(ReadOnlyAdmin):
    list_display = ["user", "ip_address", "created_at"]
    search_fields = ["user__username", "=ip_address"]


@admin.register(m.HelpTopic)
class HelpTopicAdmin(AuditedModelAdmin):
    list_display = ["url_name", "title", "updated_at"]
    search_fields = ["url_name", "title", "body"]


@admin.register(m.MonitoringScreen)
class MonitoringScreenAdmin(AuditedModelAdmin):
    list_display = ["title", "owner", "refresh_seconds", "updated_at"]
    search_fields = ["title", "owner__username"]
    list_select_related = ["owner"]


@admin.register(m.Subnet)
class SubnetAdmin(AuditedModelAdmin):
    list_display = ["network", "area", "group", "vlan", "description"]
    list_filter = ["area"]
    search_fields = ["network", "area", "group"]


@admin.register(m.IpAddress)
class IpAddressAdmin(ReadOnlyAdmin):
    list_display = ["address", "subnet", "status", "kind", "holder"]
    list_filter = ["status", "kind"]
    search_fields = ["=address", "holder"]
    list_select_related = ["subnet"]
