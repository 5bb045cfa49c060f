"""Consultation (办理咨询, ACC-8.x): registered consultations, knowledge-base popularity and hot words.

The knowledge base itself is apps.matters' KnowledgeEntry (one model for item FAQ, guides and
policies); this app adds how consultation uses it: views per entry (popularity ranking) and the
terms people search (hot words), and the consultations staff register or the robot could not answer.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField, SensitiveFieldsMixin, mask_mobile
from apps.core.models import Organisation
from apps.core.scope import ScopedQuerySet


class ConsultChannel(models.TextChoices):
    WINDOW = "window", _("窗口咨询")
    PHONE = "phone", _("电话咨询")
    ONLINE = "online", _("网上人工咨询")
    ROBOT = "robot", _("智能机器人")


class ConsultStatus(models.TextChoices):
    ANSWERED = "answered", _("已答复")
    PENDING = "pending", _("待答复")


class Consultation(SensitiveFieldsMixin, models.Model):
    """咨询登记 (8.3): who asked what about which business, and the result."""

    consultant_name = models.CharField(_("咨询人"), max_length=64)
    consultant_mobile = EncryptedTextField(_("联系电话"), blank=True, digest_field="consultant_mobile_digest")
    consultant_mobile_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    channel = models.CharField(_("咨询渠道"), max_length=12, choices=ConsultChannel.choices,
                               default=ConsultChannel.WINDOW)
    item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("咨询事项"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    business = models.CharField(_("咨询业务"), max_length=200)
    question = models.TextField(_("咨询问题"))
    result = models.TextField(_("处理结果"), blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ConsultStatus.choices, default=ConsultStatus.ANSWERED,
                              db_index=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("受理单位"), on_delete=models.PROTECT,
                                     related_name="+")
    knowledge_entry = models.ForeignKey("matters.KnowledgeEntry", verbose_name=_("已入知识库"), null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("咨询时间"), auto_now_add=True, db_index=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("咨询登记")
        verbose_name_plural = _("咨询登记")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "created_at"], name="acc_consult_org_time_idx")]

    def __str__(self) -> str:
        return f"{self.consultant_name} {self.business}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.consultant_mobile)


class KnowledgeHeat(models.Model):
    """Views of one knowledge entry on the consultation pages (popularity ranking, Annex A item 3)."""

    entry = models.OneToOneField("matters.KnowledgeEntry", verbose_name=_("知识条目"), on_delete=models.CASCADE,
                                 related_name="acceptance_heat")
    views = models.PositiveIntegerField(_("浏览次数"), default=0, db_index=True)

    class Meta:
        verbose_name = _("知识热度")
        verbose_name_plural = _("知识热度")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.views}"


class HotWord(models.Model):
    """A term people searched the knowledge base for, with how often (hot-word query, Annex A item 3)."""

    term = models.CharField(_("检索词"), max_length=50, unique=True)
    count = models.PositiveIntegerField(_("检索次数"), default=0, db_index=True)
    last_searched_at = models.DateTimeField(_("最近检索时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索热词")
        verbose_name_plural = _("检索热词")
        ordering = ["-count", "term"]

    def __str__(self) -> str:
        return f"{self.term} ({self.count})"
