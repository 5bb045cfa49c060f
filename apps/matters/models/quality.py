"""Quality detection (事项质量检测, MAT-5.1): configurable rules, scans and the defects they find."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region, RegionLevel
from apps.core.scope import ScopedQuerySet


class QualityRuleKind(models.TextChoices):
    REQUIRED_EMPTY = "required_empty", _("必填要素为空")
    TYPE_CONSTRAINT = "type_constraint", _("约束性要素填写错误")
    SAME_PHONE = "same_phone", _("咨询电话与监督电话相同")
    VAGUE_MATERIAL = "vague_material", _("兜底性材料")
    COUNTERPART = "counterpart", _("行政相对人性质与实际不符")


class QualityRule(models.Model):
    """One detection rule: a built-in check (kind) with its parameters, switchable and editable.

    params by kind: required_empty {"fields": [...]}; type_constraint {"keywords": [...],
    "forbidden_types": ["20"]}; vague_material {"names": [...]}; counterpart {"keywords":
    {"企业": "法人", ...}}; same_phone {}."""

    code = models.SlugField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("规则名称"), max_length=100)
    kind = models.CharField(_("检测类型"), max_length=20, choices=QualityRuleKind.choices)
    description = models.TextField(_("说明"), blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("质量检测规则")
        verbose_name_plural = _("质量检测规则")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class QualityScan(models.Model):
    """One run of every enabled rule over the whole item library."""

    class Status(models.TextChoices):
        RUNNING = "running", _("检测中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    items_scanned = models.PositiveIntegerField(_("检测事项数"), default=0)
    issues_found = models.PositiveIntegerField(_("问题数"), default=0)
    triggered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+", help_text=_("空表示定时任务"))

    class Meta:
        verbose_name = _("质量检测")
        verbose_name_plural = _("质量检测")
        ordering = ["-started_at", "-pk"]
        permissions = [("run_qualityscan", _("可以发起事项质量检测"))]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} · {self.get_status_display()}"


class QualityIssue(models.Model):
    """A defect one rule found in one item during one scan."""

    scan = models.ForeignKey(QualityScan, verbose_name=_("质量检测"), on_delete=models.CASCADE, related_name="issues")
    rule = models.ForeignKey(QualityRule, verbose_name=_("规则"), on_delete=models.CASCADE, related_name="issues")
    item_kind = models.CharField(_("清单类型"), max_length=16)
    item_id = models.PositiveBigIntegerField(_("事项ID"))
    item_name = models.CharField(_("事项名称"), max_length=200)
    item_code = models.CharField(_("编码"), max_length=50)
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(_("层级"), choices=RegionLevel.choices)
    department = models.ForeignKey(Organisation, verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("要素"), max_length=64, blank=True)
    message = models.CharField(_("问题描述"), max_length=255)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("质量问题")
        verbose_name_plural = _("质量问题")
        ordering = ["scan", "rule", "item_code"]
        indexes = [models.Index(fields=["scan", "rule"], name="matters_issue_scan_rule_idx"),
                   models.Index(fields=["scan", "level"], name="matters_issue_scan_level_idx")]

    def __str__(self) -> str:
        return f"{self.item_name}: {self.message}"
