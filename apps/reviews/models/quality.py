"""Quality of evaluations: rules, abnormal flags, blacklist, watch list, sensitive words,
publication review and the showcase library (REV-4.x, 9.x, 11.2, 23.11.6)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet
from apps.reviews.models.evaluations import Evaluation


class QualityRuleKind(models.TextChoices):
    SHORT_INTERVAL = "short_interval", _("同一评价人评价间隔过短")
    OUTSIDE_HOURS = "outside_hours", _("非工作时间评价")
    UNREASONABLE_CONTENT = "unreasonable_content", _("评价内容不合理（含敏感词或等级与内容矛盾）")


class RuleSchedule(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    ON_EVENT = "on_event", _("事件触发")


class EvaluationQualityRule(models.Model):
    """质量规则: a configurable check with parameters and how it runs (REV-9.1, 9.2).

    Parameters: short_interval {"minutes": 3}; outside_hours {"start": "08:30", "end": "17:30"}."""

    name = models.CharField(_("规则名称"), max_length=64)
    kind = models.CharField(_("规则类型"), max_length=24, choices=QualityRuleKind.choices)
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    schedule = models.CharField(_("执行方式"), max_length=12, choices=RuleSchedule.choices,
                                default=RuleSchedule.DAILY)
    is_enabled = models.BooleanField(_("启用"), default=True)
    last_run_at = models.DateTimeField(_("上次执行"), null=True, blank=True)

    class Meta:
        verbose_name = _("质量规则")
        verbose_name_plural = _("质量规则")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class AbnormalStatus(models.TextChoices):
    FLAGGED = "flagged", _("待审核")
    URGED = "urged", _("已督办")
    FEEDBACK_RECEIVED = "feedback_received", _("已反馈")
    CLOSED = "closed", _("已审核")


class AbnormalFlag(models.Model):
    """异常评价: one rule hit on one evaluation, reviewed by the admin; urged when overdue (REV-4.1, 4.2)."""

    evaluation = models.ForeignKey(Evaluation, verbose_name=_("评价"), on_delete=models.CASCADE,
                                   related_name="abnormal_flags")
    rule = models.ForeignKey(EvaluationQualityRule, verbose_name=_("质量规则"), on_delete=models.PROTECT,
                             related_name="+")
    reason = models.CharField(_("异常原因"), max_length=255)
    status = models.CharField(_("状态"), max_length=20, choices=AbnormalStatus.choices,
                              default=AbnormalStatus.FLAGGED, db_index=True)
    review_due = models.DateField(_("审核期限"))
    urged_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    urge_note = models.CharField(_("督办要求"), max_length=255, blank=True)
    feedback = models.CharField(_("反馈"), max_length=500, blank=True)
    feedback_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "evaluation__region"
    scope_organisation_field = "evaluation__organisation"

    class Meta:
        verbose_name = _("异常评价")
        verbose_name_plural = _("异常评价")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "rule"], name="rev_abnormal_once_per_rule")]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.reason}"


class EvaluatorBlacklistEntry(models.Model):
    """评价黑名单: an account with repeated malicious bad reviews; its new evaluations are tagged."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("评价账号"), on_delete=models.CASCADE,
                                related_name="review_blacklist_entry")
    reason = models.CharField(_("原因"), max_length=255)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评价黑名单")
        verbose_name_plural = _("评价黑名单")

    def __str__(self) -> str:
        return str(self.user)


class WatchListEntry(models.Model):
    """重点监督: a window or staff member suspected of brushing good reviews (REV-9.4)."""

    window = models.ForeignKey("acceptance.Window", verbose_name=_("窗口"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey("acceptance.HallStaff", verbose_name=_("人员"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("原因"), max_length=255)
    is_automatic = models.BooleanField(_("系统自动发现"), default=False)
    is_active = models.BooleanField(_("监督中"), default=True)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点监督名单")
        verbose_name_plural = _("重点监督名单")
        constraints = [
            models.UniqueConstraint(fields=["window"], condition=models.Q(is_active=True, window__isnull=False),
                                    name="rev_watch_one_active_window"),
            models.UniqueConstraint(fields=["staff"], condition=models.Q(is_active=True, staff__isnull=False),
                                    name="rev_watch_one_active_staff"),
        ]

    def __str__(self) -> str:
        return str(self.window or self.staff)


class SensitiveWord(models.Model):
    """敏感词 (REV-23.11.6): maintained in the admin and through the API."""

    word = models.CharField(_("敏感词"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("添加时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词")
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word


class ShowcaseKind(models.TextChoices):
    GOOD = "good", _("好评案例")
    BAD = "bad", _("差评案例")


class ShowcaseEntry(models.Model):
    """案例库: an evaluation picked for public scrolling display (REV-4.3, 13.3)."""

    evaluation = models.OneToOneField(Evaluation, verbose_name=_("评价"), on_delete=models.CASCADE,
                                      related_name="showcase")
    kind = models.CharField(_("类别"), max_length=8, choices=ShowcaseKind.choices)
    is_published = models.BooleanField(_("公开"), default=True)
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("好差评案例")
        verbose_name_plural = _("好差评案例")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.evaluation}"
