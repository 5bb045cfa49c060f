"""Catalogue-entry requests filed by the matters app through its LicenceCatalogue interface (MAT-4.1.3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CatalogueEntryRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待处理")
    CONFIRMED = "confirmed", _("已确认")
    REFUSED = "refused", _("未通过")


class CatalogueEntryRequest(models.Model):
    """A department's request for a new licence catalogue entry, waiting for the provincial catalogue
    administrator. The catalogue is province-wide, so the queue is guarded by permission, not by region.
    ``request_code`` is the id handed back to matters; ``idempotency_key`` makes a retried request one row."""

    request_code = models.CharField(_("申请号"), max_length=20, unique=True)
    idempotency_key = models.CharField(max_length=128, unique=True, editable=False)
    name = models.CharField(_("证照名称"), max_length=128)
    subject_type = models.CharField(_("持证主体类型"), max_length=16)
    requested_by = models.CharField(_("申请单位"), max_length=255)
    template_name = models.CharField(_("模板文件名"), max_length=255)
    template_file = models.BinaryField(_("模板文件"))
    status = models.CharField(_("状态"), max_length=16, choices=CatalogueEntryRequestStatus.choices,
                              default=CatalogueEntryRequestStatus.SUBMITTED, db_index=True)
    template = models.ForeignKey("licences.LicenceTemplate", verbose_name=_("证照目录（模板）"), null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="catalogue_requests")
    answer = models.CharField(_("处理意见"), max_length=255, blank=True)
    answered_by = models.ForeignKey("identity.User", verbose_name=_("处理人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("证照目录申请")
        verbose_name_plural = _("证照目录申请")
        ordering = ["-created_at"]
        permissions = [("answer_catalogueentryrequest", "Can confirm or refuse catalogue requests")]

    def __str__(self) -> str:
        return f"{self.request_code} {self.name}"
