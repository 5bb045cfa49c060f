"""Department information columns of a store (信息发布栏目, STORE-5.2) and their articles, which become
public only after review (审核). Decision 0803."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class StoreColumn(models.Model):
    """信息发布栏目 of one store, created by that store's department."""

    store = models.ForeignKey("stores.FlagshipStore", verbose_name=_("旗舰店"), on_delete=models.PROTECT,
                              related_name="columns")
    name = models.CharField(_("栏目名称"), max_length=60)
    order = models.PositiveIntegerField(_("排序"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "store__organisation"

    class Meta:
        verbose_name = _("旗舰店信息栏目")
        verbose_name_plural = _("旗舰店信息栏目")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="stores_column_name_uniq")]
        permissions = [("review_storearticle", _("审核旗舰店信息"))]

    def __str__(self) -> str:
        return self.name


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("已退回")


class StoreArticle(models.Model):
    """信息: draft → pending (submitted) → published (approved) | rejected (back to the editor, who edits
    and resubmits). Editing a published article takes it back to draft until it is reviewed again."""

    column = models.ForeignKey(StoreColumn, verbose_name=_("所属栏目"), on_delete=models.PROTECT,
                               related_name="articles")
    title = models.CharField(_("标题"), max_length=120)
    body = models.TextField(_("正文"))
    status = models.CharField(_("状态"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    review_comment = models.CharField(_("审核意见"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "column__store__organisation"

    class Meta:
        verbose_name = _("旗舰店信息")
        verbose_name_plural = _("旗舰店信息")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["column", "status", "-published_at"], name="stores_article_pub_idx")]

    def __str__(self) -> str:
        return self.title
