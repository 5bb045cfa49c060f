"""Organisation information sync (组织机构信息同步, MAT-7.7) and the power-and-responsibility list
(权责清单, MAT-7.8): data received from, and answered back to, systems outside the item library."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class OrgChangeOperation(models.TextChoices):
    ADD = "add", _("新增")
    MODIFY = "modify", _("修改")
    DELETE = "delete", _("删除")


class OrgChangeStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    APPLIED = "applied", _("已同步")
    FAILED = "failed", _("同步失败")
    IGNORED = "ignored", _("不予同步")


class OrganisationChange(models.Model):
    """One organisation change received from the unified user centre (统一用户中心): add / modify / delete of
    an organisation keyed by its credit code. Staff process it on the sync page; the result is applied to
    the kernel organisations and written back to the original item library (原事项库) through the outbox."""

    external_id = models.CharField(_("变更流水号"), max_length=64, unique=True)
    operation = models.CharField(_("变更类型"), max_length=8, choices=OrgChangeOperation.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, db_index=True)
    data = models.JSONField(_("变更内容"), default=dict)
    region = models.ForeignKey(Region, verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("机构"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("处理状态"), max_length=8, choices=OrgChangeStatus.choices,
                              default=OrgChangeStatus.PENDING, db_index=True)
    result = models.CharField(_("处理结果"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    processed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    processed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        verbose_name = _("组织机构变更")
        verbose_name_plural = _("组织机构变更")
        ordering = ["-received_at", "-pk"]
        permissions = [("process_organisationchange", _("处理组织机构变更"))]
        indexes = [models.Index(fields=["status", "region"], name="matters_orgchg_status_idx")]

    def __str__(self) -> str:
        return f"{self.external_id} {self.get_operation_display()} {self.label}"

    @property
    def label(self) -> str:
        return self.data.get("name") or self.credit_code

    @property
    def proposed(self) -> str:
        """The received values, for the reviewer ("名称：…；区划：…")."""
        names = {"name": "名称", "short_name": "简称", "region": "区划", "parent_credit_code": "上级机构",
                 "kind": "类型"}
        return "；".join(f"{names.get(k, k)}：{v}" for k, v in self.data.items())


class PowerType(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    COERCION = "coercion", _("行政强制")
    LEVY = "levy", _("行政征收")
    PAYMENT = "payment", _("行政给付")
    INSPECTION = "inspection", _("行政检查")
    CONFIRMATION = "confirmation", _("行政确认")
    AWARD = "award", _("行政奖励")
    RULING = "ruling", _("行政裁决")
    OTHER = "other", _("其他行政权力")


class PowerListEntry(models.Model):
    """One entry of a department's power-and-responsibility list (权责清单, MAT-7.8). The owner's own
    element structure beyond the named columns is kept in `extra` (the owner has not supplied it yet)."""

    code = models.CharField(_("权力编码"), max_length=64)
    name = models.CharField(_("权力名称"), max_length=200)
    power_type = models.CharField(_("权力类型"), max_length=16, choices=PowerType.choices)
    department = models.ForeignKey(Organisation, verbose_name=_("实施部门"), on_delete=models.PROTECT,
                                   related_name="matter_power_entries")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    legal_basis = models.TextField(_("设定依据"))
    responsibilities = models.TextField(_("责任事项"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    extra = models.JSONField(_("其他要素"), default=dict, blank=True)
    implementation_items = models.ManyToManyField("matters.ImplementationItem", through="PowerItemLink",
                                                  related_name="power_entries", verbose_name=_("关联实施清单事项"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("权责清单事项")
        verbose_name_plural = _("权责清单事项")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="matters_power_dept_code_uniq")]
        indexes = [models.Index(fields=["region", "power_type"], name="matters_power_region_type_idx"),
                   models.Index(fields=["name"], name="matters_power_name_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PowerItemLink(models.Model):
    """A power-list entry linked to an implementation item; each link is reported back to the list owner."""

    entry = models.ForeignKey(PowerListEntry, verbose_name=_("权责清单事项"), on_delete=models.CASCADE,
                              related_name="links")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"),
                                            on_delete=models.CASCADE, related_name="power_links")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("关联人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("关联时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("权责清单关联")
        verbose_name_plural = _("权责清单关联")
        constraints = [models.UniqueConstraint(fields=["entry", "implementation_item"],
                                               name="matters_power_link_uniq")]
