"""Coding rules (编码规则) stored as data, and the counters that hand out serials race-free."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CodeTarget(models.TextChoices):
    CATALOGUE = "catalogue", _("基本编码（目录清单）")
    IMPLEMENTATION = "implementation", _("实施编码（实施清单）")


class SegmentKind(models.TextChoices):
    """What one segment of a code is made of; see docs/decisions/0005-matter-codes.md."""

    LITERAL = "literal", _("固定值")
    CATALOGUE_OWNER = "catalogue_owner", _("目录归属（00=国家，省代码=地方）")
    MATTER_TYPE = "matter_type", _("事项类型代码")
    MAIN_SERIAL = "main_serial", _("主项顺序号")
    SUB_SERIAL = "sub_serial", _("子项顺序号（主项为全0）")
    BODY_CREDIT_CODE = "body_credit_code", _("实施主体统一社会信用代码")
    EXERCISE_LEVEL = "exercise_level", _("行使层级代码")
    BASIC_CODE = "basic_code", _("基本编码")
    DISCRIMINATOR = "discriminator", _("同一主体多条实施清单的区分号")


class CodingRule(models.Model):
    """A configurable code layout (编码规则): an ordered list of segments. One active rule per target."""

    target = models.CharField(_("适用对象"), max_length=20, choices=CodeTarget.choices)
    name = models.CharField(_("规则名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("编码规则")
        verbose_name_plural = _("编码规则")
        ordering = ["target", "-is_active", "name"]
        constraints = [
            models.UniqueConstraint(fields=["target"], condition=models.Q(is_active=True),
                                    name="matters_one_active_rule_per_target"),
        ]

    def __str__(self) -> str:
        return f"{self.get_target_display()} · {self.name}"

    @property
    def length(self) -> int:
        return sum(segment.length for segment in self.segments.all())


class CodingRuleSegment(models.Model):
    """One segment of a coding rule: its kind, fixed length and (for literals) its value."""

    rule = models.ForeignKey(CodingRule, verbose_name=_("编码规则"), on_delete=models.CASCADE,
                             related_name="segments")
    position = models.PositiveSmallIntegerField(_("顺序"))
    kind = models.CharField(_("类型"), max_length=24, choices=SegmentKind.choices)
    length = models.PositiveSmallIntegerField(_("长度"))
    value = models.CharField(_("固定值"), max_length=50, blank=True)
    label = models.CharField(_("名称"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("编码段")
        verbose_name_plural = _("编码段")
        ordering = ["rule", "position"]
        constraints = [models.UniqueConstraint(fields=["rule", "position"], name="matters_segment_position_uniq")]

    def __str__(self) -> str:
        return f"{self.position}. {self.label or self.get_kind_display()} ({self.length})"


class CodeCounter(models.Model):
    """Last serial handed out for one rule and scope (the code's other segments).

    Rows are created with INSERT … ON CONFLICT DO NOTHING and incremented under
    SELECT … FOR UPDATE, so two concurrent declarations never get the same serial."""

    rule = models.ForeignKey(CodingRule, verbose_name=_("编码规则"), on_delete=models.CASCADE,
                             related_name="counters")
    scope_key = models.CharField(_("计数范围"), max_length=80)
    last_value = models.PositiveIntegerField(_("当前序号"), default=0)

    class Meta:
        verbose_name = _("编码计数器")
        verbose_name_plural = _("编码计数器")
        constraints = [models.UniqueConstraint(fields=["rule", "scope_key"], name="matters_counter_scope_uniq")]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.scope_key} = {self.last_value}"
