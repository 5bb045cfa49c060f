"""Department information columns of a store (STORE-5.2, decision 0803): a department's staff with the
content permission create columns in their own stores and enter, edit and delete information; an article
is public only after a reviewer (stores.review_storearticle, same data scope, not its author) approves it.
Every state change is a workflow history row; every write one audit record."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import AuditAction, audit_record
from apps.core.workflow import record_transition
from apps.stores.models import ArticleStatus, FlagshipStore, StoreArticle, StoreColumn
from apps.stores.services.kernel import require_in_scope, require_staff_permission

CONTENT_PERMISSION = "stores.maintain_store_content"
REVIEW_PERMISSION = "stores.review_storearticle"
_NO_CONTENT = _("您没有维护旗舰店内容的权限。")
_SCOPE = _("只能管理本单位及下级单位旗舰店的栏目。")


def store_column_create(*, actor, store: FlagshipStore, name: str, order: int = 0, request=None) -> StoreColumn:
    require_staff_permission(actor, CONTENT_PERMISSION, _NO_CONTENT)
    require_in_scope(actor, store, _SCOPE)
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationError({"name": _("请填写栏目名称（最多 60 个字）。")})
    try:
        with transaction.atomic():
            column = StoreColumn.objects.create(store=store, name=name, order=order, created_by=actor)
            audit_record(actor=actor, action=AuditAction.CREATE, obj=column, request=request,
                         detail=_("新增旗舰店栏目“%(n)s”") % {"n": name})
    except IntegrityError:
        raise ValidationError({"name": _("本旗舰店已有同名栏目。")}) from None
    return column


def store_column_delete(*, actor, column: StoreColumn, request=None) -> None:
    require_staff_permission(actor, CONTENT_PERMISSION, _NO_CONTENT)
    require_in_scope(actor, column, _SCOPE)
    count = column.articles.count()
    if count:
        raise ValidationError(_("栏目“%(n)s”下还有 %(c)s 条信息，请先删除后再删除栏目。") % {"n": column.name, "c": count})
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=column, request=request,
                     detail=_("删除旗舰店栏目“%(n)s”") % {"n": column.name})
        column.delete()


def _clean(data: dict) -> dict:
    title, body = (data.get("title") or "").strip(), (data.get("body") or "").strip()
    errors = {}
    if not title or len(title) > 120:
        errors["title"] = [_("请填写标题（最多 120 个字）。")]
    if not body:
        errors["body"] = [_("请填写正文。")]
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body}


def _move(article: StoreArticle, to: str, *, actor, action: str, comment: str = "") -> None:
    before = article.status
    article.status = to
    record_transition(obj=article, from_state=before, to_state=to, actor=actor, action=action, comment=comment)


def store_article_create(*, actor, column: StoreColumn, data: dict, submit: bool = False,
                         request=None) -> StoreArticle:
    """Enter an article (draft, or straight to review when `submit`)."""
    require_staff_permission(actor, CONTENT_PERMISSION, _NO_CONTENT)
    require_in_scope(actor, column, _SCOPE)
    values = _clean(data)
    with transaction.atomic():
        article = StoreArticle.objects.create(column=column, author=actor, **values)
        record_transition(obj=article, from_state="", to_state=ArticleStatus.DRAFT, actor=actor, action="create")
        if submit:
            _move(article, ArticleStatus.PENDING, actor=actor, action="submit")
            article.save(update_fields=["status"])
        audit_record(actor=actor, action=AuditAction.CREATE, obj=article, request=request,
                     detail=_("录入信息“%(t)s”") % {"t": article.title})
    return article


def store_article_update(*, actor, article: StoreArticle, data: dict, submit: bool = False,
                         request=None) -> StoreArticle:
    """Edit: a published or rejected article goes back to draft (or to review when `submit`) and leaves
    the public page until it is approved again."""
    require_staff_permission(actor, CONTENT_PERMISSION, _NO_CONTENT)
    require_in_scope(actor, article, _SCOPE)
    values = _clean(data)
    with transaction.atomic():
        current = StoreArticle.objects.select_for_update().get(pk=article.pk)
        if current.status == ArticleStatus.PENDING and not submit:
            raise ValidationError(_("信息正在审核中，不能修改。"))
        changes = {k: [getattr(current, k), v] for k, v in values.items() if getattr(current, k) != v}
        current.title, current.body = values["title"], values["body"]
        if current.status in (ArticleStatus.PUBLISHED, ArticleStatus.REJECTED):
            _move(current, ArticleStatus.DRAFT, actor=actor, action="edit")
            current.published_at = None
        if submit and current.status == ArticleStatus.DRAFT:
            _move(current, ArticleStatus.PENDING, actor=actor, action="submit")
        current.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request, changes=changes,
                     detail=_("修改信息“%(t)s”") % {"t": current.title})
    return current


def store_article_submit(*, actor, article: StoreArticle, request=None) -> StoreArticle:
    require_staff_permission(actor, CONTENT_PERMISSION, _NO_CONTENT)
    require_in_scope(actor, article, _SCOPE)
    with transaction.atomic():
        current = StoreArticle.objects.select_for_update().get(pk=article.pk)
        if current.status not in (ArticleStatus.DRAFT, ArticleStatus.REJECTED):
            raise ValidationError(_("只有草稿或已退回的信息可以提交审核。"))
        _move(current, ArticleStatus.PENDING, actor=actor, action="submit")
        current.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request,
                     changes={"status": [article.status, current.status]}, detail=_("提交审核"))
    return current


def store_article_review(*, actor, article: StoreArticle, approve: bool, comment: str = "",
                         request=None) -> StoreArticle:
    """审核: approve → published now; reject → back to the editor with a reason (required)."""
    require_staff_permission(actor, REVIEW_PERMISSION, _("您没有审核旗舰店信息的权限。"))
    require_in_scope(actor, article, _("只能审核本单位及下级单位旗舰店的信息。"))
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("退回时请填写审核意见。")})
    with transaction.atomic():
        current = StoreArticle.objects.select_for_update().get(pk=article.pk)
        if current.status != ArticleStatus.PENDING:
            raise ValidationError(_("该信息不在待审核状态。"))
        if current.author_id == actor.pk:
            raise PermissionDenied(_("不能审核自己录入的信息。"))
        to = ArticleStatus.PUBLISHED if approve else ArticleStatus.REJECTED
        _move(current, to, actor=actor, action="approve" if approve else "reject", comment=comment)
        current.reviewer, current.review_comment = actor, comment
        current.published_at = timezone.now() if approve else None
        current.save(update_fields=["status", "reviewer", "review_comment", "published_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, request=request,
                     changes={"status": [ArticleStatus.PENDING, to]},
                     detail=_("审核通过并发布") if approve else _("审核退回"))
    return current


def store_article_delete(*, actor, article: StoreArticle, request=None) -> None:
    require_staff_permission(actor, CONTENT_PERMISSION, _NO_CONTENT)
    require_in_scope(actor, article, _SCOPE)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.DELETE, obj=article, request=request,
                     detail=_("删除信息“%(t)s”") % {"t": article.title})
        article.delete()
