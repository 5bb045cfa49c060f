"""Writes of information publishing (信息发布, PORTAL-5.1): content columns and their articles.

Every write: permission and data-scope check, validation (bad input writes nothing), one
transaction, one audit record. Rules (docs/decisions/0702-portal-information-columns.md):

* a column's owning organisation must be inside the actor's data scope (apps.core.scope): an
  organisation's staff manage its columns and those of the organisations below it, a region-wide
  bureau its region, the province everything;
* columns form a tree at most COLUMN_MAX_DEPTH levels deep and never a cycle;
* a column that still has sub-columns or articles cannot be deleted (empty it first);
* articles are plain text; publishing stamps the publish time if none is given.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.core.models import Organisation
from apps.core.scope import can_see
from apps.portal.selectors_columns import manageable_organisations
from apps.portal.models import COLUMN_MAX_DEPTH, Article, ColumnModel, ContentColumn, DisplayPosition  # noqa: F401

COLUMN_PERMISSION = "portal.manage_contentcolumn"
ARTICLE_PERMISSION = "portal.manage_article"
COLUMN_FIELDS = ["name", "parent", "organisation", "column_model", "position", "is_categorised", "display_mode",
                 "link_url", "home_count", "order", "is_enabled"]
ARTICLE_FIELDS = ["title", "category", "summary", "body", "title_ru", "summary_ru", "body_ru", "image_url",
                  "is_published", "published_at"]


def _check_staff(actor, permission: str, message: str) -> None:
    if not (getattr(actor, "is_staff_user", False) or actor.is_superuser) or not actor.has_perm(permission):
        raise PermissionDenied(message)


def _check_column_scope(actor, column: ContentColumn) -> None:
    if not can_see(actor, column):
        raise PermissionDenied(_("只能管理本单位及下级单位的栏目。"))


def column_depth(column: ContentColumn | None) -> int:
    """Levels from the root down to `column` (a root column is level 1); 0 for None."""
    depth = 0
    while column is not None:
        depth += 1
        column = column.parent
    return depth


def subtree_height(column: ContentColumn) -> int:
    """Levels of `column`'s subtree including itself (1 for a leaf); one query per level."""
    height, level = 1, [column.pk]
    while True:
        level = list(ContentColumn.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        if not level:
            return height
        height += 1


def _clean_column(actor, data: dict, column: ContentColumn | None) -> dict:
    errors: dict[str, list] = {}
    name = (data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("请填写栏目名称。")]
    organisation, parent = data.get("organisation"), data.get("parent")
    if not isinstance(organisation, Organisation):
        errors["organisation"] = [_("请选择栏目归属机构。")]
    elif not manageable_organisations(user=actor).filter(pk=organisation.pk).exists():
        errors["organisation"] = [_("只能选择本单位或下级单位作为栏目归属机构。")]
    if parent is not None:
        if not can_see(actor, parent):
            errors["parent"] = [_("只能在本单位及下级单位的栏目下添加下级栏目。")]
        elif column is not None and column.pk is not None:
            ancestor = parent
            while ancestor is not None:
                if ancestor.pk == column.pk:
                    errors["parent"] = [_("不能把栏目移到它自己或它的下级栏目之下。")]
                    break
                ancestor = ancestor.parent
    if "parent" not in errors:
        height = subtree_height(column) if column is not None and column.pk else 1
        if column_depth(parent) + height > COLUMN_MAX_DEPTH:
            errors["parent"] = [_("栏目最多 %(max)s 级，不能再添加下级栏目。") % {"max": COLUMN_MAX_DEPTH}]
    if data.get("column_model") == ColumnModel.LINK and not data.get("link_url"):
        errors["link_url"] = [_("栏目模型为“外部链接”时请填写链接地址。")]
    if errors:
        raise ValidationError(errors)
    return {**{name_: data.get(name_) for name_ in COLUMN_FIELDS if name_ in data}, "name": name}


def _value(value):
    return value.pk if hasattr(value, "pk") else (value.isoformat() if hasattr(value, "isoformat") else value)


def column_create(*, actor, data: dict, request=None) -> ContentColumn:
    """PORTAL-5.1 1)–3): add a column (a sub-column when data["parent"] is set)."""
    _check_staff(actor, COLUMN_PERMISSION, _("您没有管理信息发布栏目的权限。"))
    with transaction.atomic():
        cleaned = _clean_column(actor, data, None)
        column = ContentColumn.objects.create(created_by=actor, **cleaned)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=column, request=request,
                     changes={k: [None, _value(v)] for k, v in cleaned.items()},
                     detail=_("新增栏目“%(name)s”") % {"name": column.name})
    return column


