"""Upgrades of the original item library (MAT-7): temporary items (7.1, 7.2), online-handling address
errors from the intermediate DB (7.9), intermediary services (7.10), featured themes (7.11)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class TemporaryItem(models.Model):
    """临时填报事项: a non-standard item entered for the "应接尽接" effort; its free-form fields are
    reused later to pre-fill a standard declaration (MAT-7.1, 7.2)."""

    title = models.CharField(_("事项名称（临时）"), max_length=200)
    matter_type = models.CharField(_("事项类型"), max_length=2, blank=True)
    fields = models.JSONField(_("填报内容"), default=dict, help_text=_("自由填写的“要素名: 内容”"))
    department = models.ForeignKey(Organisation, verbose_name=_("填报部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    reused_as = models.ForeignKey("matters.CatalogueItem", verbose_name=_("已复用为"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("填报人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("临时填报事项")
        verbose_name_plural = _("临时填报事项")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class AddressErrorCategory(models.TextChoices):
    UNREACHABLE = "unreachable", _("地址无法访问")
    NOT_ITEM_PAGE = "not_item_page", _("非事项办理页面")
    EMPTY = "empty", _("地址为空")
    FORMAT = "format", _("格式错误")


class AddressError(models.Model):
    """网办地址错误: a row read from the intermediate DB's error table, corrected here (MAT-7.9)."""

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"),
                                            on_delete=models.CASCADE, related_name="address_errors")
    category = models.CharField(_("错误类别"), max_length=16, choices=AddressErrorCategory.choices)
    detail = models.CharField(_("错误说明"), max_length=255, blank=True)
    pc_url = models.URLField(_("PC端办理地址"), max_length=500, blank=True)
    mobile_url = models.URLField(_("移动端办理地址"), max_length=500, blank=True)
    online_url = models.URLField(_("网办地址"), max_length=500, blank=True)
    source_id = models.CharField(_("中间库记录号"), max_length=64, unique=True)
    department = models.ForeignKey(Organisation, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    detected_at = models.DateTimeField(_("发现时间"), null=True, blank=True)
    corrected_at = models.DateTimeField(_("纠正时间"), null=True, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("纠正人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("网办地址错误")
        verbose_name_plural = _("网办地址错误")
        ordering = ["corrected_at", "department__name", "pk"]
        indexes = [models.Index(fields=["department", "corrected_at"], name="matters_addrerr_dept_idx")]

    def __str__(self) -> str:
        return f"{self.implementation_item} · {self.get_category_display()}"


class IntermediaryService(models.Model):
    """中介服务事项: the elements of an intermediary service an item requires (MAT-7.10)."""

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"),
                                            on_delete=models.CASCADE, related_name="intermediary_services")
    name = models.CharField(_("中介服务事项名称"), max_length=200)
    legal_basis = models.TextField(_("设定依据"))
    provider_requirements = models.TextField(_("中介服务机构要求"), blank=True)
    time_limit_working_days = models.PositiveSmallIntegerField(_("服务时限（工作日）"), null=True, blank=True)
    is_charged = models.BooleanField(_("是否收费"), default=False)
    fee_basis = models.CharField(_("收费依据"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("中介服务事项")
        verbose_name_plural = _("中介服务事项")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class FeaturedTheme(models.Model):
    """特色主题分类: main classes and their sub-classes; provincial departments link items (MAT-7.11)."""

    name = models.CharField(_("主题名称"), max_length=100)
    parent = models.ForeignKey("self", verbose_name=_("主题大类"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="subclasses")
    catalogue_items = models.ManyToManyField("matters.CatalogueItem", verbose_name=_("关联事项"), blank=True,
                                             related_name="featured_themes")

    class Meta:
        verbose_name = _("特色主题分类")
        verbose_name_plural = _("特色主题分类")
        ordering = ["parent_id", "name"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="matters_theme_parent_name_uniq")]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name
