"""Item optimisation (事项优化, MAT-5.3/5.4): error corrections (纠错) and dynamic inspection tags (动态标签)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet
from apps.matters.models.elements import _owner_constraint

# Tabs of the item page on which a problem can be registered (MAT-5.3.1).
CORRECTION_TABS = [("elements", _("基本信息")), ("materials", _("申请材料")), ("steps", _("办理环节")),
                   ("fees", _("收费项目")), ("situations", _("办理情形"))]


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    FIXED = "fixed", _("已处理待复核")
    CLOSED = "closed", _("复核通过")


class CorrectionRequest(models.Model):
    """纠错: a problem an inspector registered on one tab of an item, handled by the owning department."""

    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="corrections")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="corrections")
    tab = models.CharField(_("页签"), max_length=16, choices=CORRECTION_TABS)
    field = models.CharField(_("问题要素"), max_length=64, blank=True)
    description = models.TextField(_("问题描述"))
    upper_platform = models.BooleanField(_("须在上级平台修改"), default=False)
    status = models.CharField(_("状态"), max_length=12, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN)
    result = models.TextField(_("处理结果"), blank=True)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Organisation, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("事项纠错")
        verbose_name_plural = _("事项纠错")
        ordering = ["-created_at", "-pk"]
        constraints = [_owner_constraint("matters_correction_one_owner")]
        indexes = [models.Index(fields=["department", "status"], name="matters_corr_dept_idx"),
                   models.Index(fields=["reported_by", "status"], name="matters_corr_reporter_idx")]

    def __str__(self) -> str:
        return f"{self.matter} · {self.get_tab_display()}"

    @property
    def matter(self):
        return self.catalogue_item or self.implementation_item


class MatterTag(models.Model):
    """事项标签: system-reserved (administrator) or custom (any user), granted to inspectors."""

    name = models.CharField(_("标签名称"), max_length=64)
    description = models.TextField(_("标签描述"), blank=True)
    is_reserved = models.BooleanField(_("系统预留"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("事项标签")
        verbose_name_plural = _("事项标签")
        ordering = ["-is_reserved", "name"]

    def __str__(self) -> str:
        return self.name


class TagGrant(models.Model):
    """A tag made visible to a user; `can_maintain` lets the grantee tag items and report completion."""

    tag = models.ForeignKey(MatterTag, verbose_name=_("标签"), on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("被授权人"), on_delete=models.CASCADE,
                             related_name="+")
    can_maintain = models.BooleanField(_("可维护"), default=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("授权人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("标签授权")
        verbose_name_plural = _("标签授权")
        constraints = [models.UniqueConstraint(fields=["tag", "user"], name="matters_tag_grant_uniq")]

    def __str__(self) -> str:
        return f"{self.tag} → {self.user}"


class TaggedItem(models.Model):
    """A tag on one item, with the handler's check result (已完成 / 未完成)."""

    tag = models.ForeignKey(MatterTag, verbose_name=_("标签"), on_delete=models.CASCADE, related_name="tagged")
    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="tags")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="tags")
    department = models.ForeignKey(Organisation, verbose_name=_("事项所属部门"), on_delete=models.PROTECT,
                                   related_name="+")
    is_done = models.BooleanField(_("已完成"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("标签事项")
        verbose_name_plural = _("标签事项")
        constraints = [
            _owner_constraint("matters_tagged_one_owner"),
            models.UniqueConstraint(fields=["tag", "catalogue_item"], name="matters_tagged_cat_uniq"),
            models.UniqueConstraint(fields=["tag", "implementation_item"], name="matters_tagged_imp_uniq"),
        ]
        indexes = [models.Index(fields=["tag", "department"], name="matters_tagged_dept_idx")]

    def __str__(self) -> str:
        return f"{self.tag} · {self.matter}"

    @property
    def matter(self):
        return self.catalogue_item or self.implementation_item
