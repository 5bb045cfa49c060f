"""Reads of information publishing (信息发布, PORTAL-5.1).

Managing is scoped (apps.core.scope, via each model's scope_organisation_field); reading the
published home-page content is open to every staff user. The home page costs a fixed number of
queries however many columns and articles there are: one for the columns, one for the latest
articles of all of them (a window function keeps the newest `home_count` per column).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from apps.core.models import Organisation
from apps.core.scope import restrict
from apps.portal.models import WORK_PORTAL_POSITIONS, Article, ContentColumn

HOME_LIMIT_MAX = 20


def organisation_scope(user) -> Q | None:
    """The organisations whose columns `user` may manage (None: all) — the same rule as the
    data scope of ContentColumn: region-wide bodies their region, others their own subtree."""
    if user.is_superuser or getattr(user, "is_system_admin", False):
        return None
    organisation = user.organisation
    if organisation is None:
        return Q(pk__in=[])
    if organisation.is_region_wide:
        return Q(region__code__startswith=organisation.region.prefix)
    return Q(tree_path__startswith=organisation.tree_path)


def manageable_organisations(*, user) -> QuerySet[Organisation]:
    condition = organisation_scope(user)
    queryset = Organisation.objects.filter(is_enabled=True)
    return (queryset if condition is None else queryset.filter(condition)).order_by("region_id", "name")


def columns_for_user(*, user) -> QuerySet[ContentColumn]:
    return restrict(ContentColumn.objects.all(), user).select_related("organisation", "parent")


@dataclass
class ColumnRow:
    column: ContentColumn
    depth: int
    article_count: int = 0


def column_tree(*, user) -> list[ColumnRow]:
    """The columns the user manages as a depth-first tree (a column whose parent is out of scope
    starts its own branch). Two queries."""
    from django.db.models import Count

    columns = list(columns_for_user(user=user).annotate(article_total=Count("articles")).order_by("order", "id"))
    ids = {c.pk for c in columns}
    children: dict[int | None, list[ContentColumn]] = {}
    for column in columns:
        children.setdefault(column.parent_id if column.parent_id in ids else None, []).append(column)
    rows: list[ColumnRow] = []

    def walk(parent_id, depth):
        for column in children.get(parent_id, []):
            rows.append(ColumnRow(column, depth, column.article_total))
            walk(column.pk, depth + 1)

    walk(None, 1)
    return rows


def column_articles(*, user, column: ContentColumn) -> QuerySet[Article]:
    """Every article of a column the user manages (drafts included), newest first."""
    return restrict(Article.objects.filter(column=column), user).select_related("author")


def _published(queryset):
    return queryset.filter(is_published=True, published_at__lte=timezone.now())


def published_articles(*, column: ContentColumn) -> QuerySet[Article]:
    """A column's published articles, newest first (by category first when it is categorised)."""
    ordering = ["category"] if column.is_categorised else []
    return _published(Article.objects.filter(column=column)).order_by(*ordering, "-published_at", "-id")


def published_article(*, pk: int) -> Article | None:
    return (_published(Article.objects.filter(pk=pk, column__is_enabled=True))
            .select_related("column", "column__organisation", "author").first())


@dataclass
class HomeBlock:
    column: ContentColumn
    articles: list = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list]]:
        """The articles grouped by category (分类显示), categories in first-seen order."""
        ordered: dict[str, list] = {}
        for article in self.articles:
            ordered.setdefault(article.category, []).append(article)
        return list(ordered.items())


def _blocks(positions) -> list[HomeBlock]:
    """The enabled columns at `positions`, each with its latest published articles. Always two queries."""
    columns = list(ContentColumn.objects.filter(is_enabled=True, position__in=positions)
                   .filter(Q(parent__isnull=True) | Q(parent__is_enabled=True))
                   .order_by("order", "id"))
    blocks = {column.pk: HomeBlock(column) for column in columns}
    if blocks:
        ranked = (_published(Article.objects.filter(column_id__in=list(blocks)))
                  .annotate(rank=Window(RowNumber(), partition_by=[F("column_id")],
                                        order_by=[F("published_at").desc(), F("id").desc()]))
                  .filter(rank__lte=HOME_LIMIT_MAX).order_by("column_id", "rank"))
        for column_id, articles in groupby(ranked, key=lambda a: a.column_id):
            block = blocks[column_id]
            block.articles = list(articles)[: block.column.home_count]
    return list(blocks.values())


def home_blocks() -> dict[str, list[HomeBlock]]:
    """The work-portal home page's columns by position (main, side), with their latest articles."""
    result: dict[str, list[HomeBlock]] = {position: [] for position in WORK_PORTAL_POSITIONS}
    for block in _blocks(WORK_PORTAL_POSITIONS):
        result[block.column.position].append(block)
    return result


def zone_blocks(position: str) -> list[HomeBlock]:
    """A public zone's columns (自贸区专栏, 对俄服务专区) with their latest articles."""
    return _blocks([position])


def zone_article(*, pk: int, position: str) -> Article | None:
    """A published article of an enabled column shown in the public zone at `position`."""
    return (_published(Article.objects.filter(pk=pk, column__is_enabled=True, column__position=position))
            .select_related("column").first())


def articles_for_user(*, user) -> QuerySet[Article]:
    return restrict(Article.objects.all(), user).select_related("column")


def enabled_columns() -> QuerySet[ContentColumn]:
    return ContentColumn.objects.filter(is_enabled=True).select_related("parent", "organisation")


def enabled_children(*, column: ContentColumn) -> list[ContentColumn]:
    return list(ContentColumn.objects.filter(parent=column, is_enabled=True).order_by("order", "id"))
