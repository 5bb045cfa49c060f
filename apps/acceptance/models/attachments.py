"""统一附件管理平台 (ACC-18.0): every case and material file in one content-addressed store.

`AttachmentBlob` is the stored bytes, named by their SM3 digest: the same bytes uploaded twice are
kept once (dedup). `Attachment` is one use of a blob — a case's material line — with the name the
uploader gave, the sniffed type, where it came from and how long it must be kept (retention).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.scope import ScopedQuerySet


class AttachmentBlob(models.Model):
    """附件存储对象: one stored file, unique by its SM3 digest."""

    sm3 = models.CharField(_("SM3摘要"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    storage_name = models.CharField(_("存储路径"), max_length=300)
    created_at = models.DateTimeField(_("首次存储时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件存储对象")
        verbose_name_plural = _("附件存储对象")

    def __str__(self) -> str:
        return self.sm3


class AttachmentSource(models.TextChoices):
    FRONT_END = "front_end", _("前端申报")
    WINDOW = "window", _("窗口收件")
    SUPPLEMENT = "supplement", _("补齐补正")
    DEPARTMENT = "department", _("部门系统")


class Attachment(models.Model):
    """附件: one file attached to a case (usually to one material line), kept until `retain_until`."""

    case = models.ForeignKey("acceptance.Case", verbose_name=_("办件"), on_delete=models.CASCADE,
                             related_name="attachments")
    material = models.OneToOneField("acceptance.CaseMaterial", verbose_name=_("材料"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="attachment")
    blob = models.ForeignKey(AttachmentBlob, verbose_name=_("存储对象"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="attachments")
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sm3 = models.CharField(_("SM3摘要"), max_length=64, db_index=True)
    source = models.CharField(_("来源"), max_length=16, choices=AttachmentSource.choices)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    retain_until = models.DateField(_("保存期限"), db_index=True)
    purged_at = models.DateTimeField(_("清理时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_region_field = "case__region"
    scope_organisation_field = "case__organisation"
    scope_owner_field = "case__applicant"

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["-uploaded_at"]
        indexes = [models.Index(fields=["case", "uploaded_at"], name="acc_attach_case_idx")]

    def __str__(self) -> str:
        return self.original_name
