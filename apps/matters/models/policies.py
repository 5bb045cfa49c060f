"""Policy and regulation centre (政策法规中心, MAT-3.3.2.1–3.3.2.3): policy documents, their
interpretations and news, tags, subscriptions, law sources and the laws cited as items' legal basis.
Laws themselves are `KnowledgeEntry` rows of kind "law" (MAT-3.3.2)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class PolicyKind(models.TextChoices):
    DOCUMENT = "document", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    NEWS = "news", _("政策资讯")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class PolicyTag(models.Model):
    """政策标签 / 法规标签: a label on policies and laws; subscribers follow tags."""

    name = models.CharField(_("标签名称"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策法规标签")
        verbose_name_plural = _("政策法规标签")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Policy(models.Model):
    """A policy document, an interpretation of one (解读 → `interprets`) or a policy news item.
    Drafts are visible to the issuing department's region; published ones to everybody."""

    kind = models.CharField(_("类型"), max_length=16, choices=PolicyKind.choices, default=PolicyKind.DOCUMENT)
    title = models.CharField(_("标题"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=64, blank=True)
    content = models.TextField(_("正文"))
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=200, editable=False, db_index=True)
    issuer = models.ForeignKey(Organisation, verbose_name=_("发布部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    interprets = models.ForeignKey("self", verbose_name=_("解读的政策"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="interpretations")
    for_legal_person = models.BooleanField(_("涉企（法人）政策"), default=False)
    source_url = models.URLField(_("来源地址"), max_length=500, blank=True)
    tags = models.ManyToManyField(PolicyTag, verbose_name=_("标签"), blank=True, related_name="policies")
    catalogue_items = models.ManyToManyField("matters.CatalogueItem", verbose_name=_("相关事项"), blank=True,
                                             related_name="policies")
    status = models.CharField(_("状态"), max_length=12, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    views = models.PositiveIntegerField(_("浏览次数"), default=0)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("维护人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "issuer"

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["-published_at", "-pk"]
        permissions = [("publish_policy", _("可以发布政策"))]
        indexes = [models.Index(fields=["status", "kind", "-published_at"], name="matters_policy_latest_idx"),
                   models.Index(fields=["status", "-views"], name="matters_policy_popular_idx"),
                   models.Index(fields=["issuer", "status"], name="matters_policy_issuer_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("matters-public:policy-detail", args=[self.pk])


class PolicySubscription(models.Model):
    """政策订阅: a user follows a tag; new published policies with it appear in the user's feed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("订阅人"), on_delete=models.CASCADE,
                             related_name="policy_subscriptions")
    tag = models.ForeignKey(PolicyTag, verbose_name=_("标签"), on_delete=models.CASCADE, related_name="subscriptions")
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政策订阅")
        verbose_name_plural = _("政策订阅")
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="matters_policy_sub_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.tag}"


class LawSource(models.Model):
    """法规来源: where laws are collected from (a gazette, a database, a website)."""

    name = models.CharField(_("来源名称"), max_length=100, unique=True)
    url = models.URLField(_("来源地址"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("法规来源")
        verbose_name_plural = _("法规来源")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LawItemLink(models.Model):
    """A law (a `KnowledgeEntry` of kind law) cited as the legal basis (设定依据) of a catalogue item,
    with the article cited."""

    law = models.ForeignKey("matters.KnowledgeEntry", verbose_name=_("法律法规"), on_delete=models.CASCADE,
                            related_name="item_links")
    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"),
                                       on_delete=models.CASCADE, related_name="law_links")
    article = models.CharField(_("条款"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关联人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("设定依据关联")
        verbose_name_plural = _("设定依据关联")
        constraints = [models.UniqueConstraint(fields=["law", "catalogue_item"], name="matters_law_item_unique")]

    def __str__(self) -> str:
        return f"{self.catalogue_item} ← {self.law}"
