"""草稿箱 (ACC-7.19): a window intake saved before it is finished, continued later by its owner."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_id_number


class CaseDraft(SensitiveFieldsMixin, models.Model):
    """An unfinished intake: the item, the applicant as typed so far, ticked situations and received
    paper materials. Personal to the member of staff who saved it (never shared, never scoped wider).
    Scanned files are not kept: they are attached when the intake is completed."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("保存人"), on_delete=models.CASCADE,
                              related_name="case_drafts")
    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                             related_name="+")
    applicant_name = models.CharField(_("申请人"), max_length=128, blank=True)
    applicant_id_number = EncryptedTextField(_("证件号码"), digest_field="applicant_id_number_digest")
    applicant_id_number_digest = models.CharField(max_length=64, blank=True, editable=False)
    applicant_mobile = EncryptedTextField(_("联系电话"), digest_field="applicant_mobile_digest")
    applicant_mobile_digest = models.CharField(max_length=64, blank=True, editable=False)
    internal_review_opinion = models.TextField(_("单位内审意见"), blank=True)
    situations = models.JSONField(_("所选情形"), default=list, blank=True)
    received = models.JSONField(_("已收材料"), default=list, blank=True)
    created_at = models.DateTimeField(_("保存时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)

    class Meta:
        verbose_name = _("受理草稿")
        verbose_name_plural = _("受理草稿")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["owner", "-updated_at"], name="acc_draft_owner_idx")]

    def __str__(self) -> str:
        return f"{self.item.name} · {self.applicant_name or '-'}"

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number) if self.applicant_id_number else ""
