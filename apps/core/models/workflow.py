"""Workflow history (流转记录): one append-only row per state change of any model."""
from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StateTransition(models.Model):
    """Who moved which object from which state to which, when, and why.

    `object_id` is text so that integer and string primary keys both fit. Rows are only
    ever inserted (apps.core.workflow.record_transition); they are never updated.
    """

    content_type = models.ForeignKey(ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT,
                                     related_name="+")
    object_id = models.CharField(_("对象编号"), max_length=64)
    from_state = models.CharField(_("原状态"), max_length=64, blank=True)
    to_state = models.CharField(_("新状态"), max_length=64)
    action = models.CharField(_("操作"), max_length=64, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("操作人姓名"), max_length=128, blank=True)
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"], name="core_transition_object_idx")]

    def __str__(self) -> str:
        return f"{self.actor_name or '系统'}: {self.from_state or '—'} → {self.to_state}"
