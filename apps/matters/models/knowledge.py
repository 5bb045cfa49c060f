"""Refined item management (MAT-3): the knowledge base (review points, FAQs, guides, policies, laws)
and "one thing" bundles (一件事)."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import Organisation


class KnowledgeKind(models.TextChoices):
    FORMAL_POINT = "formal_point", _("形式审查要点")
    SUBSTANTIVE_POINT = "substantive_point", _("实质审查要点")
    FAQ = "faq", _("常见问题")
    GUIDE = "guide", _("办事攻略")
    POLICY = "policy", _("政策文件")
    LAW = "law", _("法律法规")


class LawType(models.TextChoices):
    LAW = "law", _("法律")
    ADMINISTRATIVE_REGULATION = "admin_regulation", _("行政法规")
    LOCAL_REGULATION = "local_regulation", _("地方性法规")
    RULE = "rule", _("规章")
    NORMATIVE_DOCUMENT = "normative", _("规范性文件")


class LawLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")


class GuidanceStage(models.TextChoices):
    """Where the applicant is (MAT-3.3.4): the case status decides the stage."""

    PREPARE = "prepare", _("准备申请")
    PRE_REVIEW = "pre_review", _("预审")
    ACCEPTANCE = "acceptance", _("受理")
    SUPPLEMENT = "supplement", _("补齐补正")
    EXAMINATION = "examination", _("审查审批")
    RESULT = "result", _("办结取证")


class KnowledgeEntry(models.Model):
    """One knowledge entry, optionally attached to an item and one of its materials (review points).
    Laws carry type, level and industry (MAT-3.3.2); guidance entries a stage (3.3.4); evaluations
    that find an entry wrong send it back to its department (`needs_update`, 3.3.7)."""

    kind = models.CharField(_("类型"), max_length=20, choices=KnowledgeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=200, db_index=True, editable=False)
    catalogue_item = models.ForeignKey("matters.CatalogueItem", verbose_name=_("目录清单事项"), null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="knowledge")
    implementation_item = models.ForeignKey("matters.ImplementationItem", verbose_name=_("实施清单事项"), null=True,
                                            blank=True, on_delete=models.CASCADE, related_name="knowledge")
    material = models.ForeignKey("matters.ApplicationMaterial", verbose_name=_("申请材料"), null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="review_points")
    department = models.ForeignKey(Organisation, verbose_name=_("维护部门"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("维护人"), null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    law_type = models.CharField(_("法规类型"), max_length=20, choices=LawType.choices, blank=True)
    law_level = models.CharField(_("法规层级"), max_length=12, choices=LawLevel.choices, blank=True)
    industry = models.CharField(_("所属行业"), max_length=64, blank=True)
    stage = models.CharField(_("适用环节"), max_length=12, choices=GuidanceStage.choices, blank=True)
    needs_update = models.BooleanField(_("退回待更新"), default=False)
    law_source = models.ForeignKey("matters.LawSource", verbose_name=_("法规来源"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="laws")
    tags = models.ManyToManyField("matters.PolicyTag", verbose_name=_("标签"), blank=True, related_name="laws")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, null=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库条目")
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["kind", "title"], name="matters_knowledge_kind_idx"),
                   models.Index(fields=["kind", "law_type", "law_level", "industry"], name="matters_knowledge_law_idx"),
                   models.Index(fields=["department", "needs_update"], name="matters_knowledge_dept_idx")]

    def __str__(self) -> str:
        return self.title


class OneThing(models.Model):
    """一件事: a bundle of items for one life or business event, with its pinyin initials for search."""

    name = models.CharField(_("主题名称"), max_length=100, unique=True)
    description = models.TextField(_("说明"), blank=True)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=100, db_index=True, editable=False)
    catalogue_items = models.ManyToManyField("matters.CatalogueItem", verbose_name=_("涉及事项"),
                                             related_name="one_things")

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class KnowledgeEvaluation(models.Model):
    """知识库评价: a user's verdict on an entry's accuracy; inaccurate ones go back to the
    department, and the counts feed window and department assessment (MAT-3.3.7)."""

    entry = models.ForeignKey(KnowledgeEntry, verbose_name=_("知识条目"), on_delete=models.CASCADE,
                              related_name="evaluations")
    accurate = models.BooleanField(_("准确有效"))
    comment = models.TextField(_("评价意见"), blank=True)
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价人"), on_delete=models.PROTECT,
                                  related_name="+")
    evaluator_organisation = models.ForeignKey(Organisation, verbose_name=_("评价人单位（窗口）"), null=True,
                                               blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("评价时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("知识库评价")
        verbose_name_plural = _("知识库评价")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"], name="matters_keval_created_idx")]

    def __str__(self) -> str:
        return f"{self.entry} · {'✓' if self.accurate else '✗'}"


class BusinessScope(models.Model):
    """经营范围: a standardised business-scope entry linked to the catalogue items an enterprise with
    that scope needs (MAT-3.3.3)."""

    code = models.CharField(_("经营范围编码"), max_length=32, unique=True)
    name = models.CharField(_("经营范围"), max_length=200)
    pinyin_initials = models.CharField(_("拼音首字母"), max_length=200, db_index=True, editable=False)
    catalogue_items = models.ManyToManyField("matters.CatalogueItem", verbose_name=_("涉及事项"),
                                             related_name="business_scopes")

    class Meta:
        verbose_name = _("经营范围")
        verbose_name_plural = _("经营范围")
        ordering = ["code"]
        indexes = [models.Index(fields=["name"], name="matters_scope_name_idx")]

    def __str__(self) -> str:
        return self.name
