"""Reads of flagship stores, zones, recommendations and proofs; public reads return only published rows,
portal reads are cut to the user's data scope (apps.core.scope)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.scope import restrict
from apps.stores.models import (
    ArticleStatus, FlagshipStore, PartnerProvinceSite, ProofListEntry, ProofStatus, RecommendedMatter, StoreArticle,
    StoreColumn, StoreLevel, StoreService, ZoneMatter,
)

COLUMN_LATEST = 5


# --- public ------------------------------------------------------------------------------------

def store_directory() -> dict[str, list[FlagshipStore]]:
    """STORE-4.5: every published store by level, for the entry page of the platform (one query)."""
    grouped: dict[str, list[FlagshipStore]] = defaultdict(list)
    for store in (FlagshipStore.objects.published().select_related("region", "template")
                  .order_by("level", "order", "id")):
        grouped[store.level].append(store)
    return {level: grouped.get(level, []) for level in StoreLevel.values}


def published_store(slug: str) -> FlagshipStore:
    store = (FlagshipStore.objects.published().select_related("template", "region", "organisation")
             .filter(slug=slug).first())
    if store is None:
        raise Http404(_("旗舰店不存在或未发布。"))
    return store


def store_services(store: FlagshipStore) -> list[StoreService]:
    return list(store.services.filter(is_published=True).order_by("order", "id"))


def store_columns(store: FlagshipStore) -> list[StoreColumn]:
    """The store's columns, each with its latest published articles (two queries)."""
    latest = StoreArticle.objects.filter(status=ArticleStatus.PUBLISHED).order_by("-published_at", "-id")
    columns = list(store.columns.prefetch_related(Prefetch("articles", queryset=latest, to_attr="published")))
    for column in columns:
        column.published = column.published[:COLUMN_LATEST]
    return columns


def sub_stores(store: FlagshipStore) -> list[FlagshipStore]:
    """A city store's county and township stores; a county store's township stores."""
    if store.level not in (StoreLevel.CITY, StoreLevel.COUNTY):
        return []
    levels = [StoreLevel.COUNTY, StoreLevel.TOWNSHIP] if store.level == StoreLevel.CITY else [StoreLevel.TOWNSHIP]
    return list(FlagshipStore.objects.published().filter(level__in=levels, region__code__startswith=store.region.prefix)
                .select_related("region").order_by("level", "order", "id"))


def published_service(store: FlagshipStore, pk: int) -> StoreService:
    service = store.services.filter(pk=pk, is_published=True).first()
    if service is None:
        raise Http404(_("服务事项不存在或未发布。"))
    return service


def published_article(store: FlagshipStore, pk: int) -> StoreArticle:
    article = (StoreArticle.objects.filter(pk=pk, column__store=store, status=ArticleStatus.PUBLISHED)
               .select_related("column").first())
    if article is None:
        raise Http404(_("信息不存在或未发布。"))
    return article


def current_recommendations(*, today: date | None = None, limit: int = 12) -> QuerySet[RecommendedMatter]:
    """STORE-2.e: recommendations whose validity window holds today, in the configured order."""
    today = today or timezone.localdate()
    return (RecommendedMatter.objects.filter(valid_from__lte=today, valid_to__gte=today)
            .select_related("implementation_item").order_by("order", "id")[:limit])


def zone_matters(zone: str, *, classification: str = "") -> QuerySet[ZoneMatter]:
    rows = (ZoneMatter.objects.filter(zone=zone, is_enabled=True)
            .select_related("implementation_item", "supplying_department").order_by("classification", "order", "id"))
    if classification:
        rows = rows.filter(classification=classification)
    return rows


def zone_classifications(zone: str) -> list[str]:
    return list(ZoneMatter.objects.filter(zone=zone, is_enabled=True).order_by("classification")
                .values_list("classification", flat=True).distinct())


def partner_sites() -> QuerySet[PartnerProvinceSite]:
    return PartnerProvinceSite.objects.filter(is_enabled=True).order_by("order", "id")


def proof_lists(*, q: str = "") -> dict[str, list[ProofListEntry]]:
    """STORE-2.h: the retained and the voided proofs, separately (one query)."""
    rows = ProofListEntry.objects.select_related("department").order_by("name")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(department__name__icontains=q))
    lists: dict[str, list[ProofListEntry]] = {ProofStatus.RETAINED: [], ProofStatus.VOIDED: []}
    for row in rows:
        lists[row.status].append(row)
    return lists


def power_entries_for_item(item_id: int) -> list:
    """STORE-2.g: the 权责清单 entries departments linked to an implementation item (apps.matters' links)."""
    from apps.matters.models import PowerListEntry

    return list(PowerListEntry.objects.filter(links__implementation_item_id=item_id)
                .select_related("department").order_by("code"))


# --- work portal -------------------------------------------------------------------------------

def stores_for_user(*, user) -> QuerySet[FlagshipStore]:
    return (restrict(FlagshipStore.objects.all(), user).select_related("organisation", "region", "template")
            .annotate(service_count=Count("services", distinct=True)).order_by("level", "order", "id"))


def access_store(user, pk) -> FlagshipStore:
    store = restrict(FlagshipStore.objects.select_related("organisation", "region", "template"), user) \
        .filter(pk=pk).first()
    if store is None:
        raise Http404(_("旗舰店不存在或不在您的管理范围内。"))
    return store


def access_service(user, store: FlagshipStore, pk) -> StoreService:
    service = store.services.filter(pk=pk).first()
    if service is None:
        raise Http404(_("服务事项不存在。"))
    return service


def columns_for_store(*, store: FlagshipStore) -> QuerySet[StoreColumn]:
    return store.columns.annotate(article_count=Count("articles")).order_by("order", "id")


def access_column(user, pk) -> StoreColumn:
    column = restrict(StoreColumn.objects.select_related("store"), user).filter(pk=pk).first()
    if column is None:
        raise Http404(_("栏目不存在或不在您的管理范围内。"))
    return column


def access_article(user, pk) -> StoreArticle:
    article = restrict(StoreArticle.objects.select_related("column__store", "author", "reviewer"), user) \
        .filter(pk=pk).first()
    if article is None:
        raise Http404(_("信息不存在或不在您的管理范围内。"))
    return article


def articles_to_review(*, user) -> QuerySet[StoreArticle]:
    return (restrict(StoreArticle.objects.filter(status=ArticleStatus.PENDING), user)
            .select_related("column__store", "author").order_by("updated_at"))


def zone_matters_for_user(*, user) -> QuerySet[ZoneMatter]:
    return restrict(ZoneMatter.objects.all(), user).select_related("supplying_department") \
        .order_by("zone", "classification", "order", "id")
