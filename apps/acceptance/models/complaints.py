"""Case-code complaints (办件码投诉, ACC-17.9): a case handled without a code, or with a code that turns
out forged, is reported; supervisors accept, track and file (立案) it."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_mobile
from apps.core.models import Region
from apps.core.scope import ScopedQuerySet


class ComplaintKind(models.TextChoices):
    NO_CODE = "no_code", _("办件无办件码")
    FORGED = "forged", _("办件码疑似伪造")


class ComplaintStatus(models.TextChoices):
    ACCEPTED = "accepted", _("已受理")
    TRACKING = "tracking", _("跟踪核查中")
    FILED = "filed", _("已立案")
    DISMISSED = "dismissed", _("不予立案")


class CaseCodeComplaint(SensitiveFieldsMixin, models.Model):
    """One complaint; `code_valid` is the verification result at the time of the complaint."""

    number = models.CharField(_("投诉编号"), max_length=24, unique=True)
    kind = models.CharField(_("投诉类型"), max_length=12, choices=ComplaintKind.choices)
    code = models.CharField(_("办件码"), max_length=64, blank=True)
    code_valid = models.BooleanField(_("办件码核验结果"), null=True)
    case = models.ForeignKey("acceptance.Case", verbose_name=_("办件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="code_complaints")
    case_number = models.CharField(_("办件编号"), max_length=50, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("投诉内容"))
    complainant_name = models.CharField(_("投诉人"), max_length=64)
    complainant_mobile = EncryptedTextField(_("联系电话"), digest_field="complainant_mobile_digest")
    complainant_mobile_digest = models.CharField(max_length=64, blank=True, editable=False)
    status = models.CharField(_("状态"), max_length=12, choices=ComplaintStatus.choices,
                              default=ComplaintStatus.ACCEPTED, db_index=True)
    handling_note = models.CharField(_("处理意见"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("投诉账号"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("投诉时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "region"

    class Meta:
        verbose_name = _("办件码投诉")
        verbose_name_plural = _("办件码投诉")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status"], name="acc_codecomplaint_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.complainant_mobile)
