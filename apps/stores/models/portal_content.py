"""Portal-wide content the portal administrators keep (STORE-2.e, 2.f, 2.h): search keyword associations,
recommended matters and the online proofs lists."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation


class KeywordAssociation(models.Model):
    """关键字关联: a search keyword and the associated words a search for it also matches (STORE-2.f)."""

    keyword = models.CharField(_("关键字"), max_length=40, unique=True)
    associated_words = models.JSONField(_("关联词"), default=list)
    is_enabled = models.BooleanField(_("启用"), default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("维护人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("搜索关键字关联")
        verbose_name_plural = _("搜索关键字关联")
        ordering = ["keyword"]
        permissions = [("manage_keywordassociation", _("维护搜索关键字关联"))]

    def __str__(self) -> str:
        return self.keyword


class RecommendedMatter(models.Model):
    """推荐事项: a matter fetched by its 33-digit code from the standardised matter library, shown on the
    portal home page and the user centre in `order` while today lies in [valid_from, valid_to]."""

    matter_code = models.CharField(_("事项编码"), max_length=33)
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"),
                                            on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("事项名称"), max_length=200)
    department_name = models.CharField(_("实施主体"), max_length=128)
    order = models.PositiveIntegerField(_("推荐顺序"), default=0)
    valid_from = models.DateField(_("推荐开始日期"))
    valid_to = models.DateField(_("推荐结束日期"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("设置时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("推荐事项")
        verbose_name_plural = _("推荐事项")
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["valid_from", "valid_to", "order"], name="stores_recommend_valid_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                              name="stores_recommend_window_ordered")]
        permissions = [("manage_recommendedmatter", _("设置推荐事项"))]

    def __str__(self) -> str:
        return self.name


class ProofStatus(models.TextChoices):
    RETAINED = "retained", _("保留证明")
    VOIDED = "voided", _("已作废证明")


class ProofListEntry(models.Model):
    """网上证明专栏: one proof of the province's retained or voided proofs lists (STORE-2.h)."""

    name = models.CharField(_("证明名称"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=ProofStatus.choices)
    department = models.ForeignKey(Organisation, verbose_name=_("开具/取消部门"), on_delete=models.PROTECT,
                                   related_name="+")
    basis = models.TextField(_("依据"), blank=True)
    notes = models.CharField(_("备注（替代方式）"), max_length=300, blank=True)
    decided_on = models.DateField(_("公布日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("证明清单事项")
        verbose_name_plural = _("证明清单事项")
        ordering = ["status", "name"]
        indexes = [models.Index(fields=["status", "name"], name="stores_proof_status_idx")]
        permissions = [("manage_prooflistentry", _("维护网上证明专栏"))]

    def __str__(self) -> str:
        return self.name
