"""Admin of mobile: every model with list columns, filters and search."""
from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.mobile import models as m

CONFIG = {
    m.InterfaceCategory: (["code", "name", "parent", "sort_order"], ["parent"], ["code", "name"]),
    m.ResourceCatalogue: (["code", "name", "organisation", "is_published", "created_at"], ["is_published"],
                          ["code", "name", "organisation__name"]),
    m.InterfaceResource: (["code", "name", "organisation", "version", "status", "is_listed", "is_public", "health"],
                          ["status", "is_listed", "is_public", "health", "category"],
                          ["code", "name", "organisation__name"]),
    m.InterfaceReview: (["resource", "decision", "reviewer", "reviewed_at", "batch"], ["decision"],
                        ["resource__code", "reason"]),
    m.InterfaceTest: (["resource", "ok", "status_code", "latency_ms", "tested_at"], ["ok"], ["resource__code"]),
    m.WithdrawalRequest: (["resource", "status", "requested_by", "created_at", "reviewed_at"], ["status"],
                          ["resource__code", "reason"]),
    m.InterfaceSubscription: (["organisation", "resource", "status", "created_at", "reviewed_at"], ["status"],
                              ["organisation__name", "resource__code"]),
    m.InterfaceLog: (["at", "module", "action", "operator_name", "organisation", "app", "resource"],
                     ["module", "at"], ["action", "detail", "operator_name"]),
    m.InterfaceCallDay: (["resource", "day", "calls", "failures"], ["day"], ["resource__code"]),
    m.AppType: (["code", "name", "sort_order"], [], ["code", "name"]),
    m.Component: (["code", "name", "kind", "is_open", "sort_order"], ["kind", "is_open"], ["code", "name"]),
    m.Channel: (["code", "name", "is_enabled"], ["is_enabled"], ["code", "name"]),
    m.MobileApp: (["name", "identifier", "organisation", "app_type", "review_status", "listing_status",
                   "listing_mode", "health"], ["review_status", "listing_status", "listing_mode", "health", "app_type"],
                  ["name", "identifier", "organisation__name"]),
    m.AppVersion: (["app", "version", "created_at"], [], ["app__name", "version"]),
    m.AppComponentPermission: (["app", "component", "enabled", "updated_at"], ["enabled", "component"],
                               ["app__name"]),
    m.AppInterfaceBinding: (["app", "resource", "created_at"], [], ["app__name", "resource__code"]),
    m.AppReview: (["app", "detected_at", "connectivity_ok", "security_ok", "compatibility_ok", "stress_ok",
                   "decision"], ["decision", "connectivity_ok"], ["app__name"]),
    m.AppAnomaly: (["app", "risk_category", "status", "detected_at", "resolved_at"], ["risk_category", "status"],
                   ["app__name"]),
    m.AppVisitDay: (["app", "day", "opens", "gateway_calls"], ["day"], ["app__name"]),
    m.UserBinding: (["app", "open_id", "app_account", "created_at"], ["app"], ["open_id", "app_account"]),
    m.PushMessage: (["app", "title", "request_id", "created_at", "delivered_at"], ["app"], ["title", "request_id"]),
    m.ScenarioType: (["name", "sort_order"], [], ["name"]),
    m.AppScenario: (["name", "scenario_type", "organisation", "status", "is_published", "is_recommended"],
                 ["status", "is_published", "is_recommended", "scenario_type"], ["name", "url"]),
}

for model, (display, filters, search) in CONFIG.items():
    admin.site.register(model, type(f"{model.__name__}Admin", (AuditedModelAdmin,), {
        "list_display": display, "list_filter": filters, "search_fields": search,
        "exclude": ["key_digest"] if model is m.MobileApp else None}))
