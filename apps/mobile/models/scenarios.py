"""Application scenario library (应用场景库, APP-2.6): built-in scenarios by government-service theme."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class ScenarioType(models.Model):
    """场景类型: a theme such as social security, taxation, vehicle/driving, provident fund."""

    name = models.CharField(_("场景类型"), max_length=64, unique=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("场景类型")
        verbose_name_plural = _("场景类型")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", _("待审核")
    APPROVED = "approved", _("审核通过")
    REJECTED = "rejected", _("审核退回")


class AppScenario(models.Model):
    """场景应用: one scenario application of the library, reviewed, detected and published."""

    organisation = models.ForeignKey("core.Organisation", verbose_name=_("提供单位"), on_delete=models.PROTECT,
                                     related_name="mobile_scenarios")
    scenario_type = models.ForeignKey(ScenarioType, verbose_name=_("场景类型"), on_delete=models.PROTECT,
                                      related_name="scenarios")
    name = models.CharField(_("场景名称"), max_length=64)
    url = models.URLField(_("场景地址"), max_length=300)
    description = models.CharField(_("场景说明"), max_length=500, blank=True)
    is_recommended = models.BooleanField(_("推荐"), default=False)
    status = models.CharField(_("审核状态"), max_length=16, choices=ScenarioStatus.choices,
                              default=ScenarioStatus.DRAFT)
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)
    is_published = models.BooleanField(_("已发布"), default=False)
    security_ok = models.BooleanField(_("安全检测通过"), null=True, blank=True)
    compatibility_ok = models.BooleanField(_("兼容性检测通过"), null=True, blank=True)
    report = models.JSONField(_("检测报告"), default=dict, blank=True)
    detected_at = models.DateTimeField(_("检测时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("场景应用")
        verbose_name_plural = _("场景应用")
        ordering = ["scenario_type__sort_order", "-is_recommended", "name"]

    def __str__(self) -> str:
        return self.name
