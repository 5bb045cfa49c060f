"""Custom two-stage review (MAT-7.12, the Harbin rule, kept as data): for county-level departments under
a configured city, reporting or cancelling an item needs an attachment, gets an initial review by the
county business-environment bureau and a final review by the provincial competent department."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region


class CustomReviewRule(models.Model):
    """One configured custom review (e.g. 哈尔滨市): applies to county-level items under `region`."""

    region = models.OneToOneField(Region, verbose_name=_("适用地市"), on_delete=models.CASCADE,
                                  related_name="matters_review_rule")
    original_platform_url = models.URLField(_("原平台事项查看地址"), max_length=500, blank=True,
                                            help_text=_("可含 {code}（实施主体统一社会信用代码）"))
    is_enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("个性化审核规则")
        verbose_name_plural = _("个性化审核规则")

    def __str__(self) -> str:
        return str(self.region)


class StagedReview(models.Model):
    """One report (申报) or cancellation (注销) going through the two stages."""

    class Action(models.TextChoices):
        DECLARE = "declare", _("上报")
        CANCEL = "cancel", _("注销")

    class Stage(models.TextChoices):
        INITIAL = "initial", _("区县营商局初审")
        FINAL = "final", _("省直部门终审")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("驳回")

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"),
                                            on_delete=models.CASCADE, related_name="staged_reviews")
    action = models.CharField(_("操作"), max_length=8, choices=Action.choices)
    attachment = models.FileField(_("情况说明附件"), upload_to="matters/review-attachments/%Y/%m/")
    reason = models.TextField(_("说明"), blank=True)
    stage = models.CharField(_("审核阶段"), max_length=10, choices=Stage.choices, default=Stage.INITIAL)
    final_department = models.ForeignKey(Organisation, verbose_name=_("终审部门"), on_delete=models.PROTECT,
                                         related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("两级审核")
        verbose_name_plural = _("两级审核")
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["implementation_item"],
                                               condition=models.Q(stage__in=["initial", "final"]),
                                               name="matters_staged_one_open")]

    def __str__(self) -> str:
        return f"{self.implementation_item} · {self.get_action_display()} · {self.get_stage_display()}"


class DemonstrationDepartment(models.Model):
    """示范部门: per business line, one demonstration account unit in each city and county, named by
    the provincial department (MAT-7.3). Its items are never reported nationally nor delegated."""

    organisation = models.OneToOneField(Organisation, verbose_name=_("示范部门"), on_delete=models.CASCADE,
                                        related_name="matters_demonstration")
    business_line = models.CharField(_("业务条线"), max_length=64)
    designated_by = models.ForeignKey(Organisation, verbose_name=_("指定的省直部门"), on_delete=models.PROTECT,
                                      related_name="+")

    class Meta:
        verbose_name = _("示范部门")
        verbose_name_plural = _("示范部门")
        constraints = [models.UniqueConstraint(fields=["business_line", "organisation"], name="matters_demo_line_uniq")]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.business_line}"


class DemonstrationReviewer(models.Model):
    """The provincial department's review account (initial) or a review-group member (final) of a line."""

    class Role(models.TextChoices):
        INITIAL = "initial", _("省直部门审核账号（初审）")
        FINAL = "final", _("审核组（终审）")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), on_delete=models.CASCADE,
                             related_name="+")
    business_line = models.CharField(_("业务条线"), max_length=64)
    role = models.CharField(_("角色"), max_length=8, choices=Role.choices)

    class Meta:
        verbose_name = _("示范事项审核人")
        verbose_name_plural = _("示范事项审核人")
        constraints = [models.UniqueConstraint(fields=["user", "business_line", "role"], name="matters_demo_rev_uniq")]

    def __str__(self) -> str:
        return f"{self.user} · {self.business_line} · {self.get_role_display()}"


class DemonstrationReview(models.Model):
    """The customised review of one demonstration item: initial by the review account, final by the group."""

    class Stage(models.TextChoices):
        INITIAL = "initial", _("初审")
        FINAL = "final", _("终审")
        APPROVED = "approved", _("审核通过")
        REJECTED = "rejected", _("驳回")

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"),
                                            on_delete=models.CASCADE, related_name="demonstration_reviews")
    business_line = models.CharField(_("业务条线"), max_length=64)
    stage = models.CharField(_("阶段"), max_length=10, choices=Stage.choices, default=Stage.INITIAL)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("示范事项审核")
        verbose_name_plural = _("示范事项审核")
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["implementation_item"],
                                               condition=models.Q(stage__in=["initial", "final"]),
                                               name="matters_demo_one_open")]

    def __str__(self) -> str:
        return f"{self.implementation_item} · {self.get_stage_display()}"
