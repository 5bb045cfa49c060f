"""Item optimisation analysis (事项优化分析, MAT-5.2): proposals the administration issues to departments."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation, Region
from apps.core.scope import ScopedQuerySet


class OptimisationDirection(models.TextChoices):
    FEWER_FORMS = "fewer_forms", _("少填")
    FEWER_SUBMISSIONS = "fewer_submissions", _("少报")
    FEWER_TRIPS = "fewer_trips", _("少跑")
    NEARER = "nearer", _("近办")


class ProposalStatus(models.TextChoices):
    ISSUED = "issued", _("待答复")
    AGREED = "agreed", _("同意")
    DISAGREED = "disagreed", _("不同意")
    IMPLEMENTED = "implemented", _("已优化")


class OptimisationProposal(models.Model):
    """优化建议: a measure set by the government-service administration for one item and sent to the
    exercising department, which answers 同意/不同意 and reports the result (MAT-5.2.2–5.2.4)."""

    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"),
                                            on_delete=models.CASCADE, related_name="optimisation_proposals")
    department = models.ForeignKey(Organisation, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(_("优化方向"), max_length=20, choices=OptimisationDirection.choices)
    problem = models.TextField(_("发现的问题"))
    measure = models.TextField(_("优化措施"))
    status = models.CharField(_("状态"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.ISSUED)
    decision_comment = models.TextField(_("部门意见"), blank=True)
    result = models.TextField(_("优化结果"), blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下发人"), on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_organisation_field = "department"

    class Meta:
        verbose_name = _("事项优化建议")
        verbose_name_plural = _("事项优化建议")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["department", "status"], name="matters_proposal_dept_idx"),
                   models.Index(fields=["issued_at"], name="matters_proposal_issued_idx")]

    def __str__(self) -> str:
        return f"{self.implementation_item.name} · {self.get_direction_display()}"
