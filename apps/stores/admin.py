"""Admin of the flagship stores: every model, with list filters and search."""
from django.contrib import admin

from apps.core.admin.audit import AuditedModelAdmin
from apps.stores import models as m


@admin.register(m.StoreTemplate)
class StoreTemplateAdmin(AuditedModelAdmin):
    list_display = ["name", "level", "organisation", "city", "theme_colour"]
    list_filter = ["level"]
    search_fields = ["name", "organisation__name", "city__name"]
    raw_id_fields = ["organisation", "city"]


@admin.register(m.FlagshipStore)
class FlagshipStoreAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "level", "organisation", "region", "template", "is_published"]
    list_filter = ["level", "is_published"]
    search_fields = ["name", "slug", "organisation__name"]
    raw_id_fields = ["organisation", "region", "template"]


@admin.register(m.StoreService)
class StoreServiceAdmin(AuditedModelAdmin):
    list_display = ["title", "store", "is_high_frequency", "enquiry_phone", "support_phone", "is_published"]
    list_filter = ["is_published", "is_high_frequency"]
    search_fields = ["title", "matter_code", "store__name"]
    raw_id_fields = ["store", "implementation_item"]


@admin.register(m.StoreAuthentication)
class StoreAuthenticationAdmin(AuditedModelAdmin):
    list_display = ["user", "method", "verified_at", "valid_until"]
    list_filter = ["method"]
    search_fields = ["user__username", "reference"]
    raw_id_fields = ["user"]


@admin.register(m.StoreColumn)
class StoreColumnAdmin(AuditedModelAdmin):
    list_display = ["name", "store", "order", "created_at"]
    list_filter = ["store__level"]
    search_fields = ["name", "store__name"]
    raw_id_fields = ["store", "created_by"]


@admin.register(m.StoreArticle)
class StoreArticleAdmin(AuditedModelAdmin):
    list_display = ["title", "column", "status", "author", "reviewer", "published_at"]
    list_filter = ["status"]
    search_fields = ["title", "column__name"]
    raw_id_fields = ["column", "author", "reviewer"]


@admin.register(m.ZoneMatter)
class ZoneMatterAdmin(AuditedModelAdmin):
    list_display = ["name", "zone", "classification", "supplying_department", "is_identity_connected", "is_enabled"]
    list_filter = ["zone", "is_identity_connected", "is_enabled"]
    search_fields = ["name", "matter_code", "classification"]
    raw_id_fields = ["implementation_item", "supplying_department"]


@admin.register(m.PartnerProvinceSite)
class PartnerProvinceSiteAdmin(AuditedModelAdmin):
    list_display = ["name", "code", "home_url", "is_national_zone", "is_enabled"]
    list_filter = ["is_national_zone", "is_enabled"]
    search_fields = ["name", "code"]


@admin.register(m.KeywordAssociation)
class KeywordAssociationAdmin(AuditedModelAdmin):
    list_display = ["keyword", "associated_words", "is_enabled", "updated_at"]
    list_filter = ["is_enabled"]
    search_fields = ["keyword"]


@admin.register(m.RecommendedMatter)
class RecommendedMatterAdmin(AuditedModelAdmin):
    list_display = ["name", "matter_code", "order", "valid_from", "valid_to"]
    list_filter = ["valid_from", "valid_to"]
    search_fields = ["name", "matter_code"]
    raw_id_fields = ["implementation_item", "created_by"]


@admin.register(m.ProofListEntry)
class ProofListEntryAdmin(AuditedModelAdmin):
    list_display = ["name", "status", "department", "decided_on"]
    list_filter = ["status"]
    search_fields = ["name", "department__name"]
    raw_id_fields = ["department"]


@admin.register(m.EnterpriseMessage)
class EnterpriseMessageAdmin(AuditedModelAdmin):
    list_display = ["title", "enterprise", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "source_key", "enterprise__username"]
    raw_id_fields = ["enterprise"]


@admin.register(m.EnterpriseTypePolicyTag)
class EnterpriseTypePolicyTagAdmin(AuditedModelAdmin):
    list_display = ["enterprise_type", "tag"]
    list_filter = ["enterprise_type"]
    search_fields = ["tag__name"]


@admin.register(m.ServiceSubscription)
class ServiceSubscriptionAdmin(AuditedModelAdmin):
    list_display = ["enterprise", "service", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["enterprise__username", "service__title"]
    raw_id_fields = ["enterprise", "service"]
