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


class KnowledgeEntry(models.Model):
    """One knowledge entry, optionally attached to an item and one of its materials (review points)."""

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
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("知识库条目")
        verbose_name_plural = _("知识库条目")
        ordering = ["kind", "title"]
        indexes = [models.Index(fields=["kind", "title"], name="matters_knowledge_kind_idx")]

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
