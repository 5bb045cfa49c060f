"""No-code application forms (表单管理, ACC-16.8) and form-to-basic-information mappings (ACC-16.4).

A `Form` is designed by staff as data: its `FormVersion`s carry the schema (steps of fields with
validation and `show_if` conditions, format in docs/acceptance-forms.md). A published version is
never changed again; editing writes a new draft version and the online application uses the latest
published one. `ItemForm` binds an implementation item's online application to a form; a
`FormMapping` pairs form fields with attributes of the applicant's basic information.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation
from apps.core.scope import ScopedQuerySet


class FormKind(models.TextChoices):
    SINGLE = "single", _("单表单")
    COMBINED = "combined", _("聚合表单")


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")
    DISABLED = "disabled", _("已停用")


class Form(models.Model):
    """表单: an application form designed without code; a combined form (聚合表单) merges sub-forms."""

    code = models.SlugField(_("表单编码"), max_length=64, unique=True)
    name = models.CharField(_("表单名称"), max_length=100)
    kind = models.CharField(_("表单类型"), max_length=16, choices=FormKind.choices, default=FormKind.SINGLE)
    status = models.CharField(_("状态"), max_length=16, choices=FormStatus.choices, default=FormStatus.DRAFT,
                              db_index=True)
    description = models.CharField(_("说明"), max_length=300, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="+")
    parts = models.ManyToManyField("self", verbose_name=_("组成子表单"), symmetrical=False, through="FormPart",
                                   related_name="combined_in", blank=True)
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("表单")
        verbose_name_plural = _("表单")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["name"], name="acc_form_name_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class FormPart(models.Model):
    """One sub-form of a combined form, in order."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="part_links")
    part = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("子表单")
        verbose_name_plural = _("子表单")
        ordering = ["form", "position"]
        constraints = [models.UniqueConstraint(fields=["form", "part"], name="acc_formpart_uniq")]


class FormVersion(models.Model):
    """表单版本: one schema of a form; immutable once `published_at` is set."""

    form = models.ForeignKey(Form, verbose_name=_("表单"), on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    schema = models.JSONField(_("表单结构"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("保存人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("保存时间"), auto_now=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("表单版本")
        verbose_name_plural = _("表单版本")
        ordering = ["form", "-number"]
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="acc_formversion_uniq")]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ItemForm(models.Model):
    """事项表单绑定: the form an implementation item's online application uses."""

    item = models.OneToOneField("matters.ImplementationItem", verbose_name=_("事项"), on_delete=models.CASCADE,
                                related_name="acceptance_form")
    form = models.ForeignKey(Form, verbose_name=_("表单"), on_delete=models.PROTECT, related_name="item_bindings")
    bound_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("绑定人"), null=True,
                                 on_delete=models.SET_NULL, related_name="+")
    bound_at = models.DateTimeField(_("绑定时间"), auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "item__handling_department"

    class Meta:
        verbose_name = _("事项表单")
        verbose_name_plural = _("事项表单")

    def __str__(self) -> str:
        return f"{self.item} → {self.form}"


class MappingTarget(models.TextChoices):
    NATURAL_PERSON = "natural_person", _("自然人基本信息")
    LEGAL_PERSON = "legal_person", _("法人基本信息")
    CASE_APPLICANT = "case_applicant", _("办件申请人信息")


class FormMapping(models.Model):
    """表单和基本信息映射 (16.4): pairs of form field key ↔ basic-information attribute.

    `pairs` is a list of {"field": <form field key>, "attribute": <attribute of MAPPING_ATTRIBUTES>}.
    """

    name = models.CharField(_("映射名称"), max_length=100)
    form = models.ForeignKey(Form, verbose_name=_("来源表单"), on_delete=models.CASCADE, related_name="mappings")
    target = models.CharField(_("目标基本信息类型"), max_length=20, choices=MappingTarget.choices)
    pairs = models.JSONField(_("字段对应"), default=list)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属单位"), on_delete=models.PROTECT,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_organisation_field = "organisation"

    class Meta:
        verbose_name = _("表单映射")
        verbose_name_plural = _("表单映射")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["name"], name="acc_formmapping_name_idx")]

    def __str__(self) -> str:
        return self.name
