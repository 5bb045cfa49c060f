"""Document templates (文书模板, MAT-2.2.7): government-service documents with placeholders filled
from an item's elements and the case at hand."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation


class DocumentKind(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance", _("受理通知书")
    REFUSAL_NOTICE = "refusal", _("不予受理通知书")
    SUPPLEMENT_NOTICE = "supplement", _("补齐补正材料告知书")
    APPROVAL_DECISION = "approval", _("准予行政许可决定书")
    REJECTION_DECISION = "rejection", _("不予行政许可决定书")
    RECEIPT = "receipt", _("材料接收凭证")


class DocumentTemplate(models.Model):
    """One template; `implementation_item` empty = the department's default for that kind of document."""

    kind = models.CharField(_("文书类型"), max_length=16, choices=DocumentKind.choices)
    name = models.CharField(_("模板名称"), max_length=100)
    body = models.TextField(_("模板正文"), help_text=_("可用占位符：{事项名称} {实施编码} {实施主体} {办理地点} {承诺办结时限} "
                                                  "{咨询电话} {监督电话} {申请人} {日期} {材料清单}"))
    department = models.ForeignKey(Organisation, verbose_name=_("所属部门"), on_delete=models.PROTECT, related_name="+")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("适用事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="document_templates")
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["department", "kind", "implementation_item"],
                                               name="matters_doc_tpl_uniq")]

    def __str__(self) -> str:
        return self.name