def column_update(*, actor, column: ContentColumn, data: dict, request=None) -> ContentColumn:
    """Modify a column: its attributes and, within the depth limit and without cycles, its parent."""
    _check_staff(actor, COLUMN_PERMISSION, _("您没有管理信息发布栏目的权限。"))
    _check_column_scope(actor, column)
    with transaction.atomic():
        current = ContentColumn.objects.select_for_update().get(pk=column.pk)
        cleaned = _clean_column(actor, data, current)
        changes = {k: [_value(getattr(current, k)), _value(v)] for k, v in cleaned.items()
                   if _value(getattr(current, k)) != _value(v)}
        if not changes:
            return current
        for key, value in cleaned.items():
            setattr(current, key, value)
        current.save(update_fields=[*cleaned, "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request, changes=changes,
                     detail=_("修改栏目“%(name)s”") % {"name": current.name})
    return current


def column_delete(*, actor, column: ContentColumn, request=None) -> None:
    """Delete an empty column; refused while it has sub-columns or articles."""
    _check_staff(actor, COLUMN_PERMISSION, _("您没有管理信息发布栏目的权限。"))
    _check_column_scope(actor, column)
    with transaction.atomic():
        current = ContentColumn.objects.select_for_update().get(pk=column.pk)
        children, articles = current.children.count(), current.articles.count()
        if children or articles:
            raise ValidationError(_("栏目“%(name)s”下还有 %(children)s 个下级栏目、%(articles)s 条信息，"
                                    "请先删除或移走后再删除栏目。")
                                  % {"name": current.name, "children": children, "articles": articles})
        audit_record(actor=actor, action=AuditAction.DELETE, obj=current, request=request,
                     detail=_("删除栏目“%(name)s”") % {"name": current.name})
        current.delete()


# --- Articles --------------------------------------------------------------------------------------

def _clean_article(data: dict, column: ContentColumn) -> dict:
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": [_("请填写标题。")]})
    cleaned = {name: data.get(name) for name in ARTICLE_FIELDS if name in data}
    cleaned["title"] = title
    for name in ("category", "summary", "body", "title_ru", "summary_ru", "body_ru", "image_url"):
        cleaned[name] = (cleaned.get(name) or "").strip()
    if column.position == DisplayPosition.PUBLIC_RUSSIA and not cleaned["title_ru"]:
        raise ValidationError({"title_ru": [_("对俄服务专区为中俄双语，请填写俄文标题。")]})
    cleaned["is_published"] = bool(cleaned.get("is_published"))
    if cleaned["is_published"] and not cleaned.get("published_at"):
        cleaned["published_at"] = timezone.now()
    return cleaned


def _check_article_actor(actor, column: ContentColumn) -> None:
    _check_staff(actor, ARTICLE_PERMISSION, _("您没有维护栏目信息的权限。"))
    if not can_see(actor, column):
        raise PermissionDenied(_("只能维护本单位及下级单位栏目中的信息。"))


def article_create(*, actor, column: ContentColumn, data: dict, request=None) -> Article:
    """Add an article to a column (any level, including sub-columns)."""
    _check_article_actor(actor, column)
    cleaned = _clean_article(data, column)
    with transaction.atomic():
        article = Article.objects.create(column=column, author=actor, **cleaned)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=article, request=request,
                     changes={k: [None, _value(v)] for k, v in cleaned.items() if k != "body"},
                     detail=_("在栏目“%(column)s”发布信息“%(title)s”") % {"column": column.name, "title": article.title})
    return article


def article_update(*, actor, article: Article, data: dict, request=None) -> Article:
    _check_article_actor(actor, article.column)
    cleaned = _clean_article(data, article.column)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        changes = {k: [_value(getattr(current, k)), _value(v)] for k, v in cleaned.items()
                   if _value(getattr(current, k)) != _value(v)}
        if not changes:
            return current
        for key, value in cleaned.items():
            setattr(current, key, value)
        current.save(update_fields=[*cleaned, "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request,
                     changes={k: v for k, v in changes.items() if k != "body"},
                     detail=_("修改信息“%(title)s”") % {"title": current.title})
    return current


def article_delete(*, actor, article: Article, request=None) -> None:
    _check_article_actor(actor, article.column)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=article, request=request,
                     detail=_("删除信息“%(title)s”") % {"title": article.title})
        article.delete()
